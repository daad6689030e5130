// Dispatch table of the random-sampling kernels (one per ISA).
//
// Numerical contract, identical on every ISA (tests compare bit for bit):
//  * element i of a fill is a function of (seed, stream, pos + i) only: word
//    pos + i of the Philox stream, one 32-bit word per output, no rejection;
//  * uniform:  u = (w >> 8) * 2^-24 in [0, 1), exact; out = min(fma(u, high - low, low),
//              largest float below high), so out is in [low, high);
//  * normal:   y = (2 (w >> 8) + 1 - 2^24) * 2^-24 in (-1, 1), exact and never +-1;
//              z = sqrt(2) erfinv(y) with Giles' single-precision erfinv (2010) over
//              our own log; out = fma(z, std, mean). |z| <= 5.42 (the 24-bit uniform grid).
//  * truncated normal: the same with y scaled by erf(sqrt 2) = P(|Z| < 2), i.e. the
//              inverse CDF of N(0,1) restricted to (-2, 2); |z| < 2 before scaling.
// Accuracy of z against sqrt(2) erfinv(y) in float64 for the same y: <= 4.5 ulp
// (4.18 measured over all 2^24 inputs); z is monotone in the word and odd-symmetric.
// Tested in test/random.accuracy.test.ts.
#pragma once
#include <cstddef>
#include <cstdint>

namespace gs::random {

enum class Dist : int { kUniform = 0, kNormal = 1, kTruncatedNormal = 2 };

// Parameters prepared by the core (random.cc) so kernels do no branching on them.
struct DistParams {
  float a;  // uniform: low  | normal: mean
  float b;  // uniform: high - low | normal: std
  float c;  // uniform: largest float below high | unused
};

struct RandomKernels {
  const char* isa;
  int lanes;  // blocks computed per step
  void (*fill_u32)(uint64_t seed, uint64_t stream, uint64_t pos, uint32_t* out, size_t n);
  void (*fill_f32)(Dist dist, const DistParams& p, uint64_t seed, uint64_t stream, uint64_t pos,
                   float* out, size_t n);
  // Applies a distribution's transform to given words (for exhaustive tests).
  void (*transform)(Dist dist, const DistParams& p, const uint32_t* in, float* out, size_t n);
};

const RandomKernels* random_kernels_scalar();
const RandomKernels* random_kernels_avx2();
const RandomKernels* random_kernels_avx512();
const RandomKernels* random_kernels_neon();

}  // namespace gs::random

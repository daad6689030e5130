// Philox4x32-10 counter-based bit generator (Salmon, Moraes, Dror, Shaw:
// "Parallel random numbers: as easy as 1, 2, 3", SC 2011).
//
// This is the scalar reference of the block function; the SIMD kernels in
// native/kernels/random-*.cc compute the same function on W blocks at once and
// are tested against it and against Random123's known-answer vectors.
//
// Stream layout used everywhere in gradscope (pinned; tests rely on it):
//   key     = 64-bit seed:  k0 = low 32 bits, k1 = high 32 bits
//   counter = (c0, c1) 64-bit block index (c0 low), (c2, c3) 64-bit stream id (c2 low)
//   word i of a stream = word (i % 4) of block (i / 4)
#pragma once
#include <cstdint>

namespace gs::random {

constexpr uint32_t kPhiloxM0 = 0xD2511F53u;
constexpr uint32_t kPhiloxM1 = 0xCD9E8D57u;
constexpr uint32_t kPhiloxW0 = 0x9E3779B9u;  // golden ratio
constexpr uint32_t kPhiloxW1 = 0xBB67AE85u;  // sqrt(3) - 1
constexpr int kPhiloxRounds = 10;

void philox4x32_10(const uint32_t counter[4], const uint32_t key[2], uint32_t out[4]);

}  // namespace gs::random

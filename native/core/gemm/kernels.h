// GEMM micro-kernel table of one ISA, with the block sizes chosen for it.
#pragma once
#include <cstddef>

namespace gs::gemm {

// Computes one MR × NR tile of C from packed panels:
//   a: kc × MR packed k-major (a[k*MR + r]);  b: kc × NR with row stride ldb (b[k*ldb + j]),
//   either a packed panel (ldb = NR) or, for a row-major op(B), B itself
//   acc = accumulate ? C tile : 0;  acc = fma(a, b, acc) for k = 0..kc-1 in order;
//   if bias: acc = acc + bias[j] (bias padded to NR);  store the m_valid × n_valid corner.
//   Of each B row (and of bias) it reads only the vectors that cover n_valid columns
//   (all NR for a full tile), so a partial panel is packed, zero-padded, only that far.
using MicroKernel = void (*)(size_t kc, const float* a, const float* b, size_t ldb, float* c,
                             size_t ldc, size_t m_valid, size_t n_valid, bool accumulate,
                             const float* bias);

// The same tile with A read in place instead of from a packed panel:
//   A(r, k) = a[r*rs_a + k*cs_a] for r < m_valid (rows ≥ m_valid are never read).
// Same FMA chain per element, so the same bits as packing A first. Used when
// A is small enough to stay in cache, where packing it would cost more than
// the strided reads (the deep-narrow training shapes).
using MicroKernelStrided = void (*)(size_t kc, const float* a, size_t rs_a, size_t cs_a, const float* b,
                                    size_t ldb, float* c, size_t ldc, size_t m_valid, size_t n_valid,
                                    bool accumulate, const float* bias);

// The FMA throughput probe behind "% of peak": `iters` steps of kPeakChains
// independent FMA chains on the ISA's vectors (no loads or stores), the sum of
// the chains written to *sink so nothing is optimised away. Returns the flops
// done (iters × chains × lanes × 2). The scalar table's probe runs the same
// std::fma the scalar oracle does, so each ISA is measured against its own
// instruction stream.
using FmaLoop = double (*)(size_t iters, float* sink);

struct GemmKernels {
  const char* isa;
  size_t mr, nr;      // register tile
  size_t nv;          // vectors per tile row (nr / nv lanes each); edge tiles run 1..nv of them
  size_t mc, kc, nc;  // cache blocks: A block mc × kc in L2, B panel kc × nr in L1, B block in L3
  MicroKernel micro;
  MicroKernelStrided micro_strided;
  FmaLoop fma_loop;
};

const GemmKernels* gemm_kernels_scalar();
const GemmKernels* gemm_kernels_avx2();
const GemmKernels* gemm_kernels_avx512();
const GemmKernels* gemm_kernels_neon();

}  // namespace gs::gemm

#include "core/gemm/gemm.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

#if defined(__SSE2__) || defined(_M_X64)
#include <emmintrin.h>
#include <xmmintrin.h>
#endif

#include "core/aligned.h"
#include "core/cpu.h"
#include "core/gemm/kernels.h"
#include "core/threadpool.h"

namespace gs::gemm {
namespace {

const GemmKernels& kernels() {
  GS_ACTIVE_KERNELS(gemm)
}

// Untransposed B panels packed together, row by row (see pack_b_rows): 8 panels
// of kc × NR floats are 128 KiB at kc = 256 on AVX2, which share L2 with the A block.
constexpr size_t kChunkPanels = 8;

// Single-A-block products with at most this many B panels read A in place.
constexpr size_t kAInPlaceMaxPanels = 16;

inline size_t round_up(size_t x, size_t m) { return (x + m - 1) / m * m; }

#if defined(__GNUC__) || defined(__clang__)
#define GS_PREFETCH(p) __builtin_prefetch(p)
#else
#define GS_PREFETCH(p) ((void)0)
#endif

// Asks for the C tile the next micro-kernel call loads and stores. A call starts
// by loading its tile (the FMA chains resume from C), and with a large ldc the
// tile's rows are lines far apart that no hardware prefetcher predicts: without
// this, each call would begin with up to MR serial cache misses.
inline void prefetch_tile(const float* c, size_t ldc, size_t rows, size_t cols) {
  for (size_t r = 0; r < rows; ++r) {
    GS_PREFETCH(c + r * ldc);
    GS_PREFETCH(c + r * ldc + cols - 1);
  }
}

// Packs op(A)[i0 : i0+mc, k0 : k0+kc] into MR-row panels, k-major, zero-padded rows.
void pack_a(const Matrix& A, size_t i0, size_t mc, size_t k0, size_t kc, size_t MR, float* dst) {
  for (size_t ir = 0; ir < mc; ir += MR) {
    const size_t mr = std::min(MR, mc - ir);
    if (A.trans) {  // op(A)(i, k) = data[k*ld + i]: rows of the panel are contiguous in memory
      for (size_t k = 0; k < kc; ++k) {
        const float* src = A.data + (k0 + k) * A.ld + i0 + ir;
        float* d = dst + k * MR;
        for (size_t r = 0; r < mr; ++r) d[r] = src[r];
        for (size_t r = mr; r < MR; ++r) d[r] = 0.0f;
      }
    } else {
      for (size_t r = 0; r < MR; ++r) {
        if (r < mr) {
          const float* src = A.data + (i0 + ir + r) * A.ld + k0;
          for (size_t k = 0; k < kc; ++k) dst[k * MR + r] = src[k];
        } else {
          for (size_t k = 0; k < kc; ++k) dst[k * MR + r] = 0.0f;
        }
      }
    }
    dst += kc * MR;
  }
}

// Packs one NR-column panel of a transposed B, op(B)[k0 : k0+kc, j0 : j0+nr] with
// op(B)(k, j) = data[j*ld + k], zero-padded columns. (Untransposed B: pack_b_rows.)
void pack_bt_panel(const Matrix& B, size_t k0, size_t kc, size_t j0, size_t nr, size_t NR, float* dst) {
  // k outer: each destination row of NR floats is written whole and in order,
  // while the nr source rows are read along k (each line serves 16 k's from L1).
  const float* src = B.data + j0 * B.ld + k0;
  size_t k = 0;
#if defined(__SSE2__) || defined(_M_X64)
  // 4×4 blocks moved with SSE transposes (baseline on x86-64): a quarter of
  // the loads and stores of the element loop below, which finishes the rest.
  if (nr == NR && NR % 4 == 0) {
    for (; k + 4 <= kc; k += 4) {
      for (size_t j = 0; j < NR; j += 4) {
        __m128 r0 = _mm_loadu_ps(src + (j + 0) * B.ld + k);
        __m128 r1 = _mm_loadu_ps(src + (j + 1) * B.ld + k);
        __m128 r2 = _mm_loadu_ps(src + (j + 2) * B.ld + k);
        __m128 r3 = _mm_loadu_ps(src + (j + 3) * B.ld + k);
        _MM_TRANSPOSE4_PS(r0, r1, r2, r3);
        _mm_storeu_ps(dst + (k + 0) * NR + j, r0);
        _mm_storeu_ps(dst + (k + 1) * NR + j, r1);
        _mm_storeu_ps(dst + (k + 2) * NR + j, r2);
        _mm_storeu_ps(dst + (k + 3) * NR + j, r3);
      }
    }
  }
#endif
  for (; k < kc; ++k) {
    float* d = dst + k * NR;
    for (size_t j = 0; j < nr; ++j) d[j] = src[j * B.ld + k];
    for (size_t j = nr; j < NR; ++j) d[j] = 0.0f;
  }
}

// Packs the NR-column panels covering op(B)[k0 : k0+kc, j0 : j0+n] of a row-major
// (untransposed) B, row by row: each source row segment is read once and in
// order, so the reads are sequential runs the hardware prefetcher follows.
// Packing one panel at a time instead reads 64 bytes per row at a stride of
// ldb, and for power-of-two ldb those lines share a few cache sets and are
// evicted before the next panel uses them (measured: 30% of a 128×784×512 product,
// against 8–13% row by row).
template <size_t NR>
void pack_b_rows_fixed(const Matrix& B, size_t k0, size_t kc, size_t j0, size_t n, float* dst) {
  const size_t full = n / NR, rest = n - full * NR;
  for (size_t k = 0; k < kc; ++k) {
    const float* src = B.data + (k0 + k) * B.ld + j0;
    float* d = dst + k * NR;
    for (size_t p = 0; p < full; ++p) {
      const float* s = src + p * NR;
      float* t = d + p * kc * NR;
      std::memcpy(t, s, NR * sizeof(float));
    }
    if (rest != 0) {
      const float* s = src + full * NR;
      float* t = d + full * kc * NR;
      for (size_t j = 0; j < rest; ++j) t[j] = s[j];
      for (size_t j = rest; j < NR; ++j) t[j] = 0.0f;
    }
  }
}

// Dispatches on the panel width so the row copies above are fixed-size moves.
void pack_b_rows(const Matrix& B, size_t k0, size_t kc, size_t j0, size_t n, size_t NR, float* dst) {
  switch (NR) {
    case 12: return pack_b_rows_fixed<12>(B, k0, kc, j0, n, dst);
    case 16: return pack_b_rows_fixed<16>(B, k0, kc, j0, n, dst);
    case 32: return pack_b_rows_fixed<32>(B, k0, kc, j0, n, dst);
    default: break;
  }
  for (size_t k = 0; k < kc; ++k) {
    const float* src = B.data + (k0 + k) * B.ld + j0;
    for (size_t j = 0; j < n; ++j) dst[(j / NR) * kc * NR + k * NR + j % NR] = src[j];
    for (size_t j = n; j % NR != 0; ++j) dst[(j / NR) * kc * NR + k * NR + j % NR] = 0.0f;
  }
}

// Packing buffers live as long as their thread (pool workers are persistent)
// and only grow: a fresh allocation per call would be mmap'ed pages, and their
// page faults cost as much as a small product itself.
float* a_buffer(size_t n) {
  thread_local AlignedFloats buf;
  buf.resize(n);
  return buf.data();
}
float* b_buffer(size_t n) {
  thread_local AlignedFloats buf;
  buf.resize(n);
  return buf.data();
}
float* panel_buffer(size_t n) {
  thread_local AlignedFloats buf;
  buf.resize(n);
  return buf.data();
}

}  // namespace

void gemm_reference(size_t M, size_t N, size_t K, Matrix A, Matrix B, float* C, size_t ldc,
                    const float* bias) {
  for (size_t i = 0; i < M; ++i) {
    for (size_t j = 0; j < N; ++j) {
      float z = 0.0f;
      for (size_t k = 0; k < K; ++k) {
        const float a = A.trans ? A.data[k * A.ld + i] : A.data[i * A.ld + k];
        const float b = B.trans ? B.data[j * B.ld + k] : B.data[k * B.ld + j];
        z = std::fma(a, b, z);
      }
      C[i * ldc + j] = bias != nullptr ? z + bias[j] : z;
    }
  }
}

void gemm(size_t M, size_t N, size_t K, Matrix A, Matrix B, float* C, size_t ldc,
          const float* bias, const Epilogue* epilogue) {
  if (M == 0 || N == 0) return;
  if (K == 0) {
    for (size_t i = 0; i < M; ++i)
      for (size_t j = 0; j < N; ++j) C[i * ldc + j] = bias != nullptr ? 0.0f + bias[j] : 0.0f;
    if (epilogue != nullptr) epilogue->fn(epilogue->ctx, 0, 0, M, N);
    return;
  }
  const GemmKernels& g = kernels();
  const size_t MR = g.mr, NR = g.nr;
  const size_t MC = round_up(std::min(g.mc, round_up(M, MR)), MR);
  const size_t KC = g.kc, NC = g.nc;
  ThreadPool& pool = ThreadPool::global();
  const size_t threads = static_cast<size_t>(pool.threads());

  std::vector<float> bias_padded;
  if (bias != nullptr) {
    bias_padded.assign(round_up(N, NR), 0.0f);
    std::copy(bias, bias + N, bias_padded.begin());
  }
  // B is always packed: reading a row-major B in place (stride ldb) was tried for
  // small M and lost, because power-of-two strides map a panel's rows onto a few
  // L1 sets (e.g. ldb = 512 floats: 256 rows share 2 sets of a 32 KiB 8-way L1).
  const size_t m_blocks = (M + MC - 1) / MC;
  float* const bpack = M <= MC ? nullptr : b_buffer(round_up(std::min(NC, N), NR) * std::min(KC, K));

  for (size_t jc = 0; jc < N; jc += NC) {
    const size_t nc = std::min(NC, N - jc);
    const size_t n_panels = (nc + NR - 1) / NR;
    for (size_t pc = 0; pc < K; pc += KC) {
      const size_t kc = std::min(KC, K - pc);
      const bool first = pc == 0, last = pc + kc == K;
      // One parallel region per (jc, pc): each task owns a group of B panels, packs
      // them, then sweeps every row block of A over them (packing A into its own
      // buffer). Fewer regions than packing B in a region of its own; A is packed
      // once per group, which costs little next to the products.
      // One group per thread when a single A block (packed by every group) or many
      // row blocks keep the threads busy; else two, to balance uneven groups.
      const size_t want = threads <= 1 ? 1 : (M <= MC || m_blocks >= 4 ? threads : 2 * threads);
      const size_t groups = std::min(n_panels, want);
      const size_t per_group = (n_panels + groups - 1) / groups;
      pool.parallel_for(groups, [&](size_t grp) {
        const size_t p0 = grp * per_group, p1 = std::min(n_panels, p0 + per_group);
        if (p0 >= p1) return;  // ceil-sized groups can leave the last ones empty
        if (M <= MC) {
          // One block of A (the training shapes: batch ≤ MC). B is packed right before
          // its row tiles use it (a panel, or a chunk of kChunkPanels panels), so it
          // is still in L1/L2 for all of them instead of making a round trip through
          // L3 as part of a packed B block. Same FMA chains, same k order: same bits.
          // A is read in place when few B panels share it: packing costs a pass over
          // A per call, which many panels amortise but a narrow output (the
          // deep-narrow nets' 100-wide layers: 7 panels) does not.
          const bool a_in_place = n_panels <= kAInPlaceMaxPanels;
          float* apack = a_in_place ? nullptr : a_buffer(MC * kc);
          float* chunk = panel_buffer(kc * NR * kChunkPanels);
          if (!a_in_place) pack_a(A, 0, M, pc, kc, MR, apack);
          const size_t rs_a = A.trans ? 1 : A.ld, cs_a = A.trans ? A.ld : 1;
          const float* a_src = A.trans ? A.data + pc * A.ld : A.data + pc;
          for (size_t p = p0; p < p1; ++p) {
            const size_t j = jc + p * NR, nr = std::min(NR, nc - p * NR);
            const size_t in_chunk = (p - p0) % kChunkPanels;
            if (B.trans) {
              pack_bt_panel(B, pc, kc, j, nr, NR, chunk);
            } else if (in_chunk == 0) {
              const size_t cols = std::min(kChunkPanels * NR, nc - p * NR);
              pack_b_rows(B, pc, kc, j, std::min(cols, (p1 - p) * NR), NR, chunk);
            }
            const float* bp = B.trans ? chunk : chunk + in_chunk * kc * NR;
            const float* bb = (last && bias != nullptr) ? bias_padded.data() + j : nullptr;
            for (size_t ir = 0; ir < M; ir += MR) {
              if (ir + MR < M) prefetch_tile(C + (ir + MR) * ldc + j, ldc, std::min(MR, M - ir - MR), nr);
              if (a_in_place) {
                g.micro_strided(kc, a_src + ir * rs_a, rs_a, cs_a, bp, NR, C + ir * ldc + j, ldc,
                                std::min(MR, M - ir), nr, !first, bb);
              } else {
                g.micro(kc, apack + ir * kc, bp, NR, C + ir * ldc + j, ldc, std::min(MR, M - ir), nr, !first, bb);
              }
            }
            if (last && epilogue != nullptr) epilogue->fn(epilogue->ctx, 0, j, M, nr);
          }
          return;
        }
        if (B.trans) {
          for (size_t p = p0; p < p1; ++p) {
            pack_bt_panel(B, pc, kc, jc + p * NR, std::min(NR, nc - p * NR), NR, bpack + p * kc * NR);
          }
        } else {
          pack_b_rows(B, pc, kc, jc + p0 * NR, std::min(nc - p0 * NR, (p1 - p0) * NR), NR, bpack + p0 * kc * NR);
        }
        float* apack = a_buffer(MC * kc);
        for (size_t ic = 0; ic < M; ic += MC) {
          const size_t mc = std::min(MC, M - ic);
          pack_a(A, ic, mc, pc, kc, MR, apack);
          for (size_t p = p0; p < p1; ++p) {
            const size_t j = jc + p * NR, nr = std::min(NR, nc - p * NR);
            const float* bp = bpack + p * kc * NR;
            const float* bb = (last && bias != nullptr) ? bias_padded.data() + j : nullptr;
            for (size_t ir = 0; ir < mc; ir += MR) {
              if (ir + MR < mc) prefetch_tile(C + (ic + ir + MR) * ldc + j, ldc, std::min(MR, mc - ir - MR), nr);
              g.micro(kc, apack + ir * kc, bp, NR, C + (ic + ir) * ldc + j, ldc, std::min(MR, mc - ir), nr,
                      !first, bb);
            }
            if (last && epilogue != nullptr) epilogue->fn(epilogue->ctx, ic, j, mc, nr);
          }
        }
      });
    }
  }
}

}  // namespace gs::gemm

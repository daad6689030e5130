#include "core/gemm/gemm.h"

#include <algorithm>
#include <chrono>
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

// The columns of a packed B panel holding nr valid ones that a tile reads: the
// kernels read only the vectors that cover a tile's valid columns (kernels.h), so
// a partial panel is packed only that far. Its padding lanes are never stored and
// cannot change a valid column (lanes are independent); they are zeros so that
// stale buffer contents (denormals, which cost FP assists on some cores) never
// reach the FMAs. 0 for nr = 0.
inline size_t panel_width(size_t nr, size_t NR, size_t lanes) { return nr == NR ? NR : round_up(nr, lanes); }

// Whether the full panels of a row-major B can be read in place (stride ldb)
// instead of packed. A panel is reread by every row tile, so it must stay in L1;
// its kc rows of 64 bytes must then spread over the L1's sets. They do for a
// stride like 100 floats (the deep-narrow nets' layers), and do not for strides
// that are multiples of large powers of two (ldb = 512 floats: 256 rows share
// 2 sets of a 32 KiB 8-way L1, and packing wins). Modelled for a 64-set, 64-byte
// line L1 (the common x86 and Apple/Arm cores): in place when no set holds more
// than 3/4 of its ways of the panel, which leaves the rest to A and C (measured on
// Zen 4, 64×100×100 with B's 100-float rows, six lines in the worst set: 3% faster
// in place than packed; a set of 8 lines (whole ways) is where packing wins).
bool b_rows_spread_in_l1(size_t ldb, size_t kc, size_t nr_bytes) {
  constexpr size_t kSets = 64, kLine = 64, kWays = 8;
  size_t per_set[kSets] = {};
  size_t worst = 0;
  for (size_t k = 0; k < kc; ++k) {
    const size_t first = k * ldb * sizeof(float) / kLine;
    const size_t last = (k * ldb * sizeof(float) + nr_bytes - 1) / kLine;
    for (size_t line = first; line <= last; ++line) worst = std::max(worst, ++per_set[line % kSets]);
  }
  return worst <= kWays * 3 / 4;
}

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

// Interleaves MR rows of a row-major A into a k-major panel,
// dst[k*MR + r] = src[r*ld + k]. The element loop at the end is a strided
// scatter of one float at a time; the SSE path moves four k's at a time: 4×4
// transposes for each group of four rows, (r, r+1) pairs for two left over, and
// single floats for one. The same floats, moved ~4× faster (with the element loop,
// packing the 14-row AVX-512 panels was 8% of a 1024³ product).
template <size_t MR>
void pack_a_rows(const float* src, size_t ld, size_t kc, float* dst) {
  size_t k = 0;
#if defined(__SSE2__) || defined(_M_X64)
  for (; k + 4 <= kc; k += 4) {
    float* d = dst + k * MR;
    size_t r = 0;
    for (; r + 4 <= MR; r += 4) {
      __m128 r0 = _mm_loadu_ps(src + r * ld + k), r1 = _mm_loadu_ps(src + (r + 1) * ld + k);
      __m128 r2 = _mm_loadu_ps(src + (r + 2) * ld + k), r3 = _mm_loadu_ps(src + (r + 3) * ld + k);
      _MM_TRANSPOSE4_PS(r0, r1, r2, r3);
      _mm_storeu_ps(d + r, r0);
      _mm_storeu_ps(d + MR + r, r1);
      _mm_storeu_ps(d + 2 * MR + r, r2);
      _mm_storeu_ps(d + 3 * MR + r, r3);
    }
    if (r + 2 <= MR) {
      const __m128 x = _mm_loadu_ps(src + r * ld + k), y = _mm_loadu_ps(src + (r + 1) * ld + k);
      const __m128 lo = _mm_unpacklo_ps(x, y), hi = _mm_unpackhi_ps(x, y);  // (x,y) at k, k+1 | k+2, k+3
      _mm_storel_pi(reinterpret_cast<__m64*>(d + r), lo);
      _mm_storeh_pi(reinterpret_cast<__m64*>(d + MR + r), lo);
      _mm_storel_pi(reinterpret_cast<__m64*>(d + 2 * MR + r), hi);
      _mm_storeh_pi(reinterpret_cast<__m64*>(d + 3 * MR + r), hi);
      r += 2;
    }
    if (r < MR)
      for (size_t i = 0; i < 4; ++i) d[i * MR + r] = src[r * ld + k + i];
  }
#endif
  for (; k < kc; ++k)
    for (size_t r = 0; r < MR; ++r) dst[k * MR + r] = src[r * ld + k];
}

// pack_a_rows for the tile heights of the kernel tables (kernels/gemm-*.cc);
// false for any other MR, which then takes the element loop.
bool pack_a_rows_fixed(const float* src, size_t ld, size_t kc, size_t MR, float* dst) {
  switch (MR) {
    case 4: pack_a_rows<4>(src, ld, kc, dst); return true;
    case 6: pack_a_rows<6>(src, ld, kc, dst); return true;
    case 8: pack_a_rows<8>(src, ld, kc, dst); return true;
    case 14: pack_a_rows<14>(src, ld, kc, dst); return true;
    default: return false;
  }
}

// Packs op(A)[i0 : i0+mc, k0 : k0+kc] into MR-row panels, k-major, zero-padded rows.
void pack_a(const Matrix& A, size_t i0, size_t mc, size_t k0, size_t kc, size_t MR, float* dst) {
  if (A.trans) {
    // op(A)(i, k) = data[k*ld + i]: row k of the data holds column k of every
    // panel. Row by row, so each source row is read once and in order (as in
    // pack_b_rows); panel by panel instead reads 24 bytes from each of kc rows
    // per panel, a pattern no prefetcher follows (measured: 5.5% of a wide-net
    // training step, mostly waiting on those loads).
    const size_t full = mc / MR, rest = mc - full * MR;
    for (size_t k = 0; k < kc; ++k) {
      const float* src = A.data + (k0 + k) * A.ld + i0;
      float* d = dst + k * MR;
      for (size_t p = 0; p < full; ++p)
        for (size_t r = 0; r < MR; ++r) d[p * kc * MR + r] = src[p * MR + r];
      if (rest != 0) {
        float* t = d + full * kc * MR;
        for (size_t r = 0; r < rest; ++r) t[r] = src[full * MR + r];
        for (size_t r = rest; r < MR; ++r) t[r] = 0.0f;
      }
    }
    return;
  }
  for (size_t ir = 0; ir < mc; ir += MR) {
    const size_t mr = std::min(MR, mc - ir);
    if (mr != MR || !pack_a_rows_fixed(A.data + (i0 + ir) * A.ld + k0, A.ld, kc, MR, dst)) {
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
// op(B)(k, j) = data[j*ld + k]. Columns nr..panel_width−1 are zeros; a packed
// row's columns past panel_width (which the kernel never reads) are left as they
// were. (Untransposed B: pack_b_rows.)
void pack_bt_panel(const Matrix& B, size_t k0, size_t kc, size_t j0, size_t nr, size_t NR, size_t lanes,
                   float* dst) {
  // k outer: each destination row is written in order, while the nr source rows
  // are read along k (each line serves 16 k's from L1).
  const size_t width = panel_width(nr, NR, lanes);
  const float* src = B.data + j0 * B.ld + k0;
  size_t k = 0;
#if defined(__SSE2__) || defined(_M_X64)
  // 4×4 blocks moved with SSE transposes (baseline on x86-64): a quarter of
  // the loads and stores of the element loop below, which finishes the rest.
  if (NR % 4 == 0) {
    const size_t nr4 = nr / 4 * 4;
    for (; k + 4 <= kc; k += 4) {
      for (size_t j = 0; j < nr4; j += 4) {
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
      for (size_t i = 0; i < 4; ++i) {
        float* d = dst + (k + i) * NR;
        for (size_t j = nr4; j < nr; ++j) d[j] = src[j * B.ld + k + i];
        for (size_t j = nr; j < width; ++j) d[j] = 0.0f;
      }
    }
  }
#endif
  for (; k < kc; ++k) {
    float* d = dst + k * NR;
    for (size_t j = 0; j < nr; ++j) d[j] = src[j * B.ld + k];
    for (size_t j = nr; j < width; ++j) d[j] = 0.0f;
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
void pack_b_rows_fixed(const Matrix& B, size_t k0, size_t kc, size_t j0, size_t n, size_t lanes, float* dst) {
  const size_t full = n / NR, rest = n - full * NR;
  const size_t width = panel_width(rest, NR, lanes);
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
      for (size_t j = rest; j < width; ++j) t[j] = 0.0f;
    }
  }
}

// Dispatches on the panel width so the row copies above are fixed-size moves.
// The last, partial panel is written as far as panel_width (see pack_bt_panel).
void pack_b_rows(const Matrix& B, size_t k0, size_t kc, size_t j0, size_t n, size_t NR, size_t lanes, float* dst) {
  switch (NR) {
    case 12: return pack_b_rows_fixed<12>(B, k0, kc, j0, n, lanes, dst);
    case 16: return pack_b_rows_fixed<16>(B, k0, kc, j0, n, lanes, dst);
    case 32: return pack_b_rows_fixed<32>(B, k0, kc, j0, n, lanes, dst);
    default: break;
  }
  const size_t width = (n / NR) * NR + panel_width(n % NR, NR, lanes);
  for (size_t k = 0; k < kc; ++k) {
    const float* src = B.data + (k0 + k) * B.ld + j0;
    for (size_t j = 0; j < n; ++j) dst[(j / NR) * kc * NR + k * NR + j % NR] = src[j];
    for (size_t j = n; j < width; ++j) dst[(j / NR) * kc * NR + k * NR + j % NR] = 0.0f;
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

// A product whose rows fit one A block (M ≤ MC: the training shapes, batch ≤
// MC), columns jc..jc+nc, as one parallel region.
//
// Work units are (panel, row tile) pairs in panel-major order; unit (p, t) costs
// rows(t) × vectors(p) FMA streams, counting an edge tile at the size of the
// kernel that computes it (gemm-body.inl: the last panel of a 100-wide layer is one
// vector per row on AVX-512, a full panel two). Each task is one contiguous
// run of units of equal cost, so a layer of 3½ panels splits 1¾ + 1¾ rather than
// 2 + 1½. Which thread computes a tile never changes its bits.
//
// Each task runs its units through every k block in turn: it owns its tiles of C,
// so the k blocks need no barrier between them, and a product with K > KC (784
// inputs: four k blocks) is one region rather than one per k block (measured at
// 2 threads, 32×784×256: each region's hand-off cost about 4% of the product).
// Every element still accumulates its k blocks in increasing order: same bits.
//
// B is packed right before its row tiles use it (a panel, or a chunk of
// kChunkPanels panels), so it is still in L1/L2 for all of them instead of
// making a round trip through L3 as part of a packed B block; two tasks that
// share a panel both pack it. A is read in place when few B panels share it:
// packing costs a pass over A per call, which many panels amortise but a narrow
// output (the deep-narrow nets' 100-wide layers) does not.
void single_block_region(const GemmKernels& g, size_t M, size_t nc, size_t jc, size_t K, const Matrix& A,
                         const Matrix& B, float* C, size_t ldc, const float* bias_padded, const Epilogue* epilogue,
                         size_t threads) {
  const size_t MR = g.mr, NR = g.nr, KC = g.kc, lanes = g.nr / g.nv;
  const size_t n_panels = (nc + NR - 1) / NR, m_tiles = (M + MR - 1) / MR;
  const size_t units = n_panels * m_tiles;
  const size_t tasks = std::min(std::max<size_t>(threads, 1), std::min(units, static_cast<size_t>(kMaxThreads)));
  const auto vectors = [&](size_t p) { return (std::min(NR, nc - p * NR) + lanes - 1) / lanes; };
  // bounds[i]: the first unit of task i, where the cost before it reaches i/tasks
  // of the total (cost of all units = M rows × the vectors of every panel).
  size_t bounds[kMaxThreads + 1];
  size_t total = 0;
  for (size_t p = 0; p < n_panels; ++p) total += M * vectors(p);
  bounds[0] = 0;
  size_t task = 1, cost = 0;
  for (size_t u = 0; u < units && task < tasks; ++u) {
    while (task < tasks && cost * tasks >= task * total) bounds[task++] = u;
    cost += std::min(MR, M - (u % m_tiles) * MR) * vectors(u / m_tiles);
  }
  while (task <= tasks) bounds[task++] = units;

  // Full panels of an untransposed B are read in place when their rows spread
  // over the L1 (b_rows_spread_in_l1); k blocks are all KC deep but the last.
  const size_t k_last = K - (K - 1) / KC * KC;
  const bool b_spread = !B.trans && b_rows_spread_in_l1(B.ld, std::min(K, KC), NR * sizeof(float));
  const bool b_spread_last =
      k_last == std::min(K, KC) ? b_spread : !B.trans && b_rows_spread_in_l1(B.ld, k_last, NR * sizeof(float));
  const bool a_in_place = n_panels <= kAInPlaceMaxPanels;
  const size_t rs_a = A.trans ? 1 : A.ld, cs_a = A.trans ? A.ld : 1;
  ThreadPool::global().parallel_for(tasks, [&](size_t t) {
    const size_t u0 = bounds[t], u1 = bounds[t + 1];
    if (u0 >= u1) return;
    const size_t p_first = u0 / m_tiles, p_last = (u1 - 1) / m_tiles;
    // The row tiles this task touches: a part of one panel, or (spanning panels) all.
    const size_t t_lo = p_first == p_last ? u0 % m_tiles : 0;
    const size_t t_hi = p_first == p_last ? (u1 - 1) % m_tiles + 1 : m_tiles;
    const size_t r_lo = t_lo * MR;
    float* apack = a_in_place ? nullptr : a_buffer(round_up(M, MR) * std::min(K, KC));
    float* chunk = panel_buffer(std::min(K, KC) * NR * kChunkPanels);
    for (size_t pc = 0; pc < K; pc += KC) {
      const size_t kc = std::min(KC, K - pc);
      const bool first = pc == 0, last = pc + kc == K;
      const bool b_in_place = last ? b_spread_last : b_spread;
      const float* a_src = A.trans ? A.data + pc * A.ld : A.data + pc;
      if (!a_in_place) pack_a(A, r_lo, std::min(M, t_hi * MR) - r_lo, pc, kc, MR, apack);
      for (size_t p = p_first; p <= p_last; ++p) {
        const size_t j = jc + p * NR, nr = std::min(NR, nc - p * NR);
        const size_t in_chunk = (p - p_first) % kChunkPanels;
        const float* bp;
        size_t ldb = NR;
        if (B.trans) {
          pack_bt_panel(B, pc, kc, j, nr, NR, lanes, chunk);
          bp = chunk;
        } else if (b_in_place && nr == NR) {
          bp = B.data + pc * B.ld + j;
          ldb = B.ld;
        } else if (b_in_place) {  // the last, partial panel: zero-padded copy
          pack_b_rows(B, pc, kc, j, nr, NR, lanes, chunk);
          bp = chunk;
        } else {
          if (in_chunk == 0)
            pack_b_rows(B, pc, kc, j, std::min({kChunkPanels * NR, nc - p * NR, (p_last + 1 - p) * NR}), NR,
                        lanes, chunk);
          bp = chunk + in_chunk * kc * NR;
        }
        const float* bb = (last && bias_padded != nullptr) ? bias_padded + j : nullptr;
        const size_t ta = p == p_first ? u0 % m_tiles : 0, tb = p == p_last ? (u1 - 1) % m_tiles + 1 : m_tiles;
        const size_t r0 = ta * MR, r1 = std::min(M, tb * MR);
        for (size_t ir = r0; ir < r1; ir += MR) {
          if (ir + MR < r1) prefetch_tile(C + (ir + MR) * ldc + j, ldc, std::min(MR, r1 - ir - MR), nr);
          if (a_in_place) {
            g.micro_strided(kc, a_src + ir * rs_a, rs_a, cs_a, bp, ldb, C + ir * ldc + j, ldc,
                            std::min(MR, r1 - ir), nr, !first, bb);
          } else {
            g.micro(kc, apack + (ir - r_lo) * kc, bp, ldb, C + ir * ldc + j, ldc, std::min(MR, r1 - ir), nr,
                    !first, bb);
          }
        }
        if (last && epilogue != nullptr) epilogue->fn(epilogue->ctx, r0, j, r1 - r0, nr);
      }
    }
  });
}

}  // namespace

double fma_peak_gflops(double seconds) {
  const GemmKernels& g = kernels();
  using Clock = std::chrono::steady_clock;
  float sink = 0.0f;  // fma_loop stores its result here, so its chains are never dead code
  // Grow one run until it takes over 2 ms (timer resolution is then noise), then
  // keep the best rate of the runs that fit in `seconds`.
  size_t iters = 1 << 12;
  for (;;) {
    const auto t0 = Clock::now();
    g.fma_loop(iters, &sink);
    const double dt = std::chrono::duration<double>(Clock::now() - t0).count();
    if (dt > 2e-3 || iters > (size_t{1} << 40)) break;
    iters *= 4;
  }
  double best = 0.0;
  const auto start = Clock::now();
  do {
    const auto t0 = Clock::now();
    const double flops = g.fma_loop(iters, &sink);
    const double dt = std::chrono::duration<double>(Clock::now() - t0).count();
    if (dt > 0.0) best = std::max(best, flops / dt / 1e9);
  } while (std::chrono::duration<double>(Clock::now() - start).count() < seconds);
  return best;
}

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
  const size_t MR = g.mr, NR = g.nr, lanes = g.nr / g.nv;
  const size_t MC = round_up(std::min(g.mc, round_up(M, MR)), MR);
  const size_t KC = g.kc, NC = g.nc;
  ThreadPool& pool = ThreadPool::global();
  // Inside another region (the model's row-parallel passes) this product runs on
  // the calling thread alone: split it for one.
  const size_t threads = static_cast<size_t>(pool.usable_threads());

  std::vector<float> bias_padded;
  if (bias != nullptr) {
    bias_padded.assign(round_up(N, NR), 0.0f);
    std::copy(bias, bias + N, bias_padded.begin());
  }
  // B is packed unless a single A block sweeps it and its rows spread over the
  // L1 (b_rows_spread_in_l1); then full panels are read in place.
  const size_t m_blocks = (M + MC - 1) / MC;
  float* const bpack = M <= MC ? nullptr : b_buffer(round_up(std::min(NC, N), NR) * std::min(KC, K));

  for (size_t jc = 0; jc < N; jc += NC) {
    const size_t nc = std::min(NC, N - jc);
    const size_t n_panels = (nc + NR - 1) / NR;
    if (M <= MC) {
      single_block_region(g, M, nc, jc, K, A, B, C, ldc, bias != nullptr ? bias_padded.data() : nullptr, epilogue,
                          threads);
      continue;
    }
    for (size_t pc = 0; pc < K; pc += KC) {
      const size_t kc = std::min(KC, K - pc);
      const bool first = pc == 0, last = pc + kc == K;
      // Several A blocks: one parallel region per (jc, pc); each task owns a group of
      // B panels, packs them, then sweeps every row block of A over them (packing A
      // into its own buffer). Fewer regions than packing B in a region of its own;
      // A is packed once per group, which costs little next to the products. One
      // group per thread when many row blocks keep the threads busy, else two, to
      // balance uneven groups.
      const size_t groups = std::min(n_panels, threads <= 1 ? 1 : (m_blocks >= 4 ? threads : 2 * threads));
      const size_t per_group = (n_panels + groups - 1) / groups;
      pool.parallel_for(groups, [&](size_t grp) {
        const size_t p0 = grp * per_group, p1 = std::min(n_panels, p0 + per_group);
        if (p0 >= p1) return;  // ceil-sized groups can leave the last ones empty
        if (B.trans) {
          for (size_t p = p0; p < p1; ++p) {
            pack_bt_panel(B, pc, kc, jc + p * NR, std::min(NR, nc - p * NR), NR, lanes, bpack + p * kc * NR);
          }
        } else {
          pack_b_rows(B, pc, kc, jc + p0 * NR, std::min(nc - p0 * NR, (p1 - p0) * NR), NR, lanes,
                      bpack + p0 * kc * NR);
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

// Standalone check of every kernel family's SIMD implementations against the
// scalar oracle, without Node: used to test ISAs this machine cannot run
// through the addon, e.g. NEON under qemu-aarch64 (see test/native/run.sh).
// Exit code 0 when every implementation matches the scalar one bit for bit.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include <sys/mman.h>
#include <unistd.h>

#include "core/gemm/kernels.h"
#include "core/nn/activations.h"
#include "core/random/kernels.h"

using namespace gs;

static int failures = 0;

static void expect_same(const char* what, const char* isa, const void* a, const void* b, size_t bytes) {
  if (std::memcmp(a, b, bytes) != 0) {
    std::printf("MISMATCH %s on %s\n", what, isa);
    ++failures;
  }
}

struct Family {
  const char* isa;
  const random::RandomKernels* rnd;
  const gemm::GemmKernels* gemm;
  const nn::ActKernels* act;
};

static void check_random(const Family& ref, const Family& f) {
  const size_t n = 100003;
  std::vector<uint32_t> u0(n), u1(n);
  std::vector<float> a(n), b(n);
  for (uint64_t pos : {0ull, 3ull, 4ull * 0xFFFFFFFFull - 5, (1ull << 62) * 4 - 9}) {
    ref.rnd->fill_u32(7, 9, pos, u0.data(), n);
    f.rnd->fill_u32(7, 9, pos, u1.data(), n);
    expect_same("philox words", f.isa, u0.data(), u1.data(), n * 4);
    for (int d = 0; d < 3; ++d) {
      random::DistParams p = d == 0 ? random::DistParams{-2.0f, 5.0f, std::nextafter(3.0f, 0.0f)}
                                    : random::DistParams{0.5f, 2.0f, 0.0f};
      ref.rnd->fill_f32(static_cast<random::Dist>(d), p, 7, 9, pos, a.data(), n);
      f.rnd->fill_f32(static_cast<random::Dist>(d), p, 7, 9, pos, b.data(), n);
      expect_same("distribution fill", f.isa, a.data(), b.data(), n * 4);
    }
  }
  // every 64th of the 2^24 transform inputs
  const size_t m = 1 << 18;
  std::vector<uint32_t> w(m);
  for (size_t k = 0; k < m; ++k) w[k] = static_cast<uint32_t>(k * 64) << 8;
  a.resize(m);
  b.resize(m);
  for (int d = 0; d < 3; ++d) {
    random::DistParams p{0.0f, 1.0f, std::nextafter(1.0f, 0.0f)};
    ref.rnd->transform(static_cast<random::Dist>(d), p, w.data(), a.data(), m);
    f.rnd->transform(static_cast<random::Dist>(d), p, w.data(), b.data(), m);
    expect_same("transform", f.isa, a.data(), b.data(), m * 4);
  }
}

// n floats ending right where an inaccessible page begins, so that reading one
// float past the end faults (the process dies and the check fails). Never freed:
// a few pages per call of a short-lived check.
static float* ends_at_guard_page(size_t n) {
  const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  const size_t bytes = n * sizeof(float), pages = (bytes + page - 1) / page + 1;
  void* m = mmap(nullptr, pages * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (m == MAP_FAILED) {
    std::perror("mmap");
    std::exit(2);
  }
  char* guard = static_cast<char*>(m) + (pages - 1) * page;
  if (mprotect(guard, page, PROT_NONE) != 0) {
    std::perror("mprotect");
    std::exit(2);
  }
  return reinterpret_cast<float*>(guard - bytes);
}

// The micro-kernel contract: C tile = fma chain over k (resumed from C when
// accumulating) + bias, for every valid corner; checked against the chain itself.
static void check_gemm(const Family& f) {
  const size_t MR = f.gemm->mr, NR = f.gemm->nr, kc = 67;
  std::vector<float> a(kc * MR), b(kc * NR), bias(NR), c(MR * (NR + 3)), want(MR * (NR + 3));
  for (size_t i = 0; i < a.size(); ++i) a[i] = std::sin(0.37f * i);
  for (size_t i = 0; i < b.size(); ++i) b[i] = std::cos(0.11f * i);
  for (size_t j = 0; j < NR; ++j) bias[j] = 0.25f * j;
  const size_t ldc = NR + 3;
  // Every corner: each (rows, vectors) edge kernel of the table is reached.
  for (size_t mv = 1; mv <= MR; ++mv) {
    for (size_t nv = 1; nv <= NR; ++nv) {
      for (int accumulate = 0; accumulate < 2; ++accumulate) {
        for (size_t i = 0; i < c.size(); ++i) c[i] = want[i] = 0.5f + 0.001f * i;
        f.gemm->micro(kc, a.data(), b.data(), NR, c.data(), ldc, mv, nv, accumulate != 0, bias.data());
        for (size_t r = 0; r < mv; ++r)
          for (size_t j = 0; j < nv; ++j) {
            float z = accumulate ? want[r * ldc + j] : 0.0f;
            for (size_t k = 0; k < kc; ++k) z = std::fma(a[k * MR + r], b[k * NR + j], z);
            want[r * ldc + j] = z + bias[j];
          }
        expect_same("gemm micro-kernel", f.isa, c.data(), want.data(), c.size() * 4);
        // A tile reads only the vectors that cover its valid columns (kernels.h),
        // which is how far gemm packs a partial B panel: B rows of exactly that
        // width and a bias of that length, both ending at a guard page.
        const size_t lanes = NR / f.gemm->nv;
        const size_t width = nv == NR ? NR : (nv + lanes - 1) / lanes * lanes;
        float* b_tight = ends_at_guard_page(kc * width);
        float* bias_tight = ends_at_guard_page(width);
        for (size_t k = 0; k < kc; ++k)
          for (size_t j = 0; j < width; ++j) b_tight[k * width + j] = b[k * NR + j];
        for (size_t j = 0; j < width; ++j) bias_tight[j] = bias[j];
        for (size_t i = 0; i < c.size(); ++i) c[i] = 0.5f + 0.001f * i;
        f.gemm->micro(kc, a.data(), b_tight, width, c.data(), ldc, mv, nv, accumulate != 0, bias_tight);
        expect_same("gemm micro-kernel on a panel of its read width", f.isa, c.data(), want.data(), c.size() * 4);
        // The in-place variant on the same A laid out row-major (rs = kc, cs = 1)
        // and k-major (rs = 1, cs = MR, i.e. the packed layout) gives the same bits;
        // only the first mv rows exist, as in a real matrix.
        std::vector<float> a_rows(mv * kc);
        for (size_t r = 0; r < mv; ++r)
          for (size_t k = 0; k < kc; ++k) a_rows[r * kc + k] = a[k * MR + r];
        for (int layout = 0; layout < 2; ++layout) {
          for (size_t i = 0; i < c.size(); ++i) c[i] = 0.5f + 0.001f * i;
          if (layout == 0) {
            f.gemm->micro_strided(kc, a_rows.data(), kc, 1, b.data(), NR, c.data(), ldc, mv, nv, accumulate != 0,
                                  bias.data());
          } else {
            f.gemm->micro_strided(kc, a.data(), 1, MR, b.data(), NR, c.data(), ldc, mv, nv, accumulate != 0,
                                  bias.data());
          }
          expect_same("gemm strided micro-kernel", f.isa, c.data(), want.data(), c.size() * 4);
        }
      }
    }
  }
}

static void check_act(const Family& ref, const Family& f) {
  std::vector<float> z;
  for (int i = -4000; i <= 4000; ++i) z.push_back(i * 0.00731f);
  for (float v : {0.0f, -0.0f, 1e-30f, -1e-30f, 1e-45f, 88.0f, -88.0f, 100.0f, -110.0f, 3.4e38f, -3.4e38f,
                  INFINITY, -INFINITY, NAN})
    z.push_back(v);
  const size_t n = z.size();
  std::vector<float> a0(n), a1(n), d0(n), d1(n), dy(n);
  for (size_t i = 0; i < n; ++i) dy[i] = std::cos(0.3f * i);
  for (int act = 0; act < nn::kActCount - 1; ++act) {
    nn::ActParams p{0.15f, 1.5f};
    ref.act->forward(static_cast<nn::Act>(act), p, z.data(), a0.data(), n);
    f.act->forward(static_cast<nn::Act>(act), p, z.data(), a1.data(), n);
    expect_same("activation forward", f.isa, a0.data(), a1.data(), n * 4);
    ref.act->backward(static_cast<nn::Act>(act), p, z.data(), a0.data(), dy.data(), d0.data(), n);
    f.act->backward(static_cast<nn::Act>(act), p, z.data(), a0.data(), dy.data(), d1.data(), n);
    expect_same("activation backward", f.isa, d0.data(), d1.data(), n * 4);
  }
  const size_t rows = 7, cols = 1000;
  ref.act->softmax_rows(z.data(), a0.data(), rows, cols);
  f.act->softmax_rows(z.data(), a1.data(), rows, cols);
  expect_same("softmax", f.isa, a0.data(), a1.data(), rows * cols * 4);
  ref.act->softmax_backward_rows(a0.data(), dy.data(), d0.data(), rows, cols);
  f.act->softmax_backward_rows(a0.data(), dy.data(), d1.data(), rows, cols);
  expect_same("softmax backward", f.isa, d0.data(), d1.data(), rows * cols * 4);
}

int main() {
  const Family scalar{"scalar", random::random_kernels_scalar(), gemm::gemm_kernels_scalar(),
                      nn::act_kernels_scalar()};
  std::vector<Family> families{scalar};
#if defined(__aarch64__)
  families.push_back({"neon", random::random_kernels_neon(), gemm::gemm_kernels_neon(), nn::act_kernels_neon()});
#elif defined(__x86_64__)
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
    families.push_back({"avx2", random::random_kernels_avx2(), gemm::gemm_kernels_avx2(), nn::act_kernels_avx2()});
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
      __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl"))
    families.push_back(
        {"avx512", random::random_kernels_avx512(), gemm::gemm_kernels_avx512(), nn::act_kernels_avx512()});
#endif
  for (const Family& f : families) {
    check_gemm(f);
    if (&f == &families[0]) continue;
    check_random(scalar, f);
    check_act(scalar, f);
  }
  for (const Family& f : families) std::printf("checked %s\n", f.isa);
  std::printf("%s\n", failures == 0 ? "kernel check: all implementations match the scalar oracle" : "kernel check: FAILED");
  return failures == 0 ? 0 : 1;
}

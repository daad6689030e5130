#include "core/cpu.h"

#include <atomic>
#include <cstdlib>
#include <mutex>

#if defined(__x86_64__) || defined(_M_X64)
#define GS_X86 1
#if defined(_MSC_VER)
#include <intrin.h>
#else
#include <cpuid.h>
#endif
#endif

#if defined(__aarch64__) || defined(_M_ARM64)
#define GS_ARM64 1
#endif

namespace gs {

const char* isa_name(Isa isa) {
  switch (isa) {
    case Isa::kScalar: return "scalar";
    case Isa::kAvx2: return "avx2";
    case Isa::kAvx512: return "avx512";
    case Isa::kNeon: return "neon";
  }
  return "scalar";
}

bool parse_isa(const std::string& name, Isa* out) {
  for (Isa isa : {Isa::kScalar, Isa::kAvx2, Isa::kAvx512, Isa::kNeon}) {
    if (name == isa_name(isa)) {
      *out = isa;
      return true;
    }
  }
  return false;
}

namespace {

#if defined(GS_X86)
void cpuid(unsigned leaf, unsigned sub, unsigned r[4]) {
#if defined(_MSC_VER)
  int regs[4];
  __cpuidex(regs, static_cast<int>(leaf), static_cast<int>(sub));
  for (int i = 0; i < 4; ++i) r[i] = static_cast<unsigned>(regs[i]);
#else
  __cpuid_count(leaf, sub, r[0], r[1], r[2], r[3]);
#endif
}

unsigned long long xgetbv0() {
#if defined(_MSC_VER)
  return _xgetbv(0);
#else
  unsigned lo, hi;
  __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
  return (static_cast<unsigned long long>(hi) << 32) | lo;
#endif
}
#endif

CpuFeatures detect() {
  CpuFeatures f;
#if defined(GS_X86)
  f.x86 = true;
  unsigned r[4];
  cpuid(0, 0, r);
  const unsigned max_leaf = r[0];
  cpuid(1, 0, r);
  const bool osxsave = (r[2] >> 27) & 1;
  f.avx = (r[2] >> 28) & 1;
  f.fma = (r[2] >> 12) & 1;
  if (osxsave) {
    const unsigned long long xcr0 = xgetbv0();
    f.os_ymm = (xcr0 & 0x6) == 0x6;           // SSE + AVX state
    f.os_zmm = f.os_ymm && (xcr0 & 0xE0) == 0xE0;  // opmask + ZMM_Hi256 + Hi16_ZMM
  }
  if (max_leaf >= 7) {
    cpuid(7, 0, r);
    f.avx2 = (r[1] >> 5) & 1;
    f.avx512f = (r[1] >> 16) & 1;
    f.avx512dq = (r[1] >> 17) & 1;
    f.avx512bw = (r[1] >> 30) & 1;
    f.avx512vl = (r[1] >> 31) & 1;
  }
#endif
#if defined(GS_ARM64)
  f.arm64 = true;
  f.neon = true;  // Advanced SIMD is mandatory on AArch64
#endif
  return f;
}

bool compiled(Isa isa) {
  switch (isa) {
    case Isa::kScalar: return true;
#if defined(GS_HAVE_AVX2)
    case Isa::kAvx2: return true;
#endif
#if defined(GS_HAVE_AVX512)
    case Isa::kAvx512: return true;
#endif
#if defined(GS_HAVE_NEON)
    case Isa::kNeon: return true;
#endif
    default: return false;
  }
}

std::atomic<int> g_active{-1};

}  // namespace

const CpuFeatures& cpu_features() {
  static const CpuFeatures f = detect();
  return f;
}

bool isa_supported(Isa isa) {
  if (!compiled(isa)) return false;
  const CpuFeatures& f = cpu_features();
  switch (isa) {
    case Isa::kScalar: return true;
    case Isa::kAvx2: return f.avx && f.avx2 && f.fma && f.os_ymm;
    case Isa::kAvx512:
      return f.avx2 && f.fma && f.avx512f && f.avx512bw && f.avx512dq && f.avx512vl && f.os_zmm;
    case Isa::kNeon: return f.neon;
  }
  return false;
}

std::vector<Isa> available_isas() {
  std::vector<Isa> out;
  for (Isa isa : {Isa::kScalar, Isa::kNeon, Isa::kAvx2, Isa::kAvx512}) {
    if (isa_supported(isa)) out.push_back(isa);
  }
  return out;
}

Isa best_isa() { return available_isas().back(); }

Isa active_isa() {
  int v = g_active.load(std::memory_order_acquire);
  if (v < 0) {
    select_isa_from_env();
    v = g_active.load(std::memory_order_acquire);
  }
  return static_cast<Isa>(v);
}

bool set_active_isa(Isa isa) {
  if (!isa_supported(isa)) return false;
  g_active.store(static_cast<int>(isa), std::memory_order_release);
  return true;
}

std::string select_isa_from_env() {
  static std::mutex mu;
  std::lock_guard<std::mutex> lock(mu);
  std::string warning;
  Isa choice = best_isa();
  const char* env = std::getenv("GRADSCOPE_ISA");
  if (env != nullptr && *env != '\0') {
    Isa requested;
    if (!parse_isa(env, &requested)) {
      warning = std::string("GRADSCOPE_ISA=") + env +
                " is not one of scalar|avx2|avx512|neon; using " + isa_name(choice);
    } else if (!isa_supported(requested)) {
      warning = std::string("GRADSCOPE_ISA=") + env +
                " is not supported by this CPU or build; using " + isa_name(choice);
    } else {
      choice = requested;
    }
  }
  g_active.store(static_cast<int>(choice), std::memory_order_release);
  return warning;
}

}  // namespace gs

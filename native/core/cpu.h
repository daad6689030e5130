// CPU feature detection and the choice of kernel implementation (ISA).
//
// Every kernel family has one implementation per ISA, compiled in its own
// translation unit with that ISA's flags (native/kernels/<family>-<isa>.cc).
// At load the best ISA the CPU *and the OS* support is chosen, unless
// GRADSCOPE_ISA names another; an unsupported request falls back to the best
// available one with a warning. All implementations give bit-identical results,
// so the choice changes speed only.
#pragma once
#include <string>
#include <vector>

namespace gs {

enum class Isa { kScalar = 0, kAvx2 = 1, kAvx512 = 2, kNeon = 3 };

const char* isa_name(Isa isa);
// Parses "scalar" | "avx2" | "avx512" | "neon"; false if unknown.
bool parse_isa(const std::string& name, Isa* out);

struct CpuFeatures {
  bool x86 = false, arm64 = false;
  bool avx = false, avx2 = false, fma = false;
  bool avx512f = false, avx512bw = false, avx512dq = false, avx512vl = false;
  bool os_ymm = false;  // XGETBV: the OS saves YMM state
  bool os_zmm = false;  // XGETBV: the OS saves ZMM + opmask state
  bool neon = false;
};

const CpuFeatures& cpu_features();

// True when the ISA's kernels were compiled into this binary and the CPU+OS can run them.
bool isa_supported(Isa isa);
// Supported ISAs, worst first (scalar is always present).
std::vector<Isa> available_isas();
Isa best_isa();

// The ISA whose kernels run now. Chosen once at load by select_isa_from_env();
// set_active_isa() exists for tests that compare implementations in one process.
Isa active_isa();
// Returns false (and changes nothing) when the ISA is not supported here.
bool set_active_isa(Isa isa);
// Reads GRADSCOPE_ISA. Returns a warning message when the request was not honoured.
std::string select_isa_from_env();

}  // namespace gs

// The kernel table of the active ISA for one family: `family` names the getters
// family_kernels_<isa>() declared by the family's kernels.h. Only ISAs compiled
// into this binary (GS_HAVE_*) are referenced, so arm64 builds never name x86 ones.
#if defined(GS_HAVE_AVX2)
#define GS_CASE_AVX2(family) \
  case ::gs::Isa::kAvx2:     \
    return *family##_kernels_avx2();
#else
#define GS_CASE_AVX2(family)
#endif
#if defined(GS_HAVE_AVX512)
#define GS_CASE_AVX512(family) \
  case ::gs::Isa::kAvx512:     \
    return *family##_kernels_avx512();
#else
#define GS_CASE_AVX512(family)
#endif
#if defined(GS_HAVE_NEON)
#define GS_CASE_NEON(family) \
  case ::gs::Isa::kNeon:     \
    return *family##_kernels_neon();
#else
#define GS_CASE_NEON(family)
#endif
#define GS_ACTIVE_KERNELS(family)          \
  switch (::gs::active_isa()) {            \
    GS_CASE_AVX2(family)                   \
    GS_CASE_AVX512(family)                 \
    GS_CASE_NEON(family)                   \
    default:                               \
      return *family##_kernels_scalar();   \
  }

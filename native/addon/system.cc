// cpuInfo / threads / ISA selection bindings.
#include <mutex>
#include <string>

#include "addon/args.h"
#include "addon/errors.h"
#include "addon/register.h"
#include "core/cpu.h"
#include "core/gemm/gemm.h"
#include "core/threadpool.h"

namespace gsaddon {
namespace {

// Warnings from reading GRADSCOPE_ISA / GRADSCOPE_THREADS at load; lib/ prints them once.
std::string g_load_warnings;

Napi::Value CpuInfo(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object o = Napi::Object::New(env);
  o.Set("isa", gs::isa_name(gs::active_isa()));
  o.Set("best", gs::isa_name(gs::best_isa()));
  const auto isas = gs::available_isas();
  Napi::Array avail = Napi::Array::New(env, isas.size());
  for (size_t i = 0; i < isas.size(); ++i) avail.Set(static_cast<uint32_t>(i), gs::isa_name(isas[i]));
  o.Set("available", avail);
  o.Set("threads", gs::ThreadPool::global().threads());
  const gs::CpuFeatures& f = gs::cpu_features();
  Napi::Object feat = Napi::Object::New(env);
  feat.Set("avx2", f.avx2);
  feat.Set("fma", f.fma);
  feat.Set("avx512f", f.avx512f);
  feat.Set("avx512bw", f.avx512bw);
  feat.Set("avx512dq", f.avx512dq);
  feat.Set("avx512vl", f.avx512vl);
  feat.Set("osYmm", f.os_ymm);
  feat.Set("osZmm", f.os_zmm);
  feat.Set("neon", f.neon);
  o.Set("features", feat);
  o.Set("warnings", g_load_warnings);
  return o;
}

Napi::Value SetThreads(const Napi::CallbackInfo& info) {
  const int64_t n = arg_int(info, 0, "threads", 1, gs::kMaxThreads);
  gs::ThreadPool::global().set_threads(static_cast<int>(n));
  return info.Env().Undefined();
}

Napi::Value GetThreads(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), gs::ThreadPool::global().threads());
}

// For tests that compare ISAs in one process. Returns false when unsupported.
Napi::Value SetIsa(const Napi::CallbackInfo& info) {
  gs::Isa isa;
  if (!gs::parse_isa(arg_string(info, 0, "isa"), &isa)) {
    throw_invalid(info.Env(), "isa must be one of scalar|avx2|avx512|neon");
  }
  return Napi::Boolean::New(info.Env(), gs::set_active_isa(isa));
}

// fmaPeak(seconds): GFLOP/s of this thread's core on the active ISA's FMA
// probe. Blocks the calling thread for about `seconds` (a benchmark tool).
Napi::Value FmaPeak(const Napi::CallbackInfo& info) {
  const double seconds = arg_finite(info, 0, "seconds");
  if (!(seconds >= 1e-3 && seconds <= 2.0)) throw_invalid(info.Env(), "seconds must be in [0.001, 2]");
  return Napi::Number::New(info.Env(), gs::gemm::fma_peak_gflops(seconds));
}

}  // namespace

void register_system(Napi::Env env, Napi::Object exports) {
  static std::once_flag once;  // env-var choices are process-wide; read them once
  std::call_once(once, [] {
    std::string w1 = gs::select_isa_from_env();
    std::string w2;
    gs::ThreadPool::global().set_threads(gs::default_thread_count(&w2));
    g_load_warnings = w1 + (w1.empty() || w2.empty() ? "" : "\n") + w2;
  });
  exports.Set("cpuInfo", Napi::Function::New(env, guarded<CpuInfo>, "cpuInfo"));
  exports.Set("setThreads", Napi::Function::New(env, guarded<SetThreads>, "setThreads"));
  exports.Set("getThreads", Napi::Function::New(env, guarded<GetThreads>, "getThreads"));
  exports.Set("setIsa", Napi::Function::New(env, guarded<SetIsa>, "setIsa"));
  exports.Set("fmaPeak", Napi::Function::New(env, guarded<FmaPeak>, "fmaPeak"));
}

}  // namespace gsaddon

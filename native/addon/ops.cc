// Bindings of the tensor ops: matmul (GEMM) and its reference oracle.
#include <cstdint>

#include "addon/args.h"
#include "addon/register.h"
#include "core/gemm/gemm.h"

namespace gsaddon {
namespace {

constexpr int64_t kMaxDim = (int64_t{1} << 31) - 1;

struct GemmArgs {
  size_t M, N, K;
  gs::gemm::Matrix A, B;
  float* C;
  const float* bias;
};

// matmul(a, aRows, aCols, transA, b, bRows, bCols, transB, out, bias | null)
GemmArgs gemm_args(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto a = arg_typed<float>(info, 0, "a");
  const int64_t ar = arg_int(info, 1, "aRows", 0, kMaxDim), ac = arg_int(info, 2, "aCols", 0, kMaxDim);
  const bool ta = info[3].ToBoolean();
  auto b = arg_typed<float>(info, 4, "b");
  const int64_t br = arg_int(info, 5, "bRows", 0, kMaxDim), bc = arg_int(info, 6, "bCols", 0, kMaxDim);
  const bool tb = info[7].ToBoolean();
  auto out = arg_typed<float>(info, 8, "out");
  // Sizes are checked in 64 bits: each product of two 31-bit values fits.
  if (static_cast<uint64_t>(ar) * static_cast<uint64_t>(ac) != a.ElementLength()) {
    throw_invalid(env, "a has the wrong length for its shape");
  }
  if (static_cast<uint64_t>(br) * static_cast<uint64_t>(bc) != b.ElementLength()) {
    throw_invalid(env, "b has the wrong length for its shape");
  }
  const uint64_t M = ta ? ac : ar, K = ta ? ar : ac;
  const uint64_t Kb = tb ? bc : br, N = tb ? br : bc;
  if (K != Kb) throw_invalid(env, "inner dimensions of a and b differ");
  if (M * N != out.ElementLength()) throw_invalid(env, "out has the wrong length");
  const float* bias = nullptr;
  if (info.Length() > 9 && !info[9].IsNull() && !info[9].IsUndefined()) {
    auto bi = arg_typed<float>(info, 9, "bias", static_cast<int64_t>(N));
    bias = bi.Data();
  }
  const float* a_data = a.Data();
  const float* b_data = b.Data();
  float* c = out.Data();
  // out must not alias the inputs: the kernels read A and B while writing C.
  auto overlaps = [](const float* p, size_t n, const float* q, size_t m) { return p < q + m && q < p + n; };
  if (overlaps(c, out.ElementLength(), a_data, a.ElementLength()) ||
      overlaps(c, out.ElementLength(), b_data, b.ElementLength())) {
    throw_invalid(env, "out must not overlap a or b");
  }
  return GemmArgs{M, N, K, {a_data, static_cast<size_t>(ac), ta}, {b_data, static_cast<size_t>(bc), tb}, c, bias};
}

Napi::Value Matmul(const Napi::CallbackInfo& info) {
  const GemmArgs g = gemm_args(info);
  gs::gemm::gemm(g.M, g.N, g.K, g.A, g.B, g.C, g.N, g.bias);
  return info.Env().Undefined();
}

Napi::Value MatmulReference(const Napi::CallbackInfo& info) {
  const GemmArgs g = gemm_args(info);
  gs::gemm::gemm_reference(g.M, g.N, g.K, g.A, g.B, g.C, g.N, g.bias);
  return info.Env().Undefined();
}

}  // namespace

void register_ops(Napi::Env env, Napi::Object exports) {
  exports.Set("matmul", Napi::Function::New(env, guarded<Matmul>, "matmul"));
  exports.Set("matmulReference", Napi::Function::New(env, guarded<MatmulReference>, "matmulReference"));
}

}  // namespace gsaddon

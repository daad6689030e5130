// Bindings of the tensor ops: matmul (GEMM) and its reference oracle.
#include <cstdint>
#include <string>

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
  size_t ldc;
  const float* bias;
};

// Row stride of a stored rows × cols matrix: argument i when given (a view:
// the array must hold at least the span (rows − 1)·ld + cols), else cols (a
// contiguous matrix: the array must hold exactly rows·cols). Sizes are checked
// in 64 bits: each product of two 31-bit values fits.
uint64_t row_stride(const Napi::CallbackInfo& info, size_t i, const char* name, const char* what, uint64_t rows,
                    uint64_t cols, size_t length) {
  Napi::Env env = info.Env();
  if (i >= info.Length() || info[i].IsUndefined()) {
    if (rows * cols != length) throw_invalid(env, std::string(what) + " has the wrong length for its shape");
    return cols;
  }
  const uint64_t ld = static_cast<uint64_t>(arg_int(info, i, name, 1, kMaxDim));
  if (ld < cols) throw_invalid(env, std::string(name) + " must be >= the columns of " + what);
  const uint64_t span = rows == 0 || cols == 0 ? 0 : (rows - 1) * ld + cols;
  if (length < span) throw_invalid(env, std::string(what) + " is shorter than its strided span");
  return ld;
}

// matmul(a, aRows, aCols, transA, b, bRows, bCols, transB, out, bias | null[, lda, ldb, ldc])
// The strides are of the stored matrices (a: aRows × aCols; out: M × N).
GemmArgs gemm_args(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto a = arg_typed<float>(info, 0, "a");
  const int64_t ar = arg_int(info, 1, "aRows", 0, kMaxDim), ac = arg_int(info, 2, "aCols", 0, kMaxDim);
  const bool ta = info[3].ToBoolean();
  auto b = arg_typed<float>(info, 4, "b");
  const int64_t br = arg_int(info, 5, "bRows", 0, kMaxDim), bc = arg_int(info, 6, "bCols", 0, kMaxDim);
  const bool tb = info[7].ToBoolean();
  auto out = arg_typed<float>(info, 8, "out");
  const uint64_t lda = row_stride(info, 10, "lda", "a", ar, ac, a.ElementLength());
  const uint64_t ldb = row_stride(info, 11, "ldb", "b", br, bc, b.ElementLength());
  const uint64_t M = ta ? ac : ar, K = ta ? ar : ac;
  const uint64_t Kb = tb ? bc : br, N = tb ? br : bc;
  if (K != Kb) throw_invalid(env, "inner dimensions of a and b differ");
  const uint64_t ldc = row_stride(info, 12, "ldc", "out", M, N, out.ElementLength());
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
  return GemmArgs{M, N, K, {a_data, lda, ta}, {b_data, ldb, tb}, c, ldc, bias};
}

Napi::Value Matmul(const Napi::CallbackInfo& info) {
  const GemmArgs g = gemm_args(info);
  gs::gemm::gemm(g.M, g.N, g.K, g.A, g.B, g.C, g.ldc, g.bias);
  return info.Env().Undefined();
}

Napi::Value MatmulReference(const Napi::CallbackInfo& info) {
  const GemmArgs g = gemm_args(info);
  gs::gemm::gemm_reference(g.M, g.N, g.K, g.A, g.B, g.C, g.ldc, g.bias);
  return info.Env().Undefined();
}

}  // namespace

void register_ops(Napi::Env env, Napi::Object exports) {
  exports.Set("matmul", Napi::Function::New(env, guarded<Matmul>, "matmul"));
  exports.Set("matmulReference", Napi::Function::New(env, guarded<MatmulReference>, "matmulReference"));
}

}  // namespace gsaddon

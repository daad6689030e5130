// Bindings of the nn core: activations and the dense layer (functional form).
#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <string>

#include "addon/args.h"
#include "addon/register.h"
#include "core/nn/activations.h"
#include "core/nn/dense.h"
#include "core/nn/optim.h"

namespace gsaddon {
namespace {

using gs::nn::Act;
using gs::nn::ActParams;

constexpr int64_t kMaxDim = (int64_t{1} << 31) - 1;

struct Span {
  const float* p;
  size_t n;
};

// Outputs must not overlap inputs (or each other): kernels read while writing.
void check_disjoint(Napi::Env env, std::initializer_list<Span> outs, std::initializer_list<Span> all) {
  for (const Span& o : outs) {
    for (const Span& x : all) {
      if (o.p == x.p && o.n == x.n) continue;  // the same buffer listed twice (itself)
      if (o.n != 0 && x.n != 0 && o.p < x.p + x.n && x.p < o.p + o.n) {
        throw_invalid(env, "output buffers must not overlap other arguments");
      }
    }
  }
}

Act arg_act(const Napi::CallbackInfo& info, size_t i) {
  return static_cast<Act>(arg_int(info, i, "activation", 0, gs::nn::kActCount - 1));
}

ActParams arg_params(const Napi::CallbackInfo& info, size_t i) {
  ActParams p;
  p.alpha = static_cast<float>(arg_finite(info, i, "alpha"));
  p.beta = static_cast<float>(arg_finite(info, i + 1, "beta"));
  return p;
}

template <class T>
T* data_or_null(const Napi::CallbackInfo& info, size_t i, const char* name, int64_t n) {
  if (i >= info.Length() || info[i].IsNull() || info[i].IsUndefined()) return nullptr;
  return arg_typed<T>(info, i, name, n).Data();
}

// activationForward(act, alpha, beta, z, a, rows, cols)
Napi::Value ActivationForward(const Napi::CallbackInfo& info) {
  const Act act = arg_act(info, 0);
  const ActParams p = arg_params(info, 1);
  const int64_t rows = arg_int(info, 5, "rows", 0, kMaxDim), cols = arg_int(info, 6, "cols", 0, kMaxDim);
  const int64_t n = rows * cols;
  auto z = arg_typed<float>(info, 3, "z", n);
  auto a = arg_typed<float>(info, 4, "a", n);
  check_disjoint(info.Env(), {{a.Data(), a.ElementLength()}}, {{z.Data(), z.ElementLength()}});
  gs::nn::activation_forward(act, p, z.Data(), a.Data(), rows, cols);
  return info.Env().Undefined();
}

// activationBackward(act, alpha, beta, z, a, dy, dz, rows, cols); dz may be dy
Napi::Value ActivationBackward(const Napi::CallbackInfo& info) {
  const Act act = arg_act(info, 0);
  const ActParams p = arg_params(info, 1);
  const int64_t rows = arg_int(info, 7, "rows", 0, kMaxDim), cols = arg_int(info, 8, "cols", 0, kMaxDim);
  const int64_t n = rows * cols;
  auto z = arg_typed<float>(info, 3, "z", n);
  auto a = arg_typed<float>(info, 4, "a", n);
  auto dy = arg_typed<float>(info, 5, "dy", n);
  auto dz = arg_typed<float>(info, 6, "dz", n);
  const size_t un = static_cast<size_t>(n);
  check_disjoint(info.Env(), {{dz.Data(), un}}, {{z.Data(), un}, {a.Data(), un}});
  if (act == Act::kSoftmax) check_disjoint(info.Env(), {{dz.Data(), un}}, {{dy.Data(), un}});
  gs::nn::activation_backward(act, p, z.Data(), a.Data(), dy.Data(), dz.Data(), rows, cols);
  return info.Env().Undefined();
}

// denseForward(x, w, b|null, act, alpha, beta, batch, in, out, z, a)
Napi::Value DenseForward(const Napi::CallbackInfo& info) {
  const int64_t batch = arg_int(info, 6, "batch", 0, kMaxDim), in = arg_int(info, 7, "in", 0, kMaxDim),
                out = arg_int(info, 8, "out", 0, kMaxDim);
  auto x = arg_typed<float>(info, 0, "x", batch * in);
  auto w = arg_typed<float>(info, 1, "w", in * out);
  const float* b = data_or_null<float>(info, 2, "b", out);
  const Act act = arg_act(info, 3);
  const ActParams p = arg_params(info, 4);
  auto z = arg_typed<float>(info, 9, "z", batch * out);
  auto a = arg_typed<float>(info, 10, "a", batch * out);
  const Span xs{x.Data(), x.ElementLength()}, ws{w.Data(), w.ElementLength()};
  const Span bs{b, b ? static_cast<size_t>(out) : 0};
  const Span zs{z.Data(), z.ElementLength()}, as{a.Data(), a.ElementLength()};
  check_disjoint(info.Env(), {zs, as}, {xs, ws, bs, zs, as});
  gs::nn::dense_forward({static_cast<size_t>(batch), static_cast<size_t>(in), static_cast<size_t>(out)}, x.Data(),
                        w.Data(), b, act, p, z.Data(), a.Data());
  return info.Env().Undefined();
}

// denseBackward(x, w, z, a, da, act, alpha, beta, batch, in, out, dz, dw, db|null, dx|null)
Napi::Value DenseBackward(const Napi::CallbackInfo& info) {
  const int64_t batch = arg_int(info, 8, "batch", 0, kMaxDim), in = arg_int(info, 9, "in", 0, kMaxDim),
                out = arg_int(info, 10, "out", 0, kMaxDim);
  auto x = arg_typed<float>(info, 0, "x", batch * in);
  auto w = arg_typed<float>(info, 1, "w", in * out);
  auto z = arg_typed<float>(info, 2, "z", batch * out);
  auto a = arg_typed<float>(info, 3, "a", batch * out);
  auto da = arg_typed<float>(info, 4, "da", batch * out);
  const Act act = arg_act(info, 5);
  const ActParams p = arg_params(info, 6);
  auto dz = arg_typed<float>(info, 11, "dz", batch * out);
  auto dw = arg_typed<float>(info, 12, "dw", in * out);
  float* db = data_or_null<float>(info, 13, "db", out);
  float* dx = data_or_null<float>(info, 14, "dx", batch * in);
  const Span xs{x.Data(), x.ElementLength()}, ws{w.Data(), w.ElementLength()};
  const Span zs{z.Data(), z.ElementLength()}, as{a.Data(), a.ElementLength()};
  const Span das{da.Data(), da.ElementLength()}, dzs{dz.Data(), dz.ElementLength()};
  const Span dws{dw.Data(), dw.ElementLength()}, dbs{db, db ? static_cast<size_t>(out) : 0};
  const Span dxs{dx, dx ? static_cast<size_t>(batch * in) : 0};
  check_disjoint(info.Env(), {dws, dbs, dxs}, {xs, ws, zs, as, das, dzs, dws, dbs, dxs});
  check_disjoint(info.Env(), {dzs}, {xs, ws, zs, as, dws, dbs, dxs});
  if (act == Act::kSoftmax) check_disjoint(info.Env(), {dzs}, {das});
  gs::nn::dense_backward({static_cast<size_t>(batch), static_cast<size_t>(in), static_cast<size_t>(out)}, x.Data(),
                         w.Data(), z.Data(), a.Data(), da.Data(), act, p, dz.Data(), dw.Data(), db, dx);
  return info.Env().Undefined();
}

// softmaxXentBackward(p, y, dz, batch, classes)
Napi::Value SoftmaxXentBackward(const Napi::CallbackInfo& info) {
  const int64_t batch = arg_int(info, 3, "batch", 1, kMaxDim), classes = arg_int(info, 4, "classes", 0, kMaxDim);
  auto p = arg_typed<float>(info, 0, "p", batch * classes);
  auto y = arg_typed<float>(info, 1, "y", batch * classes);
  auto dz = arg_typed<float>(info, 2, "dz", batch * classes);
  gs::nn::softmax_xent_backward(p.Data(), y.Data(), dz.Data(), batch, classes);
  return info.Env().Undefined();
}

}  // namespace

void register_nn(Napi::Env env, Napi::Object exports) {
  exports.Set("activationForward", Napi::Function::New(env, guarded<ActivationForward>, "activationForward"));
  exports.Set("activationBackward", Napi::Function::New(env, guarded<ActivationBackward>, "activationBackward"));
  exports.Set("denseForward", Napi::Function::New(env, guarded<DenseForward>, "denseForward"));
  exports.Set("denseBackward", Napi::Function::New(env, guarded<DenseBackward>, "denseBackward"));
  exports.Set("softmaxXentBackward", Napi::Function::New(env, guarded<SoftmaxXentBackward>, "softmaxXentBackward"));
}

}  // namespace gsaddon

namespace gsaddon {
namespace {

// optimUpdate(kind, hyper: Float64Array(15), w, g, s1|null, s2|null)
// hyper = [lr, momentum, nesterov, rho, beta1, beta2, epsilon, weightDecay, l2,
//          alpha, 1−β2^t, u_t, u_{t+1}, 1−Πu_t, 1−Πu_{t+1}]
Napi::Value OptimUpdate(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const auto kind = static_cast<gs::nn::OptimKind>(arg_int(info, 0, "kind", 0, 4));
  auto hyper = arg_typed<double>(info, 1, "hyper", 15);
  for (size_t i = 0; i < 15; ++i) {
    if (!std::isfinite(hyper[i])) throw_invalid(env, "optimiser hyperparameters must be finite");
  }
  auto w = arg_typed<float>(info, 2, "w");
  const int64_t n = static_cast<int64_t>(w.ElementLength());
  auto g = arg_typed<float>(info, 3, "g", n);
  float* s1 = data_or_null<float>(info, 4, "s1", n);
  float* s2 = data_or_null<float>(info, 5, "s2", n);
  const bool needs1 = kind != gs::nn::OptimKind::kSgd || hyper[1] != 0.0;
  const bool needs2 = kind == gs::nn::OptimKind::kAdam || kind == gs::nn::OptimKind::kNadam ||
                      (kind == gs::nn::OptimKind::kRmsprop && hyper[1] != 0.0);
  if ((needs1 && s1 == nullptr) || (needs2 && s2 == nullptr)) throw_invalid(env, "optimiser state is missing");
  const size_t un = static_cast<size_t>(n);
  check_disjoint(env, {{w.Data(), un}, {s1, s1 ? un : 0}, {s2, s2 ? un : 0}},
                 {{w.Data(), un}, {g.Data(), un}, {s1, s1 ? un : 0}, {s2, s2 ? un : 0}});
  gs::nn::OptimStep s{};
  s.kind = kind;
  s.lr = static_cast<float>(hyper[0]);
  s.momentum = static_cast<float>(hyper[1]);
  s.nesterov = hyper[2] != 0.0;
  s.rho = static_cast<float>(hyper[3]);
  s.beta1 = static_cast<float>(hyper[4]);
  s.beta2 = static_cast<float>(hyper[5]);
  s.epsilon = static_cast<float>(hyper[6]);
  s.weight_decay = static_cast<float>(hyper[7]);
  s.l2 = static_cast<float>(hyper[8]);
  s.alpha = static_cast<float>(hyper[9]);
  s.one_minus_b2t = static_cast<float>(hyper[10]);
  s.u_t = static_cast<float>(hyper[11]);
  s.u_t1 = static_cast<float>(hyper[12]);
  s.one_minus_prod_t = static_cast<float>(hyper[13]);
  s.one_minus_prod_t1 = static_cast<float>(hyper[14]);
  gs::nn::optim_update(s, w.Data(), g.Data(), s1, s2, un);
  return env.Undefined();
}

// sumSquares(x) -> Σ x² in float64, fixed order
Napi::Value SumSquares(const Napi::CallbackInfo& info) {
  auto x = arg_typed<float>(info, 0, "x");
  return Napi::Number::New(info.Env(), gs::nn::sum_squares(x.Data(), x.ElementLength()));
}

// scaleInPlace(x, s) / clipInPlace(x, c)
Napi::Value ScaleInPlace(const Napi::CallbackInfo& info) {
  auto x = arg_typed<float>(info, 0, "x");
  gs::nn::scale_in_place(x.Data(), x.ElementLength(), static_cast<float>(arg_finite(info, 1, "scale")));
  return info.Env().Undefined();
}

Napi::Value ClipInPlace(const Napi::CallbackInfo& info) {
  auto x = arg_typed<float>(info, 0, "x");
  const double c = arg_finite(info, 1, "clip");
  if (!(c >= 0)) throw_invalid(info.Env(), "clip must be >= 0");
  gs::nn::clip_in_place(x.Data(), x.ElementLength(), static_cast<float>(c));
  return info.Env().Undefined();
}

}  // namespace

void register_optim(Napi::Env env, Napi::Object exports) {
  exports.Set("optimUpdate", Napi::Function::New(env, guarded<OptimUpdate>, "optimUpdate"));
  exports.Set("sumSquares", Napi::Function::New(env, guarded<SumSquares>, "sumSquares"));
  exports.Set("scaleInPlace", Napi::Function::New(env, guarded<ScaleInPlace>, "scaleInPlace"));
  exports.Set("clipInPlace", Napi::Function::New(env, guarded<ClipInPlace>, "clipInPlace"));
}

}  // namespace gsaddon

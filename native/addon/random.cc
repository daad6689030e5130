// Bindings of the random core: the raw Philox block, stream fills (sync and
// async) and the word -> value transforms used by the exhaustive tests.
#include <cstdint>
#include <cstring>
#include <type_traits>
#include <vector>

#include "addon/args.h"
#include "addon/async.h"
#include "addon/register.h"
#include "core/random/philox.h"
#include "core/random/random.h"

namespace gsaddon {
namespace {

using gs::random::Dist;

Dist arg_dist(const Napi::CallbackInfo& info, size_t i) {
  return static_cast<Dist>(arg_int(info, i, "distribution", 0, 2));
}

// philox4x32(counter: Uint32Array(4), key: Uint32Array(2)) -> Uint32Array(4)
Napi::Value Philox4x32(const Napi::CallbackInfo& info) {
  auto ctr = arg_typed<uint32_t>(info, 0, "counter", 4);
  auto key = arg_typed<uint32_t>(info, 1, "key", 2);
  auto out = Napi::Uint32Array::New(info.Env(), 4);
  gs::random::philox4x32_10(ctr.Data(), key.Data(), out.Data());
  return out;
}

// randomFillU32(out: Uint32Array, seed, stream, pos: bigint)
Napi::Value RandomFillU32(const Napi::CallbackInfo& info) {
  auto out = arg_typed<uint32_t>(info, 0, "out");
  const uint64_t seed = arg_u64(info, 1, "seed"), stream = arg_u64(info, 2, "stream");
  const uint64_t pos = arg_u64(info, 3, "position");
  gs::random::fill_u32(seed, stream, pos, out.Data(), out.ElementLength());
  return info.Env().Undefined();
}

struct FillArgs {
  Dist dist;
  double a, b;
  uint64_t seed, stream, pos;
  float* out;
  size_t n;
};

FillArgs fill_args(const Napi::CallbackInfo& info, Napi::Float32Array* out_arr) {
  FillArgs f;
  f.dist = arg_dist(info, 0);
  f.a = arg_finite(info, 1, "a");
  f.b = arg_finite(info, 2, "b");
  *out_arr = arg_typed<float>(info, 3, "out");
  f.seed = arg_u64(info, 4, "seed");
  f.stream = arg_u64(info, 5, "stream");
  f.pos = arg_u64(info, 6, "position");
  f.out = out_arr->Data();
  f.n = out_arr->ElementLength();
  gs::random::make_params(f.dist, f.a, f.b);  // throws before any work when invalid
  return f;
}

// randomFill(dist, a, b, out: Float32Array, seed, stream, pos)
Napi::Value RandomFill(const Napi::CallbackInfo& info) {
  Napi::Float32Array arr;
  const FillArgs f = fill_args(info, &arr);
  gs::random::fill_f32(f.dist, f.a, f.b, f.seed, f.stream, f.pos, f.out, f.n);
  return info.Env().Undefined();
}

// Fills off the JS thread. A buffer the caller can still reach (staged = true)
// could be transferred to another owner and freed while the fill runs, so the
// worker then fills its own memory and copies into `out` back on the JS thread,
// after checking that `out` is still attached. A buffer nobody else has seen yet
// (lib/ allocated it) is filled in place. T: float (a distribution) or uint32_t
// (raw words; f.dist unused).
template <class T>
class FillWorker : public PromiseWorker {
 public:
  FillWorker(Napi::Env env, const FillArgs& f, T* out, size_t n, Napi::TypedArrayOf<T> arr, bool staged)
      : PromiseWorker(env, "gradscope.randomFill"), f_(f), out_(out), n_(n), arr_(Napi::Persistent(arr)) {
    if (staged) {
      scratch_.resize(n);
      out_ = scratch_.data();
    }
  }

 protected:
  void run() override {
    if constexpr (std::is_same_v<T, float>) {
      gs::random::fill_f32(f_.dist, f_.a, f_.b, f_.seed, f_.stream, f_.pos, out_, n_);
    } else {
      gs::random::fill_u32(f_.seed, f_.stream, f_.pos, out_, n_);
    }
  }

  Napi::Value result(Napi::Env env) override {
    if (!scratch_.empty()) {
      Napi::TypedArrayOf<T> out = arr_.Value();
      if (out.ArrayBuffer().IsDetached() || out.ElementLength() != n_) {
        throw_invalid(env, "out was detached or resized while the fill ran; nothing was written");
      }
      std::memcpy(out.Data(), scratch_.data(), n_ * sizeof(T));
    }
    return env.Undefined();
  }

 private:
  FillArgs f_;
  T* out_;
  size_t n_;
  Napi::Reference<Napi::TypedArrayOf<T>> arr_;
  std::vector<T> scratch_;
};

// randomFillAsync(...same as randomFill, staged: boolean) -> Promise<undefined>
Napi::Value RandomFillAsync(const Napi::CallbackInfo& info) {
  Napi::Float32Array arr;
  const FillArgs f = fill_args(info, &arr);
  const bool staged = info.Length() > 7 && info[7].ToBoolean();
  auto* w = new FillWorker<float>(info.Env(), f, f.out, f.n, arr, staged);
  return w->start();
}

// randomFillU32Async(out: Uint32Array, seed, stream, pos: bigint, staged: boolean) -> Promise<undefined>
Napi::Value RandomFillU32Async(const Napi::CallbackInfo& info) {
  auto out = arg_typed<uint32_t>(info, 0, "out");
  FillArgs f{};
  f.seed = arg_u64(info, 1, "seed");
  f.stream = arg_u64(info, 2, "stream");
  f.pos = arg_u64(info, 3, "position");
  const bool staged = info.Length() > 4 && info[4].ToBoolean();
  auto* w = new FillWorker<uint32_t>(info.Env(), f, out.Data(), out.ElementLength(), out, staged);
  return w->start();
}

// randomTransform(dist, a, b, words: Uint32Array, out: Float32Array)
Napi::Value RandomTransform(const Napi::CallbackInfo& info) {
  const Dist dist = arg_dist(info, 0);
  const double a = arg_finite(info, 1, "a"), b = arg_finite(info, 2, "b");
  auto in = arg_typed<uint32_t>(info, 3, "words");
  auto out = arg_typed<float>(info, 4, "out", static_cast<int64_t>(in.ElementLength()));
  gs::random::transform(dist, a, b, in.Data(), out.Data(), in.ElementLength());
  return info.Env().Undefined();
}

}  // namespace

void register_random(Napi::Env env, Napi::Object exports) {
  exports.Set("philox4x32", Napi::Function::New(env, guarded<Philox4x32>, "philox4x32"));
  exports.Set("randomFillU32", Napi::Function::New(env, guarded<RandomFillU32>, "randomFillU32"));
  exports.Set("randomFill", Napi::Function::New(env, guarded<RandomFill>, "randomFill"));
  exports.Set("randomFillAsync", Napi::Function::New(env, guarded<RandomFillAsync>, "randomFillAsync"));
  exports.Set("randomFillU32Async", Napi::Function::New(env, guarded<RandomFillU32Async>, "randomFillU32Async"));
  exports.Set("randomTransform", Napi::Function::New(env, guarded<RandomTransform>, "randomTransform"));
}

}  // namespace gsaddon

// Bindings of the model core: NativeModel wraps a gs::nn::Model (weights,
// gradients, optimiser state, workspaces) behind a JS class. Weights are
// exposed once as Float32Array views of external ArrayBuffers that share
// ownership of the memory, so JS reads the very numbers training updates and
// the memory lives as long as either side needs it.
//
// Training runs off the JS thread (fit, diagnose): the inputs are copied into
// the worker first (a caller may transfer or detach its buffers meanwhile),
// the model is marked busy (every other call on it is refused with
// ERR_GRADSCOPE_BUSY), and events cross back through a thread-safe function.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "addon/args.h"
#include "addon/async.h"
#include "addon/register.h"
#include "core/nn/model.h"
#include "core/nn/train.h"
#include "core/stats/stats.h"

namespace gsaddon {
namespace {

using gs::nn::Act;
using gs::nn::LossKind;
using gs::nn::OptimKind;

constexpr int64_t kMaxDim = (int64_t{1} << 31) - 1;

// cfg: Float64Array(15) = [loss, fromLogits, optimiser, momentum, nesterov, rho, beta1, beta2,
//                          epsilon, weightDecay, l2, initialAccumulator, clipValue, clipNorm, globalClipNorm]
constexpr size_t kCfgSize = 15;
struct StepConfig {
  gs::nn::LossSpec loss;
  gs::nn::OptimConfig optim;
  gs::nn::ClipConfig clip;
};

StepConfig arg_config(const Napi::CallbackInfo& info, size_t i, const gs::nn::Model& m) {
  Napi::Env env = info.Env();
  auto c = arg_typed<double>(info, i, "config", kCfgSize);
  for (size_t k = 0; k < kCfgSize; ++k)
    if (!std::isfinite(c[k])) throw_invalid(env, "config values must be finite");
  StepConfig s;
  if (!(c[0] >= 0 && c[0] <= 4 && c[0] == std::floor(c[0]))) throw_invalid(env, "unknown loss");
  if (!(c[2] >= 0 && c[2] <= 4 && c[2] == std::floor(c[2]))) throw_invalid(env, "unknown optimiser");
  s.loss.kind = static_cast<LossKind>(static_cast<int>(c[0]));
  s.loss.from_logits = c[1] != 0;
  const char* why = nullptr;
  if (!gs::nn::loss_supported(s.loss.kind, s.loss.from_logits, m.layer(m.depth() - 1).act, &why)) {
    throw_invalid(env, why);
  }
  s.optim.kind = static_cast<OptimKind>(static_cast<int>(c[2]));
  s.optim.momentum = c[3];
  s.optim.nesterov = c[4] != 0;
  s.optim.rho = c[5];
  s.optim.beta1 = c[6];
  s.optim.beta2 = c[7];
  s.optim.epsilon = c[8];
  s.optim.weight_decay = c[9];
  s.optim.l2 = c[10];
  s.optim.initial_accumulator = c[11];
  s.clip.value = c[12];
  s.clip.norm = c[13];
  s.clip.global_norm = c[14];
  for (size_t k : {3, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14})
    if (c[k] < 0) throw_invalid(env, "config values must be >= 0");
  return s;
}

// Targets: a Float32Array [rows, cols] or, for sparse losses, an Int32Array [rows] of labels in [0, cols).
struct Targets {
  const float* y = nullptr;
  const int32_t* labels = nullptr;
};

Targets arg_targets(const Napi::CallbackInfo& info, size_t i, LossKind kind, size_t rows, size_t cols) {
  Targets t;
  if (kind == LossKind::kSparseCce) {
    auto l = arg_typed<int32_t>(info, i, "labels", static_cast<int64_t>(rows));
    for (size_t r = 0; r < rows; ++r) {
      if (l[r] < 0 || static_cast<size_t>(l[r]) >= cols) {
        throw_invalid(info.Env(), "labels must be integers in [0, " + std::to_string(cols) + ")");
      }
    }
    t.labels = l.Data();
  } else {
    t.y = arg_typed<float>(info, i, "y", static_cast<int64_t>(rows * cols)).Data();
  }
  return t;
}

// A copy of a dataset owned by a worker.
struct OwnedData {
  std::vector<float> x, y;
  std::vector<int32_t> labels;
  gs::nn::Dataset view(size_t n, size_t cols) const {
    gs::nn::Dataset d;
    d.x = x.data();
    d.y = y.empty() ? nullptr : y.data();
    d.labels = labels.empty() ? nullptr : labels.data();
    d.n = n;
    d.cols = cols;
    return d;
  }
};

OwnedData copy_data(const float* x, size_t n, size_t in, const Targets& t, size_t cols) {
  OwnedData o;
  o.x.assign(x, x + n * in);
  if (t.y) o.y.assign(t.y, t.y + n * cols);
  if (t.labels) o.labels.assign(t.labels, t.labels + n);
  return o;
}

class JsObserver;

class NativeModel : public Napi::ObjectWrap<NativeModel> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "NativeModel",
                       {
                           InstanceMethod<&NativeModel::Weights>("weights"),
                           InstanceMethod<&NativeModel::TrainStep>("trainStep"),
                           InstanceMethod<&NativeModel::ComputeGradients>("computeGradients"),
                           InstanceMethod<&NativeModel::Gradients>("gradients"),
                           InstanceMethod<&NativeModel::Predict>("predict"),
                           InstanceMethod<&NativeModel::Evaluate>("evaluate"),
                           InstanceMethod<&NativeModel::Fit>("fit"),
                           InstanceMethod<&NativeModel::Diagnose>("diagnose"),
                           InstanceMethod<&NativeModel::RequestStop>("requestStop"),
                           InstanceMethod<&NativeModel::Cancel>("cancel"),
                           InstanceMethod<&NativeModel::ResetOptimizer>("resetOptimizer"),
                           InstanceMethod<&NativeModel::OptimizerState>("optimizerState"),
                           InstanceMethod<&NativeModel::Busy>("busy"),
                       });
  }

  // new NativeModel(spec: Float64Array(6·L)) with [in, out, activation, alpha, beta, useBias] per layer
  explicit NativeModel(const Napi::CallbackInfo& info) : Napi::ObjectWrap<NativeModel>(info) {
    protect(info.Env(), [&] {
      auto spec = arg_typed<double>(info, 0, "spec");
      const size_t n = spec.ElementLength();
      if (n == 0 || n % 6 != 0) throw_invalid(info.Env(), "spec must hold 6 numbers per layer");
      std::vector<gs::nn::LayerDesc> layers(n / 6);
      for (size_t l = 0; l < layers.size(); ++l) {
        const double* s = spec.Data() + 6 * l;
        for (int k = 0; k < 6; ++k)
          if (!std::isfinite(s[k])) throw_invalid(info.Env(), "spec values must be finite");
        if (!(s[0] >= 1 && s[0] <= kMaxDim && s[1] >= 1 && s[1] <= kMaxDim) || s[0] * s[1] > 9007199254740991.0 / 4)
          throw_invalid(info.Env(), "layer sizes must be integers >= 1");
        if (!(s[2] >= 0 && s[2] < gs::nn::kActCount)) throw_invalid(info.Env(), "unknown activation");
        layers[l].in = static_cast<size_t>(s[0]);
        layers[l].out = static_cast<size_t>(s[1]);
        layers[l].act = static_cast<Act>(static_cast<int>(s[2]));
        layers[l].params.alpha = static_cast<float>(s[3]);
        layers[l].params.beta = static_cast<float>(s[4]);
        layers[l].bias = s[5] != 0;
      }
      model_ = std::make_unique<gs::nn::Model>(std::move(layers));
      return info.Env().Undefined();
    });
  }

  gs::nn::Model& model() { return *model_; }
  std::atomic<bool>& stop_flag() { return stop_; }
  void set_busy(bool b) { busy_.store(b); }
  void set_observer(JsObserver* o) { observer_ = o; }

 private:
  void check_idle(Napi::Env env) {
    if (busy_.load()) throw_error(env, "ERR_GRADSCOPE_BUSY", "the model is training or being diagnosed; wait for that call to finish");
  }

  static Napi::Float32Array view(Napi::Env env, const gs::nn::SharedFloats& s) {
    auto* hold = new gs::nn::SharedFloats(s);
    auto ab = Napi::ArrayBuffer::New(
        env, s->data(), s->size() * sizeof(float), [](Napi::Env, void*, gs::nn::SharedFloats* h) { delete h; }, hold);
    return Napi::Float32Array::New(env, s->size(), ab, 0);
  }

  // weights() -> [[kernel, bias | null], ...]; once per model (each external buffer is wrapped once).
  Napi::Value Weights(const Napi::CallbackInfo& info) {
    return protect(info.Env(), [&]() -> Napi::Value {
      Napi::Env env = info.Env();
      if (views_made_) throw_invalid(env, "weights() was already called for this model");
      Napi::Array out = Napi::Array::New(env, model_->depth());
      for (size_t l = 0; l < model_->depth(); ++l) {
        Napi::Array pair = Napi::Array::New(env, 2);
        pair.Set(0u, view(env, model_->weight(l)));
        pair.Set(1u, model_->bias(l) ? Napi::Value(view(env, model_->bias(l))) : env.Null());
        out.Set(static_cast<uint32_t>(l), pair);
      }
      views_made_ = true;
      return out;
    });
  }

  // Shared by trainStep / computeGradients: (x, targets, batch, config) -> forward + loss + backward.
  double pass(const Napi::CallbackInfo& info, const StepConfig& c, bool input_grad, double* correct) {
    const int64_t batch = arg_int(info, 2, "batch", 1, kMaxDim);
    auto x = arg_typed<float>(info, 0, "x", batch * static_cast<int64_t>(model_->in_units()));
    const Targets t = arg_targets(info, 1, c.loss.kind, static_cast<size_t>(batch), model_->out_units());
    model_->forward(x.Data(), static_cast<size_t>(batch));
    return model_->loss_and_grads(x.Data(), c.loss, {t.y, t.labels}, true, input_grad, correct);
  }

  // trainStep(x, targets, batch, config, lr) -> Float64Array [loss, correct, globalNorm]
  Napi::Value TrainStep(const Napi::CallbackInfo& info) {
    return protect(info.Env(), [&]() -> Napi::Value {
      check_idle(info.Env());
      const StepConfig c = arg_config(info, 3, *model_);
      const double lr = arg_finite(info, 4, "lr");
      if (lr < 0) throw_invalid(info.Env(), "lr must be >= 0");
      double correct = 0;
      const double loss = pass(info, c, false, &correct);
      auto out = Napi::Float64Array::New(info.Env(), 3);
      out[0] = loss;
      out[1] = correct;
      out[2] = model_->update(c.optim, c.clip, lr);
      return out;
    });
  }

  // computeGradients(x, targets, batch, config, inputGrad) -> loss (gradients kept in the model)
  Napi::Value ComputeGradients(const Napi::CallbackInfo& info) {
    return protect(info.Env(), [&]() -> Napi::Value {
      check_idle(info.Env());
      const StepConfig c = arg_config(info, 3, *model_);
      const bool input_grad = info.Length() > 4 && info[4].ToBoolean();
      double correct = 0;
      return Napi::Number::New(info.Env(), pass(info, c, input_grad, &correct));
    });
  }

  // gradients() -> [[dW, db | null], ...] copies of the last backward's gradients
  Napi::Value Gradients(const Napi::CallbackInfo& info) {
    return protect(info.Env(), [&]() -> Napi::Value {
      Napi::Env env = info.Env();
      check_idle(env);
      Napi::Array out = Napi::Array::New(env, model_->depth());
      for (size_t l = 0; l < model_->depth(); ++l) {
        const gs::nn::LayerDesc& d = model_->layer(l);
        auto gw = Napi::Float32Array::New(env, d.in * d.out);
        std::memcpy(gw.Data(), model_->grad_w(l), d.in * d.out * sizeof(float));
        Napi::Array pair = Napi::Array::New(env, 2);
        pair.Set(0u, gw);
        if (d.bias) {
          auto gb = Napi::Float32Array::New(env, d.out);
          std::memcpy(gb.Data(), model_->grad_b(l), d.out * sizeof(float));
          pair.Set(1u, gb);
        } else {
          pair.Set(1u, env.Null());
        }
        out.Set(static_cast<uint32_t>(l), pair);
      }
      return out;
    });
  }

  // predict(x, n, out, chunk): out [n, outUnits] = model(x), `chunk` rows at a time
  Napi::Value Predict(const Napi::CallbackInfo& info) {
    return protect(info.Env(), [&]() -> Napi::Value {
      check_idle(info.Env());
      const int64_t n = arg_int(info, 1, "n", 0, kMaxDim);
      const int64_t chunk = arg_int(info, 3, "chunk", 1, kMaxDim);
      const size_t in = model_->in_units(), outw = model_->out_units();
      auto x = arg_typed<float>(info, 0, "x", n * static_cast<int64_t>(in));
      auto out = arg_typed<float>(info, 2, "out", n * static_cast<int64_t>(outw));
      for (int64_t s = 0; s < n; s += chunk) {
        const size_t bs = static_cast<size_t>(std::min(chunk, n - s));
        model_->forward(x.Data() + s * in, bs);
        std::memcpy(out.Data() + s * outw, model_->a(model_->depth() - 1), bs * outw * sizeof(float));
      }
      return info.Env().Undefined();
    });
  }

  // evaluate(x, targets, n, config, batchSize) -> Float64Array [loss, accuracy]
  Napi::Value Evaluate(const Napi::CallbackInfo& info) {
    return protect(info.Env(), [&]() -> Napi::Value {
      check_idle(info.Env());
      const StepConfig c = arg_config(info, 3, *model_);
      const int64_t n = arg_int(info, 2, "n", 1, kMaxDim);
      const int64_t bs = arg_int(info, 4, "batchSize", 1, kMaxDim);
      auto x = arg_typed<float>(info, 0, "x", n * static_cast<int64_t>(model_->in_units()));
      const Targets t = arg_targets(info, 1, c.loss.kind, static_cast<size_t>(n), model_->out_units());
      gs::nn::Dataset d;
      d.x = x.Data();
      d.y = t.y;
      d.labels = t.labels;
      d.n = static_cast<size_t>(n);
      d.cols = model_->out_units();
      auto out = Napi::Float64Array::New(info.Env(), 2);
      gs::nn::evaluate(*model_, d, c.loss, static_cast<size_t>(bs), &out[0], &out[1]);
      return out;
    });
  }

  Napi::Value Fit(const Napi::CallbackInfo& info);
  Napi::Value Diagnose(const Napi::CallbackInfo& info);

  Napi::Value RequestStop(const Napi::CallbackInfo& info) {
    stop_.store(true);
    return info.Env().Undefined();
  }

  // cancel(): the caller is going away (lib/ calls it on process 'exit'): a running
  // fit stops waiting for JS and ends, so that the exit is not held up by it.
  Napi::Value Cancel(const Napi::CallbackInfo& info);

  // resetOptimizer(iterations, uProduct)
  Napi::Value ResetOptimizer(const Napi::CallbackInfo& info) {
    return protect(info.Env(), [&]() -> Napi::Value {
      check_idle(info.Env());
      const int64_t it = arg_int(info, 0, "iterations", 0, int64_t{1} << 52);
      const double u = arg_finite(info, 1, "uProduct");
      model_->reset_optimizer(it, u);
      return info.Env().Undefined();
    });
  }

  // optimizerState() -> [iterations, uProduct]
  Napi::Value OptimizerState(const Napi::CallbackInfo& info) {
    auto out = Napi::Float64Array::New(info.Env(), 2);
    out[0] = static_cast<double>(model_->iterations());
    out[1] = model_->u_product();
    return out;
  }

  Napi::Value Busy(const Napi::CallbackInfo& info) { return Napi::Boolean::New(info.Env(), busy_.load()); }

  std::unique_ptr<gs::nn::Model> model_;
  std::atomic<bool> busy_{false}, stop_{false};
  bool views_made_ = false;
  JsObserver* observer_ = nullptr;  // of the running fit (JS thread only)
};

// ---------------------------------------------------------------------------
// fit: the training loop on a worker, events to JS through a thread-safe function.

struct Event {
  enum Kind { kBatch, kEpoch, kNonFinite, kProgress, kFlush } kind;
  gs::nn::BatchReport batch;
  gs::nn::EpochReport epoch;
  gs::nn::NonFiniteReport nf;
};

// The worker's side of a blocking exchange with JS.
struct Exchange {
  std::mutex mu;
  std::condition_variable cv;
  bool ready = false, stop = false;
  double lr_factor = 1.0;
  std::string error;  // a JS callback threw or rejected: the fit rejects with it
};

struct Call {
  Event ev;
  std::shared_ptr<Exchange> reply;  // null for fire-and-forget events
};

Napi::Object event_object(Napi::Env env, const Event& e) {
  Napi::Object o = Napi::Object::New(env);
  switch (e.kind) {
    case Event::kBatch:
    case Event::kProgress: {
      o.Set("type", e.kind == Event::kBatch ? "batch" : "progress");
      o.Set("epoch", static_cast<double>(e.batch.epoch));
      o.Set("batch", static_cast<double>(e.batch.batch));
      o.Set("step", static_cast<double>(e.batch.step));
      o.Set("loss", e.batch.loss);
      o.Set("correct", e.batch.correct);
      o.Set("count", e.batch.count);
      if (!e.batch.monitor.empty()) {
        auto m = Napi::Float64Array::New(env, e.batch.monitor.size());
        std::memcpy(m.Data(), e.batch.monitor.data(), e.batch.monitor.size() * sizeof(double));
        o.Set("monitor", m);
      }
      break;
    }
    case Event::kEpoch:
      o.Set("type", "epoch");
      o.Set("epoch", static_cast<double>(e.epoch.epoch));
      o.Set("loss", e.epoch.loss);
      o.Set("accuracy", e.epoch.accuracy);
      if (e.epoch.has_val) {
        o.Set("valLoss", e.epoch.val_loss);
        o.Set("valAccuracy", e.epoch.val_accuracy);
      }
      break;
    case Event::kFlush:
      o.Set("type", "flush");
      break;
    case Event::kNonFinite:
      o.Set("type", "nonFinite");
      o.Set("epoch", static_cast<double>(e.nf.epoch));
      o.Set("batch", static_cast<double>(e.nf.batch));
      o.Set("step", static_cast<double>(e.nf.step));
      o.Set("layer", static_cast<double>(e.nf.layer));
      o.Set("tensor", e.nf.tensor);
      break;
  }
  return o;
}

void finish(Exchange* x, bool stop, double lr_factor, const std::string& error) {
  std::lock_guard<std::mutex> lock(x->mu);
  x->stop = stop;
  x->lr_factor = lr_factor;
  x->error = error;
  x->ready = true;
  x->cv.notify_all();
}

// Reads the dispatcher's answer { stop, lrFactor } (or a Promise of it).
void settle(Napi::Env env, Napi::Value v, const std::shared_ptr<Exchange>& x) {
  if (v.IsPromise()) {
    Napi::Object p = v.As<Napi::Object>();
    auto ok = Napi::Function::New(env, [x](const Napi::CallbackInfo& i) {
      settle(i.Env(), i.Length() > 0 ? i[0] : i.Env().Undefined(), x);
    });
    auto bad = Napi::Function::New(env, [x](const Napi::CallbackInfo& i) {
      std::string msg = "a training callback rejected";
      if (i.Length() > 0) {
        Napi::Value r = i[0];
        if (r.IsObject()) {
          Napi::Value m = r.As<Napi::Object>().Get("message");
          if (m.IsString()) msg += ": " + m.As<Napi::String>().Utf8Value();
        }
      }
      finish(x.get(), true, 1.0, msg);
    });
    p.Get("then").As<Napi::Function>().Call(p, {ok, bad});
    return;
  }
  bool stop = false;
  double lr = 1.0;
  if (v.IsObject()) {
    Napi::Object o = v.As<Napi::Object>();
    stop = o.Get("stop").ToBoolean();
    Napi::Value f = o.Get("lrFactor");
    if (f.IsNumber() && std::isfinite(f.As<Napi::Number>().DoubleValue()) && f.As<Napi::Number>().DoubleValue() >= 0)
      lr = f.As<Napi::Number>().DoubleValue();
  }
  finish(x.get(), stop, lr, "");
}

void deliver(Napi::Env env, Napi::Function fn, Call* call) {
  std::unique_ptr<Call> owned(call);
  std::shared_ptr<Exchange> keep = call->reply;
  Exchange* x = keep.get();
  if (env == nullptr || fn == nullptr) {  // the environment is going away
    if (x) finish(x, true, 1.0, "");
    return;
  }
  try {
    Napi::Value r = fn.Call({event_object(env, call->ev)});
    if (x) settle(env, r, keep);
  } catch (const Napi::Error& e) {
    if (x) finish(x, true, 1.0, "a training callback threw: " + e.Message());
  }
}

class JsObserver : public gs::nn::FitObserver {
 public:
  JsObserver(Napi::ThreadSafeFunction tsfn, std::atomic<bool>* stop, bool want_batches, bool progress)
      : tsfn_(tsfn), stop_(stop), want_batches_(want_batches), progress_(progress) {}

  bool batch_end(const gs::nn::BatchReport& r) override {
    if (want_batches_) {
      Event e{Event::kBatch, r, {}, {}};
      return exchange(std::move(e));
    }
    if (!r.monitor.empty()) {
      // Monitor records need no answer: queued without waiting (the queue keeps
      // their order, and the blocking epoch event behind them waits for them all).
      auto* c = new Call{Event{Event::kBatch, r, {}, {}}, nullptr};
      if (tsfn_.BlockingCall(c, deliver) != napi_ok) delete c;
      queued_ = true;
      return true;
    }
    if (progress_) {
      const auto now = std::chrono::steady_clock::now();
      if (now - last_progress_ > std::chrono::milliseconds(100)) {
        last_progress_ = now;
        auto* c = new Call{Event{Event::kProgress, r, {}, {}}, nullptr};
        if (tsfn_.NonBlockingCall(c, deliver) != napi_ok) delete c;
      }
    }
    return true;
  }
  bool epoch_end(const gs::nn::EpochReport& r) override { return exchange(Event{Event::kEpoch, {}, r, {}}); }
  void non_finite(const gs::nn::NonFiniteReport& r) override { exchange(Event{Event::kNonFinite, {}, {}, r}); }
  bool stop_requested() override { return stop_->load() || cancelled_.load() || !error_.empty(); }
  // The JS side is going away (process exit, worker termination): stop waiting
  // for answers that will never come, and stop training.
  void cancel() {
    cancelled_.store(true);
    std::lock_guard<std::mutex> lock(current_mu_);
    if (current_ != nullptr) finish(current_, true, 1.0, "");
  }
  // Waits until JS has handled every queued record (before the promise settles,
  // so that a monitor's history is complete when fit resolves).
  void flush() {
    if (queued_) exchange(Event{Event::kFlush, {}, {}, {}});
  }
  double lr_factor() override { return lr_factor_; }
  const std::string& error() const { return error_; }

 private:
  bool exchange(Event e) {
    queued_ = false;
    if (cancelled_.load()) return false;
    // Shared with the JS thread's callback (which may still run after a cancel).
    auto x = std::make_shared<Exchange>();
    {
      std::lock_guard<std::mutex> lock(current_mu_);
      current_ = x.get();
      keep_ = x;
    }
    auto* c = new Call{std::move(e), x};
    if (tsfn_.BlockingCall(c, deliver) != napi_ok) {
      delete c;
      return false;
    }
    std::unique_lock<std::mutex> lock(x->mu);
    x->cv.wait(lock, [&] { return x->ready; });
    {
      std::lock_guard<std::mutex> guard(current_mu_);
      current_ = nullptr;
    }
    lr_factor_ = x->lr_factor;
    if (!x->error.empty()) error_ = x->error;
    return !x->stop && error_.empty() && !cancelled_.load();
  }

  Napi::ThreadSafeFunction tsfn_;
  std::atomic<bool>* stop_;
  bool want_batches_, progress_;
  bool queued_ = false;  // records sent without waiting since the last exchange
  std::atomic<bool> cancelled_{false};
  std::mutex current_mu_;
  Exchange* current_ = nullptr;          // the exchange the worker waits on, if any
  std::shared_ptr<Exchange> keep_;       // keeps it alive for a late JS answer
  double lr_factor_ = 1.0;
  std::string error_;
  std::chrono::steady_clock::time_point last_progress_{};
};

void cancel_observer(JsObserver* o) { o->cancel(); }

class FitWorker : public PromiseWorker {
 public:
  FitWorker(Napi::Env env, NativeModel* owner, Napi::Object self)
      : PromiseWorker(env, "gradscope.fit"), owner_(owner), env_(env) {
    pin(self);
  }
  // Called once the observer exists: the environment's teardown (worker_thread
  // terminated, process exiting) cancels the fit instead of leaving it waiting.
  void watch_teardown() {
    cleanup_ = env_.AddCleanupHook(&cancel_observer, obs.get());
    owner_->set_observer(obs.get());
  }
  gs::nn::FitConfig cfg;
  OwnedData train, val;
  size_t n_train = 0, n_val = 0;
  std::vector<double> lr;
  std::unique_ptr<JsObserver> obs;
  Napi::ThreadSafeFunction tsfn;

 protected:
  void run() override {
    struct Release {
      FitWorker* w;
      ~Release() { w->tsfn.Release(); }
    } release{this};
    const size_t cols = owner_->model().out_units();
    const gs::nn::Dataset tr = train.view(n_train, cols);
    const gs::nn::Dataset va = val.view(n_val, cols);
    cfg.lr = lr.data();
    result_ = gs::nn::fit(owner_->model(), tr, n_val > 0 ? &va : nullptr, cfg, *obs);
    obs->flush();
  }
  Napi::Value result(Napi::Env env) override {
    if (!obs->error().empty()) throw_error(env, "ERR_GRADSCOPE_CALLBACK", obs->error());
    Napi::Object o = Napi::Object::New(env);
    o.Set("steps", static_cast<double>(result_.steps));
    o.Set("epochs", static_cast<double>(result_.epochs));
    o.Set("stopped", result_.stopped);
    o.Set("nonFinite", result_.non_finite);
    return o;
  }
  void settled() override {
    if (!cleanup_.IsEmpty()) cleanup_.Remove(env_);
    owner_->set_observer(nullptr);
    owner_->set_busy(false);
  }

 private:
  NativeModel* owner_;
  Napi::Env env_;
  Napi::Env::CleanupHook<void (*)(JsObserver*), JsObserver> cleanup_;
  gs::nn::FitResult result_;
};

// fit(x, targets, n, valX | null, valTargets | null, valN, config, run: Float64Array(8),
//     seed: bigint, lr: Float64Array(steps), dispatch: function) -> Promise
// run = [epochs, batchSize, shuffle, firstEpoch, stopOnNonFinite, monitorEvery, saturation, wantBatches, progress]
Napi::Value NativeModel::Fit(const Napi::CallbackInfo& info) {
  return protect(info.Env(), [&]() -> Napi::Value {
    Napi::Env env = info.Env();
    check_idle(env);
    const StepConfig c = arg_config(info, 6, *model_);
    const size_t in = model_->in_units(), cols = model_->out_units();
    const int64_t n = arg_int(info, 2, "n", 1, kMaxDim);
    auto x = arg_typed<float>(info, 0, "x", n * static_cast<int64_t>(in));
    const Targets t = arg_targets(info, 1, c.loss.kind, static_cast<size_t>(n), cols);
    const int64_t nv = arg_int(info, 5, "valN", 0, kMaxDim);
    const float* vx = nullptr;
    Targets vt;
    if (nv > 0) {
      vx = arg_typed<float>(info, 3, "valX", nv * static_cast<int64_t>(in)).Data();
      vt = arg_targets(info, 4, c.loss.kind, static_cast<size_t>(nv), cols);
    }
    auto run = arg_typed<double>(info, 7, "run", 9);
    for (size_t k = 0; k < 9; ++k)
      if (!std::isfinite(run[k]) || run[k] < 0) throw_invalid(env, "run values must be finite and >= 0");
    const uint64_t seed = arg_u64(info, 8, "seed");
    auto lr = arg_typed<double>(info, 9, "lr");
    if (info.Length() <= 10 || !info[10].IsFunction()) throw_invalid(env, "argument 10 (dispatch) must be a function");
    const size_t epochs = static_cast<size_t>(run[0]), batch_size = static_cast<size_t>(run[1]);
    if (batch_size < 1) throw_invalid(env, "batchSize must be >= 1");
    const size_t steps = epochs * ((static_cast<size_t>(n) + batch_size - 1) / batch_size);
    if (lr.ElementLength() != steps) throw_invalid(env, "lr must hold one learning rate per step");
    for (size_t k = 0; k < steps; ++k)
      if (!std::isfinite(lr[k]) || lr[k] < 0) throw_invalid(env, "learning rates must be finite and >= 0");

    auto* w = new FitWorker(env, this, Value());
    w->cfg.epochs = epochs;
    w->cfg.batch_size = batch_size;
    w->cfg.shuffle = run[2] != 0;
    w->cfg.first_epoch = static_cast<int64_t>(run[3]);
    w->cfg.stop_on_non_finite = run[4] != 0;
    w->cfg.monitor_every = static_cast<size_t>(run[5]);
    w->cfg.saturation = run[6];
    w->cfg.seed = seed;
    w->cfg.loss = c.loss;
    w->cfg.optim = c.optim;
    w->cfg.clip = c.clip;
    w->train = copy_data(x.Data(), static_cast<size_t>(n), in, t, cols);
    w->n_train = static_cast<size_t>(n);
    if (nv > 0) w->val = copy_data(vx, static_cast<size_t>(nv), in, vt, cols);
    w->n_val = static_cast<size_t>(nv);
    w->lr.assign(lr.Data(), lr.Data() + steps);
    w->tsfn = Napi::ThreadSafeFunction::New(env, info[10].As<Napi::Function>(), "gradscope.fit.events", 0, 1);
    stop_.store(false);
    w->obs = std::make_unique<JsObserver>(w->tsfn, &stop_, run[7] != 0, run[8] != 0);
    w->watch_teardown();
    busy_.store(true);
    return w->start();
  });
}

Napi::Value NativeModel::Cancel(const Napi::CallbackInfo& info) {
  stop_.store(true);
  if (observer_ != nullptr) observer_->cancel();
  return info.Env().Undefined();
}

// ---------------------------------------------------------------------------
// diagnose: one forward + backward pass (no update) and the statistics of every layer.

class DiagnoseWorker : public PromiseWorker {
 public:
  DiagnoseWorker(Napi::Env env, NativeModel* owner, Napi::Object self)
      : PromiseWorker(env, "gradscope.diagnose"), owner_(owner) {
    pin(self);
  }
  OwnedData data;
  size_t batch = 0;
  StepConfig cfg;
  gs::stats::ActStatsConfig stats;

 protected:
  void run() override {
    gs::nn::Model& m = owner_->model();
    const size_t cols = m.out_units();
    const gs::nn::Dataset d = data.view(batch, cols);
    m.forward(d.x, batch);
    double correct = 0;
    loss_ = m.loss_and_grads(d.x, cfg.loss, {d.y, d.labels}, true, true, &correct);
    out_.resize(gs::stats::model_stats_size(m, stats.bins));
    gs::stats::model_stats(m, d.x, stats, out_.data());
  }
  Napi::Value result(Napi::Env env) override {
    Napi::Object o = Napi::Object::New(env);
    o.Set("loss", loss_);
    auto s = Napi::Float64Array::New(env, out_.size());
    std::memcpy(s.Data(), out_.data(), out_.size() * sizeof(double));
    o.Set("stats", s);
    return o;
  }
  void settled() override { owner_->set_busy(false); }

 private:
  NativeModel* owner_;
  double loss_ = 0;
  std::vector<double> out_;
};

// diagnose(x, targets, batch, config, bins, saturation) -> Promise<{ loss, stats: Float64Array }>
Napi::Value NativeModel::Diagnose(const Napi::CallbackInfo& info) {
  return protect(info.Env(), [&]() -> Napi::Value {
    Napi::Env env = info.Env();
    check_idle(env);
    const StepConfig c = arg_config(info, 3, *model_);
    const int64_t batch = arg_int(info, 2, "batch", 1, kMaxDim);
    auto x = arg_typed<float>(info, 0, "x", batch * static_cast<int64_t>(model_->in_units()));
    const Targets t = arg_targets(info, 1, c.loss.kind, static_cast<size_t>(batch), model_->out_units());
    const int64_t bins = arg_int(info, 4, "bins", 1, 1000);
    const double sat = arg_finite(info, 5, "saturation");
    if (!(sat >= 0 && sat < 0.5)) throw_invalid(env, "saturation must be in [0, 0.5)");
    auto* w = new DiagnoseWorker(env, this, Value());
    w->data = copy_data(x.Data(), static_cast<size_t>(batch), model_->in_units(), t, model_->out_units());
    w->batch = static_cast<size_t>(batch);
    w->cfg = c;
    w->stats.bins = static_cast<int>(bins);
    w->stats.saturation = sat;
    busy_.store(true);
    return w->start();
  });
}

}  // namespace

void register_model(Napi::Env env, Napi::Object exports) {
  exports.Set("NativeModel", NativeModel::Define(env));
}

}  // namespace gsaddon

#include "core/nn/model.h"

#include <cmath>
#include <cstring>

#include "core/error.h"
#include "core/nn/dense.h"

namespace gs::nn {

OptimStep step_scalars(const OptimConfig& c, int64_t t, double lr, double* u_product) {
  OptimStep s{};
  s.kind = c.kind;
  s.lr = static_cast<float>(lr);
  s.momentum = static_cast<float>(c.momentum);
  s.nesterov = c.nesterov;
  s.rho = static_cast<float>(c.rho);
  s.beta1 = static_cast<float>(c.beta1);
  s.beta2 = static_cast<float>(c.beta2);
  s.epsilon = static_cast<float>(c.epsilon);
  s.weight_decay = static_cast<float>(c.weight_decay);
  s.l2 = static_cast<float>(c.l2);
  const double td = static_cast<double>(t);
  if (c.kind == OptimKind::kAdam) {
    s.alpha = static_cast<float>(lr * std::sqrt(1.0 - std::pow(c.beta2, td)) / (1.0 - std::pow(c.beta1, td)));
  } else if (c.kind == OptimKind::kNadam) {
    // Keras' Nadam momentum schedule u_t = β1·(1 − ½·0.96^t)
    auto u = [&](double k) { return c.beta1 * (1.0 - 0.5 * std::pow(0.96, k)); };
    const double prod = *u_product * u(td);
    *u_product = prod;
    s.one_minus_b2t = static_cast<float>(1.0 - std::pow(c.beta2, td));
    s.u_t = static_cast<float>(u(td));
    s.u_t1 = static_cast<float>(u(td + 1));
    s.one_minus_prod_t = static_cast<float>(1.0 - prod);
    s.one_minus_prod_t1 = static_cast<float>(1.0 - prod * u(td + 1));
  }
  return s;
}

Model::Model(std::vector<LayerDesc> layers) : layers_(std::move(layers)) {
  if (layers_.empty()) throw Error(ErrorCode::kInvalidArgument, "a model needs at least one layer");
  for (size_t l = 0; l < layers_.size(); ++l) {
    const LayerDesc& d = layers_[l];
    if (d.in == 0 || d.out == 0) throw Error(ErrorCode::kInvalidArgument, "layer sizes must be >= 1");
    if (l > 0 && d.in != layers_[l - 1].out) {
      throw Error(ErrorCode::kInvalidArgument, "layer " + std::to_string(l) + " takes " + std::to_string(d.in) +
                                                   " inputs but the layer below gives " +
                                                   std::to_string(layers_[l - 1].out));
    }
    if (d.act == Act::kSoftmax && l + 1 != layers_.size()) {
      throw Error(ErrorCode::kInvalidArgument, "softmax is supported on the output layer only");
    }
    w_.push_back(std::make_shared<std::vector<float>>(d.in * d.out));
    b_.push_back(d.bias ? std::make_shared<std::vector<float>>(d.out) : nullptr);
    gw_.emplace_back(d.in * d.out);
    gb_.emplace_back(d.bias ? d.out : 0);
  }
  ws_.resize(layers_.size());
  s1w_.resize(layers_.size());
  s2w_.resize(layers_.size());
  s1b_.resize(layers_.size());
  s2b_.resize(layers_.size());
}

void Model::ensure_batch(size_t batch) {
  if (batch <= capacity_) {
    batch_ = batch;
    return;
  }
  for (size_t l = 0; l < layers_.size(); ++l) {
    const size_t n = batch * layers_[l].out;
    ws_[l].z.assign(n, 0.0f);
    ws_[l].a.assign(n, 0.0f);
    ws_[l].da.assign(n, 0.0f);
  }
  // one scratch for dZ, sized for the widest layer
  size_t widest = 0;
  for (const LayerDesc& d : layers_) widest = d.out > widest ? d.out : widest;
  ws_[0].dz.assign(batch * widest, 0.0f);
  dx0_.assign(batch * layers_[0].in, 0.0f);
  capacity_ = batch;
  batch_ = batch;
}

void Model::forward(const float* x, size_t batch) {
  if (batch == 0) throw Error(ErrorCode::kInvalidArgument, "batch must be >= 1");
  ensure_batch(batch);
  const float* in = x;
  for (size_t l = 0; l < layers_.size(); ++l) {
    const LayerDesc& d = layers_[l];
    dense_forward({batch, d.in, d.out}, in, w_[l]->data(), d.bias ? b_[l]->data() : nullptr, d.act, d.params,
                  ws_[l].z.data(), ws_[l].a.data());
    in = ws_[l].a.data();
  }
}

double Model::loss_and_grads(const float* x, const LossSpec& loss, const LossTargets& t, bool grads,
                             bool input_grad, double* correct) {
  const size_t L = layers_.size(), batch = batch_;
  const LayerDesc& top = layers_[L - 1];
  const double value = loss_forward_backward(loss.kind, loss.from_logits, top.act, ws_[L - 1].z.data(),
                                             ws_[L - 1].a.data(), t, batch, top.out,
                                             grads ? ws_[L - 1].da.data() : nullptr, correct);
  if (!grads) return value;
  const bool fused = loss_is_fused(loss.kind);
  float* dz = ws_[0].dz.data();
  for (size_t l = L; l-- > 0;) {
    const LayerDesc& d = layers_[l];
    const float* in = l == 0 ? x : ws_[l - 1].a.data();
    float* dx = l > 0 ? ws_[l - 1].da.data() : input_grad ? dx0_.data() : nullptr;
    // A fused loss already gave ∂L/∂z: the output layer's activation backward is the identity.
    const Act act = (l == L - 1 && fused) ? Act::kLinear : d.act;
    dense_backward({batch, d.in, d.out}, in, w_[l]->data(), ws_[l].z.data(), ws_[l].a.data(), ws_[l].da.data(), act,
                   d.params, dz, gw_[l].data(), d.bias ? gb_[l].data() : nullptr, dx);
  }
  return value;
}

std::vector<float>& Model::state(std::vector<std::vector<float>>& v, size_t l, size_t n, float init) {
  if (v[l].size() != n) v[l].assign(n, init);
  return v[l];
}

void Model::reset_optimizer(int64_t iterations, double u_product) {
  for (auto* v : {&s1w_, &s2w_, &s1b_, &s2b_})
    for (auto& s : *v) std::vector<float>().swap(s);
  iterations_ = iterations;
  u_product_ = u_product;
}

double Model::update(const OptimConfig& opt, const ClipConfig& clip, double lr, UpdateNorms* norms) {
  const size_t L = layers_.size();
  // Gradient tensors in a fixed order: kernel then bias, layer by layer.
  std::vector<std::pair<float*, size_t>> g;
  for (size_t l = 0; l < L; ++l) {
    g.emplace_back(gw_[l].data(), gw_[l].size());
    if (layers_[l].bias) g.emplace_back(gb_[l].data(), gb_[l].size());
  }
  // Gradient norms as computed, before clipping changes them.
  const bool clipping = clip.value > 0 || clip.norm > 0 || clip.global_norm > 0;
  std::vector<double> raw_grad2;
  if (norms != nullptr && clipping) {
    for (size_t l = 0; l < L; ++l) raw_grad2.push_back(sum_squares(gw_[l].data(), gw_[l].size()));
  }
  if (clip.value > 0) {
    for (auto& [p, n] : g) clip_in_place(p, n, static_cast<float>(clip.value));
  }
  if (clip.norm > 0) {
    for (auto& [p, n] : g) {
      const double norm = std::sqrt(sum_squares(p, n));
      if (norm > clip.norm) scale_in_place(p, n, static_cast<float>(clip.norm / norm));
    }
  }
  // The global norm costs a pass over every gradient: only when clipping by it.
  double global = NAN;
  if (clip.global_norm > 0) {
    double total = 0.0;
    for (auto& [p, n] : g) total += sum_squares(p, n);
    global = std::sqrt(total);
  }
  if (clip.global_norm > 0 && global > clip.global_norm) {
    for (auto& [p, n] : g) scale_in_place(p, n, static_cast<float>(clip.global_norm / global));
  }

  const int64_t t = iterations_ + 1;
  const OptimStep s = step_scalars(opt, t, lr, &u_product_);
  const bool need1 = opt.kind != OptimKind::kSgd || opt.momentum != 0.0;
  const bool need2 = opt.kind == OptimKind::kAdam || opt.kind == OptimKind::kNadam ||
                     (opt.kind == OptimKind::kRmsprop && opt.momentum != 0.0);
  const float init1 = opt.kind == OptimKind::kAdagrad ? static_cast<float>(opt.initial_accumulator) : 0.0f;
  std::vector<UpdateTensor> tensors;
  for (size_t l = 0; l < L; ++l) {
    const size_t nw = gw_[l].size();
    float* s1 = need1 ? state(s1w_, l, nw, init1).data() : nullptr;
    float* s2 = need2 ? state(s2w_, l, nw, 0.0f).data() : nullptr;
    tensors.push_back({w_[l]->data(), gw_[l].data(), s1, s2, nw, norms ? &norms[l] : nullptr});
    if (layers_[l].bias) {
      const size_t nb = gb_[l].size();
      float* b1 = need1 ? state(s1b_, l, nb, init1).data() : nullptr;
      float* b2 = need2 ? state(s2b_, l, nb, 0.0f).data() : nullptr;
      tensors.push_back({b_[l]->data(), gb_[l].data(), b1, b2, nb, nullptr});
    }
  }
  optim_update_all(s, tensors.data(), tensors.size());
  if (norms != nullptr && clipping) {
    for (size_t l = 0; l < L; ++l) norms[l].grad2 = raw_grad2[l];
  }
  iterations_ = t;
  return global;
}

}  // namespace gs::nn

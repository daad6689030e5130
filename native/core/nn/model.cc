#include "core/nn/model.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "core/error.h"
#include "core/nn/dense.h"
#include "core/threadpool.h"

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
    // dZ of every layer: the weight gradients read them after the row pass.
    ws_[l].dz.assign(n, 0.0f);
  }
  dx0_.assign(batch * layers_[0].in, 0.0f);
  capacity_ = batch;
  batch_ = batch;
}

size_t Model::row_parts(size_t batch) const {
  const size_t threads = static_cast<size_t>(ThreadPool::global().usable_threads());
  if (threads <= 1) return 1;
  // Each slice reads every weight matrix whole, where one split product reads a
  // share of it: worth it for a stack of small layers, whose products are too
  // short to split well and whose regions cost more than the reads (measured, 2
  // threads: 784-(100×20)-10 +21%), not for wide ones (784-512-512-10 −5%).
  size_t weights = 0;
  for (const LayerDesc& d : layers_) weights += d.in * d.out;
  if (weights > kRowSplitMaxMeanWeights * layers_.size()) return 1;
  return std::max<size_t>(1, std::min(threads, batch / kMinRowsPerPart));
}

void Model::forward_rows(const float* x, size_t r0, size_t rows) {
  const float* in = x;
  for (size_t l = 0; l < layers_.size(); ++l) {
    const LayerDesc& d = layers_[l];
    dense_forward({rows, d.in, d.out}, in + r0 * d.in, w_[l]->data(), d.bias ? b_[l]->data() : nullptr, d.act,
                  d.params, ws_[l].z.data() + r0 * d.out, ws_[l].a.data() + r0 * d.out);
    in = ws_[l].a.data();
  }
}

void Model::forward(const float* x, size_t batch) {
  if (batch == 0) throw Error(ErrorCode::kInvalidArgument, "batch must be >= 1");
  ensure_batch(batch);
  // Rows are independent through the forward pass: with several threads, each
  // takes a slice of the batch through every layer, one parallel region in all
  // instead of one or two per layer. Each element is the same computation
  // whichever slice holds it: the same bits as one slice.
  const size_t parts = row_parts(batch);
  if (parts <= 1) {
    forward_rows(x, 0, batch);
    return;
  }
  const Blocks slices{batch, (batch + parts - 1) / parts};
  ThreadPool::global().parallel_for(slices.count(), [&](size_t t) {
    forward_rows(x, slices.begin(t), slices.end(t) - slices.begin(t));
  });
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
  // The backward pass in two phases. First the row-local part, layer by layer
  // down: dZ = dA ⊙ f'(Z) and dX = dZ·Wᵀ, each row depending on the same row
  // above only, so (as in forward) each thread takes a slice of the batch through
  // every layer. Then the parts that sum over the batch, dW = Xᵀ·dZ and db, for
  // every layer in one region (weight_grads). Same elements, same bits.
  const auto rows_down = [&](size_t r0, size_t rows) {
    for (size_t l = L; l-- > 0;) {
      const LayerDesc& d = layers_[l];
      float* dx = l > 0 ? ws_[l - 1].da.data() : input_grad ? dx0_.data() : nullptr;
      // A fused loss already gave ∂L/∂z: the output layer's activation backward is the identity.
      const Act act = (l == L - 1 && fused) ? Act::kLinear : d.act;
      const size_t zo = r0 * d.out;
      dense_backward_rows({rows, d.in, d.out}, w_[l]->data(), ws_[l].z.data() + zo, ws_[l].a.data() + zo,
                          ws_[l].da.data() + zo, act, d.params, ws_[l].dz.data() + zo,
                          dx != nullptr ? dx + r0 * d.in : nullptr);
    }
  };
  const size_t parts = row_parts(batch);
  if (parts <= 1) {
    rows_down(0, batch);
  } else {
    const Blocks slices{batch, (batch + parts - 1) / parts};
    ThreadPool::global().parallel_for(slices.count(),
                                      [&](size_t s) { rows_down(slices.begin(s), slices.end(s) - slices.begin(s)); });
  }
  weight_grads(x);
  return value;
}

void Model::weight_grads(const float* x) {
  const size_t L = layers_.size(), batch = batch_;
  const auto input = [&](size_t l) { return l == 0 ? x : ws_[l - 1].a.data(); };
  const size_t threads = static_cast<size_t>(ThreadPool::global().usable_threads());
  if (threads <= 1 || L == 1) {
    // Each layer's products split over the threads by the GEMM itself.
    for (size_t l = 0; l < L; ++l) {
      const LayerDesc& d = layers_[l];
      dense_weight_grads({batch, d.in, d.out}, input(l), ws_[l].dz.data(), 0, d.out, gw_[l].data(),
                         d.bias ? gb_[l].data() : nullptr);
    }
    return;
  }
  // One region over (layer, column block) units, largest first, claimed by the
  // threads as they finish: a deep stack of small layers is one region instead
  // of two per layer. A layer is cut into column blocks (multiples of 32) so no
  // unit is much over a quarter of a thread's share of the work.
  std::vector<GradUnit>& units = grad_units_;
  units.clear();
  size_t total = 0;
  for (const LayerDesc& d : layers_) total += d.in * d.out;
  const size_t share = std::max<size_t>(1, total / (4 * threads));
  for (size_t l = 0; l < L; ++l) {
    const LayerDesc& d = layers_[l];
    const size_t blocks = std::max<size_t>(1, std::min((d.in * d.out + share / 2) / share, (d.out + 31) / 32));
    const size_t width = ((d.out + blocks - 1) / blocks + 31) / 32 * 32;
    for (size_t j0 = 0; j0 < d.out; j0 += width)
      units.push_back({l, j0, std::min(d.out, j0 + width), d.in * (std::min(d.out, j0 + width) - j0)});
  }
  std::stable_sort(units.begin(), units.end(), [](const GradUnit& a, const GradUnit& b) { return a.cost > b.cost; });
  ThreadPool::global().parallel_for(units.size(), [&](size_t u) {
    const GradUnit& w = units[u];
    const LayerDesc& d = layers_[w.layer];
    dense_weight_grads({batch, d.in, d.out}, input(w.layer), ws_[w.layer].dz.data(), w.j0, w.j1,
                       gw_[w.layer].data(), d.bias ? gb_[w.layer].data() : nullptr);
  });
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

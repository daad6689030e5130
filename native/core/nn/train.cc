#include "core/nn/train.h"

#include <cmath>
#include <cstring>

#include "core/error.h"
#include "core/random/philox.h"
#include "core/stats/stats.h"
#include "core/threadpool.h"

namespace gs::nn {

void shuffle_permutation(uint64_t seed, uint64_t stream, std::vector<uint32_t>& perm) {
  const size_t n = perm.size();
  for (size_t i = 0; i < n; ++i) perm[i] = static_cast<uint32_t>(i);
  const uint32_t key[2] = {static_cast<uint32_t>(seed), static_cast<uint32_t>(seed >> 32)};
  uint32_t block[4] = {0, 0, 0, 0};
  // Swap i with j = ⌊u·(i+1)/2^32⌋ for word u = word (n − 1 − i) of the stream:
  // one word per swap, no rejection (the bias is < (i+1)/2^32, far below
  // anything a training run could notice), so the permutation is fixed.
  for (size_t k = 0; k + 1 < n; ++k) {
    if (k % 4 == 0) {
      const uint64_t b = k / 4;
      const uint32_t ctr[4] = {static_cast<uint32_t>(b), static_cast<uint32_t>(b >> 32),
                               static_cast<uint32_t>(stream), static_cast<uint32_t>(stream >> 32)};
      random::philox4x32_10(ctr, key, block);
    }
    const size_t i = n - 1 - k;
    const size_t j = static_cast<size_t>((static_cast<uint64_t>(block[k % 4]) * (i + 1)) >> 32);
    std::swap(perm[i], perm[j]);
  }
}

namespace {

double accuracy_count(LossKind kind, size_t batch, size_t cols) {
  switch (kind) {
    case LossKind::kBce: return static_cast<double>(batch * cols);
    case LossKind::kCce:
    case LossKind::kSparseCce: return static_cast<double>(batch);
    default: return 0.0;
  }
}

// Rows of a batch gathered into contiguous buffers (or pointed to in place
// when they already are contiguous).
struct Batch {
  std::vector<float> x, y;
  std::vector<int32_t> labels;
  const float* px = nullptr;
  LossTargets t;

  void gather(const Dataset& d, size_t in, const uint32_t* idx, size_t start, size_t count) {
    if (idx == nullptr) {
      px = d.x + start * in;
      t.y = d.y ? d.y + start * d.cols : nullptr;
      t.labels = d.labels ? d.labels + start : nullptr;
      return;
    }
    x.resize(count * in);
    // Copied by both threads: a batch of wide rows is a few hundred KiB from
    // scattered rows, a pass the other thread would otherwise sit out.
    const Blocks rows{count, 16};
    ThreadPool::global().parallel_for(rows.count(), [&](size_t t) {
      for (size_t r = rows.begin(t); r < rows.end(t); ++r)
        std::memcpy(&x[r * in], d.x + size_t{idx[start + r]} * in, in * sizeof(float));
    });
    px = x.data();
    if (d.y) {
      y.resize(count * d.cols);
      for (size_t r = 0; r < count; ++r)
        std::memcpy(&y[r * d.cols], d.y + size_t{idx[start + r]} * d.cols, d.cols * sizeof(float));
      t.y = y.data();
      t.labels = nullptr;
    } else {
      labels.resize(count);
      for (size_t r = 0; r < count; ++r) labels[r] = d.labels[idx[start + r]];
      t.labels = labels.data();
      t.y = nullptr;
    }
  }
};

bool any_non_finite(const float* p, size_t n) {
  for (size_t i = 0; i < n; ++i)
    if (!std::isfinite(p[i])) return true;
  return false;
}

}  // namespace

NonFiniteReport locate_non_finite(const Model& m) {
  NonFiniteReport r{0, 0, 0, -1, "loss"};
  const size_t batch = m.batch();
  for (size_t l = 0; l < m.depth(); ++l) {
    const size_t n = batch * m.layer(l).out;
    if (any_non_finite(m.z(l), n)) return {0, 0, 0, static_cast<int>(l), "preActivation"};
    if (any_non_finite(m.a(l), n)) return {0, 0, 0, static_cast<int>(l), "activation"};
  }
  for (size_t l = m.depth(); l-- > 0;) {
    const LayerDesc& d = m.layer(l);
    if (any_non_finite(m.grad_w(l), d.in * d.out) || (d.bias && any_non_finite(m.grad_b(l), d.out))) {
      return {0, 0, 0, static_cast<int>(l), "gradient"};
    }
  }
  return r;
}

void evaluate(Model& m, const Dataset& d, const LossSpec& loss, size_t batch_size, double* loss_out,
              double* accuracy_out) {
  double sum = 0.0, right = 0.0, count = 0.0;
  Batch b;
  const size_t in = m.in_units();
  for (size_t start = 0; start < d.n; start += batch_size) {
    const size_t bs = std::min(batch_size, d.n - start);
    b.gather(d, in, nullptr, start, bs);
    m.forward(b.px, bs);
    double correct = 0.0;
    sum += m.loss_and_grads(b.px, loss, b.t, false, false, &correct) * static_cast<double>(bs);
    right += correct;
    count += accuracy_count(loss.kind, bs, d.cols);
  }
  *loss_out = d.n > 0 ? sum / static_cast<double>(d.n) : NAN;
  *accuracy_out = count > 0 ? right / count : NAN;
}

FitResult fit(Model& m, const Dataset& train, const Dataset* val, const FitConfig& c, FitObserver& obs) {
  FitResult res;
  if (c.batch_size == 0) throw Error(ErrorCode::kInvalidArgument, "batchSize must be >= 1");
  const size_t in = m.in_units(), n = train.n;
  const size_t batches = (n + c.batch_size - 1) / c.batch_size;
  std::vector<uint32_t> perm(c.shuffle ? n : 0);
  Batch b;
  std::vector<UpdateNorms> norms;
  for (size_t e = 0; e < c.epochs; ++e) {
    if (c.shuffle) shuffle_permutation(c.seed, static_cast<uint64_t>(c.first_epoch) + e, perm);
    double sum = 0.0, right = 0.0, count = 0.0;
    for (size_t k = 0; k < batches; ++k) {
      if (obs.stop_requested()) {
        res.stopped = true;
        return res;
      }
      const size_t start = k * c.batch_size, bs = std::min(c.batch_size, n - start);
      b.gather(train, in, c.shuffle ? perm.data() : nullptr, start, bs);
      m.forward(b.px, bs);
      double correct = 0.0;
      const double loss = m.loss_and_grads(b.px, c.loss, b.t, true, false, &correct);
      BatchReport br{e, k, res.steps, loss, correct, accuracy_count(c.loss.kind, bs, train.cols), {}};
      const bool monitored = c.monitor_every > 0 && res.steps % c.monitor_every == 0;
      if (monitored) {
        br.monitor.resize(m.depth() * stats::kMonitorStatCount);
        stats::monitor_stats(m, c.saturation, br.monitor.data());
      }
      if (!std::isfinite(loss)) {
        NonFiniteReport nf = locate_non_finite(m);
        nf.epoch = e;
        nf.batch = k;
        nf.step = res.steps;
        res.non_finite = true;
        obs.non_finite(nf);
        if (c.stop_on_non_finite) return res;
      }
      const double lr = c.lr[res.steps] * obs.lr_factor();
      if (monitored) {
        // ‖∂L/∂W‖ and ‖ΔW‖/‖W‖ are measured inside the update pass, while each block is in cache.
        norms.assign(m.depth(), UpdateNorms{});
        m.update(c.optim, c.clip, lr, norms.data());
        for (size_t l = 0; l < m.depth(); ++l) {
          double* rec = &br.monitor[l * stats::kMonitorStatCount];
          rec[stats::kMonGradNorm] = std::sqrt(norms[l].grad2);
          rec[stats::kMonUpdateRatio] = norms[l].weight2 > 0 ? std::sqrt(norms[l].delta2 / norms[l].weight2) : 0.0;
        }
      } else {
        m.update(c.optim, c.clip, lr);
      }
      ++res.steps;
      sum += loss * static_cast<double>(bs);
      right += correct;
      count += br.count;
      if (!obs.batch_end(br)) {
        res.stopped = true;
        res.epochs = e + 1;
        return res;
      }
    }
    EpochReport er{e, sum / static_cast<double>(n), count > 0 ? right / count : NAN, false, NAN, NAN};
    if (val != nullptr && val->n > 0) {
      er.has_val = true;
      evaluate(m, *val, c.loss, c.batch_size, &er.val_loss, &er.val_accuracy);
    }
    res.epochs = e + 1;
    if (!obs.epoch_end(er)) {
      res.stopped = true;
      return res;
    }
  }
  return res;
}

}  // namespace gs::nn

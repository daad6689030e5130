// The training loop: epochs of shuffled mini-batches, each one model step
// (forward, loss, backward, clipping, update), with validation at the end of
// each epoch and an observer that hears about batches and epochs and may stop
// the run. It runs wherever it is called from (the addon calls it off the JS
// thread); the model must not be used by anyone else meanwhile.
//
// Determinism: the order of the samples is a Fisher–Yates shuffle driven by
// Philox words of (seed, stream = epoch number), so a run is a pure function of
// (weights, data, seed, config): the same bits on every ISA and thread count.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/nn/model.h"

namespace gs::nn {

struct Dataset {
  const float* x = nullptr;         // [n, in]
  const float* y = nullptr;         // [n, cols] (null for sparse labels)
  const int32_t* labels = nullptr;  // [n] (sparse)
  size_t n = 0, cols = 0;
};

struct FitConfig {
  size_t epochs = 1, batch_size = 32;
  bool shuffle = true;
  uint64_t seed = 0;
  int64_t first_epoch = 0;  // stream of the first epoch's shuffle (continuing runs)
  LossSpec loss;
  OptimConfig optim;
  ClipConfig clip;
  // Learning rate of every step of this run, in step order (schedules are
  // evaluated by the caller); multiplied by the observer's lr_factor().
  const double* lr = nullptr;
  bool stop_on_non_finite = true;
  size_t monitor_every = 0;  // record monitor statistics every k steps (0: never)
  double saturation = 0.01;
};

struct BatchReport {
  size_t epoch, batch, step;
  double loss, correct, count;
  // monitored steps: kMonitorStatCount values per layer (see core/stats), else empty
  std::vector<double> monitor;
};

struct EpochReport {
  size_t epoch;
  double loss, accuracy;                           // means over the epoch's samples
  bool has_val;
  double val_loss, val_accuracy;
};

struct NonFiniteReport {
  size_t epoch, batch, step;
  int layer;           // first layer (forward order) with a non-finite tensor, -1 when only the loss
  const char* tensor;  // "preActivation" | "activation" | "loss" | "gradient"
};

class FitObserver {
 public:
  virtual ~FitObserver() = default;
  // Return false to stop after this batch / epoch.
  virtual bool batch_end(const BatchReport& r) = 0;
  virtual bool epoch_end(const EpochReport& r) = 0;
  virtual void non_finite(const NonFiniteReport& r) = 0;
  virtual bool stop_requested() = 0;
  virtual double lr_factor() = 0;
};

struct FitResult {
  size_t steps = 0, epochs = 0;
  bool stopped = false;
  bool non_finite = false;
};

// The permutation of [0, n) for one epoch (exposed for tests).
void shuffle_permutation(uint64_t seed, uint64_t stream, std::vector<uint32_t>& perm);

FitResult fit(Model& m, const Dataset& train, const Dataset* val, const FitConfig& c, FitObserver& obs);

// Mean loss and accuracy over a dataset, in batches (no gradients).
void evaluate(Model& m, const Dataset& d, const LossSpec& loss, size_t batch_size, double* loss_out,
              double* accuracy_out);

// First layer / tensor of the last forward with a non-finite element.
NonFiniteReport locate_non_finite(const Model& m);

}  // namespace gs::nn

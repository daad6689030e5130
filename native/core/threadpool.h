// A persistent thread pool with deterministic work partitioning.
//
// A task writes only its own output, and every output element is computed by
// one fixed sequence of operations whatever the task holding it: elementwise
// work and reductions are cut by Blocks (boundaries from the problem alone), and
// where a partition does follow the thread count (GEMM tiles, the model's row
// slices and weight-gradient units) each element's FMA chain and sum order do
// not. Which thread runs a task, and how many there are, therefore cannot change
// any result: bit-identical for any GRADSCOPE_THREADS / setThreads value.
//
// One parallel region runs at a time. A caller that finds the pool busy (e.g.
// the JS thread while an async fill runs on it, or another worker_thread) runs
// its tasks inline instead of waiting: same tasks, same results.
#pragma once
#include <cstddef>
#include <string>

namespace gs {

constexpr int kMaxThreads = 256;

// Fixed-size blocks over [0, total): block i covers [begin(i), end(i)).
struct Blocks {
  size_t total;
  size_t block;
  size_t count() const { return block == 0 ? 0 : (total + block - 1) / block; }
  size_t begin(size_t i) const { return i * block; }
  size_t end(size_t i) const { return (i + 1) * block < total ? (i + 1) * block : total; }
};

class ThreadPool {
 public:
  // The process-wide pool (shared by every Node environment / worker_thread).
  static ThreadPool& global();

  // Number of threads that work in a region, the caller included (>= 1).
  int threads() const;
  // Whether the calling thread is running a task of a parallel region. A region
  // started from inside one runs its tasks inline on that thread.
  static bool in_region();
  // The threads to size work for from here: 1 inside a region (a nested region
  // runs inline), else threads(). A region can still run inline when another
  // caller holds the pool; that costs time, never bits.
  int usable_threads() const;
  // 1..kMaxThreads; the caller validates. Extra workers start lazily.
  void set_threads(int n);

  // Runs fn(ctx, task) for every task in [0, ntasks). Returns when all are done.
  // An exception thrown by a task is rethrown here (the first one).
  void run(size_t ntasks, void (*fn)(void* ctx, size_t task), void* ctx);

  template <class F>
  void parallel_for(size_t ntasks, F&& f) {
    run(ntasks, [](void* c, size_t t) { (*static_cast<F*>(c))(t); }, &f);
  }

  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

 private:
  ThreadPool();
  struct Impl;
  Impl* impl_;
};

// Reads GRADSCOPE_THREADS (or hardware concurrency). Returns a warning when the
// variable was set but not usable.
int default_thread_count(std::string* warning);

}  // namespace gs

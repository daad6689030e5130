#include "core/threadpool.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

#if defined(__x86_64__) || defined(_M_X64)
#include <immintrin.h>
#define GS_PAUSE() _mm_pause()
#elif defined(__aarch64__)
#define GS_PAUSE() __asm__ __volatile__("yield")
#else
#define GS_PAUSE() ((void)0)
#endif

namespace gs {

int default_thread_count(std::string* warning) {
  unsigned hc = std::thread::hardware_concurrency();
  int n = hc == 0 ? 1 : static_cast<int>(std::min<unsigned>(hc, kMaxThreads));
  const char* env = std::getenv("GRADSCOPE_THREADS");
  if (env != nullptr && *env != '\0') {
    char* end = nullptr;
    long v = std::strtol(env, &end, 10);
    if (end != nullptr && *end == '\0' && v >= 1 && v <= kMaxThreads) {
      n = static_cast<int>(v);
    } else if (warning != nullptr) {
      *warning = std::string("GRADSCOPE_THREADS=") + env + " is not an integer in 1.." +
                 std::to_string(kMaxThreads) + "; using " + std::to_string(n);
    }
  }
  return n;
}

// Protocol. The caller publishes a region (fn, ctx, ntasks) and bumps
// `generation`; workers take task indices from `next`. The caller waits for
// every *task* to finish, never for a worker to show up: on a loaded machine a
// worker may not get a core for milliseconds, and then the caller simply runs
// the tasks itself. A worker enters a region by incrementing `active` and then
// checking `open`; the caller closes the region and waits for `active` to drop
// to 0 before the state can change (seq_cst on both sides, Dekker style: either
// the caller sees the worker or the worker sees the region closed).
namespace {
// Set while this thread runs tasks of a parallel region (ThreadPool::in_region).
thread_local bool tl_in_region = false;
}  // namespace

struct ThreadPool::Impl {
  std::mutex region_mu;  // held for the whole of a parallel region

  std::mutex mu;  // wake-up of sleeping workers
  std::condition_variable cv;
  std::vector<std::thread> workers;

  std::atomic<int> threads{1};
  std::atomic<unsigned long long> generation{0};
  std::atomic<bool> open{false};
  std::atomic<int> active{0};

  void (*fn)(void*, size_t) = nullptr;
  void* ctx = nullptr;
  size_t ntasks = 0;
  int helpers = 0;
  std::atomic<size_t> next{0};
  std::atomic<size_t> done{0};
  std::mutex err_mu;
  std::exception_ptr error;

  void work() {
    const bool outer = tl_in_region;
    tl_in_region = true;
    for (;;) {
      const size_t t = next.fetch_add(1, std::memory_order_relaxed);
      if (t >= ntasks) break;
      try {
        fn(ctx, t);
      } catch (...) {
        std::lock_guard<std::mutex> lock(err_mu);
        if (!error) error = std::current_exception();
      }
      done.fetch_add(1, std::memory_order_acq_rel);
    }
    tl_in_region = outer;
  }

  void worker_loop(int index, unsigned long long seen) {
    for (;;) {
      // Spin briefly: regions often come back to back (GEMM in a training step).
      unsigned long long g = seen;
      for (int spin = 0; spin < 20000; ++spin) {
        g = generation.load(std::memory_order_acquire);
        if (g != seen) break;
        GS_PAUSE();
      }
      if (g == seen) {
        std::unique_lock<std::mutex> lock(mu);
        cv.wait(lock, [&] { return generation.load(std::memory_order_acquire) != seen; });
        g = generation.load(std::memory_order_acquire);
      }
      seen = g;
      active.fetch_add(1, std::memory_order_seq_cst);
      if (open.load(std::memory_order_seq_cst) && generation.load(std::memory_order_seq_cst) == g &&
          index < helpers) {
        work();
      }
      active.fetch_sub(1, std::memory_order_seq_cst);
    }
  }
};

ThreadPool::ThreadPool() : impl_(new Impl) { impl_->threads.store(default_thread_count(nullptr)); }

ThreadPool& ThreadPool::global() {
  // Leaked on purpose: workers may still be parked when the process exits, and
  // a static destructor joining them would race with other environments.
  static ThreadPool* pool = new ThreadPool();
  return *pool;
}

bool ThreadPool::in_region() { return tl_in_region; }

int ThreadPool::threads() const { return impl_->threads.load(std::memory_order_relaxed); }

int ThreadPool::usable_threads() const { return tl_in_region ? 1 : threads(); }

void ThreadPool::set_threads(int n) {
  impl_->threads.store(std::max(1, std::min(n, kMaxThreads)), std::memory_order_relaxed);
}

void ThreadPool::run(size_t ntasks, void (*fn)(void*, size_t), void* ctx) {
  Impl& s = *impl_;
  const int nthreads = threads();
  if (ntasks == 0) return;
  std::unique_lock<std::mutex> region(s.region_mu, std::defer_lock);
  // Nested in a region (this thread may hold region_mu), a single task, one
  // thread, or the pool busy with another caller: run the tasks here.
  if (tl_in_region || ntasks == 1 || nthreads == 1 || !region.try_lock()) {
    for (size_t t = 0; t < ntasks; ++t) fn(ctx, t);
    return;
  }
  const int helpers = static_cast<int>(std::min<size_t>(nthreads - 1, ntasks - 1));
  {
    std::lock_guard<std::mutex> lock(s.mu);
    while (static_cast<int>(s.workers.size()) < helpers) {
      const int index = static_cast<int>(s.workers.size());
      const unsigned long long gen = s.generation.load(std::memory_order_acquire);
      s.workers.emplace_back([&s, index, gen] { s.worker_loop(index, gen); });
      s.workers.back().detach();
    }
    // No worker is inside a region here (the last one waited for active == 0).
    s.fn = fn;
    s.ctx = ctx;
    s.ntasks = ntasks;
    s.helpers = helpers;
    s.error = nullptr;
    s.next.store(0, std::memory_order_relaxed);
    s.done.store(0, std::memory_order_relaxed);
    s.open.store(true, std::memory_order_seq_cst);
    s.generation.fetch_add(1, std::memory_order_seq_cst);
  }
  s.cv.notify_all();
  s.work();
  // Wait for the tasks others took; yield the core after a short spin so a
  // helper that is mid-task on a loaded machine can finish.
  for (int spin = 0; s.done.load(std::memory_order_acquire) < ntasks; ++spin) {
    if (spin < 4000) {
      GS_PAUSE();
    } else {
      std::this_thread::yield();
    }
  }
  s.open.store(false, std::memory_order_seq_cst);
  while (s.active.load(std::memory_order_seq_cst) != 0) GS_PAUSE();
  if (s.error) {
    std::exception_ptr e = s.error;
    s.error = nullptr;
    std::rethrow_exception(e);
  }
}

}  // namespace gs

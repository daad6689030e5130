// 64-byte aligned float buffers for packed panels: SIMD loads of a panel never
// straddle a cache line (vector<float> only guarantees 16 bytes).
#pragma once
#include <cstddef>
#include <cstdlib>
#include <new>

namespace gs {

class AlignedFloats {
 public:
  AlignedFloats() = default;
  explicit AlignedFloats(size_t n) { resize(n); }
  ~AlignedFloats() { std::free(data_); }
  AlignedFloats(const AlignedFloats&) = delete;
  AlignedFloats& operator=(const AlignedFloats&) = delete;

  // Grows (never shrinks); contents are not preserved.
  void resize(size_t n) {
    if (n <= size_) return;
    const size_t bytes = (n * sizeof(float) + 63) / 64 * 64;
    void* p = std::aligned_alloc(64, bytes);
    if (p == nullptr) throw std::bad_alloc();
    std::free(data_);
    data_ = static_cast<float*>(p);
    size_ = n;
  }
  float* data() { return data_; }
  const float* data() const { return data_; }
  size_t size() const { return size_; }

 private:
  float* data_ = nullptr;
  size_t size_ = 0;
};

}  // namespace gs

// Unwrapping and re-checking of arguments. lib/ validates everything with
// friendly messages first; these checks exist so that a caller who bypasses
// lib/ (or a bug in it) gets a JS error instead of memory corruption.
#pragma once
#include <napi.h>

#include <cmath>
#include <cstdint>
#include <string>
#include <type_traits>

#include "addon/errors.h"

namespace gsaddon {

inline std::string arg_label(size_t i, const char* name) {
  return std::string("argument ") + std::to_string(i) + " (" + name + ")";
}

inline double arg_number(const Napi::CallbackInfo& info, size_t i, const char* name) {
  if (i >= info.Length() || !info[i].IsNumber()) throw_invalid(info.Env(), arg_label(i, name) + " must be a number");
  return info[i].As<Napi::Number>().DoubleValue();
}

inline double arg_finite(const Napi::CallbackInfo& info, size_t i, const char* name) {
  const double v = arg_number(info, i, name);
  if (!std::isfinite(v)) throw_invalid(info.Env(), arg_label(i, name) + " must be finite");
  return v;
}

inline int64_t arg_int(const Napi::CallbackInfo& info, size_t i, const char* name, int64_t lo, int64_t hi) {
  const double v = arg_number(info, i, name);
  if (!(v >= static_cast<double>(lo) && v <= static_cast<double>(hi)) || std::floor(v) != v) {
    throw_invalid(info.Env(), arg_label(i, name) + " must be an integer in [" + std::to_string(lo) + ", " +
                                  std::to_string(hi) + "]");
  }
  return static_cast<int64_t>(v);
}

inline uint64_t arg_u64(const Napi::CallbackInfo& info, size_t i, const char* name) {
  if (i >= info.Length() || !info[i].IsBigInt()) throw_invalid(info.Env(), arg_label(i, name) + " must be a bigint");
  bool lossless = false;
  const uint64_t v = info[i].As<Napi::BigInt>().Uint64Value(&lossless);
  if (!lossless) throw_invalid(info.Env(), arg_label(i, name) + " must be a bigint in [0, 2^64)");
  return v;
}

inline std::string arg_string(const Napi::CallbackInfo& info, size_t i, const char* name) {
  if (i >= info.Length() || !info[i].IsString()) throw_invalid(info.Env(), arg_label(i, name) + " must be a string");
  return info[i].As<Napi::String>().Utf8Value();
}

// A typed array of element type T, not detached. `length` < 0 means any length.
template <class T>
Napi::TypedArrayOf<T> arg_typed(const Napi::CallbackInfo& info, size_t i, const char* name, int64_t length = -1) {
  Napi::Env env = info.Env();
  if (i >= info.Length() || !info[i].IsTypedArray()) {
    throw_invalid(env, arg_label(i, name) + " must be a typed array");
  }
  Napi::TypedArray ta = info[i].As<Napi::TypedArray>();
  napi_typedarray_type expected;
  const char* type_name;
  if constexpr (std::is_same_v<T, float>) {
    expected = napi_float32_array;
    type_name = "Float32Array";
  } else if constexpr (std::is_same_v<T, uint32_t>) {
    expected = napi_uint32_array;
    type_name = "Uint32Array";
  } else if constexpr (std::is_same_v<T, int32_t>) {
    expected = napi_int32_array;
    type_name = "Int32Array";
  } else {
    static_assert(std::is_same_v<T, double>, "unsupported element type");
    expected = napi_float64_array;
    type_name = "Float64Array";
  }
  if (ta.TypedArrayType() != expected) throw_invalid(env, arg_label(i, name) + " must be a " + type_name);
  Napi::ArrayBuffer buf = ta.ArrayBuffer();
  if (buf.IsDetached()) throw_invalid(env, arg_label(i, name) + " is backed by a detached ArrayBuffer");
  Napi::TypedArrayOf<T> arr = info[i].As<Napi::TypedArrayOf<T>>();
  if (length >= 0 && arr.ElementLength() != static_cast<size_t>(length)) {
    throw_invalid(env, arg_label(i, name) + " must have length " + std::to_string(length));
  }
  return arr;
}

}  // namespace gsaddon

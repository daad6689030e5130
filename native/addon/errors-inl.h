#pragma once
#include <new>

#include "core/error.h"

namespace gsaddon {

template <class F>
Napi::Value protect(Napi::Env env, F&& f) {
  try {
    return f();
  } catch (const Napi::Error&) {
    throw;
  } catch (const gs::Error& e) {
    throw make_error(env, gs::error_code_name(e.code()), e.what());
  } catch (const std::bad_alloc&) {
    throw make_error(env, "ERR_GRADSCOPE_OUT_OF_MEMORY", "out of memory");
  } catch (const std::exception& e) {
    throw make_error(env, "ERR_GRADSCOPE_INTERNAL", e.what());
  }
}

template <Napi::Value (*Fn)(const Napi::CallbackInfo&)>
Napi::Value guarded(const Napi::CallbackInfo& info) {
  return protect(info.Env(), [&] { return Fn(info); });
}

}  // namespace gsaddon

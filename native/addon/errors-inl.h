#pragma once
#include <new>

#include "core/error.h"

namespace gsaddon {

template <Napi::Value (*Fn)(const Napi::CallbackInfo&)>
Napi::Value guarded(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  try {
    return Fn(info);
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

}  // namespace gsaddon

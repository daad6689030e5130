// JS errors raised by the addon. They are instances of GradscopeError (defined
// in lib/errors.ts and handed over once by lib/native.ts via setErrorClass),
// with a `code` such as ERR_GRADSCOPE_INVALID_ARGUMENT.
#pragma once
#include <napi.h>

#include <string>

namespace gsaddon {

struct AddonData {
  Napi::FunctionReference error_class;
};

Napi::Error make_error(Napi::Env env, const char* code, const std::string& message);
[[noreturn]] void throw_error(Napi::Env env, const char* code, const std::string& message);
[[noreturn]] void throw_invalid(Napi::Env env, const std::string& message);

// Wraps a binding so core exceptions (gs::Error, std::bad_alloc, anything
// else) become JS errors instead of terminating the process.
template <Napi::Value (*Fn)(const Napi::CallbackInfo&)>
Napi::Value guarded(const Napi::CallbackInfo& info);
template <class F>
Napi::Value protect(Napi::Env env, F&& f);

void register_errors(Napi::Env env, Napi::Object exports);

}  // namespace gsaddon

#include "addon/errors-inl.h"

#include "addon/errors.h"

namespace gsaddon {

Napi::Error make_error(Napi::Env env, const char* code, const std::string& message) {
  AddonData* data = env.GetInstanceData<AddonData>();
  Napi::Object err;
  if (data != nullptr && !data->error_class.IsEmpty()) {
    err = data->error_class.New({Napi::String::New(env, message)});
  } else {
    err = Napi::Error::New(env, message).Value();
  }
  err.Set("code", Napi::String::New(env, code));
  return Napi::Error(env, err);
}

void throw_error(Napi::Env env, const char* code, const std::string& message) {
  throw make_error(env, code, message);
}

void throw_invalid(Napi::Env env, const std::string& message) {
  throw make_error(env, "ERR_GRADSCOPE_INVALID_ARGUMENT", message);
}

namespace {
Napi::Value SetErrorClass(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsFunction()) throw_invalid(env, "setErrorClass expects a class");
  AddonData* data = env.GetInstanceData<AddonData>();
  data->error_class = Napi::Persistent(info[0].As<Napi::Function>());
  return env.Undefined();
}
}  // namespace

void register_errors(Napi::Env env, Napi::Object exports) {
  exports.Set("setErrorClass", Napi::Function::New(env, guarded<SetErrorClass>, "setErrorClass"));
}

}  // namespace gsaddon

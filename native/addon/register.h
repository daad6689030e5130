// One register_* per file of native/addon/, each adding its bindings to exports.
#pragma once
#include <napi.h>

namespace gsaddon {
void register_system(Napi::Env env, Napi::Object exports);
void register_random(Napi::Env env, Napi::Object exports);
void register_ops(Napi::Env env, Napi::Object exports);
void register_nn(Napi::Env env, Napi::Object exports);
void register_optim(Napi::Env env, Napi::Object exports);
void register_model(Napi::Env env, Napi::Object exports);
}  // namespace gsaddon

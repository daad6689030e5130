// Module init: one AddonData per Node environment (main thread or
// worker_thread), so the addon is context-aware; each concern registers its
// own bindings.
#include <napi.h>

#include "addon/errors.h"
#include "addon/register.h"

namespace gsaddon {

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  env.SetInstanceData<AddonData>(new AddonData());
  register_errors(env, exports);
  register_system(env, exports);
  register_random(env, exports);
  register_ops(env, exports);
  register_nn(env, exports);
  register_optim(env, exports);
  register_model(env, exports);
  return exports;
}

}  // namespace gsaddon

static Napi::Object InitGradscope(Napi::Env env, Napi::Object exports) {
  return gsaddon::Init(env, exports);
}

NODE_API_MODULE(gradscope, InitGradscope)

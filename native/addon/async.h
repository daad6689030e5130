// The AsyncWorker + Promise pattern: arguments are unwrapped and checked on the
// JS thread, copied into the worker, the JS objects it touches are pinned by
// references until it settles, the work runs on libuv's pool (and from there on
// gradscope's pool), and the Promise settles back on the JS thread.
#pragma once
#include <napi.h>

#include <new>
#include <string>
#include <vector>

#include "addon/errors.h"
#include "core/error.h"

namespace gsaddon {

class PromiseWorker : public Napi::AsyncWorker {
 public:
  PromiseWorker(Napi::Env env, const char* name)
      : Napi::AsyncWorker(env, name), deferred_(Napi::Promise::Deferred::New(env)) {}

  // Queues the worker and returns its promise.
  Napi::Promise start() {
    Napi::Promise p = deferred_.Promise();
    Queue();
    return p;
  }

  // Keeps `v` (a typed array or any object) alive until the promise settles.
  void pin(Napi::Value v) { pins_.push_back(Napi::Persistent(v.As<Napi::Object>())); }

 protected:
  virtual void run() = 0;  // worker thread: no N-API calls here
  virtual Napi::Value result(Napi::Env env) { return env.Undefined(); }
  // JS thread, first thing once the work is over, whether it succeeded or not.
  virtual void settled() {}

 private:
  void Execute() override {
    try {
      run();
    } catch (const gs::Error& e) {
      code_ = gs::error_code_name(e.code());
      SetError(e.what());
    } catch (const std::bad_alloc&) {
      code_ = "ERR_GRADSCOPE_OUT_OF_MEMORY";
      SetError("out of memory");
    } catch (const std::exception& e) {
      code_ = "ERR_GRADSCOPE_INTERNAL";
      SetError(e.what());
    }
  }
  // result() runs on the JS thread and may throw (e.g. a buffer was detached
  // meanwhile): the promise is then rejected with that error.
  void OnOK() override {
    settled();
    try {
      deferred_.Resolve(result(Env()));
    } catch (const Napi::Error& e) {
      deferred_.Reject(e.Value());
    }
  }
  void OnError(const Napi::Error& e) override {
    settled();
    deferred_.Reject(make_error(Env(), code_, e.Message()).Value());
  }

  Napi::Promise::Deferred deferred_;
  std::vector<Napi::ObjectReference> pins_;
  const char* code_ = "ERR_GRADSCOPE_INTERNAL";
};

}  // namespace gsaddon

// Errors raised by the portable core. The addon turns them into JS errors
// (GradscopeError with `code`); kernels never throw.
#pragma once
#include <stdexcept>
#include <string>

namespace gs {

enum class ErrorCode {
  kInvalidArgument,  // a value the core cannot work with (re-checked after lib/ validation)
  kOutOfMemory,      // an allocation failed or a size overflowed
  kBusy,             // a resource (e.g. a model) is in use by another call
  kInternal,
};

inline const char* error_code_name(ErrorCode c) {
  switch (c) {
    case ErrorCode::kInvalidArgument: return "ERR_GRADSCOPE_INVALID_ARGUMENT";
    case ErrorCode::kOutOfMemory: return "ERR_GRADSCOPE_OUT_OF_MEMORY";
    case ErrorCode::kBusy: return "ERR_GRADSCOPE_BUSY";
    case ErrorCode::kInternal: return "ERR_GRADSCOPE_INTERNAL";
  }
  return "ERR_GRADSCOPE_INTERNAL";
}

class Error : public std::runtime_error {
 public:
  Error(ErrorCode code, const std::string& message) : std::runtime_error(message), code_(code) {}
  ErrorCode code() const { return code_; }

 private:
  ErrorCode code_;
};

}  // namespace gs

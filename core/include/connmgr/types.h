// Small value types shared by the manager and its backends.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

namespace connmgr {

using Duration = std::chrono::nanoseconds;
// Time as the injected Clock reports it (virtual under test, steady_clock in production).
using TimePoint = std::chrono::time_point<std::chrono::steady_clock, Duration>;

// Request ids: nonzero, unique and increasing in registration order; 0 means "not registered yet".
using ReqId = std::uint64_t;

// The five states of a connection request (spec A.1). A fresh request reads Pending.
enum class ConnState : std::uint32_t {
  pending = 0,
  established = 1,
  disconnected = 2,
  failed = 3,
  canceled = 4,
};

const char* to_string(ConnState state) noexcept;

// The two designs of the manager (spec section B). Synchronous: every operation runs its critical
// section on the caller's thread under the manager's mutex and is complete on return. Event loop:
// every operation is a message to one handler that runs the critical sections in FIFO order, as
// the Go manager did before its conversion; see conn_manager.h for what that changes.
enum class Design { synchronous, event_loop };

// A unit of work handed to an Executor or a timer. Must not throw (the manager wraps user code).
using Task = std::function<void()>;

}  // namespace connmgr

// Configuration of a ConnManager (spec A.2, with the corrections of section 0).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "connmgr/clock.h"
#include "connmgr/conn_req.h"
#include "connmgr/connection.h"
#include "connmgr/executor.h"

namespace connmgr {

inline constexpr std::uint32_t kDefaultTargetOutbound = 8;
inline constexpr Duration kDefaultRetryDuration = std::chrono::seconds(5);
inline constexpr Duration kDefaultMaxRetryDuration = std::chrono::minutes(5);
// After this many consecutive failed automatic attempts, each replacement waits retry_duration.
inline constexpr std::uint64_t kMaxFailedAttempts = 25;

enum class LogLevel { debug, info, warning, error };

// The services (dialer, clock, executor, listeners) are borrowed: they must outlive the manager.
// Callbacks run on the executor, never under the manager's lock and never on the stack of the
// call that caused them; an exception they throw is caught and logged.
template <class Platform>
struct Config {
  Dialer* dialer = nullptr;      // Required.
  Clock* clock = nullptr;        // Required.
  Executor* executor = nullptr;  // Required.

  // Accept loops run from start() to stop(); stop() closes every listener. Requires on_accept.
  std::vector<Listener*> listeners;
  std::function<void(const ConnectionPtr&)> on_accept;

  // Called once per established outbound connection, and once per removal of one.
  std::function<void(const ConnReqPtr<Platform>&, const ConnectionPtr&)> on_connection;
  std::function<void(const ConnReqPtr<Platform>&)> on_disconnection;

  // Source of addresses for automatic outbound requests; unset means manual mode. Returning
  // nullopt (or throwing) counts as a failed automatic attempt.
  std::function<std::optional<std::string>()> get_new_address;
  std::uint32_t target_outbound = 0;  // 0 selects kDefaultTargetOutbound.

  Duration retry_duration{0};                             // 0 selects kDefaultRetryDuration.
  Duration max_retry_duration = kDefaultMaxRetryDuration;  // Cap of the linear back-off.
  Duration dial_timeout{0};                               // 0 means dials have no deadline.

  std::function<void(LogLevel, const std::string&)> log;  // Optional.
};

}  // namespace connmgr

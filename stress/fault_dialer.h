// A Dialer of emulated network faults. Each dial draws, from its own seeded stream, an outcome and
// a delay that it really waits out (a timed wait on a condition variable, ended early by the
// DialContext's cancel handler unless the outcome ignores cancellation):
//   succeed                  a connection after the delay (the cancellation, if canceled first);
//   fail                     std::errc::connection_refused after the delay (same);
//   hang                     blocks until canceled (dial_timeout, cancel, remove, stop), then
//                            returns the cancellation;
//   succeed_ignoring_cancel  a connection after the full delay, canceled or not;
//   no_connection            success without a connection (Errc::nil_connection for the manager);
//   fail_with_connection     a connection together with an error (the manager must close it);
//   throw_exception          throws std::runtime_error after the delay.
// Connections are testkit::FakeConnection. Thread-safe: dials run on many threads at once.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

#include "connmgr/connection.h"

namespace connmgr::stress {

class FaultDialer final : public Dialer {
 public:
  // `seed`: the round's seed, of which the dials stream is drawn.
  FaultDialer(std::uint64_t seed, std::chrono::microseconds max_delay);
  NetOutcome dial(const std::string& address, DialContext& context) override;

 private:
  const std::uint64_t seed_;
  const std::uint64_t max_delay_us_;
  std::atomic<std::uint64_t> dials_{0};  // Numbers the dials; dial N uses stream N.
};

}  // namespace connmgr::stress

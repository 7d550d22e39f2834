#include "fault_dialer.h"

#include <optional>
#include <stdexcept>

#include "connmgr/testkit/fake_connection.h"
#include "latency.h"
#include "rng.h"

namespace connmgr::stress {
namespace {

enum class Fault {
  succeed,
  fail,
  hang,
  succeed_ignoring_cancel,
  no_connection,
  fail_with_connection,
  throw_exception,
};

Fault draw_fault(Rng& rng) {
  const auto draw = rng.below(100);
  if (draw < 50) return Fault::succeed;
  if (draw < 65) return Fault::fail;
  if (draw < 73) return Fault::hang;
  if (draw < 83) return Fault::succeed_ignoring_cancel;
  if (draw < 88) return Fault::no_connection;
  if (draw < 95) return Fault::fail_with_connection;
  return Fault::throw_exception;
}

// Waits out the delay. Unless `ignore_cancel`, a cancellation ends the wait at once.
void emulate_delay(DialContext& context, std::optional<Latency::TimePoint> deadline,
                   bool ignore_cancel) {
  Latency latency;
  if (!ignore_cancel) context.set_cancel_handler([&latency] { latency.cut_short(); });
  latency.wait_until(deadline);
  if (!ignore_cancel) context.clear_cancel_handler();
}

}  // namespace

FaultDialer::FaultDialer(std::uint64_t seed, std::chrono::microseconds max_delay)
    : seed_(seed), max_delay_us_(static_cast<std::uint64_t>(max_delay.count())) {}

NetOutcome FaultDialer::dial(const std::string& address, DialContext& context) {
  Rng rng(Rng::derive(seed_, Stream::dials, dials_++));
  const Fault fault = draw_fault(rng);
  const auto delay = std::chrono::microseconds(rng.percent(30) ? 0 : rng.below(max_delay_us_ + 1));
  const bool ignore_cancel = fault == Fault::succeed_ignoring_cancel;
  if (fault == Fault::hang) emulate_delay(context, std::nullopt, false);
  else emulate_delay(context, std::chrono::steady_clock::now() + delay, ignore_cancel);

  const std::error_code canceled = context.cancellation();
  if (canceled && !ignore_cancel && fault != Fault::throw_exception) return {nullptr, canceled};
  auto connection = [&] { return std::make_shared<testkit::FakeConnection>(address); };
  switch (fault) {
    case Fault::succeed:
    case Fault::succeed_ignoring_cancel: return {connection(), {}};
    case Fault::fail:
    case Fault::hang: break;
    case Fault::no_connection: return {nullptr, {}};
    case Fault::fail_with_connection:
      return {connection(), std::make_error_code(std::errc::connection_refused)};
    case Fault::throw_exception: throw std::runtime_error("fault dialer: injected exception");
  }
  return {nullptr, std::make_error_code(std::errc::connection_refused)};
}

}  // namespace connmgr::stress

#include "fault_dialer.h"

#include <condition_variable>
#include <optional>
#include <stdexcept>

#include "connmgr/std_platform.h"
#include "connmgr/testkit/fake_connection.h"
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

using SteadyTime = std::chrono::steady_clock::time_point;

// One dial's emulated network delay: open() (the cancel handler) ends it early.
class Delay {
 public:
  void open() EXCLUDES(mu_) {
    LockGuard<StdMutex> lock(mu_);
    open_ = true;
    changed_.notify_all();
  }

  // Blocks until open() or `deadline` (none: until open()).
  void wait_until(std::optional<SteadyTime> deadline) EXCLUDES(mu_) {
    LockGuard<StdMutex> lock(mu_);
    std::unique_lock<std::mutex> native(mu_.native(), std::adopt_lock);
    while (!open_) {
      if (!deadline) changed_.wait(native);
      else if (changed_.wait_until(native, *deadline) == std::cv_status::timeout) break;
    }
    native.release();
  }

 private:
  StdMutex mu_;
  std::condition_variable changed_;
  bool open_ GUARDED_BY(mu_) = false;
};

// Waits out the delay. Unless `ignore_cancel`, a cancellation ends the wait at once.
void emulate_delay(DialContext& context, std::optional<SteadyTime> deadline, bool ignore_cancel) {
  Delay delay;
  if (!ignore_cancel) context.set_cancel_handler([&delay] { delay.open(); });
  delay.wait_until(deadline);
  if (!ignore_cancel) context.clear_cancel_handler();
}

}  // namespace

FaultDialer::FaultDialer(std::uint64_t master_seed, std::chrono::microseconds max_delay)
    : master_seed_(master_seed), max_delay_(max_delay) {}

NetOutcome FaultDialer::dial(const std::string& address, DialContext& context) {
  Rng rng(Rng::derive(master_seed_, Stream::dials, dials_++));
  const Fault fault = draw_fault(rng);
  const auto delay = rng.percent(30) ? std::chrono::microseconds(0)
                                     : std::chrono::microseconds(rng.below(max_delay_.count() + 1));
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

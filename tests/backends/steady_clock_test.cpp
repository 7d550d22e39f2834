#include "connmgr/steady_clock.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <condition_variable>
#include <future>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace connmgr {
namespace {

using namespace std::chrono_literals;

// Tests declare these helpers before the clock, so that its destructor joins the timer thread
// before they go away.

// Records the order in which callbacks ran; wait_for(n) blocks until n of them have.
class Recorder {
 public:
  Task record(int tag) {
    return [this, tag] {
      std::lock_guard<std::mutex> lock(mu_);
      order_.push_back(tag);
      changed_.notify_all();
    };
  }

  std::vector<int> wait_for(std::size_t count) {
    std::unique_lock<std::mutex> lock(mu_);
    changed_.wait(lock, [&] { return order_.size() >= count; });
    return order_;
  }

 private:
  std::mutex mu_;
  std::condition_variable changed_;
  std::vector<int> order_;
};

// Blocks the timer thread in a callback until open() is called.
class Gate {
 public:
  Task hold() {
    return [this] {
      entered_.set_value();
      opened_.wait();
    };
  }
  void wait_entered() { entered_signal_.wait(); }
  void open() { open_.set_value(); }

 private:
  std::promise<void> entered_;
  std::future<void> entered_signal_ = entered_.get_future();
  std::promise<void> open_;
  std::future<void> opened_ = open_.get_future();
};

TEST_CASE("SteadyClock ids start at 1 and increase") {
  SteadyClock clock;
  CHECK(clock.schedule(1h, [] {}) == 1);
  CHECK(clock.schedule(1h, [] {}) == 2);
  CHECK(clock.schedule(0ns, [] {}) == 3);
}

TEST_CASE("SteadyClock now() does not go backwards") {
  SteadyClock clock;
  const TimePoint first = clock.now();
  CHECK(clock.now() >= first);
}

TEST_CASE("SteadyClock fires timers in deadline order, equal delays in id order") {
  Recorder recorder;
  SteadyClock clock;
  const TimePoint before = clock.now();
  clock.schedule(20ms, recorder.record(0));
  for (int tag = 1; tag <= 3; ++tag) clock.schedule(0ms, recorder.record(tag));
  for (int tag = 4; tag <= 5; ++tag) clock.schedule(1ms, recorder.record(tag));
  const TimePoint after = clock.now();

  const std::vector<int> order = recorder.wait_for(6);
  std::vector<int> fast;
  for (int tag : order) {
    if (tag != 0) fast.push_back(tag);
  }
  CHECK(fast == std::vector<int>{1, 2, 3, 4, 5});
  // The 20ms timer was scheduled first but is due last, unless scheduling itself took that long.
  if (after + 1ms < before + 20ms) CHECK(order.back() == 0);
}

TEST_CASE("SteadyClock never runs a callback before its deadline, and on its own thread") {
  std::promise<std::pair<TimePoint, std::thread::id>> fire;
  std::future<std::pair<TimePoint, std::thread::id>> fired = fire.get_future();
  SteadyClock clock;
  const TimePoint before = clock.now();
  clock.schedule(5ms, [&] { fire.set_value({clock.now(), std::this_thread::get_id()}); });
  const auto [at, thread] = fired.get();
  CHECK(at >= before + 5ms);
  CHECK(thread != std::this_thread::get_id());
}

TEST_CASE("SteadyClock cancel() of a pending timer returns true once; the callback never runs") {
  bool ran = false;
  {
    SteadyClock clock;
    const TimerId id = clock.schedule(1h, [&] { ran = true; });
    CHECK(clock.cancel(id));
    CHECK_FALSE(clock.cancel(id));
  }
  CHECK_FALSE(ran);
}

TEST_CASE("SteadyClock cancel() of a due timer that has not run yet keeps it from running") {
  Gate gate;
  Recorder recorder;
  SteadyClock clock;
  clock.schedule(0ms, gate.hold());
  gate.wait_entered();
  const TimerId due = clock.schedule(0ms, recorder.record(1));
  clock.schedule(0ms, recorder.record(2));
  CHECK(clock.cancel(due));
  gate.open();
  // Timer 2 is due after timer 1, so had timer 1 run it would be recorded first.
  CHECK(recorder.wait_for(1) == std::vector<int>{2});
}

TEST_CASE("SteadyClock cancel() returns false for fired, running and unknown timers") {
  Recorder recorder;
  Gate gate;
  SteadyClock clock;
  CHECK_FALSE(clock.cancel(0));
  CHECK_FALSE(clock.cancel(42));

  const TimerId fired = clock.schedule(0ms, recorder.record(1));
  recorder.wait_for(1);
  CHECK_FALSE(clock.cancel(fired));

  const TimerId running = clock.schedule(0ms, gate.hold());
  gate.wait_entered();
  CHECK_FALSE(clock.cancel(running));
  gate.open();
}

TEST_CASE("SteadyClock callbacks may schedule and cancel timers") {
  Recorder recorder;
  SteadyClock clock;
  const TimerId victim = clock.schedule(1h, recorder.record(99));
  clock.schedule(0ms, [&] {
    CHECK(clock.cancel(victim));
    clock.schedule(0ms, recorder.record(1));
  });
  CHECK(recorder.wait_for(1) == std::vector<int>{1});
}

TEST_CASE("SteadyClock destructor drops pending timers without running them") {
  bool ran = false;
  auto captured = std::make_shared<int>(0);
  std::weak_ptr<int> watch = captured;
  {
    SteadyClock clock;
    clock.schedule(1h, [&ran, captured = std::move(captured)] { ran = true; });
    clock.schedule(24h, [&ran] { ran = true; });
  }
  CHECK_FALSE(ran);
  CHECK(watch.expired());
}

TEST_CASE("SteadyClock accepts the largest delay and negative delays") {
  Recorder recorder;
  SteadyClock clock;
  const TimerId never = clock.schedule(Duration::max(), recorder.record(99));
  clock.schedule(-1h, recorder.record(1));
  clock.schedule(Duration::min(), recorder.record(2));
  CHECK(recorder.wait_for(2) == std::vector<int>{1, 2});
  CHECK(clock.cancel(never));
}

}  // namespace
}  // namespace connmgr

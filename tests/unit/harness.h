// The unit suite's fixture: a manager on virtual time, a queued executor and a scripted dialer,
// with callbacks recorded and the shared invariants checked whenever the test settles.
#pragma once

#include <catch2/catch.hpp>

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <type_traits>
#include <vector>

#include "connmgr/check/invariants.h"
#include "connmgr/std_conn_manager.h"
#include "connmgr/testkit/manual_clock.h"
#include "connmgr/testkit/manual_executor.h"
#include "connmgr/testkit/quiescent_executor.h"
#include "connmgr/testkit/scripted_dialer.h"

namespace connmgr::unit {

using namespace std::chrono_literals;
using testkit::DialAction;
using testkit::DialStep;

inline StdConnReqPtr manual_req(const std::string& address, bool permanent = false) {
  return std::make_shared<StdConnReq>(address, permanent);
}

struct CallbackRecord {
  StdConnReqPtr req;
  ConnState state_at_callback;
  ConnectionPtr conn = nullptr;  // on_connection's connection.
};

// How often the manager closed a connection the ScriptedDialer made.
inline int close_count(const ConnectionPtr& conn) {
  const auto* fake = dynamic_cast<const testkit::FakeConnection*>(conn.get());
  REQUIRE(fake != nullptr);
  return fake->close_count();
}

// Callback invocations, recorded from any thread; tests that use real threads wait on them.
class Recorder {
 public:
  void add(CallbackRecord record) {
    std::lock_guard<std::mutex> lock(mu_);
    records_.push_back(std::move(record));
    changed_.notify_all();
  }
  std::vector<CallbackRecord> all() const {
    std::lock_guard<std::mutex> lock(mu_);
    return records_;
  }
  std::size_t size() const { return all().size(); }
  CallbackRecord operator[](std::size_t i) const { return all().at(i); }
  void wait_for(std::size_t count) {
    std::unique_lock<std::mutex> lock(mu_);
    changed_.wait(lock, [&] { return records_.size() >= count; });
  }

 private:
  mutable std::mutex mu_;
  std::condition_variable changed_;
  std::vector<CallbackRecord> records_;
};

// The two designs, as types for TEMPLATE_TEST_CASE.
using Synchronous = std::integral_constant<Design, Design::synchronous>;
using EventLoop = std::integral_constant<Design, Design::event_loop>;

// The fixture for design D. Synchronous: spawned work waits in a ManualExecutor until settle()
// runs it on the test thread. Event loop: the handler and all spawned work run on real threads
// (the handler must never wait for the test thread) and settle() waits until they are done.
template <Design D = Design::synchronous>
class Harness {
 public:
  using Manager = BasicConnManager<StdPlatform, D>;
  static constexpr bool kEventLoop = D == Design::event_loop;

  testkit::ManualClock clock;
  testkit::ManualExecutor executor;
  testkit::QuiescentExecutor threads;
  testkit::ScriptedDialer dialer;
  Recorder connected;
  Recorder disconnected;
  // Declared after the services it uses, so it is destroyed (stopped and joined) before them.
  std::unique_ptr<Manager> manager;

  // The manager's destructor waits for its queued work, which only this thread can run.
  ~Harness() {
    if (!manager) return;
    manager->stop();
    executor.run_ready();
  }

  // A config wired to this harness's backends, with recording callbacks and no address source.
  StdConfig config() {
    StdConfig config;
    config.dialer = &dialer;
    config.clock = &clock;
    config.executor = kEventLoop ? static_cast<Executor*>(&threads) : &executor;
    config.on_connection = [this](const StdConnReqPtr& req, const ConnectionPtr& conn) {
      connected.add({req, req->state(), conn});
    };
    config.on_disconnection = [this](const StdConnReqPtr& req) {
      disconnected.add({req, req->state()});
    };
    return config;
  }

  // The same, with spawned work on real threads in both designs (dials and accepts that block).
  StdConfig threaded_config() {
    auto config = this->config();
    config.executor = &threads;
    return config;
  }

  Manager& create(StdConfig config) {
    std::error_code error;
    manager = Manager::create(std::move(config), error);
    REQUIRE_FALSE(error);
    REQUIRE(manager);
    return *manager;
  }

  Manager& create() { return create(config()); }

  // create() then start(), as the Go tests start Run before anything else.
  Manager& start(StdConfig config) {
    auto& manager = create(std::move(config));
    REQUIRE_FALSE(manager.start());
    return manager;
  }

  Manager& start() { return start(config()); }

  // Runs (synchronous) or waits for (event loop) all spawned work, then checks the invariants.
  void settle() {
    if constexpr (kEventLoop) {
      threads.wait_idle();
    } else {
      executor.run_ready();
    }
    check();
  }

  // Moves virtual time forward by `span`, stopping at every timer deadline on the way to run the
  // work that timer spawned before time moves on.
  void advance(Duration span) {
    const TimePoint target = clock.now() + span;
    settle();
    while (auto next = clock.next_deadline()) {
      if (*next > target) break;
      clock.advance(*next - clock.now());
      settle();
    }
    clock.advance(target - clock.now());
    settle();
  }

  void check() const {
    for (const auto& violation : check::registry_violations(manager->snapshot())) FAIL(violation);
  }

  // stop(), drain, wait(): then nothing may be left running or armed.
  void shut_down() {
    manager->stop();
    executor.run_ready();
    manager->wait();
    for (const auto& violation : check::quiescent_violations(manager->snapshot())) FAIL(violation);
  }

  Snapshot snapshot() const { return manager->snapshot(); }
};

}  // namespace connmgr::unit

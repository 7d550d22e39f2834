// The unit suite's fixture: a manager on virtual time, a queued executor and a scripted dialer,
// with callbacks recorded and the shared invariants checked whenever the test settles.
#pragma once

#include <catch2/catch.hpp>

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "connmgr/check/invariants.h"
#include "connmgr/std_conn_manager.h"
#include "connmgr/testkit/manual_clock.h"
#include "connmgr/testkit/manual_executor.h"
#include "connmgr/testkit/scripted_dialer.h"
#include "connmgr/thread_executor.h"

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
};

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

class Harness {
 public:
  testkit::ManualClock clock;
  testkit::ManualExecutor executor;
  testkit::ScriptedDialer dialer;
  Recorder connected;
  Recorder disconnected;
  // Declared after the services it uses, so it is destroyed (stopped and joined) before them.
  std::optional<ThreadExecutor> thread_executor;
  std::unique_ptr<StdConnManager> manager;

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
    config.executor = &executor;
    config.on_connection = [this](const StdConnReqPtr& req, const ConnectionPtr&) {
      connected.add({req, req->state()});
    };
    config.on_disconnection = [this](const StdConnReqPtr& req) {
      disconnected.add({req, req->state()});
    };
    return config;
  }

  // The same, with spawned work on real threads (for dials and accepts that block).
  StdConfig threaded_config() {
    thread_executor.emplace();
    auto config = this->config();
    config.executor = &*thread_executor;
    return config;
  }

  StdConnManager& create(StdConfig config) {
    std::error_code error;
    manager = StdConnManager::create(std::move(config), error);
    REQUIRE_FALSE(error);
    REQUIRE(manager);
    return *manager;
  }

  StdConnManager& create() { return create(config()); }

  // Runs every queued task, then checks the invariants.
  void settle() {
    executor.run_ready();
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

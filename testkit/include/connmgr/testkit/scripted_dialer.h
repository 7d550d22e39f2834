// A Dialer whose every outcome is chosen by the test: succeed, fail, hang until canceled, hang
// ignoring cancellation and finish when released (a success that arrives after the request was
// canceled), report success without a connection, return a connection with an error, or throw.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <system_error>
#include <vector>

#include "connmgr/connection.h"
#include "connmgr/testkit/fake_connection.h"

namespace connmgr::testkit {

enum class DialAction {
  succeed,
  fail,                  // Returns Step::error.
  hang,                  // Blocks until canceled (returns the cancellation) or released.
  hang_ignoring_cancel,  // Blocks until released, whatever happens to the context.
  succeed_without_connection,
  fail_with_connection,  // Returns a connection together with Step::error.
  throw_exception,
};

struct DialStep {
  DialAction action = DialAction::succeed;
  std::error_code error = std::make_error_code(std::errc::connection_refused);
  // For hanging steps: what a released dial returns (succeed or fail).
  DialAction after_release = DialAction::succeed;
};

// Thread-safe. A dial takes the next queued step, or else asks the policy (default: succeed).
// Every connection it hands out is recorded, so tests can check each was closed exactly once.
class ScriptedDialer final : public Dialer {
 public:
  using Policy = std::function<DialStep(const std::string& address, std::size_t dial_index)>;

  NetOutcome dial(const std::string& address, DialContext& context) override;

  void push(DialStep step);
  void set_policy(Policy policy);
  // Releases every dial hanging now; each returns its after_release outcome.
  void release_all();
  // Blocks until at least `count` dials are hanging (for tests that dial from other threads).
  void wait_hanging(std::size_t count);

  std::size_t dials() const;
  std::size_t hanging() const;
  std::vector<std::string> dialed_addresses() const;
  std::vector<std::shared_ptr<FakeConnection>> connections() const;

 private:
  NetOutcome finish(const std::string& address, DialAction action, std::error_code error);

  mutable std::mutex mu_;
  std::condition_variable changed_;
  std::deque<DialStep> script_;
  Policy policy_;
  std::size_t dials_ = 0;
  std::size_t hanging_ = 0;
  std::size_t release_generation_ = 0;
  std::vector<std::string> addresses_;
  std::vector<std::shared_ptr<FakeConnection>> connections_;
};

}  // namespace connmgr::testkit

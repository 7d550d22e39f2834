#include "connmgr/testkit/scripted_dialer.h"

#include <stdexcept>

namespace connmgr::testkit {

NetOutcome ScriptedDialer::dial(const std::string& address, DialContext& context) {
  std::unique_lock<std::mutex> lock(mu_);
  const std::size_t index = dials_++;
  addresses_.push_back(address);
  DialStep step;
  if (!script_.empty()) {
    step = script_.front();
    script_.pop_front();
  } else if (policy_) {
    step = policy_(address, index);
  }
  if (step.action != DialAction::hang && step.action != DialAction::hang_ignoring_cancel) {
    lock.unlock();
    return finish(address, step.action, step.error);
  }
  const bool observe_cancel = step.action == DialAction::hang;
  bool canceled = false;
  if (observe_cancel) {
    lock.unlock();
    context.set_cancel_handler([this, &canceled] {
      std::lock_guard<std::mutex> guard(mu_);
      canceled = true;
      changed_.notify_all();
    });
    lock.lock();
  }
  const std::size_t generation = release_generation_;
  ++hanging_;
  changed_.notify_all();
  changed_.wait(lock, [&] { return canceled || release_generation_ != generation; });
  --hanging_;
  lock.unlock();
  if (observe_cancel) context.clear_cancel_handler();
  if (canceled) return {nullptr, context.cancellation()};
  return finish(address, step.after_release, step.error);
}

NetOutcome ScriptedDialer::finish(const std::string& address, DialAction action,
                                  std::error_code error) {
  auto make_connection = [&] {
    auto conn = std::make_shared<FakeConnection>(address);
    std::lock_guard<std::mutex> lock(mu_);
    connections_.push_back(conn);
    return conn;
  };
  switch (action) {
    case DialAction::succeed: return {make_connection(), {}};
    case DialAction::succeed_without_connection: return {nullptr, {}};
    case DialAction::fail_with_connection: return {make_connection(), error};
    case DialAction::throw_exception: throw std::runtime_error("scripted dialer failure");
    case DialAction::fail:
    case DialAction::hang:
    case DialAction::hang_ignoring_cancel: break;
  }
  return {nullptr, error};
}

void ScriptedDialer::push(DialStep step) {
  std::lock_guard<std::mutex> lock(mu_);
  script_.push_back(step);
}

void ScriptedDialer::set_policy(Policy policy) {
  std::lock_guard<std::mutex> lock(mu_);
  policy_ = std::move(policy);
}

void ScriptedDialer::release_all() {
  std::lock_guard<std::mutex> lock(mu_);
  ++release_generation_;
  changed_.notify_all();
}

void ScriptedDialer::wait_hanging(std::size_t count) {
  std::unique_lock<std::mutex> lock(mu_);
  changed_.wait(lock, [&] { return hanging_ >= count; });
}

std::size_t ScriptedDialer::dials() const {
  std::lock_guard<std::mutex> lock(mu_);
  return dials_;
}

std::size_t ScriptedDialer::hanging() const {
  std::lock_guard<std::mutex> lock(mu_);
  return hanging_;
}

std::vector<std::string> ScriptedDialer::dialed_addresses() const {
  std::lock_guard<std::mutex> lock(mu_);
  return addresses_;
}

std::vector<std::shared_ptr<FakeConnection>> ScriptedDialer::connections() const {
  std::lock_guard<std::mutex> lock(mu_);
  return connections_;
}

}  // namespace connmgr::testkit

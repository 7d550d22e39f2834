#include "connmgr/testkit/fake_listener.h"

namespace connmgr::testkit {

NetOutcome FakeListener::accept() {
  std::unique_lock<std::mutex> lock(mu_);
  ++accepts_;
  changed_.notify_all();
  changed_.wait(lock, [&] { return closed_ || !queue_.empty(); });
  if (closed_) return {nullptr, std::make_error_code(std::errc::operation_canceled)};
  NetOutcome outcome = std::move(queue_.front());
  queue_.pop_front();
  return outcome;
}

void FakeListener::close() {
  std::lock_guard<std::mutex> lock(mu_);
  closed_ = true;
  changed_.notify_all();
}

void FakeListener::push(NetOutcome outcome) {
  std::lock_guard<std::mutex> lock(mu_);
  queue_.push_back(std::move(outcome));
  changed_.notify_all();
}

bool FakeListener::closed() const {
  std::lock_guard<std::mutex> lock(mu_);
  return closed_;
}

std::size_t FakeListener::accepts() const {
  std::lock_guard<std::mutex> lock(mu_);
  return accepts_;
}

void FakeListener::wait_accepts(std::size_t count) {
  std::unique_lock<std::mutex> lock(mu_);
  changed_.wait(lock, [&] { return accepts_ >= count; });
}

}  // namespace connmgr::testkit

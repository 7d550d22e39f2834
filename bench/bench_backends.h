// Backends for the benchmarks: an instant dialer handing out one shared no-op connection, a dialer
// whose dials hang until canceled (dials in flight), and a dialer that always fails (to park
// permanent requests in the pending map without threads).
#pragma once

#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

#include "connmgr/connection.h"

namespace connmgr::bench {

class NoOpConnection final : public Connection {
 public:
  void close() override {}
  std::string remote_address() const override { return "127.0.0.1:8333"; }
};

class InstantDialer final : public Dialer {
 public:
  NetOutcome dial(const std::string&, DialContext&) override { return {conn_, {}}; }

 private:
  const ConnectionPtr conn_ = std::make_shared<NoOpConnection>();
};

// A dial of `instant_address` succeeds at once (as InstantDialer's); any other blocks until the
// manager cancels it, then fails with the cancellation's reason. wait_for_dials(n) returns once n
// dials have blocked in total (a wait on the dialer's state, not a sleep).
class HangingDialer final : public Dialer {
 public:
  explicit HangingDialer(std::string instant_address) : instant_address_(std::move(instant_address)) {}

  NetOutcome dial(const std::string& address, DialContext& context) override {
    if (address == instant_address_) return instant_.dial(address, context);
    bool canceled = false;
    std::condition_variable cancel_arrived;  // One per dial: a cancel wakes only its own dial.
    context.set_cancel_handler([&] {
      std::lock_guard<std::mutex> lock(mu_);
      canceled = true;
      cancel_arrived.notify_one();
    });
    {
      std::unique_lock<std::mutex> lock(mu_);
      ++started_;
      dial_started_.notify_all();
      cancel_arrived.wait(lock, [&] { return canceled; });
    }
    context.clear_cancel_handler();
    return {nullptr, context.cancellation()};
  }

  void wait_for_dials(std::size_t started) {
    std::unique_lock<std::mutex> lock(mu_);
    dial_started_.wait(lock, [&] { return started_ >= started; });
  }

 private:
  const std::string instant_address_;
  InstantDialer instant_;
  std::mutex mu_;
  std::condition_variable dial_started_;
  std::size_t started_ = 0;
};

class RefusingDialer final : public Dialer {
 public:
  NetOutcome dial(const std::string&, DialContext&) override {
    return {nullptr, std::make_error_code(std::errc::connection_refused)};
  }
};

}  // namespace connmgr::bench

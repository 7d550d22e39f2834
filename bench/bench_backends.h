// Backends for the benchmarks: an instant dialer handing out one shared no-op connection, a dialer
// whose dials hang until canceled (dials in flight), and a dialer that always fails (to park
// permanent requests in the pending map without threads).
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
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
// manager cancels it, then fails with the cancellation's reason. Each blocked dial waits on its own
// flag (a futex), so a cancel wakes only its dial and dials share no lock. wait_for_dials(n)
// returns once n dials have blocked in total (a wait on the dialer's state, not a sleep).
class HangingDialer final : public Dialer {
 public:
  explicit HangingDialer(std::string instant_address) : instant_address_(std::move(instant_address)) {}

  NetOutcome dial(const std::string& address, DialContext& context) override {
    if (address == instant_address_) return instant_.dial(address, context);
    // Lives until clear_cancel_handler() returns, which waits for a running handler. A 32-bit
    // word, so that libstdc++ waits on it with a futex of its own, not a shared proxy.
    std::atomic<std::uint32_t> canceled{0};
    context.set_cancel_handler([&canceled] {
      canceled.store(1, std::memory_order_release);
      canceled.notify_one();
    });
    {
      std::lock_guard<std::mutex> lock(mu_);
      ++started_;
      dial_started_.notify_all();
    }
    canceled.wait(0, std::memory_order_acquire);
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

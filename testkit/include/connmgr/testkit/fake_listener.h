// A Listener fed by the test: queued connections and queued accept errors, in order.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <string>

#include "connmgr/connection.h"

namespace connmgr::testkit {

// Thread-safe. accept() blocks until something is queued or close() is called; after close() it
// returns std::errc::operation_canceled at once, even if items are still queued.
class FakeListener final : public Listener {
 public:
  explicit FakeListener(std::string address) : address_(std::move(address)) {}

  NetOutcome accept() override;
  void close() override;
  std::string local_address() const override { return address_; }

  void push(NetOutcome outcome);
  bool closed() const;
  std::size_t accepts() const;
  // Blocks until accept() has been entered at least `count` times.
  void wait_accepts(std::size_t count);

 private:
  const std::string address_;
  mutable std::mutex mu_;
  std::condition_variable changed_;
  std::deque<NetOutcome> queue_;
  std::size_t accepts_ = 0;
  bool closed_ = false;
};

}  // namespace connmgr::testkit

// A Connection that only counts how often it was closed.
#pragma once

#include <atomic>
#include <memory>
#include <string>

#include "connmgr/connection.h"

namespace connmgr::testkit {

class FakeConnection final : public Connection {
 public:
  explicit FakeConnection(std::string remote) : remote_(std::move(remote)) {}
  void close() override { closes_.fetch_add(1, std::memory_order_relaxed); }
  std::string remote_address() const override { return remote_; }
  int close_count() const { return closes_.load(std::memory_order_relaxed); }

 private:
  const std::string remote_;
  std::atomic<int> closes_{0};
};

}  // namespace connmgr::testkit

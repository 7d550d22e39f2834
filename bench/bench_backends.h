// Backends for the benchmarks: an instant dialer handing out one shared no-op connection, and a
// dialer that always fails (to park permanent requests in the pending map without threads).
#pragma once

#include <memory>
#include <string>

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

class RefusingDialer final : public Dialer {
 public:
  NetOutcome dial(const std::string&, DialContext&) override {
    return {nullptr, std::make_error_code(std::errc::connection_refused)};
  }
};

}  // namespace connmgr::bench

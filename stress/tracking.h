// Everything that crosses the manager's network boundary is tracked here, so the run can check the
// manager's side of the Connection contract (connection.h): every connection a dialer hands it, or
// a listener gives it, is closed exactly once; and no dial or accept is still running once wait()
// returned.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>

#include "connmgr/connection.h"
#include "violations.h"

namespace connmgr::stress {

class ConnectionLedger;

// Wraps a connection; close() is counted, the first one is forwarded, a second one is a violation.
class TrackedConnection final : public Connection {
 public:
  TrackedConnection(ConnectionPtr inner, std::uint64_t serial, ConnectionLedger& ledger);
  void close() override;
  std::string remote_address() const override { return inner_->remote_address(); }
  // Marks the connection as handed to on_connection; false if it already was.
  bool mark_reported() { return !reported_.exchange(true); }

 private:
  const ConnectionPtr inner_;
  const std::uint64_t serial_;
  ConnectionLedger& ledger_;
  std::atomic<int> closes_{0};
  std::atomic<bool> reported_{false};
};

// The connections of one kind ("dialed", "accepted"). Must outlive every connection it tracks.
class ConnectionLedger {
 public:
  ConnectionLedger(std::string kind, Violations& violations);
  ConnectionPtr track(ConnectionPtr inner) EXCLUDES(mu_);
  // Once the manager is destroyed: a violation per connection never closed.
  void check_all_closed() const EXCLUDES(mu_);
  std::uint64_t created() const EXCLUDES(mu_);

 private:
  friend class TrackedConnection;
  void on_close(std::uint64_t serial, int closes, const std::string& address) EXCLUDES(mu_);

  const std::string kind_;
  Violations& violations_;
  mutable StdMutex mu_;
  std::uint64_t created_ GUARDED_BY(mu_) = 0;
  std::unordered_map<std::uint64_t, std::string> open_ GUARDED_BY(mu_);  // serial → address.
};

// A Dialer decorator: counts dials in flight in `in_flight` and tracks every connection the inner
// dialer returns (with or without an error). Exceptions pass through.
class TrackingDialer final : public Dialer {
 public:
  TrackingDialer(Dialer& inner, ConnectionLedger& ledger, std::atomic<std::size_t>& in_flight)
      : inner_(inner), ledger_(ledger), in_flight_(in_flight) {}
  NetOutcome dial(const std::string& address, DialContext& context) override;

 private:
  Dialer& inner_;
  ConnectionLedger& ledger_;
  std::atomic<std::size_t>& in_flight_;
};

// A Listener decorator: counts accepts in flight in `in_flight` and tracks every accepted
// connection.
class TrackingListener final : public Listener {
 public:
  TrackingListener(Listener& inner, ConnectionLedger& ledger, std::atomic<std::size_t>& in_flight)
      : inner_(inner), ledger_(ledger), in_flight_(in_flight) {}
  NetOutcome accept() override;
  void close() override { inner_.close(); }
  std::string local_address() const override { return inner_.local_address(); }

 private:
  Listener& inner_;
  ConnectionLedger& ledger_;
  std::atomic<std::size_t>& in_flight_;
};

}  // namespace connmgr::stress

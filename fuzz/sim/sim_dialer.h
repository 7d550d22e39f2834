// The network side on the Sim: connections that count their closes, and a Dialer whose every
// outcome is a fault chosen by the caller's fault source. A dial's outcome is delivered at a
// scheduling step of its own (or when its context is canceled, or after a virtual delay), so the
// scheduler decides what happens between a dial's start and its completion. A cancel handler that
// runs after the dial's clear_cancel_handler() returned (the DialContext contract forbids it)
// fails the run.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "connmgr/connection.h"
#include "scheduler.h"

namespace connmgr::sim {

enum class DialFault : unsigned char {
  succeed,               // A connection, at the next step.
  fail,                  // connection_refused, at the next step.
  hang,                  // Blocks until canceled; returns the cancellation (a timeout, with dial_timeout).
  late,                  // Sleeps `late_delay` of virtual time ignoring cancellation, then succeeds.
  after_cancel,          // Blocks until canceled, then succeeds anyway.
  nil_connection,        // Success without a connection.
  fail_with_connection,  // A connection together with an error.
  throw_exception,       // Throws.
};
inline constexpr unsigned kDialFaults = 8;
const char* to_string(DialFault fault);

// Every connection handed out, and how often the manager closed it. A second close, or a close
// under a lock, fails the run at once.
class ConnectionLedger {
 public:
  explicit ConnectionLedger(Sim& sim);
  ~ConnectionLedger();
  ConnectionLedger(const ConnectionLedger&) = delete;
  ConnectionLedger& operator=(const ConnectionLedger&) = delete;
  ConnectionPtr open(const std::string& remote);
  // One line per connection not closed exactly once.
  std::vector<std::string> unclosed() const;
  std::size_t opened() const { return closes_.size(); }
  // Connections closed at least once.
  std::size_t closed() const;
  std::function<void(std::size_t connection)> on_close;

 private:
  class SimConnection;
  void closed(std::size_t connection);
  static thread_local std::vector<int> spare_closes_;  // Left by the thread's previous ledger.
  Sim& sim_;
  std::vector<int> closes_;
};

class SimDialer final : public Dialer {
 public:
  struct Hooks {
    std::function<void(const std::string& address, DialFault fault)> started;
    std::function<void(const NetOutcome& outcome)> returned;
  };
  SimDialer(Sim& sim, ConnectionLedger& ledger, std::function<DialFault()> next_fault, Duration late_delay,
            Hooks hooks);
  ~SimDialer() override;
  SimDialer(const SimDialer&) = delete;
  SimDialer& operator=(const SimDialer&) = delete;

  NetOutcome dial(const std::string& address, DialContext& context) override;

 private:
  // What a dial in progress shares with its context's cancel handler. Slots are reused once their
  // dial returned; `dial` tells the handler whether its dial still holds the slot.
  struct CancelWait {
    FiberId fiber = 0;
    std::uint32_t dial = 0;  // The dial's serial number, or 0 for a free slot.
    bool canceled = false;
    bool waiting = false;
  };
  std::uint32_t take_slot();
  void canceled(std::uint32_t slot, std::uint32_t dial);

  static thread_local std::vector<CancelWait> spare_waits_;  // Left by the thread's previous dialer.
  Sim& sim_;
  ConnectionLedger& ledger_;
  std::function<DialFault()> next_fault_;
  Duration late_delay_;
  Hooks hooks_;
  std::vector<CancelWait> waits_;
  std::uint32_t dials_ = 0;
};

}  // namespace connmgr::sim

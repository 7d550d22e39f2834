#include "sim_dialer.h"

#include <algorithm>
#include <stdexcept>
#include <system_error>

#include "connmgr/error.h"
#include "sim_platform.h"

namespace connmgr::sim {

const char* to_string(DialFault fault) {
  switch (fault) {
    case DialFault::succeed:
      return "succeed";
    case DialFault::fail:
      return "fail";
    case DialFault::hang:
      return "hang";
    case DialFault::late:
      return "late";
    case DialFault::after_cancel:
      return "after-cancel";
    case DialFault::nil_connection:
      return "nil";
    case DialFault::fail_with_connection:
      return "fail+conn";
    case DialFault::throw_exception:
      return "throw";
  }
  return "?";
}

class ConnectionLedger::SimConnection final : public Connection {
 public:
  SimConnection(ConnectionLedger& ledger, std::size_t index, std::string remote)
      : ledger_(ledger), index_(index), remote_(std::move(remote)) {}
  void close() override { ledger_.closed(index_); }
  std::string remote_address() const override { return remote_; }

 private:
  ConnectionLedger& ledger_;
  std::size_t index_;
  std::string remote_;
};

ConnectionPtr ConnectionLedger::open(const std::string& remote) {
  closes_.push_back(0);
  return std::make_shared<SimConnection>(*this, closes_.size() - 1, remote);
}

void ConnectionLedger::closed(std::size_t connection) {
  expect_unlocked(sim_, "Connection::close");
  if (++closes_[connection] > 1) sim_.fail("connection c" + std::to_string(connection) + " closed twice");
  if (on_close) on_close(connection);
}

std::vector<std::string> ConnectionLedger::unclosed() const {
  std::vector<std::string> lines;
  for (std::size_t i = 0; i < closes_.size(); ++i) {
    if (closes_[i] != 1) {
      lines.push_back("connection c" + std::to_string(i) + " closed " + std::to_string(closes_[i]) +
                      " times after the manager was destroyed");
    }
  }
  return lines;
}

std::size_t ConnectionLedger::closed() const {
  return static_cast<std::size_t>(std::count_if(closes_.begin(), closes_.end(), [](int n) { return n > 0; }));
}

namespace {

// What a dial waiting for its cancellation shares with the context's cancel handler.
struct CancelWait {
  FiberId fiber = 0;
  bool canceled = false;
  bool waiting = false;
};

}  // namespace

NetOutcome SimDialer::dial(const std::string& address, DialContext& context) {
  expect_unlocked(sim_, "Dialer::dial");
  const DialFault fault = next_fault_();
  hooks_.started(address, fault);
  auto wait = std::make_shared<CancelWait>();
  wait->fiber = sim_.self();
  context.set_cancel_handler([&sim = sim_, wait] {
    wait->canceled = true;
    if (wait->waiting) sim.wake(wait->fiber);
  });
  auto until_canceled = [&] {
    wait->waiting = true;
    while (!wait->canceled) sim_.block("a dial waiting for its cancellation");
    wait->waiting = false;
  };
  NetOutcome outcome;
  switch (fault) {
    case DialFault::succeed:
      sim_.yield();
      outcome.conn = ledger_.open(address);
      break;
    case DialFault::fail:
    case DialFault::throw_exception:
      sim_.yield();
      outcome.error = std::make_error_code(std::errc::connection_refused);
      break;
    case DialFault::hang:
      until_canceled();
      outcome.error = context.cancellation();
      break;
    case DialFault::late:
      sim_.sleep_for(late_delay_);
      outcome.conn = ledger_.open(address);
      break;
    case DialFault::after_cancel:
      until_canceled();
      outcome.conn = ledger_.open(address);
      break;
    case DialFault::nil_connection:
      sim_.yield();
      break;
    case DialFault::fail_with_connection:
      sim_.yield();
      outcome.conn = ledger_.open(address);
      outcome.error = std::make_error_code(std::errc::connection_refused);
      break;
  }
  context.clear_cancel_handler();
  if (fault == DialFault::throw_exception) {
    hooks_.returned(NetOutcome{nullptr, Errc::dialer_threw});
    throw std::runtime_error("simulated dialer failure");
  }
  hooks_.returned(outcome);
  return outcome;
}

}  // namespace connmgr::sim

#include "sim_dialer.h"

#include <algorithm>
#include <exception>
#include <system_error>

#include "connmgr/error.h"
#include "sim_platform.h"
#include "spare_storage.h"

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

// The ledger and the dialer take the storage their predecessor on this thread grew, so that a run
// allocates nothing for their lists.
thread_local std::vector<int> ConnectionLedger::spare_closes_;

ConnectionLedger::ConnectionLedger(Sim& sim) : sim_(sim), closes_(std::move(spare_closes_)) {
  closes_.reserve(16);
}

ConnectionLedger::~ConnectionLedger() { hand_over(closes_, spare_closes_); }

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

// What the throw_exception fault throws: a std::exception whose message needs no allocation.
class SimulatedDialFailure final : public std::exception {
 public:
  const char* what() const noexcept override { return "simulated dialer failure"; }
};

}  // namespace

thread_local std::vector<SimDialer::CancelWait> SimDialer::spare_waits_;

SimDialer::SimDialer(Sim& sim, ConnectionLedger& ledger, std::function<DialFault()> next_fault,
                     Duration late_delay, Hooks hooks)
    : sim_(sim),
      ledger_(ledger),
      next_fault_(std::move(next_fault)),
      late_delay_(late_delay),
      hooks_(std::move(hooks)),
      waits_(std::move(spare_waits_)) {
  waits_.reserve(4);
}

SimDialer::~SimDialer() { hand_over(waits_, spare_waits_); }

std::uint32_t SimDialer::take_slot() {
  for (std::size_t slot = 0; slot < waits_.size(); ++slot) {
    if (waits_[slot].dial == 0) return static_cast<std::uint32_t>(slot);
  }
  waits_.emplace_back();
  return static_cast<std::uint32_t>(waits_.size() - 1);
}

void SimDialer::canceled(std::uint32_t slot, std::uint32_t dial) {
  CancelWait& wait = waits_[slot];
  if (wait.dial != dial) {
    sim_.fail("a dial's cancel handler ran after its clear_cancel_handler() returned");
    return;
  }
  wait.canceled = true;
  if (wait.waiting) sim_.wake(wait.fiber);
}

NetOutcome SimDialer::dial(const std::string& address, DialContext& context) {
  expect_unlocked(sim_, "Dialer::dial");
  const DialFault fault = next_fault_();
  hooks_.started(address, fault);
  const std::uint32_t slot = take_slot();
  const std::uint32_t serial = ++dials_;
  waits_[slot] = CancelWait{sim_.self(), serial, false, false};
  context.set_cancel_handler([this, slot, serial] { canceled(slot, serial); });
  auto until_canceled = [&] {
    waits_[slot].waiting = true;
    while (!waits_[slot].canceled) sim_.block("a dial waiting for its cancellation");
    waits_[slot].waiting = false;
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
  waits_[slot].dial = 0;
  if (fault == DialFault::throw_exception) {
    hooks_.returned(NetOutcome{nullptr, Errc::dialer_threw});
    throw SimulatedDialFailure();
  }
  hooks_.returned(outcome);
  return outcome;
}

}  // namespace connmgr::sim

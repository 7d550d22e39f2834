#include "tracking.h"

#include <algorithm>
#include <vector>

namespace connmgr::stress {
namespace {

// Counts one call in flight for the lifetime of the scope, also when the call throws.
class InFlight {
 public:
  explicit InFlight(std::atomic<std::size_t>& counter) : counter_(counter) { ++counter_; }
  ~InFlight() { --counter_; }
  InFlight(const InFlight&) = delete;
  InFlight& operator=(const InFlight&) = delete;

 private:
  std::atomic<std::size_t>& counter_;
};

}  // namespace

TrackedConnection::TrackedConnection(ConnectionPtr inner, std::uint64_t serial,
                                     ConnectionLedger& ledger)
    : inner_(std::move(inner)), serial_(serial), ledger_(ledger) {}

void TrackedConnection::close() {
  const int closes = ++closes_;
  if (closes == 1) inner_->close();
  ledger_.on_close(serial_, closes, inner_->remote_address());
}

ConnectionLedger::ConnectionLedger(std::string kind, Violations& violations)
    : kind_(std::move(kind)), violations_(violations) {}

ConnectionPtr ConnectionLedger::track(ConnectionPtr inner) {
  std::string address = inner->remote_address();
  std::uint64_t serial = 0;
  {
    LockGuard<StdMutex> lock(mu_);
    serial = ++created_;
    open_.emplace(serial, std::move(address));
  }
  return std::make_shared<TrackedConnection>(std::move(inner), serial, *this);
}

void ConnectionLedger::on_close(std::uint64_t serial, int closes, const std::string& address) {
  if (closes > 1) {
    violations_.add(kind_ + " connection #" + std::to_string(serial) + " to " + address +
                    " closed " + std::to_string(closes) + " times");
    return;
  }
  LockGuard<StdMutex> lock(mu_);
  open_.erase(serial);
}

void ConnectionLedger::check_all_closed() const {
  std::vector<std::pair<std::uint64_t, std::string>> open;
  std::uint64_t created = 0;
  {
    LockGuard<StdMutex> lock(mu_);
    open.assign(open_.begin(), open_.end());
    created = created_;
  }
  std::sort(open.begin(), open.end());
  constexpr std::size_t kListed = 5;
  for (std::size_t i = 0; i < open.size() && i < kListed; ++i) {
    violations_.add(kind_ + " connection #" + std::to_string(open[i].first) + " to " +
                    open[i].second + " was never closed");
  }
  if (open.size() > kListed) {
    violations_.add(std::to_string(open.size() - kListed) + " more of " + std::to_string(created) +
                    " " + kind_ + " connections were never closed");
  }
}

std::uint64_t ConnectionLedger::created() const {
  LockGuard<StdMutex> lock(mu_);
  return created_;
}

NetOutcome TrackingDialer::dial(const std::string& address, DialContext& context) {
  InFlight counted(in_flight_);
  NetOutcome outcome = inner_.dial(address, context);
  if (outcome.conn) outcome.conn = ledger_.track(std::move(outcome.conn));
  return outcome;
}

NetOutcome TrackingListener::accept() {
  InFlight counted(in_flight_);
  NetOutcome outcome = inner_.accept();
  if (outcome.conn) outcome.conn = ledger_.track(std::move(outcome.conn));
  return outcome;
}

}  // namespace connmgr::stress

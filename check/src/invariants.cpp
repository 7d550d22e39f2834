#include "connmgr/check/invariants.h"

#include <cstddef>
#include <string>

namespace connmgr::check {
namespace {

std::string describe(const Snapshot::Request& request) {
  return "reqid " + std::to_string(request.id) + " (" + to_string(request.state) + ")";
}

// Which ids a snapshot registers, indexed by id (ids are dense in [1, last_id]). One buffer per
// thread, reused: engines call registry_violations after every critical section, and a fresh
// hash set each time dominated its cost.
class SeenIds {
 public:
  explicit SeenIds(const Snapshot& snapshot) : snapshot_(snapshot) {
    if (buffer_.size() <= snapshot.last_id) buffer_.resize(snapshot.last_id + 1, false);
  }
  ~SeenIds() {
    for (const auto& request : snapshot_.pending) clear(request.id);
    for (const auto& request : snapshot_.established) clear(request.id);
  }
  SeenIds(const SeenIds&) = delete;
  SeenIds& operator=(const SeenIds&) = delete;
  // False if `id` was seen before (ids out of [1, last_id] are reported elsewhere, never seen).
  bool insert(ReqId id) {
    if (id == 0 || id > snapshot_.last_id) return true;
    if (buffer_[id]) return false;
    buffer_[id] = true;
    return true;
  }

 private:
  void clear(ReqId id) {
    if (id <= snapshot_.last_id) buffer_[id] = false;
  }
  static thread_local std::vector<bool> buffer_;
  const Snapshot& snapshot_;
};

thread_local std::vector<bool> SeenIds::buffer_;

}  // namespace

std::vector<std::string> registry_violations(const Snapshot& snapshot) {
  std::vector<std::string> violations;
  auto fail = [&](std::string line) { violations.push_back(std::move(line)); };
  SeenIds seen(snapshot);
  std::size_t automatic = 0;

  for (const auto& request : snapshot.pending) {
    if (request.id == 0 || request.id > snapshot.last_id)
      fail("I2/I8: pending id out of range: " + describe(request));
    if (!seen.insert(request.id)) fail("I1: duplicate id " + describe(request));
    if (request.state != ConnState::pending && request.state != ConnState::failed)
      fail("I3: pending request in a final or connected state: " + describe(request));
    if (request.state == ConnState::failed && !request.permanent)
      fail("0.3: failed non-permanent request lingers: " + describe(request));
    if (request.has_connection) fail("pending request holds a connection: " + describe(request));
    if (request.retry_scheduled && (!request.permanent || request.dialing))
      fail("retry armed for a non-permanent or dialing request: " + describe(request));
    if (request.retry_scheduled && snapshot.stopped)
      fail("A.6: retry still armed after stop(): " + describe(request));
    if (request.origin == Origin::automatic) ++automatic;
  }
  for (const auto& request : snapshot.established) {
    if (request.id == 0 || request.id > snapshot.last_id)
      fail("I2/I8: established id out of range: " + describe(request));
    if (!seen.insert(request.id)) fail("I1: id both pending and established: " + describe(request));
    if (request.state != ConnState::established)
      fail("I3: established request not Established: " + describe(request));
    if (!request.has_connection) fail("established request without a connection: " + describe(request));
    if (request.dialing || request.retry_scheduled)
      fail("established request still dialing or retrying: " + describe(request));
    if (request.origin == Origin::automatic) ++automatic;
  }
  if (snapshot.pending_by_address != snapshot.pending.size()) {
    fail("address index has " + std::to_string(snapshot.pending_by_address) + " entries for " +
         std::to_string(snapshot.pending.size()) + " pending requests");
  }
  if (automatic > snapshot.target_outbound) {
    fail("automatic requests " + std::to_string(automatic) + " exceed target_outbound " +
         std::to_string(snapshot.target_outbound));
  }
  if (snapshot.armed_timers > snapshot.outstanding_work)
    fail("armed timers are not counted as outstanding work");
  return violations;
}

std::vector<std::string> quiescent_violations(const Snapshot& snapshot) {
  auto violations = registry_violations(snapshot);
  if (!snapshot.stopped) violations.push_back("quiescent check on a manager that was not stopped");
  if (snapshot.outstanding_work != 0)
    violations.push_back("work outlives wait(): " + std::to_string(snapshot.outstanding_work));
  if (snapshot.armed_timers != 0)
    violations.push_back("timers outlive wait(): " + std::to_string(snapshot.armed_timers));
  for (const auto& request : snapshot.pending) {
    if (request.dialing) violations.push_back("dial outlives wait(): " + describe(request));
  }
  return violations;
}

}  // namespace connmgr::check

// check::shows (check/include/connmgr/check/reference_model.h), which the refinement checker uses
// after every critical section instead of abstracting the snapshot and comparing: on seeded random
// snapshots and single-field changes to either side, it agrees with abstract() followed by ==.
#include <catch2/catch.hpp>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "connmgr/check/reference_model.h"

namespace connmgr::unit {
namespace {

Snapshot random_snapshot(std::mt19937_64& random) {
  Snapshot snapshot;
  snapshot.last_id = 1 + random() % 8;
  for (ReqId id = 1; id <= snapshot.last_id; ++id) {
    const unsigned place = random() % 3;  // Gone, pending or established.
    if (place == 0) continue;
    Snapshot::Request request;
    request.id = id;
    request.state = static_cast<ConnState>(random() % 5);
    request.address = "10.0.0." + std::to_string(random() % 3) + ":8333";
    request.permanent = random() % 2 == 1;
    request.origin = random() % 2 == 1 ? Origin::automatic : Origin::manual;
    request.retry_count = static_cast<std::uint32_t>(random() % 3);
    request.dialing = random() % 2 == 1;
    request.retry_scheduled = random() % 2 == 1;
    (place == 1 ? snapshot.pending : snapshot.established).push_back(request);
  }
  snapshot.failed_attempts = random() % 2;
  snapshot.started = random() % 2 == 1;
  snapshot.stopped = random() % 2 == 1;
  return snapshot;
}

// Changes one thing the abstraction keeps (or, for `pending_by_address`, one it ignores).
void change_one_field(Snapshot& snapshot, std::mt19937_64& random) {
  std::vector<Snapshot::Request*> requests;
  for (auto* list : {&snapshot.pending, &snapshot.established})
    for (auto& request : *list) requests.push_back(&request);
  const unsigned what = random() % (requests.empty() ? 5 : 14);
  switch (what) {
    case 0: ++snapshot.failed_attempts; return;
    case 1: snapshot.started = !snapshot.started; return;
    case 2: snapshot.stopped = !snapshot.stopped; return;
    case 3: ++snapshot.last_id; return;
    case 4: ++snapshot.pending_by_address; return;
    default: break;
  }
  Snapshot::Request& request = *requests[random() % requests.size()];
  switch (what) {
    case 5: request.state = static_cast<ConnState>((static_cast<int>(request.state) + 1) % 5); return;
    case 6: request.address += "0"; return;
    case 7: request.permanent = !request.permanent; return;
    case 8: request.origin = request.origin == Origin::manual ? Origin::automatic : Origin::manual; return;
    case 9: ++request.retry_count; return;
    case 10: request.dialing = !request.dialing; return;
    case 11: request.retry_scheduled = !request.retry_scheduled; return;
    case 12: {  // Moves the request to the other list.
      const bool pending = &request >= snapshot.pending.data() &&
                           &request < snapshot.pending.data() + snapshot.pending.size();
      auto& from = pending ? snapshot.pending : snapshot.established;
      auto& to = pending ? snapshot.established : snapshot.pending;
      to.push_back(request);
      from.erase(from.begin() + (&request - from.data()));
      return;
    }
    default: {  // Drops the request.
      for (auto* list : {&snapshot.pending, &snapshot.established}) {
        if (&request >= list->data() && &request < list->data() + list->size()) {
          list->erase(list->begin() + (&request - list->data()));
          return;
        }
      }
    }
  }
}

TEST_CASE("shows agrees with abstract and ==", "[check]") {
  const std::uint64_t seed = GENERATE(1, 2, 3, 20261126);
  INFO("seed " << seed);
  std::mt19937_64 random(seed);
  check::ModelState state;
  check::ModelState other;
  for (int round = 0; round < 2000; ++round) {
    Snapshot snapshot = random_snapshot(random);
    check::abstract(snapshot, state);
    REQUIRE(check::shows(snapshot, state));
    change_one_field(snapshot, random);
    check::abstract(snapshot, other);
    INFO("round " << round);
    CHECK(check::shows(snapshot, state) == (other == state));
  }
}

}  // namespace
}  // namespace connmgr::unit

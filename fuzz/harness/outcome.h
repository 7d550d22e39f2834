// What one run showed from outside the manager, and the comparison of a synchronous run with an
// event-loop run of the same operation sequence (compare mode, see world.h and fuzz/README.md).
//
// Compared: every client operation's result (connect's error and the request's id afterwards,
// cancel_pending's error, for_each's listing and error), the registry after stop() and wait()
// (every field check::abstract keeps: ids, places, addresses, permanence, origin, state, retry
// count, dialing, retry armed; the failed-attempt count; started and stopped), the state each
// request object ends in, the on_connection and on_disconnection count of every id, and the
// number of connections dialed and closed (before destruction and after it).
// Excluded, as spec section B documents: the result of disconnect() and remove(), which the event
// loop returns once the message is queued (B.2; it must be {} there, and its effect is compared
// through everything that follows).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <system_error>
#include <vector>

#include "connmgr/check/reference_model.h"

namespace connmgr::fuzz {

struct OperationOutcome {
  std::string operation;  // check::describe() of it.
  bool asynchronous = false;  // disconnect() or remove(): completes later in the event loop.
  std::error_code error;
  ReqId id = 0;
  check::Listing listing;
};

struct Outcome {
  std::vector<OperationOutcome> operations;  // In the order they were issued.
  check::ModelState registry;                // After stop() and wait().
  std::vector<ConnState> requests;           // By request key.
  std::vector<std::uint64_t> connections;    // on_connection calls, by id.
  std::vector<std::uint64_t> disconnections;
  std::size_t dialed = 0;  // Connections the dialer handed out.
  std::size_t closed_before_destruction = 0;
  std::size_t closed = 0;
};

// "" if the event-loop run agrees with the synchronous run, else the first difference.
std::string compare(const Outcome& synchronous, const Outcome& event_loop);

}  // namespace connmgr::fuzz

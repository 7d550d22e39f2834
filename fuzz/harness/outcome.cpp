#include "harness/outcome.h"

#include <algorithm>

namespace connmgr::fuzz {
namespace {

std::string describe(const std::error_code& error) { return error ? error.message() : "ok"; }

std::string describe(const check::Listing& listing) {
  std::string text = "[";
  for (const auto& [id, state] : listing) {
    if (text.size() > 1) text += ", ";
    text += std::to_string(id) + " " + to_string(state);
  }
  return text + "]";
}

std::string describe(const OperationOutcome& op) {
  return describe(op.error) + (op.id != 0 ? " reqid " + std::to_string(op.id) : "") +
         (op.operation == "for_each_conn_req()" ? " " + describe(op.listing) : "");
}

std::uint64_t count(const std::vector<std::uint64_t>& counts, std::size_t id) {
  return id < counts.size() ? counts[id] : 0;
}

std::string compare_operations(const Outcome& sync, const Outcome& loop) {
  if (sync.operations.size() != loop.operations.size()) {
    return std::to_string(sync.operations.size()) + " operations returned in the synchronous run, " +
           std::to_string(loop.operations.size()) + " in the event-loop run";
  }
  for (std::size_t i = 0; i < sync.operations.size(); ++i) {
    const OperationOutcome& s = sync.operations[i];
    const OperationOutcome& l = loop.operations[i];
    const std::string where = "operation " + std::to_string(i + 1) + " " + s.operation;
    if (s.operation != l.operation) return where + ": the event-loop run issued " + l.operation;
    if (s.asynchronous) {
      if (l.error) return where + ": the event loop returned " + describe(l.error) + ", not ok (B.2)";
      continue;
    }
    if (s.error != l.error || s.id != l.id || s.listing != l.listing)
      return where + ": synchronous " + describe(s) + ", event loop " + describe(l);
  }
  return "";
}

}  // namespace

std::string compare(const Outcome& sync, const Outcome& loop) {
  if (std::string difference = compare_operations(sync, loop); !difference.empty()) return difference;
  if (!(sync.registry == loop.registry)) {
    return "final registry (synchronous run expected):" + check::describe_difference(sync.registry, loop.registry);
  }
  for (std::size_t key = 0; key < sync.requests.size(); ++key) {
    if (sync.requests[key] != loop.requests[key]) {
      return "request r" + std::to_string(key) + " ends " + to_string(sync.requests[key]) +
             " in the synchronous run, " + to_string(loop.requests[key]) + " in the event-loop run";
    }
  }
  const std::size_t ids = std::max({sync.connections.size(), sync.disconnections.size(),
                                    loop.connections.size(), loop.disconnections.size()});
  for (std::size_t id = 1; id < ids; ++id) {
    const auto s = std::make_pair(count(sync.connections, id), count(sync.disconnections, id));
    const auto l = std::make_pair(count(loop.connections, id), count(loop.disconnections, id));
    if (s != l) {
      return "reqid " + std::to_string(id) + ": " + std::to_string(s.first) + " on_connection and " +
             std::to_string(s.second) + " on_disconnection calls in the synchronous run, " +
             std::to_string(l.first) + " and " + std::to_string(l.second) + " in the event-loop run";
    }
  }
  const auto connections = [](const Outcome& o) {
    return std::to_string(o.dialed) + " dialed, " + std::to_string(o.closed_before_destruction) +
           " closed by wait(), " + std::to_string(o.closed) + " after destruction";
  };
  if (sync.dialed != loop.dialed || sync.closed_before_destruction != loop.closed_before_destruction ||
      sync.closed != loop.closed) {
    return "connections: synchronous " + connections(sync) + "; event loop " + connections(loop);
  }
  return "";
}

}  // namespace connmgr::fuzz

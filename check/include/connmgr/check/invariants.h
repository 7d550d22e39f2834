// The manager's invariants (spec A.7 as corrected by section 0), checked on a Snapshot. Every
// engine (unit suite, models, fuzzing, stress) calls these, so a violation means the same thing
// whichever engine found it.
#pragma once

#include <string>
#include <vector>

#include "connmgr/conn_manager.h"

namespace connmgr::check {

// Invariants that hold at every lock release. Returns one line per violation (empty if none).
std::vector<std::string> registry_violations(const Snapshot& snapshot);

// Additionally true once wait() returned: nothing armed, nothing outstanding, nothing dialing.
std::vector<std::string> quiescent_violations(const Snapshot& snapshot);

}  // namespace connmgr::check

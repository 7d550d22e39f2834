// Shrinks a failing scenario while it keeps failing the same way (same failure kind): delta
// debugging (Zeller's ddmin) over its operations, then dropping unused client threads, then
// cutting the tail down to the bytes the run consumes. The tail keeps its content, so dial faults
// and schedule choices stay where they were.
#pragma once

#include "harness/scenario.h"
#include "harness/world.h"

namespace connmgr::fuzz {

Scenario minimize(const Scenario& failing, const RunOptions& options);

}  // namespace connmgr::fuzz

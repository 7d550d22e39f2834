// The short form of a failing interleaving.
#pragma once

#include "model_test.h"
#include "relacy_prelude.h"

namespace connmgr::models {

// From the report Relacy prints for a failure, the model's own events (operations and their
// results, dials and their outcomes, timers firing, callbacks) and the failure itself, in the
// order they happened, one per line: "  [event number] role: what happened", then the threads
// that were blocked when it failed (all of them, for a deadlock). The event numbers point into
// Relacy's full history.
std::string story(const std::string& report, const Threads& threads);

}  // namespace connmgr::models

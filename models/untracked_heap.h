// Keeps the heap blocks of a scenario out of Relacy's allocator.
#pragma once

#include "relacy_prelude.h"

namespace connmgr::models {

// For every free(), Relacy's exhaustive schedulers branch on whether the block is reused at once
// or later (to expose ABA in lock-free code). The manager frees dozens of small blocks per
// iteration (std::function targets, shared_ptr control blocks, map nodes), so the search space
// doubles per free and even a context bound of 0 never finishes. While an UntrackedHeap lives,
// Relacy hands new/delete to malloc/free (its own disable_alloc_ switch, reached through a
// pointer to the protected member). Leaks are still caught: every object the manager allocates
// holds Relacy mutexes or atomics, which Relacy counts on their own ("mutex leak", "atomic leak").
class UntrackedHeap {
 public:
  UntrackedHeap() { ++Access::disable_alloc(rl::ctx()); }
  ~UntrackedHeap() { --Access::disable_alloc(rl::ctx()); }

 private:
  struct Access : rl::context {
    static int& disable_alloc(rl::context& context) { return context.*(&Access::disable_alloc_); }
  };
};

}  // namespace connmgr::models

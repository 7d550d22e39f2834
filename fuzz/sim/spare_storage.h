// Storage a run leaves for the next run on its thread: containers handed over empty, with the
// capacity they grew, so that a libFuzzer execution allocates (almost) nothing for them.
#pragma once

#include <utility>
#include <vector>

namespace connmgr::sim {

// Empties `used` and moves its storage into `spare`.
template <class T>
void hand_over(std::vector<T>& used, std::vector<T>& spare) {
  used.clear();
  spare = std::move(used);
}

}  // namespace connmgr::sim

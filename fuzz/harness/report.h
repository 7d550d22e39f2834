// What both drivers do with a failing input: save it (unless it already is a file), replay it
// twice to check the run is deterministic (equal trace hashes), minimize it, and print the failure,
// the minimized interleaving table and one line that replays it.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "harness/scenario.h"
#include "harness/world.h"

namespace connmgr::fuzz {

struct FailureReport {
  std::string replay_binary;  // The fuzz_replay executable.
  std::string saved_path;     // Where the input is; empty: save it under `artifact_dir`.
  std::string artifact_dir;   // Where the minimized input goes (and the input, if not saved).
  RunOptions options;         // The scheduler override the failure was found with, if any.
};

// Prints to stderr. Returns true if the two replays agreed.
bool report_failure(Target target, std::span<const std::uint8_t> input, const FailureReport& how);

std::uint64_t hash_bytes(std::span<const std::uint8_t> bytes);
std::string hex(std::uint64_t value);

}  // namespace connmgr::fuzz

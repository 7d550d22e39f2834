// The stress runner's command line. Every option has a default; the run prints the complete
// command line that reproduces it (reproduce_command), with the seed it actually used.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "mix.h"

namespace connmgr::stress {

// fake: the seeded fault dialer; tcp: TcpDialer against loopback listeners; both: one manager
// dialing both kinds of address.
enum class DialerKind { fake, tcp, both };

// Which design of the core the rounds run (conn_manager.h); both: even rounds synchronous, odd
// rounds event loop.
enum class Designs { synchronous, event_loop, both };

struct Options {
  std::uint64_t seed = 0;          // The master seed; random unless --seed is given.
  unsigned threads = 4;            // Worker threads.
  std::uint64_t ops = 4000;        // Total operations, all workers and rounds (duration_ms 0).
  std::uint64_t duration_ms = 0;   // If nonzero, run for this long instead of counting ops.
  unsigned rounds = 4;             // Fresh managers, one after the other, sharing the budget.
  Mix mix = Mix::defaults();
  DialerKind dialer = DialerKind::fake;
  Designs designs = Designs::both;
  unsigned watchdog_s = 30;        // No progress for this long is a hang: dump state and abort.
  unsigned check_every = 50;       // Each worker's ops between two barrier checks.
  unsigned target_outbound = 4;    // 0: no automatic requests (get_new_address unset).
  unsigned dial_timeout_ms = 20;   // Config::dial_timeout; nonzero: hanging dials end by it.
  unsigned max_delay_us = 2000;    // Bound of the fault dialer's delays and the callbacks' work.
};

const char* dialer_name(DialerKind kind);
const char* designs_name(Designs designs);

// Parses argv. Returns nullopt after printing usage (--help, exit 0) or an error (exit 2); then
// `exit_code` says which.
std::optional<Options> parse_options(int argc, char** argv, int& exit_code);

// The options of round `round` (from 0): its own seed, derived from the master seed, its share of
// the operations or of the duration, and its design.
Options round_options(const Options& options, unsigned round);

// `program` followed by every option, seed included: running it repeats the operation streams.
std::string reproduce_command(const std::string& program, const Options& options);

}  // namespace connmgr::stress

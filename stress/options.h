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

struct Options {
  std::uint64_t seed = 0;          // The master seed; random unless --seed is given.
  unsigned threads = 4;            // Worker threads.
  std::uint64_t ops = 4000;        // Total operations over all workers (when duration_ms is 0).
  std::uint64_t duration_ms = 0;   // If nonzero, run for this long instead of counting ops.
  Mix mix = Mix::defaults();
  DialerKind dialer = DialerKind::fake;
  unsigned watchdog_s = 30;        // No progress for this long is a hang: dump state and abort.
  unsigned check_every = 50;       // Each worker's ops between two barrier checks.
  unsigned target_outbound = 4;    // 0: no automatic requests (get_new_address unset).
  unsigned dial_timeout_ms = 20;   // Config::dial_timeout; nonzero: hanging dials end by it.
  unsigned max_delay_us = 2000;    // Upper bound of the fault dialer's emulated network delay.
};

const char* dialer_name(DialerKind kind);

// Parses argv. Returns nullopt after printing usage (--help, exit 0) or an error (exit 2); then
// `exit_code` says which.
std::optional<Options> parse_options(int argc, char** argv, int& exit_code);

// `program` followed by every option, seed included: running it repeats the operation streams.
std::string reproduce_command(const std::string& program, const Options& options);

}  // namespace connmgr::stress

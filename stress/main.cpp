// connmgr_stress: the production connection manager, in both designs, on its production backends
// (SteadyClock, ThreadExecutor, TCP) and real threads. Workers hammer one manager with a seeded mix
// of every operation while dials complete, fail, hang, time out and succeed after being canceled
// on other threads, get_new_address feeds automatic requests, and stop() lands in the middle of it
// all; then wait(), destruction and the end-of-round checks (run.h). Exit status: 0 if no check
// failed, 1 otherwise, 2 on bad usage; a hang aborts through the watchdog; a sanitizer report ends
// the process with its own status.
//
// Reproducibility: every random choice comes from streams derived from one master seed, printed
// with the complete command line that repeats the run. Threads are real and scheduled by the OS:
// the seed reproduces every worker's operation stream, not the interleaving, so a failure found
// under one seed may need several runs (or another seed) to show again.
#include <cinttypes>
#include <cstdio>
#include <string>

#include "options.h"
#include "run.h"
#include "violations.h"

namespace {

using namespace connmgr::stress;

void print_header(const Options& options, const char* program) {
  const std::string budget = options.duration_ms != 0 ? std::to_string(options.duration_ms) + " ms"
                                                      : std::to_string(options.ops) + " operations";
  std::printf("connmgr_stress: seed %" PRIu64
              ", %u worker threads, %s in %u rounds, design %s, dialer %s\n",
              options.seed, options.threads, budget.c_str(), options.rounds,
              designs_name(options.designs), dialer_name(options.dialer));
  std::printf("reproduce: %s\n", reproduce_command(program, options).c_str());
  std::printf("(real threads: the seed reproduces the operation streams, not the interleaving)\n");
  std::fflush(stdout);
}

void print_result(const Options& options, const RunResult& r, std::size_t violations) {
  for (const auto& [design, results] : r.results) {
    std::printf("results (%s design):\n", design.c_str());
    for (const auto& [what, count] : results)
      std::printf("  %-60s %8" PRIu64 "\n", what.c_str(), count);
  }
  std::printf("connections: %" PRIu64 " dialed, %" PRIu64 " accepted; on_connection %" PRIu64
              ", on_disconnection %" PRIu64 ", established at the end %" PRIu64 "\n",
              r.dialed, r.accepted, r.on_connection, r.on_disconnection, r.established_at_end);
  const double seconds = r.seconds_before_stop;
  const double rate = seconds > 0 ? static_cast<double>(r.ops_before_stop) / seconds : 0;
  std::printf("throughput: %" PRIu64 " operations in %.2f s before stop() = %.0f ops/s; %" PRIu64
              " more after it; %" PRIu64 " barrier checks\n",
              r.ops_before_stop, r.seconds_before_stop, rate, r.ops - r.ops_before_stop, r.checks);
  std::printf("VERDICT: %s seed %" PRIu64 ", %.0f ops/s, %zu violations\n",
              violations == 0 ? "PASS" : "FAIL", options.seed, rate, violations);
}

}  // namespace

int main(int argc, char** argv) {
  int exit_code = 0;
  const auto options = parse_options(argc, argv, exit_code);
  if (!options) return exit_code;
  print_header(*options, argv[0]);
  Violations violations;
  const RunResult result = run_stress(*options, violations);
  print_result(*options, result, violations.count());
  return violations.count() == 0 ? 0 : 1;
}

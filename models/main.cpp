// connmgr_models: the real ConnManager under the Relacy race detector.
//
//   connmgr_models --list
//   connmgr_models [--scenario NAME|all] [--scheduler random|bound|full] [--bound N]
//                  [--iterations N] [--first-iteration N] [--replay STATE] [--stop-on-failure]
//
// The random scheduler explores iterations first..first+N-1, each seeded with its own number, so
// disjoint ranges (shards) explore disjoint schedules; --first-iteration is for random only.
//
// Defaults: every scenario, exhaustive search with context bound 2. A failure prints Relacy's
// interleaving and a command line with --replay that re-runs exactly the failing iteration;
// --stop-on-failure skips the scenarios after the first that fails.
// Exit status: 0 if every run passed, 1 if one failed, 2 on a usage error.
#include "catalog.h"
#include "runner.h"

namespace {

using connmgr::models::RunOptions;
using connmgr::models::ScenarioEntry;

int usage(const std::string& problem) {
  std::cerr << problem << "\nusage: connmgr_models --list\n"
            << "       connmgr_models [--scenario NAME|all] [--scheduler random|bound|full]"
               " [--bound N] [--iterations N] [--first-iteration N] [--replay STATE]"
               " [--stop-on-failure]\n";
  return 2;
}

std::optional<rl::scheduler_type_e> parse_scheduler(const std::string& name) {
  if (name == "random") return rl::sched_random;
  if (name == "bound") return rl::sched_bound;
  if (name == "full") return rl::sched_full;
  return std::nullopt;
}

std::optional<unsigned long> parse_count(const std::string& text) {
  if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos)
    return std::nullopt;
  return std::stoul(text);
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<ScenarioEntry> scenarios = connmgr::models::all_scenarios();
  const std::vector<std::string> args(argv + 1, argv + argc);
  RunOptions options;
  std::string selected = "all";
  bool stop_on_failure = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& flag = args[i];
    if (flag == "--list") {
      for (const ScenarioEntry& scenario : scenarios)
        std::cout << scenario.name << "  " << scenario.summary << "\n";
      return 0;
    }
    if (flag == "--stop-on-failure") {
      stop_on_failure = true;
      continue;
    }
    if (i + 1 == args.size()) return usage("missing value after " + flag);
    const std::string& value = args[++i];
    if (flag == "--scenario") {
      selected = value;
    } else if (flag == "--scheduler") {
      const auto scheduler = parse_scheduler(value);
      if (!scheduler) return usage("unknown scheduler " + value);
      options.scheduler = *scheduler;
    } else if (flag == "--bound" || flag == "--iterations" || flag == "--first-iteration") {
      const auto count = parse_count(value);
      if (!count) return usage("not a count: " + value);
      if (flag == "--bound") options.bound = static_cast<unsigned>(*count);
      else if (flag == "--iterations") options.iterations = *count;
      else options.first_iteration = *count;
    } else if (flag == "--replay") {
      options.replay = value;
    } else {
      return usage("unknown option " + flag);
    }
  }

  if (selected == "all" && !options.replay.empty()) return usage("--replay needs one --scenario");
  if (options.iterations == 0) return usage("--iterations must be at least 1");
  if (options.first_iteration != 0 && options.scheduler != rl::sched_random)
    return usage("--first-iteration is for --scheduler random");
  bool found = false;
  bool all_passed = true;
  for (const ScenarioEntry& scenario : scenarios) {
    if (selected != "all" && selected != scenario.name) continue;
    found = true;
    all_passed = connmgr::models::run(scenario, options, argv[0]) && all_passed;
    if (!all_passed && stop_on_failure) break;
  }
  if (!found) return usage("unknown scenario " + selected + " (see --list)");
  return all_passed ? 0 : 1;
}

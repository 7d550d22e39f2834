#include "runner.h"

#include "story.h"

namespace connmgr::models {
namespace {

// Long enough for every scenario's longest schedule; a real livelock still ends the iteration.
constexpr unsigned kExecutionDepthLimit = 100000;

struct Search {
  bool ok = false;
  rl::test_result_e result = rl::test_result_success;
  rl::iteration_t iterations = 0;  // Explored, the failing one included.
  double seconds = 0;
  std::string report;  // What Relacy printed, without its first line (the test type's name).
  std::string state;   // On a failure: what --replay takes to re-run the failing iteration.
};

// One Relacy search; with a replay state, only the iteration it names, recorded.
Search search(const ScenarioEntry& scenario, const RunOptions& options, const std::string& replay) {
  // Relacy writes its report while it owns the global allocator: rl::ostringstream bypasses it.
  rl::ostringstream report;
  std::ostream discard(nullptr);
  rl::test_params params;
  params.search_type = options.scheduler;
  params.context_bound = options.bound;
  // Relacy's random search runs iterations initial..iteration_count, both included; an initial
  // state that is just a number starts it there.
  params.iteration_count = options.first_iteration + options.iterations - 1;
  params.execution_depth_limit = kExecutionDepthLimit;
  params.output_stream = &report;
  params.progress_stream = &discard;
  const std::string initial = replay.empty() && options.scheduler == rl::sched_random
                                  ? std::to_string(options.first_iteration)
                                  : replay;
  params.initial_state.assign(initial.begin(), initial.end());
  params.collect_history = !replay.empty();
  ReplayMode::single_iteration = !replay.empty();

  const auto started = std::chrono::steady_clock::now();
  Search outcome;
  outcome.ok = scenario.simulate(params);
  outcome.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  outcome.result = params.test_result;
  outcome.iterations = params.stop_iteration + 1 - (replay.empty() ? options.first_iteration : 0);
  const std::string text(report.str().c_str());
  outcome.report = text.substr(std::min(text.size(), text.find('\n') + 1));
  outcome.state.assign(params.final_state.begin(), params.final_state.end());
  return outcome;
}

std::string first_line(const std::string& text) { return text.substr(0, text.find('\n')); }

std::string describe_scheduler(const RunOptions& options) {
  std::string text = scheduler_name(options.scheduler);
  if (options.scheduler == rl::sched_bound) text += "(" + std::to_string(options.bound) + ")";
  return text;
}

std::string replay_command(const ScenarioEntry& scenario, const RunOptions& options,
                           const std::string& program, const std::string& state) {
  std::string command = program + " --scenario " + scenario.name + " --scheduler " +
                        scheduler_name(options.scheduler);
  if (options.scheduler == rl::sched_bound) command += " --bound " + std::to_string(options.bound);
  return command + " --replay '" + state + "'";
}

}  // namespace

const char* scheduler_name(rl::scheduler_type_e scheduler) {
  switch (scheduler) {
    case rl::sched_random: return "random";
    case rl::sched_bound: return "bound";
    case rl::sched_full: return "full";
    default: return "?";
  }
}

bool run(const ScenarioEntry& scenario, const RunOptions& options, const std::string& program) {
  const Search found = search(scenario, options, options.replay);
  const bool replaying = !options.replay.empty();
  const bool not_reproduced = found.result == rl::test_result_until_condition_hit;
  if (!found.ok)
    std::cout << found.report << "in short:\n" << story(found.report, scenario.threads);

  std::ostringstream line;
  line.precision(2);
  line << std::fixed << scenario.name << "  scheduler=" << describe_scheduler(options)
       << "  iterations=" << found.iterations << "  time=" << found.seconds << "s  result=";
  if (found.ok) line << "ok";
  else if (not_reproduced) line << "NOT REPRODUCED (the replayed iteration passed)";
  else line << "FAILED: " << first_line(found.report);
  std::cout << line.str() << std::endl;

  if (!found.ok && !replaying) {
    // Relacy recorded the failing iteration once already; a second, independent replay must end
    // with the same verdict, or the model is not deterministic and the command below is useless.
    const Search again = search(scenario, options, found.state);
    const std::string verdict = first_line(again.report);
    const bool same = verdict == first_line(found.report);
    std::cout << "replay (" << (same ? "checked: same verdict" : "NOT DETERMINISTIC: " + verdict)
              << "): " << replay_command(scenario, options, program, found.state) << std::endl;
  }
  return found.ok;
}

}  // namespace connmgr::models

#include "runner.h"

namespace connmgr::models {
namespace {

// Long enough for every scenario's longest schedule; a real livelock still ends the iteration.
constexpr unsigned kExecutionDepthLimit = 100000;

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

// Relacy's report without its first line (the mangled name of the test type).
std::string without_first_line(const std::string& text) {
  const auto newline = text.find('\n');
  return newline == std::string::npos ? std::string() : text.substr(newline + 1);
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
  std::ostringstream report;
  std::ostream discard(nullptr);
  rl::test_params params;
  params.search_type = options.scheduler;
  params.context_bound = options.bound;
  params.iteration_count = options.iterations;
  params.execution_depth_limit = kExecutionDepthLimit;
  params.output_stream = &report;
  params.progress_stream = &discard;
  params.initial_state.assign(options.replay.begin(), options.replay.end());
  params.collect_history = !options.replay.empty();
  ReplayMode::single_iteration = !options.replay.empty();

  const auto started = std::chrono::steady_clock::now();
  const bool ok = scenario.simulate(params);
  const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - started;

  const bool reproduced_nothing = params.test_result == rl::test_result_until_condition_hit;
  if (!ok && !reproduced_nothing) std::cout << without_first_line(report.str());
  std::ostringstream line;
  line.precision(2);
  line << std::fixed << scenario.name << "  scheduler=" << describe_scheduler(options)
       << "  iterations=" << params.stop_iteration + 1 << "  time=" << elapsed.count() << "s  result=";
  if (ok) {
    line << "ok";
  } else if (reproduced_nothing) {
    line << "NOT REPRODUCED (the replayed iteration passed)";
  } else {
    line << "FAILED: " << rl::test_result_str(params.test_result);
  }
  std::cout << line.str() << std::endl;
  if (!ok && options.replay.empty()) {
    std::cout << "replay: " << replay_command(scenario, options, program,
                                            std::string(params.final_state.begin(), params.final_state.end()))
              << std::endl;
  }
  return ok;
}

}  // namespace connmgr::models

// The standalone driver (no libFuzzer): replays fuzz inputs as a regression test, checking each
// run twice for determinism; optionally re-runs them under a random or PCT scheduler.
//
//   fuzz_replay [--trace] [--schedule random|pct] [--seed N] [--depth D] [--runs M] TARGET PATH...
//
// PATH is a file or a directory (every file in it, in name order). Exits 1 if any input fails;
// failures print their minimized interleaving and a REPLAY line, and the minimized input is saved
// under $CONNMGR_FUZZ_ARTIFACTS (default: the working directory).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "harness/report.h"
#include "harness/scenario.h"
#include "harness/world.h"

namespace {

using namespace connmgr::fuzz;

struct Args {
  bool trace = false;
  RunOptions options;
  unsigned runs = 1;
  Target target = Target::ops;
  std::vector<std::string> paths;
};

[[noreturn]] void usage() {
  std::fprintf(stderr,
               "usage: fuzz_replay [--trace] [--schedule random|pct] [--seed N] [--depth D] [--runs M] "
               "TARGET PATH...\n  TARGET: ops, lifecycle, outbound\n");
  std::exit(2);
}

Args parse_args(int argc, char** argv) {
  Args args;
  std::vector<std::string> positional;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto value = [&] {
      if (i + 1 >= argc) usage();
      return std::string(argv[++i]);
    };
    if (arg == "--trace")
      args.trace = true;
    else if (arg == "--schedule") {
      const std::string name = value();
      if (name != "random" && name != "pct") usage();
      args.options.schedule = name == "pct" ? Schedule::pct : Schedule::random;
    } else if (arg == "--seed")
      args.options.seed = static_cast<std::uint32_t>(std::stoul(value()));
    else if (arg == "--depth")
      args.options.depth = static_cast<std::uint8_t>(std::stoul(value()));
    else if (arg == "--runs")
      args.runs = static_cast<unsigned>(std::stoul(value()));
    else if (arg.starts_with("--"))
      usage();
    else
      positional.push_back(arg);
  }
  if (positional.size() < 2) usage();
  const auto target = parse_target(positional[0]);
  if (!target) usage();
  args.target = *target;
  args.paths.assign(positional.begin() + 1, positional.end());
  return args;
}

std::vector<std::string> input_files(const std::vector<std::string>& paths) {
  std::vector<std::string> files;
  for (const auto& path : paths) {
    if (std::filesystem::is_directory(path)) {
      std::vector<std::string> in_dir;
      for (const auto& entry : std::filesystem::directory_iterator(path)) {
        if (entry.is_regular_file()) in_dir.push_back(entry.path().string());
      }
      std::sort(in_dir.begin(), in_dir.end());
      files.insert(files.end(), in_dir.begin(), in_dir.end());
    } else {
      files.push_back(path);
    }
  }
  return files;
}

// Where minimized failures go: $CONNMGR_FUZZ_ARTIFACTS, else the working directory (never the
// corpus being replayed).
std::string artifact_dir() {
  const char* dir = std::getenv("CONNMGR_FUZZ_ARTIFACTS");
  return dir != nullptr ? dir : ".";
}

std::vector<std::uint8_t> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

int main(int argc, char** argv) {
  const Args args = parse_args(argc, argv);
  const auto files = input_files(args.paths);
  unsigned failures = 0;
  unsigned nondeterministic = 0;
  std::uint64_t runs = 0;
  std::string guarantee;
  for (const auto& file : files) {
    const auto bytes = read_file(file);
    const Scenario scenario = parse(args.target, bytes);
    for (unsigned r = 0; r < args.runs; ++r) {
      RunOptions options = args.options;
      options.seed += r;
      options.trace = args.trace;
      options.verify_views = true;
      options.guarantee = args.trace || args.options.schedule.has_value();
      const RunResult first = run(scenario, options);
      const RunResult second = run(scenario, options);
      runs += 2;
      guarantee = first.guarantee;
      if (first.hash != second.hash || first.failure != second.failure) {
        ++nondeterministic;
        std::fprintf(stderr, "NONDETERMINISTIC %s: trace hashes %s and %s\n", file.c_str(),
                     hex(first.hash).c_str(), hex(second.hash).c_str());
      }
      if (args.trace) {
        std::printf("%s: trace hash %s; %s\n%s", file.c_str(), hex(first.hash).c_str(),
                    first.guarantee.c_str(), first.trace.c_str());
      }
      if (first.failed) {
        ++failures;
        report_failure(args.target, bytes, FailureReport{argv[0], file, artifact_dir(), options});
        break;
      }
    }
  }
  std::printf("fuzz_replay %s: %zu inputs, %llu runs, %u failed, %u nondeterministic\n",
              to_string(args.target), files.size(), static_cast<unsigned long long>(runs), failures,
              nondeterministic);
  if (args.options.schedule && !guarantee.empty()) std::printf("last run: %s\n", guarantee.c_str());
  std::fflush(stdout);
  // A failed run leaves fibers suspended inside the manager (their memory is deliberately leaked):
  // leave without the leak checker.
  if (failures + nondeterministic != 0) std::_Exit(1);
  return 0;
}

#include "harness/report.h"

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "harness/minimize.h"

namespace connmgr::fuzz {
namespace {

void save(const std::string& path, const std::vector<std::uint8_t>& bytes) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

std::string schedule_flags(const RunOptions& options) {
  if (!options.schedule) return "";
  if (*options.schedule == Schedule::random)
    return "--schedule random --seed " + std::to_string(options.seed) + " ";
  return "--schedule pct --seed " + std::to_string(options.seed) + " --depth " +
         std::to_string(options.depth) + " ";
}

}  // namespace

std::uint64_t hash_bytes(std::span<const std::uint8_t> bytes) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  for (std::uint8_t byte : bytes) hash = (hash ^ byte) * 0x100000001b3ULL;
  return hash;
}

std::string hex(std::uint64_t value) {
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(value));
  return text;
}

bool report_failure(Target target, std::span<const std::uint8_t> input, const FailureReport& how) {
  const Scenario scenario = parse(target, input);
  const std::vector<std::uint8_t> bytes(input.begin(), input.end());
  std::string path = how.saved_path;
  if (path.empty()) {
    path = how.artifact_dir + "/" + to_string(target) + "-" + hex(hash_bytes(bytes)) + ".bin";
    save(path, bytes);
  }
  RunOptions options = how.options;
  options.trace = false;
  const RunResult first = run(scenario, options);
  const RunResult second = run(scenario, options);
  const bool deterministic = first.hash == second.hash && first.failure == second.failure;

  const Scenario minimal = minimize(scenario, options);
  const std::string minimal_path =
      how.artifact_dir + "/" + std::filesystem::path(path).filename().string() + ".min";
  save(minimal_path, encode(minimal));
  options.trace = true;
  options.guarantee = true;
  const RunResult shown = run(minimal, options);
  const std::string replay =
      how.replay_binary + " --trace " + schedule_flags(how.options) + to_string(target) + " ";

  std::fprintf(stderr, "\n=== connmgr fuzz failure, target %s\n%s\n", to_string(target),
               first.failure.c_str());
  std::fprintf(stderr, "determinism: %s (trace hashes %s, %s)\n",
               deterministic ? "the replay is deterministic" : "NONDETERMINISTIC REPLAY",
               hex(first.hash).c_str(), hex(second.hash).c_str());
  std::fprintf(stderr, "minimized: %zu -> %zu operations on %u client threads, %zu -> %zu tail bytes; %s\n",
               scenario.ops.size(), minimal.ops.size(), minimal.threads, scenario.tail.size(),
               minimal.tail.size(), shown.guarantee.c_str());
  std::fprintf(stderr, "%s%s\n", shown.trace.c_str(), shown.failure.c_str());
  std::fprintf(stderr, "minimized replay: %s%s\n", replay.c_str(), minimal_path.c_str());
  std::fprintf(stderr, "REPLAY: %s%s\n", replay.c_str(), path.c_str());
  return deterministic;
}

}  // namespace connmgr::fuzz

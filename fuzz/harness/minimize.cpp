#include "harness/minimize.h"

#include <algorithm>

namespace connmgr::fuzz {
namespace {

class Minimizer {
 public:
  Minimizer(const Scenario& failing, const RunOptions& options)
      : best_(failing), options_(options), kind_(failure_kind(run(failing, options).failure)) {}

  Scenario result() {
    ddmin();
    drop_unused_threads();
    trim_tail();
    return best_;
  }

 private:
  bool still_fails(const Scenario& candidate) {
    const RunResult result = run(candidate, options_);
    return result.failed && failure_kind(result.failure) == kind_;
  }

  void ddmin() {
    std::size_t parts = 2;
    while (best_.ops.size() >= 2) {
      const std::size_t size = best_.ops.size();
      const std::size_t chunk = (size + parts - 1) / parts;
      bool reduced = false;
      for (std::size_t start = 0; start < size && !reduced; start += chunk) {
        Scenario candidate = best_;
        candidate.ops.erase(
            candidate.ops.begin() + static_cast<std::ptrdiff_t>(start),
            candidate.ops.begin() + static_cast<std::ptrdiff_t>(std::min(size, start + chunk)));
        if (still_fails(candidate)) {
          best_ = std::move(candidate);
          parts = std::max<std::size_t>(parts - 1, 2);
          reduced = true;
        }
      }
      if (reduced) continue;
      if (parts >= size) break;
      parts = std::min(size, parts * 2);
    }
    if (best_.ops.size() == 1) {
      Scenario candidate = best_;
      candidate.ops.clear();
      if (still_fails(candidate)) best_ = std::move(candidate);
    }
  }

  void drop_unused_threads() {
    Scenario candidate = best_;
    std::vector<std::uint8_t> renumber(candidate.threads, 0);
    std::uint8_t used = 0;
    for (std::uint8_t t = 0; t < candidate.threads; ++t) {
      const bool in_use = std::any_of(candidate.ops.begin(), candidate.ops.end(),
                                      [&](const ScenarioOp& op) { return op.thread == t; });
      renumber[t] = used;
      if (in_use || t == 0) ++used;
    }
    if (used == candidate.threads) return;
    for (ScenarioOp& op : candidate.ops) op.thread = renumber[op.thread];
    candidate.threads = used;
    if (still_fails(candidate)) best_ = std::move(candidate);
  }

  void trim_tail() {
    const RunResult result = run(best_, options_);
    const std::size_t front = result.tail_front;
    const std::size_t back = result.tail_back;
    if (front + back >= best_.tail.size()) return;
    Scenario candidate = best_;
    candidate.tail.assign(best_.tail.begin(), best_.tail.begin() + static_cast<std::ptrdiff_t>(front));
    candidate.tail.insert(candidate.tail.end(), best_.tail.end() - static_cast<std::ptrdiff_t>(back),
                          best_.tail.end());
    if (still_fails(candidate)) best_ = std::move(candidate);
  }

  Scenario best_;
  RunOptions options_;
  std::string kind_;
};

}  // namespace

Scenario minimize(const Scenario& failing, const RunOptions& options) {
  RunOptions quiet = options;
  quiet.trace = false;
  return Minimizer(failing, quiet).result();
}

}  // namespace connmgr::fuzz

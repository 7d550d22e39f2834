#include "strategy.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "spare_storage.h"

namespace connmgr::sim {

std::uint64_t Rng::next() {
  std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

std::size_t RandomWalk::pick(std::span<const FiberId> runnable, FiberId, std::uint64_t) {
  return static_cast<std::size_t>(rng_.below(runnable.size()));
}

std::string RandomWalk::guarantee(FiberId fibers, std::uint64_t steps) const {
  return "random walk, seed " + std::to_string(seed_) + ": n=" + std::to_string(fibers) +
         " fibers, k=" + std::to_string(steps) + " steps (no probability bound)";
}

std::size_t RunToCompletion::pick(std::span<const FiberId> runnable, FiberId current, std::uint64_t) {
  const auto it = std::find(runnable.begin(), runnable.end(), current);
  return it == runnable.end() ? 0 : static_cast<std::size_t>(it - runnable.begin());
}

std::string RunToCompletion::guarantee(FiberId fibers, std::uint64_t steps) const {
  return "run to completion (no preemption): n=" + std::to_string(fibers) + " fibers, k=" +
         std::to_string(steps) + " steps";
}

Pct::Pct(std::uint64_t seed, unsigned depth, std::uint64_t step_estimate)
    : rng_(seed),
      seed_(seed),
      depth_(std::max(depth, 1U)),
      step_estimate_(std::max<std::uint64_t>(step_estimate, 1)) {
  // A run creates its strategy afresh: its lists borrow storage that earlier runs grew. The
  // priorities first, as the destructor gives them back last.
  borrow_spare(priorities_);
  borrow_spare(change_points_);
  for (unsigned i = 1; i < depth_; ++i) change_points_.push_back(1 + rng_.below(step_estimate_));
  std::sort(change_points_.begin(), change_points_.end());
}

Pct::~Pct() {
  return_spare(change_points_);
  return_spare(priorities_);
}

// Initial priorities lie above depth_, so the i-th change point (priority depth_ - i) puts the
// running fiber below every fiber that was never demoted.
void Pct::spawned(FiberId fiber) { set_priority(fiber, depth_ + 1 + (rng_.next() >> 16)); }

void Pct::set_priority(FiberId fiber, std::uint64_t priority) {
  if (fiber >= priorities_.size()) priorities_.resize(std::max<std::size_t>(fiber + 1, 64), 0);
  priorities_[fiber] = priority;
}

std::uint64_t Pct::priority(FiberId fiber) const {
  return fiber < priorities_.size() ? priorities_[fiber] : 0;
}

std::size_t Pct::pick(std::span<const FiberId> runnable, FiberId current, std::uint64_t step) {
  while (next_change_ < change_points_.size() && change_points_[next_change_] <= step) {
    set_priority(current, depth_ - 1 - next_change_);
    ++next_change_;
  }
  std::size_t best = 0;
  for (std::size_t i = 1; i < runnable.size(); ++i) {
    if (priority(runnable[i]) > priority(runnable[best])) best = i;
  }
  return best;
}

std::string Pct::guarantee(FiberId fibers, std::uint64_t steps) const {
  const double k = static_cast<double>(std::max(steps, step_estimate_));
  const double bound = 1.0 / (static_cast<double>(fibers) * std::pow(k, depth_ - 1.0));
  char line[320];
  std::snprintf(line, sizeof line,
                "PCT seed %llu, depth d=%u: n=%u fibers, k=%llu steps (change points over %llu): "
                "P(hit a given depth-%u bug) >= 1/(n*k^(d-1)) = %.3g; %.0f runs miss it with "
                "probability <= 1e-3",
                static_cast<unsigned long long>(seed_), depth_, fibers,
                static_cast<unsigned long long>(steps), static_cast<unsigned long long>(step_estimate_),
                depth_, bound, std::ceil(std::log(1e3) / bound));
  return line;
}

}  // namespace connmgr::sim

#include "budget.h"

#include <algorithm>

#include "rng.h"

namespace connmgr::stress {
namespace {

constexpr std::uint64_t kMaxTailPerWorker = 50;

std::uint64_t draw_tail(const Options& options) {
  Rng rng(Rng::derive(options.seed, Stream::schedule));
  const std::uint64_t tail = rng.below(kMaxTailPerWorker * options.threads + 1);
  return options.duration_ms != 0 ? tail : std::min(tail, options.ops - 1);
}

}  // namespace

Budget::Budget(const Options& options)
    : by_duration_(options.duration_ms != 0),
      tail_(draw_tail(options)),
      ops_before_stop_(by_duration_ ? 0 : options.ops - 1 - tail_),
      stop_time_(Clock::now() + std::chrono::milliseconds(options.duration_ms)) {}

Budget::Ticket Budget::next() {
  if (!stop_issued_.load()) {
    if (before_stop()) return {true, false};
    if (!stop_issued_.exchange(true)) return {true, true};
  }
  return {tail_issued_++ < tail_, false};
}

bool Budget::before_stop() {
  if (by_duration_) return Clock::now() < stop_time_;
  return issued_++ < ops_before_stop_;
}

}  // namespace connmgr::stress

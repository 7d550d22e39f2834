// Cancellation of dials: the DialContext the manager hands a Dialer, and the CancelSource a
// connect() caller uses to abandon its request (Go's caller ctx).
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <system_error>
#include <utility>
#include <vector>

#include "connmgr/connection.h"
#include "connmgr/error.h"
#include "connmgr/platform.h"
#include "connmgr/types.h"

namespace connmgr {

// The cancellation state of a request's dials, embedded in its ConnReq and reused by each dial
// attempt: a request dials at most once at a time, and a new attempt starts only after the
// previous one's outcome was handled. Attempt numbers tell the attempts apart: a cancel() meant
// for an earlier attempt finds a newer number and does nothing. (Only a dial deadline's cancel can
// arrive that late, and only with a Clock that runs callbacks concurrently: the next attempt needs
// the retry timer to fire while the deadline's callback is still running.) Within an attempt the
// first cancel() wins and fixes the reason. Lock order: a DialCancellation's mutex is a leaf, taken
// after the manager's and a CancelSource's.
template <class Platform>
class DialCancellation final : public DialContext {
 public:
  using Attempt = std::uint64_t;  // 0 names no attempt.

  std::error_code cancellation() const override {
    if (!canceled_.load(std::memory_order_acquire)) return {};
    LockGuard<Mutex> lock(mu_);
    return reason_;
  }

  void set_cancel_handler(std::function<void()> handler) override {
    LockGuard<Mutex> lock(mu_);
    handler_ = std::move(handler);
    has_handler_.store(handler_ != nullptr, std::memory_order_relaxed);
    if (reason_) run_handler();
  }

  // Only the dialing thread installs a handler, so its own check of has_handler_ is exact.
  void clear_cancel_handler() override {
    if (!has_handler_.load(std::memory_order_relaxed)) return;
    LockGuard<Mutex> lock(mu_);
    handler_ = nullptr;
    has_handler_.store(false, std::memory_order_relaxed);
  }

  // For the manager, under its lock, while no attempt of this request is in flight: starts the
  // next attempt, not canceled, and returns its number.
  Attempt begin_attempt() {
    LockGuard<Mutex> lock(mu_);
    reason_ = {};
    canceled_.store(false, std::memory_order_relaxed);
    return ++attempt_;
  }

  // Returns true if this call canceled `attempt` (false if it already was, or is not current).
  bool cancel(Attempt attempt, std::error_code reason) {
    LockGuard<Mutex> lock(mu_);
    if (attempt != attempt_ || reason_) return false;
    reason_ = reason;
    canceled_.store(true, std::memory_order_release);
    run_handler();
    return true;
  }

 private:
  using Mutex = typename Platform::Mutex;

  void run_handler() REQUIRES(mu_) {
    if (!handler_) return;
    auto handler = std::exchange(handler_, nullptr);
    handler();
  }

  mutable Mutex mu_;
  Attempt attempt_ GUARDED_BY(mu_) = 0;
  std::error_code reason_ GUARDED_BY(mu_);
  std::function<void()> handler_ GUARDED_BY(mu_);
  typename Platform::template Atomic<bool> canceled_{false};     // reason_ is set.
  typename Platform::template Atomic<bool> has_handler_{false};  // handler_ is set.
};

// Lets a connect() caller cancel its request: the dial in flight is canceled with Errc::canceled,
// and a permanent request stops being retried. Thread-safe; cancel() is idempotent and may be
// called before, during or after connect(). Share it with std::make_shared.
template <class Platform>
class CancelSource {
 public:
  void cancel() {
    LockGuard<Mutex> lock(mu_);
    canceled_ = true;
    for (const Attached& attached : attached_)
      attached.dial->cancel(attached.attempt, make_error_code(Errc::canceled));
    attached_.clear();
  }

  bool canceled() const {
    LockGuard<Mutex> lock(mu_);
    return canceled_;
  }

 private:
  template <class, Design>
  friend class BasicConnManager;
  using Mutex = typename Platform::Mutex;

  // Cancels `attempt` of `dial` when this source is canceled (at once if it already is), until
  // detach().
  void attach(DialCancellation<Platform>* dial, typename DialCancellation<Platform>::Attempt attempt) {
    LockGuard<Mutex> lock(mu_);
    if (canceled_) {
      dial->cancel(attempt, make_error_code(Errc::canceled));
      return;
    }
    attached_.push_back({dial, attempt});
  }

  void detach(DialCancellation<Platform>* dial) {
    LockGuard<Mutex> lock(mu_);
    attached_.erase(std::remove_if(attached_.begin(), attached_.end(),
                                   [dial](const Attached& attached) { return attached.dial == dial; }),
                    attached_.end());
  }

  struct Attached {
    DialCancellation<Platform>* dial;
    typename DialCancellation<Platform>::Attempt attempt;
  };

  mutable Mutex mu_;
  bool canceled_ GUARDED_BY(mu_) = false;
  std::vector<Attached> attached_ GUARDED_BY(mu_);
};

}  // namespace connmgr

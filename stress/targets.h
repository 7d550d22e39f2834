// What the workers aim their disconnect, remove and cancel_caller operations at: the requests and
// cancel sources recently seen (connected by a worker, reported by on_connection, visited by
// for_each_conn_req). Two fixed-size rings, overwritten oldest first. Thread-safe.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>

#include "connmgr/std_conn_manager.h"

namespace connmgr::stress {

class Targets {
 public:
  void add(StdConnReqPtr req) EXCLUDES(mu_) {
    LockGuard<StdMutex> lock(mu_);
    requests_[next_request_++ % kSlots] = std::move(req);
  }

  void add(std::shared_ptr<StdCancelSource> source) EXCLUDES(mu_) {
    LockGuard<StdMutex> lock(mu_);
    sources_[next_source_++ % kSlots] = std::move(source);
  }

  // The id of a request in the slots from draw % kSlots on: the first of kProbes that looks
  // registered (by its state), so that removals keep up with connections; else that of the first
  // slot, possibly stale, or 0 (never registered) for an empty slot.
  ReqId id(std::uint64_t draw) const EXCLUDES(mu_) {
    LockGuard<StdMutex> lock(mu_);
    for (std::size_t probe = 0; probe < kProbes; ++probe) {
      const auto& req = requests_[(draw + probe) % kSlots];
      if (req && req->id() != 0 && looks_registered(*req)) return req->id();
    }
    const auto& first = requests_[draw % kSlots];
    return first ? first->id() : 0;
  }

  // The source in slot draw % kSlots, possibly null.
  std::shared_ptr<StdCancelSource> source(std::uint64_t draw) const EXCLUDES(mu_) {
    LockGuard<StdMutex> lock(mu_);
    return sources_[draw % kSlots];
  }

 private:
  static constexpr std::size_t kSlots = 64;
  static constexpr std::size_t kProbes = 4;

  // Canceled and Disconnected are final; a failed request stays registered only if permanent.
  static bool looks_registered(const StdConnReq& req) {
    const ConnState state = req.state();
    return state != ConnState::canceled && state != ConnState::disconnected &&
           (state != ConnState::failed || req.permanent());
  }

  mutable StdMutex mu_;
  std::array<StdConnReqPtr, kSlots> requests_ GUARDED_BY(mu_);
  std::array<std::shared_ptr<StdCancelSource>, kSlots> sources_ GUARDED_BY(mu_);
  std::size_t next_request_ GUARDED_BY(mu_) = 0;
  std::size_t next_source_ GUARDED_BY(mu_) = 0;
};

}  // namespace connmgr::stress

// TimerQueue: SteadyClock's timers by deadline, as a binary heap of (deadline, id) keys with the
// callbacks in an IdMap beside it. push() is O(log n); cancel() is amortized O(1): it releases
// the callback at once and leaves the key in the heap as a tombstone, dropped when it reaches the
// top or when tombstones outnumber the live timers (then the heap is rebuilt without them).
// Nothing is allocated per timer beyond the callback's own storage. Not thread-safe.
#pragma once

#include <algorithm>
#include <cstddef>
#include <optional>
#include <utility>
#include <vector>

#include "connmgr/clock.h"
#include "connmgr/id_map.h"

namespace connmgr {

class TimerQueue {
 public:
  // `id` must be non-zero and not pending.
  void push(TimePoint deadline, TimerId id, Task callback) {
    callbacks_.emplace(id, std::move(callback));
    heap_.push_back(Key{deadline, id});
    std::push_heap(heap_.begin(), heap_.end(), fires_later);
  }

  // Returns true if `id` was pending (its callback is released and will not be returned).
  bool cancel(TimerId id) {
    auto found = callbacks_.find(id);
    if (found == callbacks_.end()) return false;
    callbacks_.erase(found);
    if (heap_.size() >= kMinCompaction && heap_.size() / 2 >= callbacks_.size()) {
      std::erase_if(heap_, [this](const Key& key) { return !callbacks_.contains(key.id); });
      std::make_heap(heap_.begin(), heap_.end(), fires_later);
    }
    return true;
  }

  // The earliest pending timer's deadline, or nullopt if none is pending.
  std::optional<TimePoint> earliest() {
    drop_tombstones();
    if (heap_.empty()) return std::nullopt;
    return heap_.front().deadline;
  }

  // Removes the earliest pending timer, in (deadline, id) order, and returns its callback if its
  // deadline is at or before `now`.
  std::optional<Task> pop_due(TimePoint now) {
    drop_tombstones();
    if (heap_.empty() || heap_.front().deadline > now) return std::nullopt;
    auto found = callbacks_.find(heap_.front().id);
    pop();
    Task due = std::move(found->second);
    callbacks_.erase(found);
    return due;
  }

  std::size_t size() const { return callbacks_.size(); }

 private:
  struct Key {
    TimePoint deadline;
    TimerId id;
  };
  static constexpr std::size_t kMinCompaction = 64;  // Smaller heaps keep their tombstones.

  // The heap's order: its top is the earliest (deadline, id).
  static bool fires_later(const Key& a, const Key& b) {
    return std::pair(a.deadline, a.id) > std::pair(b.deadline, b.id);
  }

  void pop() {
    std::pop_heap(heap_.begin(), heap_.end(), fires_later);
    heap_.pop_back();
  }

  void drop_tombstones() {
    while (!heap_.empty() && !callbacks_.contains(heap_.front().id)) pop();
  }

  std::vector<Key> heap_;  // Pending and canceled timers' keys, a heap by fires_later.
  IdMap<Task> callbacks_;  // The pending timers' callbacks.
};

}  // namespace connmgr

// IdMap: a map from a non-zero 64-bit id (a request id, a timer id) to its value: the registry's
// entries, SteadyClock's timer callbacks.
//
// Values live in one dense vector (iteration is a linear scan); an open-addressing index of
// (id, position) slots finds them with one multiplicative hash and linear probing. Nothing is
// allocated per element: both arrays grow by doubling. Not thread-safe (the manager's mutex guards
// it). Every insertion and erasure invalidates iterators and references; iteration order is
// unspecified (insertion order, except that erasing moves the last element into the gap).
#pragma once

#include <cassert>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace connmgr {

template <class Value>
class IdMap {
 public:
  using Id = std::uint64_t;
  using value_type = std::pair<Id, Value>;
  using iterator = typename std::vector<value_type>::iterator;
  using const_iterator = typename std::vector<value_type>::const_iterator;

  iterator begin() { return items_.begin(); }
  iterator end() { return items_.end(); }
  const_iterator begin() const { return items_.begin(); }
  const_iterator end() const { return items_.end(); }
  std::size_t size() const { return items_.size(); }
  bool empty() const { return items_.empty(); }

  // Id 0 is never present.
  iterator find(Id id) { return begin() + static_cast<std::ptrdiff_t>(index_of(id)); }
  const_iterator find(Id id) const { return begin() + static_cast<std::ptrdiff_t>(index_of(id)); }
  bool contains(Id id) const { return index_of(id) != items_.size(); }

  // `id` must be non-zero and absent.
  Value& emplace(Id id, Value&& value) {
    assert(id != 0 && find(id) == end());
    if ((items_.size() + 1) * 4 > slots_.size() * 3) grow();
    items_.emplace_back(id, std::move(value));
    place(id, items_.size() - 1);
    return items_.back().second;
  }

  // Returns the iterator to the element that took the erased one's place (end() if none did).
  iterator erase(iterator it) {
    const std::size_t index = static_cast<std::size_t>(it - items_.begin());
    vacate(slot_of(it->first));
    if (index + 1 != items_.size()) {
      *it = std::move(items_.back());
      slots_[slot_of(it->first)].index = index;
    }
    items_.pop_back();
    return items_.begin() + static_cast<std::ptrdiff_t>(index);
  }

  void clear() {
    items_.clear();
    slots_.assign(slots_.size(), Slot{});
  }

 private:
  struct Slot {
    Id id = 0;  // 0: free.
    std::size_t index = 0;
  };

  // The position of `id`'s value in items_, or items_.size() if absent.
  std::size_t index_of(Id id) const {
    if (id == 0 || items_.empty()) return items_.size();
    for (std::size_t slot = home(id);; slot = next(slot)) {
      if (slots_[slot].id == id) return slots_[slot].index;
      if (slots_[slot].id == 0) return items_.size();
    }
  }

  std::size_t home(Id id) const {
    return static_cast<std::size_t>((id * 0x9E3779B97F4A7C15ULL) >> shift_);
  }
  std::size_t next(std::size_t slot) const { return (slot + 1) & (slots_.size() - 1); }

  std::size_t slot_of(Id id) const {
    std::size_t slot = home(id);
    while (slots_[slot].id != id) slot = next(slot);
    return slot;
  }

  // Backward-shift deletion: moves later slots of the probe run into the hole when the hole lies
  // on their probe path, so lookups never need tombstones.
  void vacate(std::size_t hole) {
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t slot = next(hole); slots_[slot].id != 0; slot = next(slot)) {
      const std::size_t distance = (slot - home(slots_[slot].id)) & mask;
      if (distance >= ((slot - hole) & mask)) {
        slots_[hole] = slots_[slot];
        hole = slot;
      }
    }
    slots_[hole] = Slot{};
  }

  void grow() {
    const std::size_t capacity = slots_.empty() ? 16 : slots_.size() * 2;
    shift_ = 64;
    for (std::size_t c = capacity; c > 1; c >>= 1) --shift_;
    // The first growth reserves room for the values the first index holds (one allocation
    // instead of five), as a power of two like the vector's own doublings from then on, so that
    // its capacity stays within twice its size.
    if (slots_.empty()) items_.reserve(capacity);
    slots_.assign(capacity, Slot{});
    for (std::size_t index = 0; index < items_.size(); ++index) place(items_[index].first, index);
  }

  void place(Id id, std::size_t index) {
    std::size_t slot = home(id);
    while (slots_[slot].id != 0) slot = next(slot);
    slots_[slot] = Slot{id, index};
  }

  std::vector<value_type> items_;
  std::vector<Slot> slots_;  // Power-of-two size, at most three quarters used.
  unsigned shift_ = 64;      // 64 - log2(slots_.size()): home() keeps the hash's top bits.
};

}  // namespace connmgr

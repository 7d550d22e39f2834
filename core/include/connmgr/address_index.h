// The manager's index of pending requests by address: an intrusive hash multimap whose links live
// in the indexed items, so indexing and unindexing allocate nothing (only the bucket array grows,
// by doubling, when the index holds more items than buckets).
//
// Not thread-safe: the manager keeps it in its registry, under its lock. An item is in at most
// one index at a time and must outlive its membership (the manager's entry holds a reference).
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <utility>
#include <vector>

namespace connmgr {

// The hash the index files an address under, computed once per request outside the manager's
// lock. Eight bytes at a time, each folded in by a multiply and a rotation, then the high half is
// folded into the low bits, which pick the bucket. Inline, and about a third of
// std::hash<std::string>'s cost on addresses like "10.0.0.1:8333". Not keyed: like std::hash, it
// does not resist chosen collisions.
inline std::size_t address_hash(std::string_view address) {
  constexpr std::uint64_t kMultiplier = 0x9E3779B97F4A7C15ull;  // 2^64 / golden ratio, odd.
  const char* bytes = address.data();
  std::size_t left = address.size();
  std::uint64_t hash = left * kMultiplier;
  auto fold = [&hash](std::uint64_t word) { hash = std::rotl((hash ^ word) * kMultiplier, 31); };
  for (; left >= 8; bytes += 8, left -= 8) {
    std::uint64_t word;
    std::memcpy(&word, bytes, 8);
    fold(word);
  }
  if (left >= 4) {  // The last 4 to 7 bytes, as two overlapping 4-byte loads.
    std::uint32_t low;
    std::uint32_t high;
    std::memcpy(&low, bytes, 4);
    std::memcpy(&high, bytes + left - 4, 4);
    fold(static_cast<std::uint64_t>(high) << 32 | low);
  } else if (left > 0) {
    const auto byte = [bytes](std::size_t i) {
      return static_cast<std::uint64_t>(static_cast<unsigned char>(bytes[i]));
    };
    fold(byte(0) << 16 | byte(left / 2) << 8 | byte(left - 1));
  }
  hash = (hash ^ (hash >> 32)) * kMultiplier;
  return static_cast<std::size_t>(hash ^ (hash >> 32));
}

// The links an indexed item embeds. Copying an item never copies its membership.
template <class Item>
struct AddressIndexHook {
  AddressIndexHook() = default;
  AddressIndexHook(const AddressIndexHook&) {}
  AddressIndexHook& operator=(const AddressIndexHook&) { return *this; }

  Item* next = nullptr;   // The next item in the same bucket.
  Item** prev = nullptr;  // The link that points at this item; null when not indexed.
};

// Item exposes `std::size_t address_hash_` and `AddressIndexHook<Item> index_hook_` to this class.
template <class Item>
class AddressIndex {
 public:
  // `item` must not be indexed.
  void insert(Item& item) {
    if (size_ >= buckets_.size()) grow();
    link(item);
    ++size_;
  }

  // `item` must be indexed here.
  void erase(Item& item) {
    auto& hook = item.index_hook_;
    *hook.prev = hook.next;
    if (hook.next != nullptr) hook.next->index_hook_.prev = hook.prev;
    hook.next = nullptr;
    hook.prev = nullptr;
    --size_;
  }

  // Calls visit(Item&) for every indexed item whose address hash is `hash` (and possibly others
  // in the same bucket: the caller compares addresses).
  template <class Visit>
  void for_each_candidate(std::size_t hash, Visit&& visit) const {
    if (buckets_.empty()) return;
    for (Item* item = buckets_[hash & (buckets_.size() - 1)]; item != nullptr;) {
      Item* next = item->index_hook_.next;
      if (item->address_hash_ == hash) visit(*item);
      item = next;
    }
  }

  std::size_t size() const { return size_; }

 private:
  static constexpr std::size_t kInitialBuckets = 16;

  void link(Item& item) {
    Item*& head = buckets_[item.address_hash_ & (buckets_.size() - 1)];
    item.index_hook_.next = head;
    item.index_hook_.prev = &head;
    if (head != nullptr) head->index_hook_.prev = &item.index_hook_.next;
    head = &item;
  }

  void grow() {
    std::vector<Item*> old(buckets_.empty() ? kInitialBuckets : buckets_.size() * 2, nullptr);
    old.swap(buckets_);
    for (Item* item : old) {
      while (item != nullptr) {
        Item* next = item->index_hook_.next;
        link(*item);
        item = next;
      }
    }
  }

  std::vector<Item*> buckets_;  // Size is zero or a power of two.
  std::size_t size_ = 0;
};

}  // namespace connmgr

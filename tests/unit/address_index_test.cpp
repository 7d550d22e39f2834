// The intrusive address index (core/include/connmgr/address_index.h): membership survives growth,
// items sharing a bucket or a hash are told apart, and erasing any item keeps the others; and the
// address hash it files requests under.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstddef>
#include <deque>
#include <string>
#include <vector>

#include "connmgr/address_index.h"

namespace connmgr::unit {
namespace {

struct Item {
  explicit Item(std::size_t hash, int name) : address_hash_(hash), name(name) {}
  std::size_t address_hash_;
  AddressIndexHook<Item> index_hook_;
  int name;
};

std::vector<int> candidates(const AddressIndex<Item>& index, std::size_t hash) {
  std::vector<int> names;
  index.for_each_candidate(hash, [&](const Item& item) { names.push_back(item.name); });
  std::sort(names.begin(), names.end());
  return names;
}

TEST_CASE("an empty index has no candidates", "[address_index]") {
  AddressIndex<Item> index;
  CHECK(index.size() == 0);
  CHECK(candidates(index, 7).empty());
}

TEST_CASE("items with one hash are all found, items of other hashes never", "[address_index]") {
  AddressIndex<Item> index;
  // 7 and 7 + 16 share a bucket of the initial 16; 7 and 7 share a hash.
  Item a(7, 1), b(7, 2), c(7 + 16, 3);
  index.insert(a);
  index.insert(b);
  index.insert(c);
  CHECK(index.size() == 3);
  CHECK(candidates(index, 7) == std::vector<int>{1, 2});
  CHECK(candidates(index, 7 + 16) == std::vector<int>{3});
  CHECK(candidates(index, 8).empty());
}

TEST_CASE("erasing the head, the middle or the tail of a bucket keeps the rest", "[address_index]") {
  for (int erased = 1; erased <= 3; ++erased) {
    AddressIndex<Item> index;
    Item a(5, 1), b(5, 2), c(5, 3);
    index.insert(a);
    index.insert(b);
    index.insert(c);
    Item* items[] = {&a, &b, &c};
    index.erase(*items[erased - 1]);
    std::vector<int> expected{1, 2, 3};
    expected.erase(expected.begin() + (erased - 1));
    CHECK(candidates(index, 5) == expected);
    CHECK(index.size() == 2);
  }
}

TEST_CASE("growth keeps every membership, and erased items can be inserted again",
          "[address_index]") {
  AddressIndex<Item> index;
  std::deque<Item> items;
  for (int i = 0; i < 1000; ++i) items.emplace_back(static_cast<std::size_t>(i % 100), i);
  for (Item& item : items) index.insert(item);
  CHECK(index.size() == 1000);
  for (std::size_t hash = 0; hash < 100; ++hash) CHECK(candidates(index, hash).size() == 10);
  for (int i = 0; i < 1000; i += 2) index.erase(items[static_cast<std::size_t>(i)]);
  CHECK(index.size() == 500);
  CHECK(candidates(index, 4) == std::vector<int>{});
  CHECK(candidates(index, 3) == std::vector<int>{3, 103, 203, 303, 403, 503, 603, 703, 803, 903});
  index.insert(items[4]);
  CHECK(candidates(index, 4) == std::vector<int>{4});
}

TEST_CASE("a copied item is not a member", "[address_index]") {
  AddressIndex<Item> index;
  Item a(9, 1);
  index.insert(a);
  const Item copy = a;
  CHECK(copy.index_hook_.prev == nullptr);
  CHECK(copy.index_hook_.next == nullptr);
}

TEST_CASE("address_hash: every byte of every length counts, and buckets fill evenly",
          "[address_index]") {
  // Changing any one byte of an address of any length up to 40 changes its hash.
  for (std::size_t length = 1; length <= 40; ++length) {
    const std::string address(length, 'a');
    for (std::size_t at = 0; at < length; ++at) {
      std::string changed = address;
      changed[at] = 'b';
      INFO("length " << length << ", byte " << at);
      CHECK(address_hash(changed) != address_hash(address));
    }
  }
  CHECK(address_hash("") != address_hash(std::string(1, '\0')));
  // 65,536 addresses of the benchmarks' shape over 4,096 buckets (the low bits, as the index uses
  // them). A random hash makes the loads Poisson with mean 16, and keeps every bucket between 1
  // and 40 with probability above 99.9% (std::hash gives 4 to 35 here; this hash 3 to 33).
  std::vector<int> load(4096, 0);
  for (int i = 0; i < 65536; ++i) {
    const std::string address =
        "10.0." + std::to_string(i / 256) + "." + std::to_string(i % 256) + ":8333";
    ++load[address_hash(address) & (load.size() - 1)];
  }
  CHECK(*std::max_element(load.begin(), load.end()) <= 40);
  CHECK(*std::min_element(load.begin(), load.end()) >= 1);
}

}  // namespace
}  // namespace connmgr::unit

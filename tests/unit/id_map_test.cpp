// The registry's IdMap (core/include/connmgr/id_map.h): a seeded random sequence of insertions and
// erasures agrees with std::map after every step, id 0 is never found, and erasing while iterating
// (stop()'s pattern) visits every element exactly once.
#include <catch2/catch.hpp>

#include <cstdint>
#include <map>
#include <memory>
#include <random>
#include <set>

#include "connmgr/id_map.h"

namespace connmgr::unit {
namespace {

using Id = IdMap<int>::Id;

void check_agrees(IdMap<int>& map, const std::map<Id, int>& model) {
  REQUIRE(map.size() == model.size());
  const IdMap<int>& read_only = map;
  for (const auto& [id, value] : model) {
    auto found = map.find(id);
    REQUIRE(found != map.end());
    CHECK(found->first == id);
    CHECK(found->second == value);
    CHECK(read_only.contains(id));
    CHECK(read_only.find(id)->second == value);
    CHECK_FALSE(read_only.contains(id + 1000000));
  }
  std::map<Id, int> iterated;
  for (const auto& [id, value] : map) iterated.emplace(id, value);
  CHECK(iterated == model);
}

TEST_CASE("an empty map finds nothing", "[id_map]") {
  IdMap<int> map;
  CHECK(map.empty());
  CHECK(map.find(0) == map.end());
  CHECK(map.find(7) == map.end());
  CHECK_FALSE(map.contains(7));
  CHECK(map.begin() == map.end());
}

TEST_CASE("id 0 is never found, however full the map", "[id_map]") {
  IdMap<int> map;
  for (Id id = 1; id <= 100; ++id) {
    map.emplace(id, static_cast<int>(id));
    CHECK(map.find(0) == map.end());
    CHECK_FALSE(map.contains(0));
  }
}

TEST_CASE("random insertions and erasures agree with std::map after every step", "[id_map]") {
  const std::uint64_t seed = GENERATE(1, 2, 3, 20261126);
  INFO("seed " << seed);
  std::mt19937_64 random(seed);
  // Ids from a small range, so that erased ids come back and probe runs wrap around and overlap.
  const Id range = GENERATE(40, 5000);
  INFO("ids 1.." << range);
  IdMap<int> map;
  std::map<Id, int> model;
  for (int step = 0; step < 20000; ++step) {
    const Id id = 1 + random() % range;
    const bool insert = random() % 8 < (model.size() < range / 2 ? 5 : 3);
    auto found = map.find(id);
    CHECK((found != map.end()) == (model.count(id) == 1));
    if (insert && found == map.end()) {
      map.emplace(id, int{step});
      model.emplace(id, step);
    } else if (!insert && found != map.end()) {
      CHECK(found->second == model.at(id));
      map.erase(found);
      model.erase(id);
    }
    if (step % 97 == 0) check_agrees(map, model);
  }
  check_agrees(map, model);
  map.clear();
  model.clear();
  check_agrees(map, model);
  map.emplace(3, 3);
  CHECK(map.find(3)->second == 3);
}

TEST_CASE("erasing while iterating visits every element once", "[id_map]") {
  IdMap<int> map;
  for (Id id = 1; id <= 1000; ++id) map.emplace(id * 7919, static_cast<int>(id));
  std::set<Id> visited;
  for (auto it = map.begin(); it != map.end();) {
    CHECK(visited.insert(it->first).second);
    it = it->second % 3 == 0 ? map.erase(it) : it + 1;
  }
  CHECK(visited.size() == 1000);
  CHECK(map.size() == 1000 - 333);
  for (const auto& [id, value] : map) CHECK(value % 3 != 0);
}

TEST_CASE("values move in and stay put until erased, without copies", "[id_map]") {
  IdMap<std::unique_ptr<int>> map;
  map.emplace(5, std::make_unique<int>(42));
  map.emplace(6, std::make_unique<int>(43));
  map.erase(map.find(5));
  REQUIRE(map.find(6)->second != nullptr);
  CHECK(*map.find(6)->second == 43);
  CHECK(map.size() == 1);
}

}  // namespace
}  // namespace connmgr::unit

// SteadyClock's TimerQueue (core/include/connmgr/timer_queue.h), without threads or real time: a
// seeded random sequence of pushes, cancels and pops at an advancing virtual now agrees with a
// std::map ordered by (deadline, id) after every step, across the compactions that many cancels
// trigger.
#include <catch2/catch.hpp>

#include <cstdint>
#include <map>
#include <random>
#include <utility>

#include "connmgr/timer_queue.h"

namespace connmgr::unit {
namespace {

using Key = std::pair<TimePoint, TimerId>;

TEST_CASE("an empty queue has nothing due and cancels nothing", "[timer_queue]") {
  TimerQueue queue;
  CHECK_FALSE(queue.earliest().has_value());
  CHECK_FALSE(queue.pop_due(TimePoint::max()).has_value());
  CHECK_FALSE(queue.cancel(1));
}

TEST_CASE("timers come out in (deadline, id) order once due, canceled ones never", "[timer_queue]") {
  TimerQueue queue;
  int fired = 0;
  const TimePoint t0{};
  queue.push(t0 + std::chrono::seconds(2), 1, [&] { fired = 1; });
  queue.push(t0 + std::chrono::seconds(1), 2, [&] { fired = 2; });
  queue.push(t0 + std::chrono::seconds(1), 3, [&] { fired = 3; });
  CHECK(queue.earliest() == t0 + std::chrono::seconds(1));
  CHECK_FALSE(queue.pop_due(t0).has_value());
  CHECK(queue.cancel(2));
  CHECK_FALSE(queue.cancel(2));
  (*queue.pop_due(t0 + std::chrono::seconds(5)))();
  CHECK(fired == 3);
  (*queue.pop_due(t0 + std::chrono::seconds(5)))();
  CHECK(fired == 1);
  CHECK_FALSE(queue.pop_due(TimePoint::max()).has_value());
  CHECK(queue.size() == 0);
}

TEST_CASE("random pushes, cancels and pops agree with an ordered map after every step", "[timer_queue]") {
  const std::uint64_t seed = GENERATE(1, 2, 3, 20261126);
  INFO("seed " << seed);
  std::mt19937_64 random(seed);
  TimerQueue queue;
  std::map<Key, int> model;           // Pending timers: (deadline, id) -> tag.
  std::map<TimerId, TimePoint> deadline_of;
  TimePoint now{};
  TimerId next_id = 1;
  int fired_tag = 0;
  for (int step = 0; step < 20000; ++step) {
    // Phases of 1,000 steps alternate between growing the queue and canceling most of it, so
    // that tombstones come to outnumber the live timers and the heap is rebuilt without them.
    const bool growing = step / 1000 % 2 == 0;
    const auto choice = random() % 20;
    if (choice < (growing ? 12u : 3u)) {  // Deadlines collide often, so the id must break ties.
      const TimePoint deadline = now + std::chrono::milliseconds(random() % 500);
      const TimerId id = next_id++;
      const int tag = step;
      queue.push(deadline, id, [&fired_tag, tag] { fired_tag = tag; });
      model.emplace(Key{deadline, id}, tag);
      deadline_of.emplace(id, deadline);
    } else if (choice < 18) {  // Mostly pending ids; also fired, canceled and never-issued ones.
      TimerId id = 1 + random() % (next_id + 2);
      if (!model.empty() && random() % 4 != 0) {
        auto pick = model.lower_bound(Key{now + std::chrono::milliseconds(random() % 500), 0});
        id = (pick == model.end() ? model.begin() : pick)->first.second;
      }
      const auto known = deadline_of.find(id);
      const bool pending = known != deadline_of.end() && model.count(Key{known->second, id}) == 1;
      CHECK(queue.cancel(id) == pending);
      if (pending) model.erase(Key{known->second, id});
    } else {
      now += std::chrono::milliseconds(random() % 5);
      std::optional<Task> due = queue.pop_due(now);
      const bool model_due = !model.empty() && model.begin()->first.first <= now;
      REQUIRE(due.has_value() == model_due);
      if (due) {
        (*due)();
        CHECK(fired_tag == model.begin()->second);
        model.erase(model.begin());
      }
    }
    REQUIRE(queue.size() == model.size());
    if (model.empty()) {
      CHECK_FALSE(queue.earliest().has_value());
    } else {
      CHECK(queue.earliest() == model.begin()->first.first);
    }
  }
}

}  // namespace
}  // namespace connmgr::unit

#include "connmgr/thread_executor.h"

#include <atomic>
#include <catch2/catch.hpp>
#include <future>
#include <latch>
#include <memory>
#include <set>
#include <thread>
#include <vector>

namespace connmgr {
namespace {

// Whatever a task touches is either declared before the executor (whose destructor waits for the
// task) or owned by the task, so that it outlives the task's last access.

TEST_CASE("ThreadExecutor runs every task exactly once, never on the caller's thread") {
  constexpr int kTasks = 64;
  std::vector<std::atomic<int>> runs(kTasks);
  std::atomic<int> on_caller{0};
  std::latch all_ran(kTasks);
  const std::thread::id caller = std::this_thread::get_id();
  ThreadExecutor executor;
  for (int i = 0; i < kTasks; ++i) {
    executor.spawn([&, i] {
      runs[i].fetch_add(1);
      if (std::this_thread::get_id() == caller) on_caller.fetch_add(1);
      all_ran.count_down();
    });
  }
  all_ran.wait();
  for (int i = 0; i < kTasks; ++i) CHECK(runs[i].load() == 1);
  CHECK(on_caller.load() == 0);
}

TEST_CASE("ThreadExecutor does not let a blocked task delay the next one") {
  std::promise<void> release;
  std::promise<void> unblocked;
  std::future<void> released = release.get_future();
  std::future<void> done = unblocked.get_future();
  ThreadExecutor executor;
  executor.spawn([&] {
    released.wait();
    unblocked.set_value();
  });
  executor.spawn([&] { release.set_value(); });
  done.wait();
}

TEST_CASE("ThreadExecutor destructor waits for running tasks and the tasks they spawn") {
  std::promise<void> gate;
  std::future<void> opened = gate.get_future();
  bool inner_finished = false;
  std::thread opener;
  {
    ThreadExecutor executor;
    executor.spawn([&] {
      opened.wait();
      executor.spawn([&] { inner_finished = true; });
    });
    opener = std::thread([&] { gate.set_value(); });
  }
  CHECK(inner_finished);
  opener.join();
}

TEST_CASE("ThreadExecutor reuses idle threads") {
  ThreadExecutor executor;
  std::set<std::thread::id> seen;
  std::size_t spawned = 0;
  for (;;) {
    auto ran_on = std::make_shared<std::promise<std::thread::id>>();
    std::future<std::thread::id> thread = ran_on->get_future();
    executor.spawn([ran_on] { ran_on->set_value(std::this_thread::get_id()); });
    ++spawned;
    if (!seen.insert(thread.get()).second) break;
  }
  CHECK(executor.threads_started() < spawned);
}

TEST_CASE("ThreadExecutor with max_idle 0 lets every thread exit after its task") {
  constexpr std::size_t kTasks = 8;
  ThreadExecutor executor(0);
  for (std::size_t i = 0; i < kTasks; ++i) {
    auto ran = std::make_shared<std::promise<void>>();
    std::future<void> done = ran->get_future();
    executor.spawn([ran] { ran->set_value(); });
    done.wait();
  }
  CHECK(executor.threads_started() == kTasks);
}

TEST_CASE("ThreadExecutor starts one thread per concurrently blocked task") {
  constexpr std::size_t kTasks = 8;
  std::latch all_started(kTasks);
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  ThreadExecutor executor(2);
  for (std::size_t i = 0; i < kTasks; ++i) {
    executor.spawn([&all_started, released] {
      all_started.count_down();
      released.wait();
    });
  }
  all_started.wait();
  CHECK(executor.threads_started() == kTasks);
  release.set_value();
}

}  // namespace
}  // namespace connmgr

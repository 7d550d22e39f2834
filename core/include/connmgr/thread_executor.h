// The production Executor: a pool of threads that grows so that no task ever waits for a busy one.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <list>
#include <thread>

#include "connmgr/executor.h"
#include "connmgr/std_platform.h"

namespace connmgr {

// Keeps the Executor contract (executor.h). spawn() may be called from any thread, including from
// a task; it hands the task to an idle thread, or starts a new one if none is idle, so tasks may
// block indefinitely without delaying others. One idle thread at a time polls briefly for the
// next task before blocking, so a burst of short tasks (the event-loop design's handler) is
// handed over without a futex wake-up. At most `max_idle` threads stay idle; the others exit
// (and are joined by a later spawn() or the destructor). spawn() throws std::system_error, and
// drops the task, if no thread can be started. A task that throws terminates the process.
// The destructor waits until every spawned task has finished (tasks may still spawn while it
// waits), then joins all threads; it must not be called from a task.
class ThreadExecutor final : public Executor {
 public:
  explicit ThreadExecutor(std::size_t max_idle = 16);
  ~ThreadExecutor() override;
  ThreadExecutor(const ThreadExecutor&) = delete;
  ThreadExecutor& operator=(const ThreadExecutor&) = delete;

  void spawn(Task task) override EXCLUDES(mu_);
  // How many threads were started so far (for tests).
  std::size_t threads_started() const EXCLUDES(mu_);

 private:
  using Threads = std::list<std::thread>;

  void work(Task task, Threads::iterator self) EXCLUDES(mu_);
  // Retires the task just finished; returns the next one, or false if this thread must exit.
  bool next_task(Task& task, Threads::iterator self) EXCLUDES(mu_);
  // Releases mu_ while polling until a spawn() hands this thread a task or the poll times out.
  void poll_for_task() REQUIRES(mu_);
  void join_exited() EXCLUDES(mu_);
  void wait(std::condition_variable& cv) REQUIRES(mu_);

  const std::size_t max_idle_;
  mutable StdMutex mu_;
  std::condition_variable work_ready_;
  std::condition_variable all_done_;
  std::deque<Task> handed_off_ GUARDED_BY(mu_);  // Each one has an idle thread on its way to it.
  std::size_t idle_ GUARDED_BY(mu_) = 0;         // Idle threads no task was handed to.
  std::size_t unfinished_ GUARDED_BY(mu_) = 0;   // Tasks spawned and not finished.
  std::size_t started_ GUARDED_BY(mu_) = 0;
  bool stopping_ GUARDED_BY(mu_) = false;
  bool polling_ GUARDED_BY(mu_) = false;  // An idle thread is in poll_for_task().
  // Set (under mu_) when a task is handed to the polling thread, which then needs no notify.
  std::atomic<bool> poller_handed_task_{false};
  Threads running_ GUARDED_BY(mu_);
  Threads exited_ GUARDED_BY(mu_);  // Threads that left work() or are about to: join, no wait.
};

}  // namespace connmgr

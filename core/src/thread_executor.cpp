#include "connmgr/thread_executor.h"

#include <cstdio>
#include <exception>

namespace connmgr {
namespace {

void run_or_terminate(const Task& task) noexcept {
  try {
    task();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "connmgr::ThreadExecutor: a task threw: %s\n", e.what());
    std::terminate();
  } catch (...) {
    std::fprintf(stderr, "connmgr::ThreadExecutor: a task threw a non-std exception\n");
    std::terminate();
  }
}

}  // namespace

ThreadExecutor::ThreadExecutor(std::size_t max_idle) : max_idle_(max_idle) {}

ThreadExecutor::~ThreadExecutor() {
  Threads all;
  {
    LockGuard<StdMutex> lock(mu_);
    while (unfinished_ > 0) wait(all_done_);
    stopping_ = true;
    all.splice(all.end(), running_);
    all.splice(all.end(), exited_);
  }
  work_ready_.notify_all();
  for (std::thread& thread : all) thread.join();
}

void ThreadExecutor::spawn(Task task) {
  join_exited();
  {
    LockGuard<StdMutex> lock(mu_);
    ++unfinished_;
    if (idle_ == 0) {
      auto self = running_.emplace(running_.end());
      try {
        *self = std::thread(
            [this, task = std::move(task), self]() mutable { work(std::move(task), self); });
      } catch (...) {
        running_.erase(self);
        --unfinished_;
        throw;
      }
      ++started_;
      return;
    }
    --idle_;
    handed_off_.push_back(std::move(task));
    if (polling_ && !poller_handed_task_.load(std::memory_order_relaxed)) {
      poller_handed_task_.store(true, std::memory_order_relaxed);
      return;
    }
    // Under the lock: once it is released the task may run and finish, and its owner may destroy
    // this executor (and work_ready_) before a notify issued after the unlock.
    work_ready_.notify_one();
  }
}

std::size_t ThreadExecutor::threads_started() const {
  LockGuard<StdMutex> lock(mu_);
  return started_;
}

void ThreadExecutor::work(Task task, Threads::iterator self) {
  do {
    run_or_terminate(task);
    task = nullptr;
  } while (next_task(task, self));
}

bool ThreadExecutor::next_task(Task& task, Threads::iterator self) {
  LockGuard<StdMutex> lock(mu_);
  if (--unfinished_ == 0) all_done_.notify_all();
  if (idle_ >= max_idle_) {
    exited_.splice(exited_.end(), running_, self);
    return false;
  }
  ++idle_;
  if (!polling_ && handed_off_.empty() && !stopping_) poll_for_task();
  while (handed_off_.empty() && !stopping_) wait(work_ready_);
  if (stopping_) return false;
  task = std::move(handed_off_.front());
  handed_off_.pop_front();
  return true;
}

void ThreadExecutor::poll_for_task() {
  constexpr int kPolls = 2000;
  polling_ = true;
  mu_.unlock();
  for (int poll = 0; poll < kPolls && !poller_handed_task_.load(std::memory_order_relaxed); ++poll) {
    cpu_relax();
  }
  mu_.lock();
  polling_ = false;
  poller_handed_task_.store(false, std::memory_order_relaxed);
}

void ThreadExecutor::join_exited() {
  Threads exited;
  {
    LockGuard<StdMutex> lock(mu_);
    exited.splice(exited.end(), exited_);
  }
  for (std::thread& thread : exited) thread.join();
}

void ThreadExecutor::wait(std::condition_variable& cv) {
  std::unique_lock<std::mutex> lock(mu_.native(), std::adopt_lock);
  cv.wait(lock);
  lock.release();
}

}  // namespace connmgr

#include "sim_platform.h"

#include <algorithm>
#include <string>
#include <utility>

#include "spare_storage.h"

namespace connmgr::sim {

thread_local GuardMonitor* GuardMonitor::active_ = nullptr;

void expect_unlocked(Sim& sim, const char* what) {
  if (!sim.held().empty()) {
    sim.fail(std::string(what) + " called while fiber #" + std::to_string(sim.self()) + " holds a lock");
  }
}

// A run creates its mutexes, condition variables and probes afresh: their lists borrow storage
// that earlier runs on this thread grew.
SimMutex::~SimMutex() { return_spare(waiters_); }

void SimMutex::lock() {
  Sim* sim = Sim::active();
  if (sim == nullptr) {
    locked_ = true;
    return;
  }
  sim->yield();
  while (locked_) {
    if (owner_ == sim->self()) {
      sim->fail("self-deadlock: fiber #" + std::to_string(owner_) + " locks a mutex it holds");
      return;
    }
    if (sim->quiet()) {
      sim->fail("the driver or an oracle locked a mutex held by fiber #" + std::to_string(owner_));
      return;
    }
    borrow_spare(waiters_);
    waiters_.push_back(sim->self());
    sim->block("a mutex");
  }
  locked_ = true;
  owner_ = sim->self();
  sim->held().push_back(this);
}

void SimMutex::unlock() {
  locked_ = false;
  Sim* sim = Sim::active();
  if (sim == nullptr) return;
  auto& held = sim->held();
  held.erase(std::find(held.begin(), held.end(), this));
  for (FiberId waiter : waiters_) sim->wake(waiter);
  waiters_.clear();
  if (GuardMonitor* monitor = GuardMonitor::active()) monitor->released(this);
}

SimCondVar::~SimCondVar() { return_spare(waiters_); }

void SimCondVar::wait(SimMutex& mu) {
  Sim* sim = Sim::active();
  if (sim == nullptr || sim->quiet()) {
    if (sim != nullptr) sim->fail("condition variable wait on the driver or in an oracle");
    return;
  }
  mu.unlock();
  borrow_spare(waiters_);
  waiters_.push_back(sim->self());
  sim->block("a condition variable");
  mu.lock();
}

void SimCondVar::notify_all(SimMutex& mu) {
  Sim* sim = Sim::active();
  if (sim == nullptr) return;
  const auto& held = sim->held();
  if (std::find(held.begin(), held.end(), &mu) == held.end()) {
    sim->fail("notify_all without holding the waiters' mutex (fiber #" + std::to_string(sim->self()) + ")");
    return;
  }
  for (FiberId waiter : waiters_) sim->wake(waiter);
  waiters_.clear();
}

SimGuardProbe::~SimGuardProbe() { return_spare(lockset_); }

bool SimGuardProbe::guarded_by(const void* mutex) const {
  return std::find(lockset_.begin(), lockset_.end(), mutex) != lockset_.end();
}

void SimGuardProbe::access(bool write) const {
  if (GuardMonitor* monitor = GuardMonitor::active()) monitor->accessed(*this, write);
}

GuardMonitor::GuardMonitor(Sim& sim) : sim_(sim) { active_ = this; }

GuardMonitor::~GuardMonitor() { active_ = nullptr; }

void GuardMonitor::accessed(const SimGuardProbe& probe, bool write) {
  if (in_hook_) return;
  const auto& held = sim_.held();
  if (!probe.accessed_) {
    borrow_spare(probe.lockset_);
    probe.lockset_ = held;
    probe.accessed_ = true;
  } else {
    std::erase_if(probe.lockset_, [&](const void* mutex) {
      return std::find(held.begin(), held.end(), mutex) == held.end();
    });
  }
  if (probe.lockset_.empty()) {
    sim_.fail(std::string("guarded state ") + (write ? "written" : "read") + " by fiber #" +
              std::to_string(sim_.self()) +
              (held.empty() ? " holding no lock" : " without the lock that guarded every earlier access"));
    return;
  }
  touched_ = &probe;
  wrote_ = wrote_ || write;
}

void GuardMonitor::released(const void* mutex) {
  if (in_hook_ || touched_ == nullptr || !touched_->guarded_by(mutex)) return;
  touched_ = nullptr;
  const bool wrote = std::exchange(wrote_, false);
  if (!hook_) return;
  Sim::Quiet quiet(sim_);
  in_hook_ = true;
  hook_(wrote);
  in_hook_ = false;
}

}  // namespace connmgr::sim

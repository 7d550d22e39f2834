#include "scheduler.h"

#include <algorithm>
#include <iterator>

#include "spare_storage.h"

namespace connmgr::sim {

thread_local Sim* Sim::active_ = nullptr;
thread_local Sim::Storage Sim::spare_;

namespace {

const char* kind_name(FiberKind kind) {
  switch (kind) {
    case FiberKind::driver:
      return "driver";
    case FiberKind::client:
      return "client";
    case FiberKind::task:
      return "task";
    case FiberKind::timer:
      return "timer";
  }
  return "?";
}

}  // namespace

Sim::Sim(Strategy& strategy, std::uint64_t max_steps)
    : strategy_(strategy),
      max_steps_(max_steps),
      fibers_(std::move(spare_.fibers)),
      runnable_(std::move(spare_.runnable)),
      finished_unreleased_(std::move(spare_.finished_unreleased)),
      settling_(std::move(spare_.settling)),
      timers_(std::move(spare_.timers)),
      due_(std::move(spare_.due)) {
  fibers_.reserve(64);
  runnable_.reserve(64);
  timers_.reserve(16);
  due_.reserve(8);
  auto driver = new_record();
  driver->fiber.emplace();
  fibers_.push_back(std::move(driver));
  active_ = this;
}

// The records and containers go back to the thread's spare storage, emptied. A fiber that did
// not finish (abandoned by a failure) may be suspended mid-stack: its stack is leaked
// (Fiber::abandon), never recycled. The driver's context owns no stack.
Sim::~Sim() {
  constexpr std::size_t kMaxSpareRecords = 256;
  for (auto& record : fibers_) {
    if (record->state != State::finished) record->fiber->abandon();
    record->fiber.reset();
    if (spare_.records.size() == kMaxSpareRecords) continue;
    record->body = nullptr;
    record->held.clear();
    spare_.records.push_back(std::move(record));
  }
  hand_over(fibers_, spare_.fibers);
  hand_over(runnable_, spare_.runnable);
  hand_over(finished_unreleased_, spare_.finished_unreleased);
  hand_over(settling_, spare_.settling);
  hand_over(timers_, spare_.timers);
  hand_over(due_, spare_.due);
  active_ = nullptr;
}

// A fresh record comes with room for the locks a fiber holds at once, so that a recycled one
// never allocates for them: under libFuzzer, a run that allocates more than it frees is re-run as
// a leak suspect, and if the re-run does too (records recycled in another order), libFuzzer runs
// a full LeakSanitizer pass over the heap (about 50 ms).
std::unique_ptr<Sim::Record> Sim::new_record() {
  constexpr std::size_t kHeldLocks = 4;
  if (spare_.records.empty()) {
    auto record = std::make_unique<Record>();
    record->held.reserve(kHeldLocks);
    return record;
  }
  std::unique_ptr<Record> record = std::move(spare_.records.back());
  spare_.records.pop_back();
  record->kind = FiberKind::driver;
  record->state = State::runnable;
  record->reason = "";
  return record;
}

FiberId Sim::spawn(FiberKind kind, std::function<void()> body) {
  const auto id = static_cast<FiberId>(fibers_.size());
  auto record = new_record();
  record->kind = kind;
  record->body = std::move(body);
  record->fiber.emplace(&Sim::fiber_main, this);
  fibers_.push_back(std::move(record));
  make_runnable(id);
  strategy_.spawned(id);
  mix(id * 8 + static_cast<unsigned>(kind));
  return id;
}

void Sim::fiber_main(void* arg) {
  Sim& sim = *static_cast<Sim*>(arg);
  Record& self = *sim.fibers_[sim.current_];
  try {
    self.body();
  } catch (...) {
    sim.fail("an exception escaped fiber #" + std::to_string(sim.current_));
  }
  self.body = nullptr;
  if (sim.finish_hook_) {
    Quiet quiet(sim);
    sim.finish_hook_();
  }
  sim.finish_running();
}

Sim::Status Sim::run(const std::function<bool()>& until) {
  for (;;) {
    for (FiberId id : finished_unreleased_) fibers_[id]->fiber.reset();
    finished_unreleased_.clear();
    if (failed()) return Status::failed;
    if (until()) return Status::done;
    if (runnable_.empty()) {
      if (!settling_.empty()) {
        for (FiberId fiber : settling_) wake(fiber);
        settling_.clear();
      } else if (!advance_time()) {
        return Status::stuck;
      }
      continue;
    }
    const FiberId next = choose(0);
    if (failed()) return Status::failed;
    switch_to(next);
  }
}

FiberId Sim::choose(FiberId current) {
  if (++steps_ > max_steps_)
    fail("livelock: no end after " + std::to_string(max_steps_) + " scheduling steps");
  const FiberId next =
      runnable_.size() == 1 ? runnable_[0] : runnable_[strategy_.pick(runnable_, current, steps_)];
  mix(next);
  return next;
}

void Sim::switch_to(FiberId next) {
  const FiberId from = current_;
  current_ = next;
  Fiber::switch_to(*fibers_[from]->fiber, *fibers_[next]->fiber);
}

void Sim::yield() {
  if (quiet()) return;
  const FiberId next = choose(current_);
  if (next != current_) switch_to(next);
}

void Sim::reschedule() { switch_to(runnable_.empty() ? 0 : choose(current_)); }

void Sim::block(const char* reason) {
  if (current_ == 0) {
    fail(std::string("the driver tried to block on ") + reason);
    return;
  }
  Record& self = *fibers_[current_];
  self.state = State::blocked;
  self.reason = reason;
  runnable_.erase(std::find(runnable_.begin(), runnable_.end(), current_));
  reschedule();
}

void Sim::wake(FiberId fiber) {
  if (fibers_[fiber]->state != State::blocked) return;
  fibers_[fiber]->state = State::runnable;
  make_runnable(fiber);
}

void Sim::make_runnable(FiberId fiber) {
  runnable_.insert(std::upper_bound(runnable_.begin(), runnable_.end(), fiber), fiber);
}

void Sim::finish_running() {
  Record& self = *fibers_[current_];
  if (!self.held.empty()) fail("fiber #" + std::to_string(current_) + " finished holding a lock");
  self.state = State::finished;
  ++finished_count_;
  runnable_.erase(std::find(runnable_.begin(), runnable_.end(), current_));
  finished_unreleased_.push_back(current_);
  mix(0xf1);
  Fiber& from = *self.fiber;
  current_ = 0;
  Fiber::exit_to(from, *fibers_[0]->fiber);
}

void Sim::sleep_for(Duration delay) {
  timers_.push_back(Timer{now_ + std::max(delay, Duration::zero()), ++last_timer_, current_, nullptr});
  block("sleep");
}

void Sim::settle() {
  if (quiet() || runnable_.size() == 1) return;
  settling_.push_back(current_);
  block("settle");
}

TimerId Sim::add_timer(Duration delay, Task callback) {
  timers_.push_back(Timer{now_ + std::max(delay, Duration::zero()), ++last_timer_, 0, std::move(callback)});
  return last_timer_;
}

bool Sim::cancel_timer(TimerId id) {
  auto it = std::find_if(timers_.begin(), timers_.end(), [&](const Timer& t) { return t.id == id; });
  if (it == timers_.end()) return false;
  timers_.erase(it);
  return true;
}

// Timers are kept in creation (id) order, so those due together fire in that order.
bool Sim::advance_time() {
  if (timers_.empty()) return false;
  now_ = std::min_element(timers_.begin(), timers_.end(), [](const Timer& a, const Timer& b) {
           return a.deadline < b.deadline;
         })->deadline;
  mix(static_cast<std::uint64_t>(now_.time_since_epoch().count()));
  due_.clear();
  auto kept = timers_.begin();
  for (auto it = timers_.begin(); it != timers_.end(); ++it) {
    if (it->deadline == now_)
      due_.push_back(std::move(*it));
    else if (kept++ != it)
      *std::prev(kept) = std::move(*it);
  }
  timers_.erase(kept, timers_.end());
  for (Timer& timer : due_) {
    if (timer.sleeper != 0)
      wake(timer.sleeper);
    else
      spawn(FiberKind::timer, std::move(timer.callback));
  }
  due_.clear();
  return true;
}

void Sim::fail(std::string message) {
  if (failure_.empty()) failure_ = std::move(message);
  if (current_ != 0) switch_to(0);
}

std::string Sim::describe_blocked() const {
  std::string text;
  for (std::size_t id = 1; id < fibers_.size(); ++id) {
    const Record& record = *fibers_[id];
    if (record.state == State::finished) continue;
    text += "  #" + std::to_string(id) + " (" + kind_name(record.kind) + "): " +
            (record.state == State::blocked ? std::string("blocked on ") + record.reason : "runnable") + "\n";
  }
  return text;
}

}  // namespace connmgr::sim

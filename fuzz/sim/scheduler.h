// The deterministic simulator: simulated threads are fibers of one OS thread and exactly one runs
// at a time. A fiber runs until a scheduling point (a SimMutex lock, a SimAtomic access, a
// blocking wait, a dial outcome), where the Strategy picks who runs next. Virtual time moves only
// when no fiber can run: it jumps to the next timer deadline, waking sleepers and starting one
// fiber per due timer callback. Same inputs, same strategy seed: same run, step for step.
//
// The driver (the OS thread's own context) calls run(); fibers call the scheduling API. Nothing
// here is thread-safe: a Sim belongs to the thread that created it.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "connmgr/clock.h"
#include "fiber.h"
#include "strategy.h"

namespace connmgr::sim {

enum class FiberKind : unsigned char { driver, client, task, timer };

class Sim {
 public:
  enum class Status { done, stuck, failed };

  // `max_steps` bounds a run: exceeding it fails the run as a livelock.
  Sim(Strategy& strategy, std::uint64_t max_steps);
  ~Sim();
  Sim(const Sim&) = delete;
  Sim& operator=(const Sim&) = delete;

  // The sim of this OS thread, or null.
  static Sim* active() { return active_; }

  // A new runnable fiber running `body`. Callable from the driver and from fibers.
  FiberId spawn(FiberKind kind, std::function<void()> body);

  // Runs on every fiber that finishes, in Quiet mode, right before it ends.
  void set_finish_hook(std::function<void()> hook) { finish_hook_ = std::move(hook); }

  // Driver only: runs fibers until `until()` holds (checked whenever a fiber finishes and whenever
  // no fiber can run), nothing can run and no timer is armed (stuck), or the run failed.
  Status run(const std::function<bool()>& until);

  // --- The scheduling API, for fibers (from the driver these do nothing or fail the run). ---
  // True when platform operations must not be scheduling points: on the driver, or while an
  // oracle runs on a fiber's stack (see Quiet).
  bool quiet() const { return current_ == 0 || quiet_ != 0; }
  FiberId self() const { return current_; }
  FiberKind kind(FiberId fiber) const { return fibers_[fiber]->kind; }
  void yield();
  // Blocks the running fiber until wake(); `reason` names what it waits for (in stuck reports).
  void block(const char* reason);
  void wake(FiberId fiber);
  void sleep_for(Duration delay);
  // Blocks the running fiber until no other fiber can run at the current virtual time (before
  // time moves on): whatever the fiber's last action set off has run as far as it can.
  void settle();

  TimePoint now() const { return now_; }
  TimerId add_timer(Duration delay, Task callback);
  bool cancel_timer(TimerId id);

  // Records the first failure and abandons the running fiber (the driver's run() returns failed).
  void fail(std::string message);
  bool failed() const { return !failure_.empty(); }
  const std::string& failure() const { return failure_; }

  // The platform mutexes the running fiber (or the driver) holds, innermost last.
  std::vector<const void*>& held() { return fibers_[current_]->held; }

  bool finished(FiberId fiber) const { return fibers_[fiber]->state == State::finished; }
  std::size_t live_fibers() const { return fibers_.size() - 1 - finished_count_; }
  FiberId fibers_created() const { return static_cast<FiberId>(fibers_.size() - 1); }
  std::uint64_t steps() const { return steps_; }
  // A hash of every scheduling decision, time jump and mixed-in event: equal hashes, equal runs.
  std::uint64_t trace_hash() const { return hash_; }
  void mix(std::uint64_t value) { hash_ = (hash_ ^ value) * 0x100000001b3ULL; }
  // One line per blocked fiber and what it waits for.
  std::string describe_blocked() const;

  // While alive, platform operations on the running fiber are not scheduling points (oracles
  // that lock the manager from a fiber's stack use it).
  class Quiet {
   public:
    explicit Quiet(Sim& sim) : sim_(sim) { ++sim_.quiet_; }
    ~Quiet() { --sim_.quiet_; }
    Quiet(const Quiet&) = delete;
    Quiet& operator=(const Quiet&) = delete;

   private:
    Sim& sim_;
  };

 private:
  enum class State : unsigned char { runnable, blocked, finished };
  struct Record {
    FiberKind kind = FiberKind::driver;
    State state = State::runnable;
    const char* reason = "";
    std::function<void()> body;
    std::optional<Fiber> fiber;
    std::vector<const void*> held;
  };
  struct Timer {
    TimePoint deadline;
    TimerId id = 0;
    FiberId sleeper = 0;  // A sleeping fiber to wake, or 0 for a callback to run on a new fiber.
    Task callback;
  };
  // What a run allocates and the next run on the thread can reuse: fiber records (with their lock
  // lists' capacity) and the containers below (empty, with their capacity).
  struct Storage {
    std::vector<std::unique_ptr<Record>> records;
    std::vector<std::unique_ptr<Record>> fibers;
    std::vector<FiberId> runnable;
    std::vector<FiberId> finished_unreleased;
    std::vector<FiberId> settling;
    std::vector<Timer> timers;
    std::vector<Timer> due;
  };

  std::unique_ptr<Record> new_record();
  static void fiber_main(void* sim);
  FiberId choose(FiberId current);
  void switch_to(FiberId next);
  void reschedule();
  void finish_running();  // Never returns (see Fiber::exit_to).
  bool advance_time();
  void make_runnable(FiberId fiber);

  static thread_local Sim* active_;
  static thread_local Storage spare_;  // Left by the thread's previous Sim.
  Strategy& strategy_;
  const std::uint64_t max_steps_;
  std::vector<std::unique_ptr<Record>> fibers_;  // Index = FiberId; 0 is the driver.
  std::vector<FiberId> runnable_;                // Ascending.
  std::vector<FiberId> finished_unreleased_;
  std::vector<FiberId> settling_;
  std::size_t finished_count_ = 0;
  FiberId current_ = 0;
  int quiet_ = 0;
  TimePoint now_{};
  TimerId last_timer_ = 0;
  std::vector<Timer> timers_;
  std::vector<Timer> due_;  // The timers advance_time() is firing (reused).
  std::uint64_t steps_ = 0;
  std::uint64_t hash_ = 0xcbf29ce484222325ULL;
  std::string failure_;
  std::function<void()> finish_hook_;
};

}  // namespace connmgr::sim

#include "harness/world.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <memory>
#include <variant>
#include <vector>

#include "connmgr/check/invariants.h"
#include "connmgr/check/refinement.h"
#include "harness/byte_source.h"
#include "harness/input_strategy.h"
#include "harness/manager_handle.h"
#include "harness/trace.h"
#include "sim/scheduler.h"
#include "sim/sim_dialer.h"
#include "sim/sim_platform.h"
#include "sim/spare_storage.h"
#include "sim/sim_runtime.h"

namespace connmgr::fuzz {
namespace {

using namespace std::chrono_literals;
using Req = ConnReq<sim::SimPlatform>;
using ReqPtr = SimReqPtr;
using Source = CancelSource<sim::SimPlatform>;

constexpr Duration kHorizon = 5s;
constexpr Duration kLateDial = 50ms;
constexpr Duration kMaxRetryDuration = 2s;

// Whether `a` and `b` show the same registry: equal but for outstanding_work, which a finishing
// task that is not the last changes without the manager's lock.
bool same_registry(const Snapshot& a, Snapshot& b) {
  const std::size_t work = std::exchange(b.outstanding_work, a.outstanding_work);
  const bool same = a == b;
  b.outstanding_work = work;
  return same;
}

// What the scenario's config byte means: bits 0-1 dial timeout, bit 2 retry duration, bits 3-4
// target_outbound, bit 5 automatic outbound (lifecycle target; always on for outbound), bit 6 the
// event-loop design, bit 7 compare mode (ops target; overrides bit 6).
struct Settings {
  Duration dial_timeout{0};
  Duration retry_duration{0};
  std::uint32_t target_outbound = 1;
  bool automatic = false;
  bool start_first = false;  // The first client starts the manager before its operations.
  Design design = Design::synchronous;
  bool compare = false;
};

Settings settings(const Scenario& scenario) {
  const std::uint8_t c = scenario.config;
  Settings s;
  constexpr Duration timeouts[] = {0ms, 0ms, 30ms, 200ms};
  s.dial_timeout = timeouts[c & 3];
  s.retry_duration = (c & 4) != 0 ? Duration(1s) : Duration(50ms);
  s.target_outbound = 1 + (c >> 3 & 3) % 3;
  s.automatic =
      scenario.target == Target::outbound || (scenario.target == Target::lifecycle && (c & 32) != 0);
  s.start_first = scenario.target != Target::lifecycle;
  if ((c & 64) != 0) s.design = Design::event_loop;
  s.compare = scenario.target == Target::ops && (c & 128) != 0;
  return s;
}

std::string address(std::uint8_t byte) { return "h" + std::to_string(byte % 4); }

std::string describe(const std::error_code& error) { return error ? error.message() : "ok"; }

check::Operation operation(check::Operation::Kind kind) {
  check::Operation op;
  op.kind = kind;
  return op;
}

// Held in place rather than behind a pointer: one allocation less per run.
using AnyStrategy = std::variant<InputStrategy, sim::RunToCompletion, sim::RandomWalk, sim::Pct>;

AnyStrategy make_strategy(const Scenario& scenario, const RunOptions& options, bool sequential,
                          ByteSource& tail) {
  if (sequential) return sim::RunToCompletion();
  const Schedule schedule = options.schedule.value_or(scenario.schedule);
  const std::uint32_t seed = options.schedule ? options.seed : scenario.seed;
  const std::uint8_t depth = options.schedule ? options.depth : scenario.depth;
  switch (schedule) {
    case Schedule::random:
      return sim::RandomWalk(seed);
    case Schedule::pct:
      return sim::Pct(seed, depth, 40 * (scenario.ops.size() + 4));
    case Schedule::input:
      break;
  }
  return InputStrategy(tail);
}

// `sequential` (compare mode): every operation runs on one client thread and completes, with
// everything it set off at that virtual time, before the next starts; the schedule is
// RunToCompletion, and the run records its Outcome.
class World {
 public:
  World(const Scenario& scenario, const RunOptions& options, Design design, bool sequential)
      : scenario_(scenario),
        options_(options),
        settings_(settings(scenario)),
        design_(design),
        sequential_(sequential),
        tail_(scenario.tail),
        strategy_(make_strategy(scenario, options, sequential, tail_)),
        sim_(std::visit([](sim::Strategy& strategy) -> sim::Strategy& { return strategy; }, strategy_),
             options.max_steps),
        guard_(sim_),
        ledger_(sim_),
        clock_(sim_),
        executor_(sim_),
        dialer_(sim_, ledger_,
                [this] { return static_cast<sim::DialFault>(tail_.take() % sim::kDialFaults); }, kLateDial,
                {[this](const std::string& to, sim::DialFault fault) { dial_started(to, fault); },
                 [this](const NetOutcome& outcome) { dial_returned(outcome); }}),
        trace_(scenario.threads),
        requests_(std::move(spare_.requests)),
        sources_(std::move(spare_.sources)),
        clients_(std::move(spare_.clients)),
        final_states_(std::move(spare_.final_states)),
        listing_storage_(std::move(spare_.listing)),
        step_snapshots_(std::move(spare_.step_snapshots)),
        final_snapshot_(std::move(spare_.final_snapshot)) {
    // Refinement needs each critical section's actor: in the event loop they all run on the
    // handler, so only the synchronous design is judged against the model step by step.
    if (design == Design::synchronous) {
      const check::ReferenceModel::Config model{settings_.target_outbound, settings_.automatic,
                                                settings_.dial_timeout > Duration::zero(), true,
                                                settings_.retry_duration, kMaxRetryDuration};
      if (spare_.checker) {
        checker_ = std::move(spare_.checker);
        spare_.checker.reset();
        checker_->restart(model, options.trace);
      } else {
        checker_.emplace(model, options.trace);
      }
    }
  }
  ~World() {
    if (checker_) spare_.checker = std::move(checker_);
    sim::hand_over(requests_, spare_.requests);
    sim::hand_over(sources_, spare_.sources);
    sim::hand_over(clients_, spare_.clients);
    sim::hand_over(final_states_, spare_.final_states);
    sim::hand_over(listing_storage_, spare_.listing);
    spare_.step_snapshots = std::move(step_snapshots_);
    spare_.final_snapshot = std::move(final_snapshot_);
  }
  World(const World&) = delete;
  World& operator=(const World&) = delete;

  RunResult run();

 private:
  struct ClientOp {
    ScenarioOp op;
    int request;  // For connect: its request's key.
  };

  Config<sim::SimPlatform> config();
  void create_requests();
  bool run_clients();
  void run_client(std::size_t thread);
  bool shut_down();
  bool destroy();
  void execute(const ClientOp& op);
  void connect(int request);
  void operate(check::Operation op);
  void begin(const check::Operation& op);
  void end(const check::OperationResult& result, ReqId id_shown = 0);
  void on_critical_section(bool wrote);
  // Takes a new step snapshot, keeping the last one; returns whether they are equal.
  bool refill_snapshot();
  void dial_started(const std::string& to, sim::DialFault fault);
  void dial_returned(const NetOutcome& outcome);
  std::optional<std::string> next_address();
  // Adds a row to the trace, if one is kept; `text` makes the row's text.
  template <class MakeText>
  void note(MakeText&& text) {
    if (options_.trace) add_row(text());
  }
  void add_row(std::string text);
  void enforce_model();
  bool finish_run(const char* phase);
  void record(OperationOutcome outcome);
  static void count(std::vector<std::uint64_t>& counts, ReqId id);

  // What a run leaves to the next one on this thread: the checker (restarted before use), the
  // snapshots (refilled) and the containers (emptied) keep the storage they grew, so a run frees
  // whatever else it allocates (libFuzzer re-runs an input that does not, as a leak suspect).
  struct Spare {
    std::optional<check::RefinementChecker> checker;
    std::vector<ReqPtr> requests;
    std::vector<std::shared_ptr<Source>> sources;
    std::vector<sim::FiberId> clients;
    std::vector<ConnState> final_states;
    check::Listing listing;
    std::array<Snapshot, 2> step_snapshots;
    Snapshot final_snapshot;
  };
  static thread_local Spare spare_;

  const Scenario& scenario_;
  const RunOptions& options_;
  const Settings settings_;
  const Design design_;
  const bool sequential_;
  ByteSource tail_;
  AnyStrategy strategy_;
  sim::Sim sim_;
  sim::GuardMonitor guard_;
  sim::ConnectionLedger ledger_;
  sim::SimClock clock_;
  sim::SimExecutor executor_;
  sim::SimDialer dialer_;
  std::optional<check::RefinementChecker> checker_;
  Trace trace_;
  std::vector<ReqPtr> requests_;
  std::vector<std::shared_ptr<Source>> sources_;
  std::vector<sim::FiberId> clients_;
  std::size_t waiting_clients_ = 0;  // Clients inside wait().
  bool closing_ = false;             // Phase 2 began.
  std::vector<ConnState> final_states_;  // Of every request object, after stop() and wait().
  check::Listing listing_storage_;        // Handed from one for_each operation to the next (and run).
  std::optional<ManagerHandle> manager_;
  // Refilled in turn after critical sections: the latest, and the one before it (to skip
  // re-checking a registry left as it was).
  std::array<Snapshot, 2> step_snapshots_;
  std::size_t latest_ = 0;
  bool have_snapshot_ = false;  // step_snapshots_[latest_] holds this run's latest.
  Snapshot final_snapshot_;  // After stop() and wait().
  Outcome outcome_;          // Recorded when sequential_.
};

thread_local World::Spare World::spare_;

Config<sim::SimPlatform> World::config() {
  Config<sim::SimPlatform> config;
  config.dialer = &dialer_;
  config.clock = &clock_;
  config.executor = &executor_;
  config.target_outbound = settings_.target_outbound;
  config.retry_duration = settings_.retry_duration;
  config.max_retry_duration = kMaxRetryDuration;
  config.dial_timeout = settings_.dial_timeout;
  config.on_connection = [this](const ReqPtr& req, const ConnectionPtr&) {
    sim::expect_unlocked(sim_, "on_connection");
    const ReqId id = req->id();
    if (checker_) checker_->connected(id);
    if (sequential_) count(outcome_.connections, id);
    note([&] { return std::string("on_connection(" + std::to_string(id) + ")"); });
    enforce_model();
  };
  config.on_disconnection = [this](const ReqPtr& req) {
    sim::expect_unlocked(sim_, "on_disconnection");
    const ReqId id = req->id();
    if (checker_) checker_->disconnected(id);
    if (sequential_) count(outcome_.disconnections, id);
    note([&] { return std::string("on_disconnection(" + std::to_string(id) + ")"); });
    enforce_model();
  };
  if (settings_.automatic) config.get_new_address = [this] { return next_address(); };
  return config;
}

std::optional<std::string> World::next_address() {
  sim::expect_unlocked(sim_, "get_new_address");
  sim_.yield();
  const std::uint8_t byte = tail_.take();
  std::optional<std::string> result;
  if (byte % 4 != 3) result = address(byte);
  if (checker_) checker_->got_address(sim_.self(), result);
  note([&] { return std::string("address source: " + result.value_or("none")); });
  return result;
}

void World::create_requests() {
  const auto connects = std::count_if(scenario_.ops.begin(), scenario_.ops.end(),
                                      [](const ScenarioOp& op) { return op.kind == OpKind::connect; });
  requests_.reserve(static_cast<std::size_t>(connects));
  sources_.reserve(static_cast<std::size_t>(connects));
  for (const ScenarioOp& op : scenario_.ops) {
    if (op.kind != OpKind::connect) continue;
    requests_.push_back(std::make_shared<Req>(address(op.a), (op.b & 1) != 0));
    sources_.push_back((op.b & 2) != 0 ? std::make_shared<Source>() : nullptr);
  }
}

RunResult World::run() {
  create_requests();
  std::error_code error;
  manager_ = ManagerHandle::create(design_, config(), error);
  if (!manager_) {
    sim_.fail("config: " + error.message());
  } else {
    guard_.set_hook([this](bool wrote) { on_critical_section(wrote); });
    if (checker_) {
      sim_.set_finish_hook([this] {
        checker_->finished(sim_.self());
        enforce_model();
      });
    }
    static_cast<void>(run_clients() && shut_down() && destroy());
  }
  RunResult result;
  result.failed = sim_.failed();
  result.failure = sim_.failure();
  result.hash = sim_.trace_hash();
  result.steps = sim_.steps();
  result.fibers = sim_.fibers_created();
  if (options_.guarantee) {
    result.guarantee = std::visit(
        [&](const sim::Strategy& strategy) { return strategy.guarantee(result.fibers, result.steps); }, strategy_);
  }
  if (options_.trace) result.trace = trace_.table();
  result.outcome = std::move(outcome_);
  result.tail_front = tail_.front_taken();
  result.tail_back = tail_.back_taken();
  // A failed run abandons fibers inside the manager: it must neither be stopped nor destroyed.
  if (result.failed && manager_) manager_->leak();
  return result;
}

// Phase 1: the client threads run their operations until each has finished or waits in wait()
// (for a stop() that only the closer will make), until they get stuck, or until virtual time
// passes kHorizon.
bool World::run_clients() {
  clients_.reserve(scenario_.threads);
  for (std::size_t thread = 0; thread < scenario_.threads; ++thread)
    clients_.push_back(sim_.spawn(sim::FiberKind::client, [this, thread] { run_client(thread); }));
  const auto done = [&] {
    const auto finished =
        std::count_if(clients_.begin(), clients_.end(), [&](sim::FiberId f) { return sim_.finished(f); });
    return sim_.now().time_since_epoch() >= kHorizon ||
           static_cast<std::size_t>(finished) + waiting_clients_ == clients_.size();
  };
  return sim_.run(done) != sim::Sim::Status::failed;
}

// Client thread `thread` issues its operations in input order (in compare mode, thread 0 issues
// them all); the first thread starts the manager first when the target asks for it.
void World::run_client(std::size_t thread) {
  // Compare mode issues nothing after the closer's stop(): section B.3 makes those differ.
  const auto issue = [&](const ClientOp& op) {
    if (sequential_ && closing_) return false;
    execute(op);
    if (sequential_) sim_.settle();
    return true;
  };
  if (thread == 0 && settings_.start_first && !issue({ScenarioOp{0, OpKind::start, 0, 0}, -1})) return;
  int request = 0;  // Connect operations are numbered in input order, whatever their thread.
  for (const ScenarioOp& op : scenario_.ops) {
    const int key = op.kind == OpKind::connect ? request++ : -1;
    if ((sequential_ ? 0 : op.thread) == thread && !issue({op, key})) return;
  }
}

// Phase 2: a closer thread calls stop() and wait() (clients may still run); then the quiescent
// invariants and the model's final verdict.
bool World::shut_down() {
  closing_ = true;
  sim_.spawn(sim::FiberKind::client, [this] {
    // Compare mode: what is due at this instant (a timer that fired at the horizon) runs first.
    if (sequential_) sim_.settle();
    operate(operation(check::Operation::Kind::stop));
    manager_->wait();
  });
  if (!finish_run("stop() and wait()")) return false;
  manager_->snapshot(final_snapshot_);
  for (const auto& violation : check::quiescent_violations(final_snapshot_))
    sim_.fail("quiescence: " + violation);
  for (const ReqPtr& req : requests_) final_states_.push_back(req->state());
  if (checker_) checker_->finish(final_snapshot_, final_states_);
  enforce_model();
  if (sequential_) {
    check::abstract(final_snapshot_, outcome_.registry);
    outcome_.requests = final_states_;
    outcome_.closed_before_destruction = ledger_.closed();
  }
  return !sim_.failed();
}

// Phase 3: the manager is destroyed on a fiber; then every connection must be closed once.
bool World::destroy() {
  guard_.set_hook(nullptr);
  sim_.spawn(sim::FiberKind::client, [this] { manager_.reset(); });
  if (!finish_run("destroying the manager")) return false;
  for (const auto& line : ledger_.unclosed()) sim_.fail("connections: " + line);
  outcome_.dialed = ledger_.opened();
  outcome_.closed = ledger_.closed();
  return !sim_.failed();
}

bool World::finish_run(const char* phase) {
  const auto status = sim_.run([&] { return sim_.live_fibers() == 0; });
  if (status == sim::Sim::Status::stuck) {
    sim_.fail(std::string("deadlock: ") + phase + " cannot finish; blocked:\n" + sim_.describe_blocked());
  }
  return !sim_.failed();
}

void World::execute(const ClientOp& client_op) {
  using Kind = check::Operation::Kind;
  const ScenarioOp& op = client_op.op;
  const int requests = static_cast<int>(requests_.size());
  const int chosen = requests == 0 ? -1 : op.a % requests;
  switch (op.kind) {
    case OpKind::connect:
      return connect(client_op.request);
    case OpKind::reconnect:
      if (chosen >= 0) connect(chosen);
      return;
    case OpKind::disconnect:
    case OpKind::remove: {
      check::Operation target = operation(op.kind == OpKind::disconnect ? Kind::disconnect : Kind::remove);
      target.id =
          ((op.b & 1) != 0 || chosen < 0) ? 1 + op.a % 8 : requests_[static_cast<std::size_t>(chosen)]->id();
      return operate(target);
    }
    case OpKind::cancel_pending: {
      check::Operation target = operation(Kind::cancel_pending);
      target.address = address(op.a);
      return operate(target);
    }
    case OpKind::cancel_caller:
      if (chosen >= 0 && sources_[static_cast<std::size_t>(chosen)]) {
        check::Operation target = operation(Kind::cancel_caller);
        target.caller = chosen;
        operate(target);
      }
      return;
    case OpKind::for_each:
      return operate(operation(Kind::for_each));
    case OpKind::sleep: {
      constexpr Duration spans[] = {1ms, 20ms, 300ms, 2s};
      const Duration span = spans[op.a % 4];
      note([&] {
        return "sleep " +
               std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(span).count()) + " ms";
      });
      return sim_.sleep_for(span);
    }
    case OpKind::start:
      return operate(operation(Kind::start));
    case OpKind::stop:
      return operate(operation(Kind::stop));
    case OpKind::wait:
      note([] { return std::string("wait()"); });
      ++waiting_clients_;
      manager_->wait();
      --waiting_clients_;
      note([] { return std::string("wait() returned"); });
      return;
  }
}

void World::connect(int request) {
  const auto k = static_cast<std::size_t>(request);
  const ReqPtr& req = requests_[k];
  check::Operation op = operation(check::Operation::Kind::connect);
  op.request = request;
  op.caller = sources_[k] ? request : -1;
  op.address = req->address();
  op.permanent = req->permanent();
  begin(op);
  const std::error_code error = manager_->connect(req, sources_[k]);
  const ReqId id = req->id();
  end({error, id, {}}, id);
  if (sequential_) record({check::describe(op), false, error, id, {}});
}

void World::operate(check::Operation op) {
  using Kind = check::Operation::Kind;
  begin(op);
  check::OperationResult result;
  switch (op.kind) {
    case Kind::disconnect:
      result.error = manager_->disconnect(op.id);
      break;
    case Kind::remove:
      result.error = manager_->remove(op.id);
      break;
    case Kind::cancel_pending:
      result.error = manager_->cancel_pending(op.address);
      break;
    case Kind::cancel_caller:
      sources_[static_cast<std::size_t>(op.caller)]->cancel();
      break;
    case Kind::start:
      result.error = manager_->start();
      break;
    case Kind::stop:
      manager_->stop();
      break;
    case Kind::for_each:
      result.listing = std::move(listing_storage_);
      result.error = manager_->for_each_conn_req([&](const ReqPtr& req) -> std::error_code {
        result.listing.emplace_back(req->id(), req->state());
        return std::error_code{};
      });
      std::sort(result.listing.begin(), result.listing.end());
      break;
    case Kind::connect:
      break;
  }
  end(result);
  if (sequential_ && op.kind != Kind::cancel_caller) {
    const bool asynchronous = op.kind == Kind::disconnect || op.kind == Kind::remove;
    record({check::describe(op), asynchronous, result.error, 0, std::move(result.listing)});
  } else if (op.kind == Kind::for_each) {
    listing_storage_ = std::move(result.listing);
    listing_storage_.clear();
  }
}

void World::record(OperationOutcome outcome) { outcome_.operations.push_back(std::move(outcome)); }

void World::count(std::vector<std::uint64_t>& counts, ReqId id) {
  if (id >= counts.size()) counts.resize(id + 1);
  ++counts[id];
}

void World::begin(const check::Operation& op) {
  if (checker_) checker_->begin(sim_.self(), op);
  note([&] { return check::describe(op); });
}

void World::end(const check::OperationResult& result, ReqId id_shown) {
  sim_.mix(static_cast<std::uint64_t>(result.error.value()) * 131 + result.listing.size());
  if (checker_) checker_->end(sim_.self(), result);
  note([&] {
    return "-> " + describe(result.error) +
           (id_shown != 0 ? " (reqid " + std::to_string(id_shown) + ")" : "");
  });
  enforce_model();
}

// Many critical sections change nothing (one that only viewed the registry, a failed lookup, a
// late dial outcome): the invariants passed on this very registry a moment ago, and the checker
// may reuse what it derived from it. A section that only viewed it is not even snapshotted again,
// unless RunOptions::verify_views asks to check that it really left the registry as it was.
void World::on_critical_section(bool wrote) {
  bool unchanged = false;
  if (!have_snapshot_) {
    refill_snapshot();
    have_snapshot_ = true;
  } else if (!wrote && !options_.verify_views) {
    unchanged = true;
  } else {
    unchanged = refill_snapshot();
    const Snapshot& previous = step_snapshots_[latest_ ^ 1];
    if (!wrote && !unchanged && !same_registry(previous, step_snapshots_[latest_])) {
      sim_.fail("view contract: a critical section that only viewed the registry changed it");
      return;
    }
  }
  const Snapshot& snapshot = step_snapshots_[latest_];
  sim_.mix(snapshot.last_id * 7 + snapshot.pending.size() * 3 + snapshot.established.size());
  if (!unchanged) {
    for (const auto& violation : check::registry_violations(snapshot)) {
      sim_.fail("invariant: " + violation);
      return;
    }
  }
  if (!checker_) return;
  checker_->critical_section(sim_.self(), snapshot, sim_.now(), unchanged);
  if (!checker_->last_step().empty()) note([&] { return std::string("[" + checker_->last_step() + "]"); });
  enforce_model();
}

bool World::refill_snapshot() {
  latest_ ^= 1;
  manager_->snapshot(step_snapshots_[latest_]);
  return step_snapshots_[latest_] == step_snapshots_[latest_ ^ 1];
}

void World::dial_started(const std::string& to, sim::DialFault fault) {
  if (checker_) checker_->dial_started(sim_.self());
  note([&] { return std::string("dial " + to + " (" + sim::to_string(fault) + ")"); });
  enforce_model();
}

void World::dial_returned(const NetOutcome& outcome) {
  if (checker_) checker_->dial_returned(sim_.self(), {outcome.conn != nullptr, outcome.error});
  note([&] {
    return std::string("dial returns ") + (outcome.conn ? "a connection" : "no connection") +
           (outcome.error ? ", " + outcome.error.message() : "");
  });
}

void World::add_row(std::string text) {
  const sim::FiberId self = sim_.self();
  auto client = std::find(clients_.begin(), clients_.end(), self);
  if (client != clients_.end()) {
    trace_.add(sim_.now(), static_cast<std::size_t>(client - clients_.begin()), std::move(text));
  } else {
    const sim::FiberKind kind_of_self = sim_.kind(self);
    const char* kind = kind_of_self == sim::FiberKind::timer  ? "timer"
                       : kind_of_self == sim::FiberKind::task ? "task"
                                                              : "closer";
    trace_.add(sim_.now(), clients_.size(), "#" + std::to_string(self) + " " + kind + ": " + std::move(text));
  }
}

void World::enforce_model() {
  if (checker_ && !checker_->violation().empty()) sim_.fail(checker_->violation());
}

// Names the design in a failure of an event-loop run, keeping the failure's kind distinct.
void mark_event_loop(RunResult& result) {
  if (!result.failed) return;
  const std::size_t colon = result.failure.find(':');
  result.failure.insert(colon == std::string::npos ? result.failure.size() : colon, " [event loop]");
}

// Compare mode: the synchronous run (under every oracle, the model included), then the event-loop
// run of the same operations, then their outcomes.
RunResult compare_designs(const Scenario& scenario, const RunOptions& options) {
  RunResult sync = World(scenario, options, Design::synchronous, true).run();
  if (sync.failed) return sync;
  RunResult loop = World(scenario, options, Design::event_loop, true).run();
  mark_event_loop(loop);
  if (!loop.failed) {
    if (std::string difference = compare(sync.outcome, loop.outcome); !difference.empty()) {
      loop.failed = true;
      loop.failure = "compare: " + difference;
    }
  }
  loop.hash = loop.hash * 31 + sync.hash;
  loop.steps += sync.steps;
  loop.fibers += sync.fibers;
  loop.tail_front = std::max(loop.tail_front, sync.tail_front);
  loop.tail_back = std::max(loop.tail_back, sync.tail_back);
  if (options.trace) loop.trace = "synchronous design:\n" + sync.trace + "event-loop design:\n" + loop.trace;
  return loop;
}

}  // namespace

RunResult run(const Scenario& scenario, const RunOptions& options) {
  const Settings s = settings(scenario);
  if (s.compare) return compare_designs(scenario, options);
  RunResult result = World(scenario, options, s.design, false).run();
  if (s.design == Design::event_loop) mark_event_loop(result);
  return result;
}

std::string failure_kind(const std::string& failure) { return failure.substr(0, failure.find(':')); }

}  // namespace connmgr::fuzz

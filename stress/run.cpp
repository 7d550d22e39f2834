#include "run.h"

#include <chrono>
#include <filesystem>
#include <memory>
#include <thread>
#include <vector>

#include "budget.h"
#include "callbacks.h"
#include "connmgr/check/invariants.h"
#include "connmgr/std_conn_manager.h"
#include "connmgr/steady_clock.h"
#include "connmgr/thread_executor.h"
#include "network.h"
#include "status.h"
#include "targets.h"
#include "tracking.h"
#include "watchdog.h"
#include "workers.h"

namespace connmgr::stress {
namespace {

using namespace std::chrono_literals;

std::size_t count_threads() {
  const std::filesystem::directory_iterator tasks("/proc/self/task");
  return static_cast<std::size_t>(std::distance(begin(tasks), end(tasks)));
}

// One round's world: what the manager is wired to, besides its clock and executor.
struct World {
  const Options& options;  // The round's options (its seed, its share of the budget).
  TrackingDialer& dialer;
  const Network& network;
  AddressSource& addresses;
  Callbacks& callbacks;
  Targets& targets;
};

StdConfig make_config(const World& world, Clock& clock, Executor& executor) {
  StdConfig config;
  config.dialer = &world.dialer;
  config.clock = &clock;
  config.executor = &executor;
  config.listeners = world.network.listeners();
  if (!config.listeners.empty()) {
    config.on_accept = [&callbacks = world.callbacks](const ConnectionPtr& conn) {
      callbacks.on_accept(conn);
    };
  }
  config.on_connection = [&world](const StdConnReqPtr& req, const ConnectionPtr& conn) {
    world.callbacks.on_connection(req, conn);
    world.targets.add(req);
  };
  config.on_disconnection = [&callbacks = world.callbacks](const StdConnReqPtr& req) {
    callbacks.on_disconnection(req);
  };
  if (world.options.target_outbound > 0) {
    config.get_new_address = [&addresses = world.addresses] { return addresses(); };
    config.target_outbound = world.options.target_outbound;
  }
  config.retry_duration = 2ms;
  config.max_retry_duration = 20ms;
  config.dial_timeout = std::chrono::milliseconds(world.options.dial_timeout_ms);
  return config;
}

// Runs the workers to the end of the round's budget; adds to the counts, checks and results.
template <class Manager>
void run_workers(Manager& manager, const World& world, RunStatus& status, Violations& violations,
                 RunResult& result) {
  const Options& options = world.options;
  Budget budget(options);
  std::atomic<std::uint64_t> checks{0};
  CheckBarrier<Manager> barrier(options.threads,
                                BarrierCheck<Manager>{&manager, &violations, &checks});
  StopMark stop_mark;
  WorkerContext<Manager> context{manager,     world.network, world.targets,   budget,
                                 barrier,     violations,    status.progress, stop_mark,
                                 options.mix, options.check_every};
  std::vector<Worker<Manager>> workers;
  workers.reserve(options.threads);
  for (unsigned i = 0; i < options.threads; ++i)
    workers.emplace_back(context, Rng::derive(options.seed, Stream::workers, i), status.workers[i]);

  const std::uint64_t ops_before = status.progress.load();
  const auto start = std::chrono::steady_clock::now();
  {
    std::vector<std::jthread> threads;
    for (auto& worker : workers) threads.emplace_back([&worker] { worker.run(); });
  }
  result.ops += status.progress.load() - ops_before;
  result.ops_before_stop += stop_mark.ops - ops_before;
  result.seconds_before_stop += std::chrono::duration<double>(stop_mark.when - start).count();
  result.checks += checks.load();
  auto& results = result.results[designs_name(options.designs)];
  for (const auto& worker : workers) {
    for (const auto& [what, count] : worker.results()) results[what] += count;
  }
}

// The final stop() and wait(), then destruction, with the checks of each step.
template <class Manager>
void shut_down(std::unique_ptr<Manager>& manager, const World& world, RunStatus& status,
               Violations& violations, RunResult& result) {
  manager->stop();  // A no-op: a worker called stop() already (and wait(), concurrently).
  manager->wait();
  world.callbacks.wait_returned();
  const Snapshot final_snapshot = manager->snapshot();
  violations.add_all("after wait()", check::quiescent_violations(final_snapshot));
  if (const auto dials = status.dials_in_flight.load(); dials != 0)
    violations.add(std::to_string(dials) + " dials still running after wait()");
  if (const auto accepts = status.accepts_in_flight.load(); accepts != 0)
    violations.add(std::to_string(accepts) + " accepts still running after wait()");

  status.manager.attach(nullptr);
  manager.reset();
  world.callbacks.reconcile(final_snapshot);
  result.established_at_end += final_snapshot.established.size();
}

// The manager's life in one round, on its own executor and clock.
template <class Manager>
void run_manager(const World& world, RunStatus& status, Violations& violations,
                 RunResult& result) {
  status.phase = "starting the manager";
  ThreadExecutor executor;
  // Destroyed before the executor: a timer callback can still be inside Executor::spawn() when
  // wait() returns, and ThreadExecutor::spawn() notifies its condition variable after unlocking
  // (a core race this run found; joining the clock's thread first keeps it out of the way).
  SteadyClock clock;
  std::error_code error;
  auto manager = Manager::create(make_config(world, clock, executor), error);
  if (!manager) {
    violations.add("create() rejected the config: " + error.message());
    return;
  }
  status.manager.attach([&manager = *manager] { return manager.snapshot(); });
  if (auto failed = manager->start()) violations.add("start() failed: " + failed.message());
  status.phase = "workers running";
  run_workers(*manager, world, status, violations, result);
  status.phase = "final stop(), wait() and destruction of the manager";
  shut_down(manager, world, status, violations, result);
  status.phase = "destruction of the executor and the clock";
}

// One round: a fresh network and manager, from creation to destruction.
void run_round(const Options& options, RunStatus& status, Violations& violations,
               RunResult& result) {
  status.phase = "opening the network";
  ConnectionLedger dialed("dialed", violations);
  ConnectionLedger accepted("accepted", violations);
  std::error_code error;
  const auto network = Network::open(options, accepted, status.accepts_in_flight, error);
  if (!network) {
    violations.add("cannot open the loopback network: " + error.message());
    return;
  }
  TrackingDialer dialer(*network, dialed, status.dials_in_flight);
  AddressSource addresses(*network, options.seed);
  Callbacks callbacks(violations, options.seed, std::chrono::microseconds(options.max_delay_us));
  Targets targets;
  const World world{options, dialer, *network, addresses, callbacks, targets};
  if (options.designs == Designs::event_loop) {
    run_manager<StdEventLoopConnManager>(world, status, violations, result);
  } else {
    run_manager<StdConnManager>(world, status, violations, result);
  }
  status.phase = "end-of-round checks";
  dialed.check_all_closed();
  accepted.check_all_closed();
  result.dialed += dialed.created();
  result.accepted += accepted.created();
  result.on_connection += callbacks.connections();
  result.on_disconnection += callbacks.disconnections();
}

}  // namespace

RunResult run_stress(const Options& options, Violations& violations) {
  RunResult result;
  RunStatus status(options.threads);
  Watchdog watchdog(std::chrono::seconds(options.watchdog_s), status.progress,
                    [&status] { return status.describe(); });
  // Counted once the watchdog runs, so that a sanitizer's helper thread (started with the
  // process's first thread) is already there.
  const std::size_t threads_before = count_threads();
  for (unsigned round = 0; round < options.rounds; ++round) {
    status.round = round;
    run_round(round_options(options, round), status, violations, result);
  }
  if (const std::size_t threads_after = count_threads(); threads_after != threads_before) {
    violations.add(std::to_string(threads_after) + " threads after the run, " +
                   std::to_string(threads_before) + " before it");
  }
  return result;
}

}  // namespace connmgr::stress

// The workloads of the Go benchmarks (issue 7, table a-f), in manual mode with callbacks unset,
// plus scale runs, for both designs: <StdConnManager> (synchronous) and <StdEventLoopConnManager>.
// Workloads that need prepared state time batches of kBatch operations and report the time of one
// operation as the "per_op" counter. The event loop's disconnect and remove return before their
// message ran; a batch therefore ends with a waited-for operation, so its time includes the work.
#include <benchmark/benchmark.h>
#include <malloc.h>

#include <array>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "bench_backends.h"
#include "connmgr/std_conn_manager.h"
#include "connmgr/steady_clock.h"
#include "connmgr/thread_executor.h"

namespace connmgr::bench {
namespace {

constexpr int kBatch = 1000;

// One started manager per benchmark run, with production clock and executor (which keeps up to
// `idle_threads` threads waiting for work instead of letting them exit).
template <class Manager>
struct Fixture {
  explicit Fixture(Dialer& dialer, std::size_t idle_threads = 16) : executor(idle_threads) {
    StdConfig config;
    config.dialer = &dialer;
    config.clock = &clock;
    config.executor = &executor;
    config.retry_duration = std::chrono::hours(1);
    std::error_code error;
    manager = Manager::create(config, error);
    (void)manager->start();
  }

  // Returns once every operation issued before it has run (a waited-for no-op).
  void barrier() { (void)manager->cancel_pending(""); }

  SteadyClock clock;
  ThreadExecutor executor;
  std::unique_ptr<Manager> manager;
};

std::string address_of(std::size_t i) { return "10.0." + std::to_string(i / 256 % 256) + "." + std::to_string(i % 256) + ":8333"; }

void per_op_counter(benchmark::State& state, int ops_per_iteration) {
  state.counters["per_op"] = benchmark::Counter(
      ops_per_iteration, benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

// Establishes `count` requests (permanent or not) and returns their ids.
template <class Manager>
std::vector<ReqId> establish(Manager& manager, std::size_t count, bool permanent) {
  std::vector<ReqId> ids;
  ids.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    auto req = std::make_shared<StdConnReq>(address_of(i), permanent);
    (void)manager.connect(req);
    ids.push_back(req->id());
  }
  return ids;
}

// The counting callback of workloads c and f. It touches every request it is given, so that the
// compiler cannot fold the iteration into a size.
struct CountingVisitor {
  std::error_code operator()(const StdConnReqPtr& req) const {
    benchmark::DoNotOptimize(req.get());
    ++visited;
    return {};
  }
  std::size_t& visited;
};

// Baseline: the floor of a connect-remove, one locked map insert and one locked map erase.
void BM_baseline_locked_map_insert_erase(benchmark::State& state) {
  std::mutex mu;
  std::unordered_map<std::uint64_t, std::shared_ptr<int>> map;
  std::uint64_t next = 0;
  for (auto _ : state) {
    auto value = std::make_shared<int>(0);
    std::uint64_t id;
    {
      std::lock_guard<std::mutex> lock(mu);
      id = ++next;
      map.emplace(id, value);
    }
    std::lock_guard<std::mutex> lock(mu);
    map.erase(id);
  }
}
BENCHMARK(BM_baseline_locked_map_insert_erase);

// a (and b with 2 threads): connect a new request until established, then remove it.
template <class Manager>
void BM_a_connect_remove(benchmark::State& state) {
  static InstantDialer dialer;
  static std::unique_ptr<Fixture<Manager>> fixture;
  if (state.thread_index() == 0) {
    fixture = std::make_unique<Fixture<Manager>>(dialer);
    establish(*fixture->manager, static_cast<std::size_t>(state.range(0)), false);
  }
  for (auto _ : state) {
    auto req = std::make_shared<StdConnReq>("10.1.0.1:8333");
    (void)fixture->manager->connect(req);
    (void)fixture->manager->remove(req->id());
  }
  state.SetItemsProcessed(state.iterations());
  if (state.thread_index() == 0) fixture.reset();
}
BENCHMARK_TEMPLATE(BM_a_connect_remove, StdConnManager)->Arg(0)->Arg(1000)->Arg(100000);
BENCHMARK_TEMPLATE(BM_a_connect_remove, StdEventLoopConnManager)->Arg(0)->Arg(1000)->Arg(100000);

// b: the same from 2 threads.
template <class Manager>
void BM_b_connect_remove_2_threads(benchmark::State& state) {
  BM_a_connect_remove<Manager>(state);
}
BENCHMARK_TEMPLATE(BM_b_connect_remove_2_threads, StdConnManager)->Arg(0)->Threads(2)->UseRealTime();
BENCHMARK_TEMPLATE(BM_b_connect_remove_2_threads, StdEventLoopConnManager)
    ->Arg(0)
    ->Threads(2)
    ->UseRealTime();

// c: one full for_each over 1,000 established requests with a counting visitor.
template <class Manager>
void BM_c_for_each_1000(benchmark::State& state) {
  InstantDialer dialer;
  Fixture<Manager> fixture(dialer);
  establish(*fixture.manager, 1000, false);
  std::size_t visited = 0;
  for (auto _ : state) {
    (void)fixture.manager->for_each_conn_req(CountingVisitor{visited});
  }
  benchmark::DoNotOptimize(visited);
}
BENCHMARK_TEMPLATE(BM_c_for_each_1000, StdConnManager);
BENCHMARK_TEMPLATE(BM_c_for_each_1000, StdEventLoopConnManager);

// d: one cancel_pending among `range(0)` pending requests. The pending requests are permanent
// requests parked in their retry wait (a refusing dialer, a one-hour retry), which is how a
// request stays pending without a thread blocked in its dial: this is the manager's own cost of a
// cancel, at any scale. BM_d_cancel_dialing below is the Go benchmark's shape.
template <class Manager>
void BM_d_cancel_pending(benchmark::State& state) {
  RefusingDialer dialer;
  Fixture<Manager> fixture(dialer);
  const auto pending = static_cast<std::size_t>(state.range(0));
  for (std::size_t i = 0; i < pending; ++i)
    (void)fixture.manager->connect(std::make_shared<StdConnReq>(address_of(i), true));
  std::size_t next = 0;
  for (auto _ : state) {
    state.PauseTiming();
    std::vector<std::string> batch;
    for (int i = 0; i < kBatch; ++i) {
      const std::string address = "10.200." + std::to_string(next / 256 % 256) + "." + std::to_string(next % 256) + ":1";
      ++next;
      (void)fixture.manager->connect(std::make_shared<StdConnReq>(address, true));
      batch.push_back(address);
    }
    state.ResumeTiming();
    for (const auto& address : batch) (void)fixture.manager->cancel_pending(address);
  }
  per_op_counter(state, kBatch);
}
BENCHMARK_TEMPLATE(BM_d_cancel_pending, StdConnManager)->Arg(1000)->Arg(10000)->Arg(100000);
BENCHMARK_TEMPLATE(BM_d_cancel_pending, StdEventLoopConnManager)->Arg(1000)->Arg(10000)->Arg(100000);

// d in the Go benchmark's shape: the pending requests' dials block until canceled, each connect()
// on its own executor thread, so one cancel_pending also cancels a dial in flight, whose dialer
// then wakes that thread (a futex wake-up), which completes its connect() under the manager's lock
// while the next cancel runs. Wall time, as Go's ns/op: it includes those threads' work on the
// same two cores. A fixed number of batches, since each blocks 1,000 more threads.
template <class Manager>
void BM_d_cancel_dialing(benchmark::State& state) {
  HangingDialer dialer("");  // Every dial hangs.
  // The threads whose dials were canceled stay for the next batch: thread exits are not the
  // manager's cost.
  Fixture<Manager> fixture(dialer, 2 * kBatch + static_cast<std::size_t>(state.range(0)));
  std::mutex mu;
  std::condition_variable connect_returned;
  std::size_t started = 0;
  std::size_t returned = 0;
  const auto dial_in_background = [&](const std::string& address) {
    auto req = std::make_shared<StdConnReq>(address);
    fixture.executor.spawn([&, req] {
      (void)fixture.manager->connect(req);
      std::lock_guard<std::mutex> lock(mu);
      ++returned;
      connect_returned.notify_all();
    });
    ++started;
  };
  for (std::size_t i = 0; i < static_cast<std::size_t>(state.range(0)); ++i) dial_in_background(address_of(i));
  dialer.wait_for_dials(started);
  std::size_t next = 0;
  for (auto _ : state) {
    state.PauseTiming();
    std::vector<std::string> batch;
    for (int i = 0; i < kBatch; ++i) {
      batch.push_back("10.200." + std::to_string(next / 256 % 256) + "." + std::to_string(next % 256) + ":1");
      ++next;
      dial_in_background(batch.back());
    }
    dialer.wait_for_dials(started);
    state.ResumeTiming();
    for (const auto& address : batch) (void)fixture.manager->cancel_pending(address);
  }
  per_op_counter(state, kBatch);
  // The hanging connect() calls are this benchmark's, not the manager's work: they must return
  // before the manager is destroyed.
  fixture.manager->stop();
  std::unique_lock<std::mutex> lock(mu);
  connect_returned.wait(lock, [&] { return returned == started; });
}
BENCHMARK_TEMPLATE(BM_d_cancel_dialing, StdConnManager)->Arg(1000)->Iterations(20)->UseRealTime();
BENCHMARK_TEMPLATE(BM_d_cancel_dialing, StdEventLoopConnManager)->Arg(1000)->Iterations(20)->UseRealTime();

// Scale: workload a while `range(0)` dials are in flight (each hangs on its own executor thread
// until the manager is stopped): whether connect-remove stays flat with many pending dials.
template <class Manager>
void BM_scale_a_with_dials_in_flight(benchmark::State& state) {
  HangingDialer dialer("10.1.0.1:8333");
  Fixture<Manager> fixture(dialer);
  const auto in_flight = static_cast<std::size_t>(state.range(0));
  std::mutex mu;
  std::condition_variable connect_returned;
  std::size_t returned = 0;
  for (std::size_t i = 0; i < in_flight; ++i) {
    auto req = std::make_shared<StdConnReq>(address_of(i));
    fixture.executor.spawn([&, req] {
      (void)fixture.manager->connect(req);
      std::lock_guard<std::mutex> lock(mu);
      ++returned;
      connect_returned.notify_all();
    });
  }
  dialer.wait_for_dials(in_flight);
  for (auto _ : state) {
    auto req = std::make_shared<StdConnReq>("10.1.0.1:8333");
    (void)fixture.manager->connect(req);
    (void)fixture.manager->remove(req->id());
  }
  // The hanging connect() calls are this benchmark's, not the manager's work: they must return
  // before the manager is destroyed.
  fixture.manager->stop();
  std::unique_lock<std::mutex> lock(mu);
  connect_returned.wait(lock, [&] { return returned == in_flight; });
}
BENCHMARK_TEMPLATE(BM_scale_a_with_dials_in_flight, StdConnManager)->Arg(10000);
BENCHMARK_TEMPLATE(BM_scale_a_with_dials_in_flight, StdEventLoopConnManager)->Arg(10000);

// e: one disconnect of an established permanent request, which re-registers it and arms its
// retry timer (one-hour retry duration).
template <class Manager>
void BM_e_disconnect_permanent(benchmark::State& state) {
  InstantDialer dialer;
  Fixture<Manager> fixture(dialer);
  establish(*fixture.manager, static_cast<std::size_t>(state.range(0)), false);
  for (auto _ : state) {
    state.PauseTiming();
    auto ids = establish(*fixture.manager, kBatch, true);
    state.ResumeTiming();
    for (ReqId id : ids) (void)fixture.manager->disconnect(id);
    fixture.barrier();
    state.PauseTiming();
    for (ReqId id : ids) (void)fixture.manager->remove(id);
    fixture.barrier();
    state.ResumeTiming();
  }
  per_op_counter(state, kBatch);
}
BENCHMARK_TEMPLATE(BM_e_disconnect_permanent, StdConnManager)->Arg(1000)->Arg(100000);
BENCHMARK_TEMPLATE(BM_e_disconnect_permanent, StdEventLoopConnManager)->Arg(1000)->Arg(100000);

// f: 2 threads, 256 addresses; 37% connect, 25% for-each, 25% remove, 13% disconnect; every 8th
// address permanent. Each address holds at most one request: connecting an address that has one
// replaces it (removing the old one is part of that connect), so for-each sees at most 256
// requests however long the run. Reported as operations per second.
template <class Manager>
void BM_f_mixed(benchmark::State& state) {
  static InstantDialer dialer;
  static std::unique_ptr<Fixture<Manager>> fixture;
  static std::array<std::atomic<ReqId>, 256> slots;
  if (state.thread_index() == 0) {
    fixture = std::make_unique<Fixture<Manager>>(dialer);
    for (auto& slot : slots) slot = 0;
  }
  std::uint64_t rng = 0x9E3779B97F4A7C15ull * static_cast<std::uint64_t>(state.thread_index() + 1);
  std::size_t visited = 0;
  for (auto _ : state) {
    rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
    const std::size_t address = rng % 256;
    const unsigned op = static_cast<unsigned>((rng >> 8) % 100);
    auto& manager = *fixture->manager;
    if (op < 37) {
      auto req = std::make_shared<StdConnReq>(address_of(address), address % 8 == 0);
      (void)manager.connect(req);
      if (ReqId replaced = slots[address].exchange(req->id())) (void)manager.remove(replaced);
    } else if (op < 62) {
      (void)manager.for_each_conn_req(CountingVisitor{visited});
    } else if (op < 87) {
      (void)manager.remove(slots[address].exchange(0));
    } else {
      (void)manager.disconnect(slots[address].load());
    }
  }
  benchmark::DoNotOptimize(visited);
  state.SetItemsProcessed(state.iterations());
  if (state.thread_index() == 0) {
    fixture->barrier();
    fixture.reset();
  }
}
BENCHMARK_TEMPLATE(BM_f_mixed, StdConnManager)->Threads(2)->UseRealTime();
BENCHMARK_TEMPLATE(BM_f_mixed, StdEventLoopConnManager)->Threads(2)->UseRealTime();

// Heap bytes in use: in the arena (uordblks) and in blocks glibc mmapped for large allocations
// (hblkhd), which is where the registry's big arrays go once they pass the mmap threshold.
std::size_t heap_in_use() {
  const struct mallinfo2 info = mallinfo2();
  return info.uordblks + info.hblkhd;
}

// Scale: heap bytes the manager holds per established connection (request object included), at
// 100,000 connections, from glibc's allocator statistics.
template <class Manager>
void BM_scale_bytes_per_connection(benchmark::State& state) {
  constexpr std::size_t kConnections = 100000;
  for (auto _ : state) {
    InstantDialer dialer;
    Fixture<Manager> fixture(dialer);
    const std::size_t before = heap_in_use();
    for (std::size_t i = 0; i < kConnections; ++i)
      (void)fixture.manager->connect(std::make_shared<StdConnReq>(address_of(i)));
    const std::size_t after = heap_in_use();
    state.counters["bytes_per_conn"] = static_cast<double>(after - before) / kConnections;
  }
}
BENCHMARK_TEMPLATE(BM_scale_bytes_per_connection, StdConnManager)->Iterations(1)->Unit(benchmark::kMillisecond);
BENCHMARK_TEMPLATE(BM_scale_bytes_per_connection, StdEventLoopConnManager)
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace connmgr::bench

BENCHMARK_MAIN();

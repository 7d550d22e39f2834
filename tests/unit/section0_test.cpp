// Each point of spec section 0: where this manager deliberately differs from the Go original.
#include <atomic>
#include <thread>

#include "connmgr/testkit/fake_listener.h"
#include "harness.h"

namespace connmgr::unit {
namespace {

std::optional<std::string> fixed_address() { return std::string("127.0.0.1:18555"); }

TEMPLATE_TEST_CASE("0.1: a permanent request is retried after its dial timed out", "[section0][threads]", Synchronous, EventLoop) {
  Harness<TestType::value> h;
  auto config = h.config();
  config.dial_timeout = 10ms;
  config.retry_duration = 1s;
  auto& manager = h.start(config);
  h.dialer.push(DialStep{DialAction::hang});
  auto req = manual_req("127.0.0.1:18555", true);
  std::error_code result;
  std::thread caller([&] { result = manager.connect(req); });
  h.dialer.wait_hanging(1);
  h.clock.advance(10ms);
  caller.join();
  CHECK(result == Errc::deadline_exceeded);
  CHECK(h.snapshot().pending.at(0).retry_scheduled);
  h.advance(1s);
  CHECK(req->state() == ConnState::established);
  h.shut_down();
}

TEMPLATE_TEST_CASE("0.1: an automatic slot survives a dial timeout", "[section0][threads]", Synchronous, EventLoop) {
  Harness<TestType::value> h;
  auto config = h.threaded_config();
  config.dial_timeout = 10ms;
  config.target_outbound = 1;
  config.get_new_address = fixed_address;
  h.dialer.push(DialStep{DialAction::hang});
  auto& manager = h.start(config);
  h.dialer.wait_hanging(1);
  h.clock.advance(10ms);
  h.connected.wait_for(1);
  CHECK(h.dialer.dials() == 2);
  manager.stop();
  manager.wait();
  h.check();
}

TEMPLATE_TEST_CASE("0.2: concurrent operations from many threads keep every invariant",
          "[section0][threads]", Synchronous, EventLoop) {
  // Run under the tsan preset, this is the data-race check for every field the operations touch.
  Harness<TestType::value> h;
  auto config = h.threaded_config();
  config.retry_duration = 1ms;
  config.target_outbound = 4;
  config.get_new_address = fixed_address;
  h.dialer.set_policy([](const std::string&, std::size_t index) {
    return DialStep{index % 3 == 0 ? DialAction::fail : DialAction::succeed};
  });
  auto& manager = h.start(config);
  std::vector<std::thread> workers;
  for (int worker = 0; worker < 4; ++worker) {
    workers.emplace_back([&, worker] {
      for (int i = 0; i < 50; ++i) {
        auto req = manual_req("127.0.0.1:" + std::to_string(20000 + worker), i % 2 == 0);
        (void)manager.connect(req);
        (void)manager.cancel_pending(req->address());
        (void)manager.disconnect(req->id());
        (void)manager.for_each_conn_req([](const StdConnReqPtr& r) {
          return r->address().empty() ? std::make_error_code(std::errc::invalid_argument)
                                      : std::error_code{};
        });
        (void)manager.remove(req->id());
        h.check();
      }
    });
  }
  for (int tick = 0; tick < 20; ++tick) h.clock.advance(1ms);
  for (auto& worker : workers) worker.join();
  manager.stop();
  manager.wait();
  h.check();
}

TEMPLATE_TEST_CASE("0.3: failed automatic requests do not linger", "[section0]", Synchronous, EventLoop) {
  Harness<TestType::value> h;
  auto config = h.config();
  config.target_outbound = 3;
  config.get_new_address = fixed_address;
  h.dialer.set_policy([](const std::string&, std::size_t) { return DialStep{DialAction::fail}; });
  h.start(config);
  h.settle();
  CHECK(h.dialer.dials() >= 25);
  CHECK(h.snapshot().pending.empty());
  h.shut_down();
}

TEMPLATE_TEST_CASE("0.4: listeners are closed at shutdown, so a blocked accept never hangs it",
          "[section0][threads]", Synchronous, EventLoop) {
  Harness<TestType::value> h;
  testkit::FakeListener listener("127.0.0.1:1");
  auto config = h.threaded_config();
  config.listeners = {&listener};
  config.on_accept = [](const ConnectionPtr&) {};
  auto& manager = h.start(config);
  listener.wait_accepts(1);
  manager.stop();
  manager.wait();
  CHECK(listener.closed());
}

TEST_CASE("0.5: the initial automatic count is target_outbound, whatever ids were used",
          "[section0]") {
  // Synchronous design only: the event loop serves no request before start() (spec B.1).
  Harness h;
  auto config = h.config();
  config.target_outbound = 4;
  config.get_new_address = fixed_address;
  auto& manager = h.create(config);
  for (int i = 0; i < 3; ++i) REQUIRE_FALSE(manager.connect(manual_req("127.0.0.1:1")));
  REQUIRE_FALSE(manager.start());
  h.settle();
  CHECK(h.dialer.dials() == 7);
  std::size_t automatic = 0;
  for (const auto& request : h.snapshot().established) automatic += request.origin == Origin::automatic;
  CHECK(automatic == 4);
  h.shut_down();
}

TEMPLATE_TEST_CASE("0.6: a disconnected non-permanent request ends Disconnected", "[section0]", Synchronous, EventLoop) {
  Harness<TestType::value> h;
  auto& manager = h.start();
  auto req = manual_req("127.0.0.1:18555");
  REQUIRE_FALSE(manager.connect(req));
  REQUIRE_FALSE(manager.disconnect(req->id()));
  h.settle();
  CHECK(req->state() == ConnState::disconnected);
  CHECK(h.snapshot().established.empty());
  CHECK(h.snapshot().pending.empty());
}

TEMPLATE_TEST_CASE("0.7: a dialer reporting success without a connection is a failed dial",
          "[section0]", Synchronous, EventLoop) {
  Harness<TestType::value> h;
  auto& manager = h.start();
  h.dialer.push(DialStep{DialAction::succeed_without_connection});
  auto req = manual_req("127.0.0.1:18555");
  CHECK(manager.connect(req) == Errc::nil_connection);
  CHECK(req->state() == ConnState::failed);
  h.settle();
  CHECK(h.connected.size() == 0);
}

TEST_CASE("0.8: run() waits for every callback it caused, and nothing runs after it returns",
          "[section0][threads]") {
  // Synchronous design only: it connects before run(), which the event loop does not serve.
  Harness h;
  auto config = h.threaded_config();
  std::atomic<int> finished{0};
  config.on_connection = [&](const StdConnReqPtr&, const ConnectionPtr&) { ++finished; };
  config.on_disconnection = [&](const StdConnReqPtr&) { ++finished; };
  // Work the manager spawns runs after start(): stopping from there cannot precede run().
  config.target_outbound = 1;
  config.get_new_address = [&]() -> std::optional<std::string> {
    h.manager->stop();
    return std::nullopt;
  };
  auto& manager = h.create(config);
  for (int i = 0; i < 20; ++i) {
    auto req = manual_req("127.0.0.1:18555");
    REQUIRE_FALSE(manager.connect(req));
    REQUIRE_FALSE(manager.remove(req->id()));
  }
  CHECK_FALSE(manager.run());
  CHECK(finished == 40);
  CHECK(manager.snapshot().outstanding_work == 0);
}

TEMPLATE_TEST_CASE("0.8: a dial that completes after shutdown is closed once and not tracked",
          "[section0][threads]", Synchronous, EventLoop) {
  Harness<TestType::value> h;
  auto& manager = h.start();
  h.dialer.push(DialStep{DialAction::hang_ignoring_cancel});
  auto req = manual_req("127.0.0.1:18555", true);
  std::error_code result;
  std::thread caller([&] { result = manager.connect(req); });
  h.dialer.wait_hanging(1);
  manager.stop();
  h.dialer.release_all();
  caller.join();
  CHECK(result == Errc::shut_down);
  CHECK(h.dialer.connections().at(0)->close_count() == 1);
  CHECK(h.snapshot().established.empty());
  h.settle();
  CHECK(h.connected.size() == 0);
  h.shut_down();
}

TEMPLATE_TEST_CASE("0.8: a second run is a clear error", "[section0]", Synchronous, EventLoop) {
  Harness<TestType::value> h;
  auto& manager = h.start();
  CHECK(manager.start() == Errc::already_started);
  CHECK(manager.run() == Errc::already_started);
  h.shut_down();
  CHECK(manager.run() == Errc::shut_down);
}

TEMPLATE_TEST_CASE("0.8: destroying the manager closes the connections it still tracks", "[section0]", Synchronous, EventLoop) {
  Harness<TestType::value> h;
  auto& manager = h.start();
  REQUIRE_FALSE(manager.connect(manual_req("127.0.0.1:18555")));
  REQUIRE_FALSE(manager.connect(manual_req("127.0.0.1:18556", true)));
  h.shut_down();
  CHECK(h.snapshot().established.size() == 2);
  h.manager.reset();
  for (const auto& conn : h.dialer.connections()) CHECK(conn->close_count() == 1);
}

TEMPLATE_TEST_CASE("0.9: a listener whose accept keeps failing backs off exponentially",
          "[section0][threads]", Synchronous, EventLoop) {
  Harness<TestType::value> h;
  testkit::FakeListener listener("127.0.0.1:1");
  for (int i = 0; i < 3; ++i) listener.push({nullptr, std::make_error_code(std::errc::io_error)});
  Recorder accepted;
  auto config = h.threaded_config();
  config.listeners = {&listener};
  config.on_accept = [&](const ConnectionPtr& conn) {
    accepted.add({manual_req(conn->remote_address()), ConnState::pending});
  };
  auto& manager = h.start(config);
  for (Duration backoff : {5ms, 10ms, 20ms}) {
    h.clock.wait_armed(1);
    CHECK(*h.clock.next_deadline() - h.clock.now() == backoff);
    const auto accepts = listener.accepts();
    h.clock.advance(backoff);
    listener.wait_accepts(accepts + 1);
  }
  listener.push({std::make_shared<testkit::FakeConnection>("10.0.0.1:1"), {}});
  accepted.wait_for(1);
  manager.stop();
  manager.wait();
  CHECK(accepted.size() == 1);
}

}  // namespace
}  // namespace connmgr::unit

// The scenarios of the Go suite at e7e18578 (spec C.1), on virtual time: no sleeps, no wall-clock
// deadlines. Where the Go test waited "within N ms", the C++ test advances virtual time or waits
// for the event itself.
#include <thread>

#include "connmgr/testkit/fake_listener.h"
#include "harness.h"

namespace connmgr::unit {
namespace {

TEMPLATE_TEST_CASE("connect mode: one permanent request connects and nothing else dials", "[go]", Synchronous, EventLoop) {
  Harness<TestType::value> h;
  auto config = h.config();
  config.target_outbound = 2;
  auto& manager = h.start(config);
  auto req = manual_req("127.0.0.1:18555", true);
  CHECK_FALSE(manager.connect(req));
  h.settle();
  REQUIRE(h.connected.size() == 1);
  CHECK(h.connected[0].req == req);
  CHECK(h.connected[0].state_at_callback == ConnState::established);
  CHECK(req->id() == 1);
  h.advance(1h);
  CHECK(h.connected.size() == 1);
  CHECK(h.dialer.dials() == 1);
  h.shut_down();
}

TEMPLATE_TEST_CASE("target outbound: exactly target automatic connections, none extra", "[go]", Synchronous, EventLoop) {
  Harness<TestType::value> h;
  auto config = h.config();
  config.target_outbound = 10;
  config.get_new_address = [] { return std::optional<std::string>("127.0.0.1:18555"); };
  h.start(config);
  h.settle();
  CHECK(h.connected.size() == 10);
  h.advance(1h);
  CHECK(h.connected.size() == 10);
  CHECK(h.dialer.dials() == 10);
  for (const auto& record : h.connected.all()) CHECK(record.req->origin() == Origin::automatic);
  h.shut_down();
}

TEMPLATE_TEST_CASE("retry permanent: disconnect re-registers Pending, retries, remove ends it", "[go]", Synchronous, EventLoop) {
  Harness<TestType::value> h;
  auto config = h.config();
  config.retry_duration = 1ms;
  auto& manager = h.start(config);
  auto req = manual_req("127.0.0.1:18555", true);
  REQUIRE_FALSE(manager.connect(req));
  h.settle();
  REQUIRE(h.connected.size() == 1);

  REQUIRE_FALSE(manager.disconnect(req->id()));
  h.settle();
  REQUIRE(h.disconnected.size() == 1);
  CHECK(h.disconnected[0].state_at_callback == ConnState::pending);
  CHECK(h.dialer.connections().at(0)->close_count() == 1);

  h.advance(1ms);
  REQUIRE(h.connected.size() == 2);
  CHECK(h.connected[1].req == req);
  CHECK(req->state() == ConnState::established);

  REQUIRE_FALSE(manager.remove(req->id()));
  h.settle();
  REQUIRE(h.disconnected.size() == 2);
  CHECK(h.disconnected[1].state_at_callback == ConnState::disconnected);
  CHECK(h.dialer.connections().at(1)->close_count() == 1);
  h.shut_down();
}

TEMPLATE_TEST_CASE("max retry duration caps the linear back-off", "[go]", Synchronous, EventLoop) {
  Harness<TestType::value> h;
  auto config = h.config();
  config.retry_duration = 1ms;
  config.max_retry_duration = 2ms;
  std::vector<Duration> dial_times;
  h.dialer.set_policy([&](const std::string&, std::size_t) {
    dial_times.push_back(h.clock.now().time_since_epoch());
    const bool network_up = h.clock.now().time_since_epoch() >= 5ms;
    return DialStep{network_up ? DialAction::succeed : DialAction::fail};
  });
  auto& manager = h.start(config);
  auto req = manual_req("127.0.0.1:18555", true);
  CHECK(manager.connect(req) == std::errc::connection_refused);
  h.advance(200ms);
  CHECK(req->state() == ConnState::established);
  // Waits of 1, 2, 2 ms: the network is up at 5 ms, the dial at 5 ms connects.
  CHECK(dial_times == std::vector<Duration>{0ms, 1ms, 3ms, 5ms});
  h.shut_down();
}

TEMPLATE_TEST_CASE("network failure: after 25 failures automatic attempts are paced", "[go]", Synchronous, EventLoop) {
  Harness<TestType::value> h;
  auto config = h.config();
  config.target_outbound = 5;
  config.retry_duration = 5ms;
  config.get_new_address = [] { return std::optional<std::string>("127.0.0.1:18555"); };
  h.dialer.set_policy([](const std::string&, std::size_t) { return DialStep{DialAction::fail}; });
  h.start(config);
  h.settle();
  // 5 initial attempts and one replacement per failure below the threshold: 5 + 24 dials; the
  // 5 chains then each wait retry_duration.
  CHECK(h.dialer.dials() == 29);
  CHECK(h.snapshot().armed_timers == 5);
  h.advance(5ms);
  CHECK(h.dialer.dials() == 34);
  h.advance(50ms);
  CHECK(h.dialer.dials() == 84);
  CHECK(h.snapshot().pending.empty());
  h.shut_down();
}

TEMPLATE_TEST_CASE("multiple failed permanent requests retry concurrently; the manager stays responsive",
          "[go][threads]", Synchronous, EventLoop) {
  Harness<TestType::value> h;
  auto config = h.threaded_config();
  config.retry_duration = 500ms;
  auto& manager = h.start(config);
  h.dialer.set_policy([](const std::string&, std::size_t index) {
    return DialStep{index < 5 ? DialAction::fail : DialAction::hang};
  });
  std::vector<StdConnReqPtr> reqs;
  for (int i = 0; i < 5; ++i) {
    reqs.push_back(manual_req("127.0.0.1:" + std::to_string(18555 + i), true));
    CHECK(manager.connect(reqs.back()) == std::errc::connection_refused);
  }
  h.clock.advance(500ms);
  h.dialer.wait_hanging(5);  // All five retries are dialing at once.
  // The event-loop design's disconnect returns before its message runs: no not_found (spec B.2).
  CHECK(manager.disconnect(999) == (h.kEventLoop ? std::error_code() : Errc::not_found));
  for (const auto& req : reqs) CHECK(req->state() == ConnState::failed);
  manager.stop();
  manager.wait();
  CHECK(h.dialer.hanging() == 0);
  h.check();
}

TEMPLATE_TEST_CASE("shutdown during a retry wait returns and leaves nothing armed", "[go]", Synchronous, EventLoop) {
  Harness<TestType::value> h;
  auto config = h.config();
  config.retry_duration = 1s;
  h.dialer.set_policy([](const std::string&, std::size_t) { return DialStep{DialAction::fail}; });
  auto& manager = h.start(config);
  auto req = manual_req("127.0.0.1:18555", true);
  CHECK(manager.connect(req));
  CHECK(h.snapshot().armed_timers == 1);
  CHECK(h.snapshot().pending.at(0).retry_scheduled);
  h.shut_down();
  CHECK(req->state() == ConnState::failed);
  CHECK_FALSE(h.snapshot().pending.at(0).retry_scheduled);
  h.advance(1h);
  CHECK(h.dialer.dials() == 1);
}

TEMPLATE_TEST_CASE("remove a pending connection cancels its dial", "[go][threads]", Synchronous, EventLoop) {
  Harness<TestType::value> h;
  auto& manager = h.start();
  h.dialer.push(DialStep{DialAction::hang});
  auto req = manual_req("127.0.0.1:18555", true);
  std::error_code result;
  std::thread caller([&] { result = manager.connect(req); });
  h.dialer.wait_hanging(1);
  CHECK(req->state() == ConnState::pending);
  CHECK_FALSE(manager.remove(req->id()));
  h.settle();
  CHECK(req->state() == ConnState::canceled);
  caller.join();
  CHECK(result == Errc::canceled);
  CHECK(req->state() == ConnState::canceled);
  CHECK(h.snapshot().pending.empty());
  h.settle();
  CHECK(h.connected.size() == 0);
  h.shut_down();
}

TEMPLATE_TEST_CASE("a retry dial that succeeds after its request was removed is closed and ignored",
                   "[go][threads]", Synchronous, EventLoop) {
  // Go's TestCancelIgnoreDelayedConnection never retried (non-permanent request, no address
  // source); here the request is permanent, so the delayed success really is a retry.
  Harness<TestType::value> h;
  auto config = h.threaded_config();
  config.retry_duration = 10ms;
  auto& manager = h.start(config);
  h.dialer.push(DialStep{DialAction::fail});
  h.dialer.push(DialStep{DialAction::hang_ignoring_cancel});
  auto req = manual_req("127.0.0.1:18555", true);
  CHECK(manager.connect(req) == std::errc::connection_refused);
  CHECK(req->state() == ConnState::failed);
  h.clock.advance(10ms);
  h.dialer.wait_hanging(1);
  CHECK_FALSE(manager.remove(req->id()));
  h.dialer.release_all();
  manager.stop();
  manager.wait();
  CHECK(h.connected.size() == 0);
  REQUIRE(h.dialer.connections().size() == 1);
  CHECK(h.dialer.connections()[0]->close_count() == 1);
  CHECK(req->state() == ConnState::canceled);
  h.check();
}

TEMPLATE_TEST_CASE("dial timeout cancels the dial with deadline_exceeded", "[go][threads]", Synchronous, EventLoop) {
  Harness<TestType::value> h;
  auto config = h.config();
  config.dial_timeout = 20ms;
  auto& manager = h.start(config);
  h.dialer.push(DialStep{DialAction::hang});
  auto req = manual_req("127.0.0.1:18555");
  std::error_code result;
  std::thread caller([&] { result = manager.connect(req); });
  h.dialer.wait_hanging(1);
  h.clock.advance(19ms);
  CHECK(h.dialer.hanging() == 1);
  h.clock.advance(1ms);
  caller.join();
  CHECK(result == Errc::deadline_exceeded);
  CHECK(req->state() == ConnState::failed);
  CHECK(h.snapshot().pending.empty());
  h.shut_down();
}

TEMPLATE_TEST_CASE("caller cancellation fails the dial", "[go][threads]", Synchronous, EventLoop) {
  Harness<TestType::value> h;
  auto& manager = h.start();
  h.dialer.push(DialStep{DialAction::hang});
  auto req = manual_req("127.0.0.1:18555");
  auto cancel = std::make_shared<StdCancelSource>();
  std::error_code result;
  std::thread caller([&] { result = manager.connect(req, cancel); });
  h.dialer.wait_hanging(1);
  CHECK(req->state() == ConnState::pending);
  cancel->cancel();
  caller.join();
  CHECK(result == Errc::canceled);
  CHECK(req->state() == ConnState::failed);
  h.shut_down();
}

TEMPLATE_TEST_CASE("for-each visits pending then established requests and stops early", "[go][threads]", Synchronous, EventLoop) {
  Harness<TestType::value> h;
  auto config = h.config();
  config.target_outbound = 5;
  config.get_new_address = [] { return std::optional<std::string>("127.0.0.1:18555"); };
  h.dialer.set_policy([](const std::string& address, std::size_t) {
    return DialStep{address == "127.0.0.1:1" ? DialAction::hang : DialAction::succeed};
  });
  auto& manager = h.start(config);
  h.settle();
  REQUIRE_FALSE(manager.connect(manual_req("127.0.0.1:18556", true)));
  auto blocked = manual_req("127.0.0.1:1");
  std::thread caller([&] { (void)manager.connect(blocked); });
  h.dialer.wait_hanging(1);

  std::size_t visited = 0, permanent = 0, pending = 0;
  bool pending_first = true;
  auto error = manager.for_each_conn_req([&](const StdConnReqPtr& req) {
    ++visited;
    permanent += req->permanent();
    if (req->state() == ConnState::pending) pending_first = pending_first && visited == 1;
    pending += req->state() == ConnState::pending;
    return std::error_code{};
  });
  CHECK_FALSE(error);
  CHECK(visited == 7);
  CHECK(permanent == 1);
  CHECK(pending == 1);
  CHECK(pending_first);

  visited = 0;
  error = manager.for_each_conn_req([&](const StdConnReqPtr&) {
    return ++visited == 3 ? std::make_error_code(std::errc::interrupted) : std::error_code{};
  });
  CHECK(error == std::errc::interrupted);
  CHECK(visited == 3);

  manager.stop();
  caller.join();
  h.shut_down();
}

TEMPLATE_TEST_CASE("listeners hand every accepted connection to on_accept", "[go][threads]", Synchronous, EventLoop) {
  Harness<TestType::value> h;
  testkit::FakeListener first("127.0.0.1:1"), second("127.0.0.1:2");
  Recorder accepted;
  auto config = h.threaded_config();
  config.listeners = {&first, &second};
  config.on_accept = [&](const ConnectionPtr& conn) {
    accepted.add({manual_req(conn->remote_address()), ConnState::pending});
  };
  auto& manager = h.start(config);
  for (auto* listener : {&first, &second}) {
    for (int i = 0; i < 2; ++i)
      listener->push({std::make_shared<testkit::FakeConnection>("10.0.0." + std::to_string(i)), {}});
  }
  accepted.wait_for(4);
  CHECK(accepted.size() == 4);
  manager.stop();
  manager.wait();
  CHECK(first.closed());
  CHECK(second.closed());
}

}  // namespace
}  // namespace connmgr::unit

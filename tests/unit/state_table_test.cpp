// One test per row of the state-transition table (spec A.5), as corrected by section 0. Rows whose
// event happens during a dial are driven from inside the dialer, which runs with no lock held.
#include <set>

#include "harness.h"

namespace connmgr::unit {
namespace {

std::optional<std::string> fixed_address() { return std::string("127.0.0.1:18555"); }

TEMPLATE_TEST_CASE("row 1: registering a request makes it Pending in the pending map", "[table]", Synchronous, EventLoop) {
  Harness<TestType::value> h;
  auto& manager = h.start();
  auto req = manual_req("127.0.0.1:18555");
  h.dialer.set_policy([&](const std::string&, std::size_t) {
    auto snapshot = manager.snapshot();
    CHECK(req->id() == 1);
    CHECK(req->state() == ConnState::pending);
    REQUIRE(snapshot.pending.size() == 1);
    CHECK(snapshot.pending[0].id == 1);
    CHECK(snapshot.pending[0].dialing);
    return DialStep{};
  });
  CHECK_FALSE(manager.connect(req));
}

TEMPLATE_TEST_CASE("row 2: a dial error fails the request", "[table]", Synchronous, EventLoop) {
  Harness<TestType::value> h;
  auto config = h.config();
  config.retry_duration = 1s;
  auto& manager = h.start(config);
  h.dialer.set_policy([](const std::string&, std::size_t) { return DialStep{DialAction::fail}; });

  SECTION("a non-permanent request leaves the registry (section 0 item 3)") {
    auto req = manual_req("127.0.0.1:18555");
    CHECK(manager.connect(req) == std::errc::connection_refused);
    CHECK(req->state() == ConnState::failed);
    CHECK(h.snapshot().pending.empty());
    CHECK(h.snapshot().armed_timers == 0);
  }
  SECTION("a permanent request stays registered with a retry armed") {
    auto req = manual_req("127.0.0.1:18555", true);
    CHECK(manager.connect(req) == std::errc::connection_refused);
    CHECK(req->state() == ConnState::failed);
    auto snapshot = h.snapshot();
    REQUIRE(snapshot.pending.size() == 1);
    CHECK(snapshot.pending[0].retry_scheduled);
    CHECK(snapshot.pending[0].retry_count == 1);
  }
  SECTION("an automatic request is replaced") {
    Harness<TestType::value> automatic;
    auto auto_config = automatic.config();
    auto_config.target_outbound = 1;
    auto_config.get_new_address = fixed_address;
    automatic.dialer.push(DialStep{DialAction::fail});
    automatic.start(auto_config);
    automatic.settle();
    CHECK(automatic.dialer.dials() == 2);
    CHECK(automatic.connected.size() == 1);
    CHECK(automatic.snapshot().failed_attempts == 0);
    automatic.shut_down();
  }
  h.check();
}

TEMPLATE_TEST_CASE("row 2': a dial error for a request no longer pending changes nothing", "[table]", Synchronous, EventLoop) {
  Harness<TestType::value> h;
  auto& manager = h.start();
  auto req = manual_req("127.0.0.1:18555");
  h.dialer.set_policy([&](const std::string&, std::size_t) {
    REQUIRE_FALSE(manager.remove(req->id()));
    return DialStep{DialAction::fail};
  });
  CHECK(manager.connect(req) == Errc::canceled);
  CHECK(req->state() == ConnState::canceled);
  CHECK(h.snapshot().pending.empty());
  h.check();
}

TEMPLATE_TEST_CASE("row 3: a successful dial establishes the request and resets the counters",
                   "[table]", Synchronous, EventLoop) {
  Harness<TestType::value> h;
  auto config = h.config();
  config.target_outbound = 1;
  config.get_new_address = fixed_address;
  std::set<std::string> failed_once;
  h.dialer.set_policy([&](const std::string& address, std::size_t) {
    return DialStep{failed_once.insert(address).second ? DialAction::fail : DialAction::succeed};
  });
  auto& manager = h.start(config);
  h.settle();  // The automatic request: one failure, then success on the replacement.
  CHECK(h.snapshot().failed_attempts == 0);
  auto permanent = manual_req("127.0.0.1:18556", true);
  CHECK(manager.connect(permanent));
  CHECK(h.snapshot().pending.at(0).retry_count == 1);
  h.advance(kDefaultRetryDuration);
  CHECK(permanent->state() == ConnState::established);
  auto snapshot = h.snapshot();
  REQUIRE(snapshot.established.size() == 2);
  for (const auto& request : snapshot.established) CHECK(request.retry_count == 0);
  CHECK(snapshot.pending.empty());
  CHECK(h.connected.size() == 2);
  h.shut_down();
}

TEMPLATE_TEST_CASE("row 3': a success for a request no longer pending is closed once, no callback",
          "[table]", Synchronous, EventLoop) {
  Harness<TestType::value> h;
  auto& manager = h.start();
  auto req = manual_req("127.0.0.1:18555");
  h.dialer.set_policy([&](const std::string& address, std::size_t) {
    REQUIRE_FALSE(manager.cancel_pending(address));
    return DialStep{DialAction::succeed};
  });
  CHECK(manager.connect(req) == Errc::canceled);
  h.settle();
  CHECK(req->state() == ConnState::canceled);
  CHECK(h.connected.size() == 0);
  CHECK(h.snapshot().established.empty());
  CHECK(h.dialer.connections().at(0)->close_count() == 1);
}

TEMPLATE_TEST_CASE("rows 4 and 8: disconnect or remove of a pending id cancels it", "[table]", Synchronous, EventLoop) {
  Harness<TestType::value> h;
  auto config = h.config();
  config.retry_duration = 1s;
  h.dialer.push(DialStep{DialAction::fail});
  auto& manager = h.start(config);
  auto req = manual_req("127.0.0.1:18555", true);
  CHECK(manager.connect(req));
  REQUIRE(h.snapshot().armed_timers == 1);
  const bool use_disconnect = GENERATE(true, false);
  const auto result = use_disconnect ? manager.disconnect(req->id()) : manager.remove(req->id());
  CHECK_FALSE(result);
  h.settle();
  CHECK(req->state() == ConnState::canceled);
  CHECK(h.snapshot().pending.empty());
  CHECK(h.snapshot().armed_timers == 0);  // The retry was disarmed with it.
  h.advance(1h);
  CHECK(h.dialer.dials() == 1);
}

TEMPLATE_TEST_CASE("row 5: disconnect of an established permanent request re-registers and retries",
          "[table]", Synchronous, EventLoop) {
  Harness<TestType::value> h;
  auto config = h.config();
  config.retry_duration = 1s;
  auto& manager = h.start(config);
  auto req = manual_req("127.0.0.1:18555", true);
  REQUIRE_FALSE(manager.connect(req));
  REQUIRE_FALSE(manager.disconnect(req->id()));
  h.settle();
  CHECK(req->state() == ConnState::pending);
  auto snapshot = h.snapshot();
  REQUIRE(snapshot.pending.size() == 1);
  CHECK(snapshot.established.empty());
  CHECK(snapshot.pending[0].retry_count == 1);
  CHECK(snapshot.pending[0].retry_scheduled);
  CHECK(h.dialer.connections().at(0)->close_count() == 1);
  CHECK(h.disconnected.size() == 1);
  h.advance(999ms);
  CHECK(h.dialer.dials() == 1);
  h.advance(1ms);
  CHECK(h.dialer.dials() == 2);
  CHECK(req->state() == ConnState::established);
  CHECK(req->id() == 1);
  SECTION("two disconnects in a row cancel it (row 5 then row 4)") {
    REQUIRE_FALSE(manager.disconnect(req->id()));
    REQUIRE_FALSE(manager.disconnect(req->id()));
    h.settle();
    CHECK(req->state() == ConnState::canceled);
    CHECK(h.snapshot().pending.empty());
  }
  h.check();
}

TEMPLATE_TEST_CASE("rows 6 and 7: disconnect of an automatic request ends Disconnected, replaced below "
          "target",
          "[table]", Synchronous, EventLoop) {
  Harness<TestType::value> h;
  auto config = h.config();
  config.target_outbound = 2;
  config.get_new_address = fixed_address;
  auto& manager = h.start(config);
  h.settle();
  REQUIRE(h.connected.size() == 2);

  SECTION("row 6: below target after the removal, a replacement connects") {
    auto req = h.connected[0].req;
    REQUIRE_FALSE(manager.disconnect(req->id()));
    h.settle();
    CHECK(req->state() == ConnState::disconnected);  // Section 0 item 6: no stale Established.
    CHECK(h.connected.size() == 3);
    CHECK(h.snapshot().established.size() == 2);
    CHECK(h.snapshot().failed_attempts == 0);
  }
  SECTION("row 7: at target after the removal, no replacement") {
    REQUIRE_FALSE(manager.connect(manual_req("127.0.0.1:18556")));
    auto req = h.connected[0].req;
    REQUIRE_FALSE(manager.disconnect(req->id()));
    h.settle();
    CHECK(req->state() == ConnState::disconnected);
    CHECK(h.connected.size() == 3);
    CHECK(h.dialer.dials() == 3);
  }
  CHECK(h.disconnected.size() == 1);
  CHECK(close_count(h.connected[0].conn) == 1);
  h.shut_down();
}

TEMPLATE_TEST_CASE("row 9: remove of an established request ends it Disconnected, never retried",
          "[table]", Synchronous, EventLoop) {
  Harness<TestType::value> h;
  auto config = h.config();
  config.retry_duration = 1s;
  auto& manager = h.start(config);
  auto req = manual_req("127.0.0.1:18555", true);
  REQUIRE_FALSE(manager.connect(req));
  REQUIRE_FALSE(manager.remove(req->id()));
  h.settle();
  CHECK(req->state() == ConnState::disconnected);
  h.advance(1h);
  CHECK(h.dialer.dials() == 1);
  CHECK(h.disconnected.size() == 1);
  CHECK(h.dialer.connections().at(0)->close_count() == 1);
  CHECK(h.snapshot().established.empty());
}

TEST_CASE("row 10: disconnect or remove of an unknown id is not_found", "[table]") {
  // Synchronous design only: the event loop's disconnect and remove return before their message
  // runs, so they cannot report not_found (spec B.2).
  Harness h;
  auto& manager = h.start();
  CHECK(manager.disconnect(7) == Errc::not_found);
  CHECK(manager.remove(7) == Errc::not_found);
  auto req = manual_req("127.0.0.1:18555");
  REQUIRE_FALSE(manager.connect(req));
  REQUIRE_FALSE(manager.remove(req->id()));
  CHECK(manager.remove(req->id()) == Errc::not_found);
  CHECK(manager.disconnect(req->id()) == Errc::not_found);
}

TEMPLATE_TEST_CASE("rows 11 and 12: cancel_pending by address", "[table]", Synchronous, EventLoop) {
  Harness<TestType::value> h;
  auto config = h.config();
  config.retry_duration = 1s;
  h.dialer.set_policy([](const std::string&, std::size_t) { return DialStep{DialAction::fail}; });
  auto& manager = h.start(config);
  auto first = manual_req("127.0.0.1:18555", true);
  auto second = manual_req("127.0.0.1:18555", true);
  auto other = manual_req("127.0.0.1:18556", true);
  for (const auto& req : {first, second, other}) CHECK(manager.connect(req));

  CHECK_FALSE(manager.cancel_pending("127.0.0.1:18555"));
  CHECK(first->state() == ConnState::canceled);  // Lowest id first, one per call.
  CHECK(second->state() == ConnState::failed);
  CHECK_FALSE(manager.cancel_pending("127.0.0.1:18555"));
  CHECK(second->state() == ConnState::canceled);
  CHECK(manager.cancel_pending("127.0.0.1:18555") == Errc::not_found);
  CHECK(manager.cancel_pending("10.0.0.1:1") == Errc::not_found);
  CHECK(other->state() == ConnState::failed);
  CHECK(h.snapshot().pending.size() == 1);
  h.check();
}

TEMPLATE_TEST_CASE("row 13: a retry dials with the same id and does not re-register", "[table]", Synchronous, EventLoop) {
  Harness<TestType::value> h;
  auto config = h.config();
  config.retry_duration = 1s;
  h.dialer.push(DialStep{DialAction::fail});
  auto& manager = h.start(config);
  auto req = manual_req("127.0.0.1:18555", true);
  CHECK(manager.connect(req));
  h.dialer.set_policy([&](const std::string&, std::size_t) {
    auto snapshot = manager.snapshot();
    REQUIRE(snapshot.pending.size() == 1);
    CHECK(snapshot.pending[0].id == req->id());
    CHECK(snapshot.last_id == 1);
    CHECK(req->state() == ConnState::failed);  // Unchanged while the retry dials.
    return DialStep{};
  });
  h.advance(1s);
  CHECK(req->state() == ConnState::established);
  CHECK(req->id() == 1);
  CHECK(h.snapshot().last_id == 1);
}

}  // namespace
}  // namespace connmgr::unit

// Bad input gets a clear error and loses nothing: invalid requests, calls after shutdown,
// misbehaving dialers, listeners and callbacks that throw.
#include <algorithm>
#include <functional>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "connmgr/testkit/fake_listener.h"
#include "harness.h"

namespace connmgr::unit {
namespace {

// Collects log lines from whichever threads the manager logs on.
class LogRecorder {
 public:
  std::function<void(LogLevel, const std::string&)> sink() {
    return [this](LogLevel level, const std::string& text) {
      std::lock_guard<std::mutex> lock(mu_);
      lines_.push_back({level, text});
    };
  }
  std::size_t count(LogLevel level) const {
    std::lock_guard<std::mutex> lock(mu_);
    return static_cast<std::size_t>(std::count_if(
        lines_.begin(), lines_.end(), [&](const Line& line) { return line.level == level; }));
  }
  bool contains(LogLevel level, const std::string& text) const {
    std::lock_guard<std::mutex> lock(mu_);
    return std::any_of(lines_.begin(), lines_.end(), [&](const Line& line) {
      return line.level == level && line.text.find(text) != std::string::npos;
    });
  }

 private:
  struct Line {
    LogLevel level;
    std::string text;
  };
  mutable std::mutex mu_;
  std::vector<Line> lines_;
};

TEMPLATE_TEST_CASE("invalid and reused requests are rejected without dialing", "[input]", Synchronous, EventLoop) {
  Harness<TestType::value> h;
  auto& manager = h.start();
  CHECK(manager.connect(nullptr) == Errc::invalid_request);
  CHECK(manager.connect(manual_req("")) == Errc::invalid_request);
  auto req = manual_req("127.0.0.1:18555");
  REQUIRE_FALSE(manager.connect(req));
  CHECK(manager.connect(req) == Errc::request_reused);
  auto canceled = std::make_shared<StdCancelSource>();
  canceled->cancel();
  auto fresh = manual_req("127.0.0.1:18556");
  CHECK(manager.connect(fresh, canceled) == Errc::canceled);
  CHECK(fresh->id() == 0);
  CHECK(h.dialer.dials() == 1);
  h.check();
}

TEMPLATE_TEST_CASE("calls after shutdown: connect and start refuse, the rest keep working", "[input]", Synchronous, EventLoop) {
  Harness<TestType::value> h;
  auto config = h.config();
  config.retry_duration = 1s;
  auto& manager = h.start(config);
  auto established = manual_req("127.0.0.1:18555", true);
  REQUIRE_FALSE(manager.connect(established));
  h.dialer.push(DialStep{DialAction::fail});
  auto waiting = manual_req("127.0.0.1:18556", true);
  REQUIRE(manager.connect(waiting));
  h.shut_down();

  CHECK(manager.connect(manual_req("127.0.0.1:18557")) == Errc::shut_down);
  CHECK(manager.start() == Errc::shut_down);
  std::size_t visited = 0;
  const auto for_each_result = manager.for_each_conn_req([&](const StdConnReqPtr&) {
    ++visited;
    return std::error_code{};
  });
  const auto cancel_result = manager.cancel_pending("127.0.0.1:18556");
  CHECK_FALSE(manager.disconnect(established->id()));
  h.settle();
  if constexpr (h.kEventLoop) {
    // Spec B.3: after stop the handler serves no operation.
    CHECK(for_each_result == Errc::shut_down);
    CHECK(visited == 0);
    CHECK(cancel_result == Errc::shut_down);
    CHECK(waiting->state() == ConnState::failed);
    CHECK(established->state() == ConnState::established);
  } else {
    CHECK_FALSE(for_each_result);
    CHECK(visited == 2);
    CHECK_FALSE(cancel_result);
    CHECK(waiting->state() == ConnState::canceled);
    // A permanent request disconnected after shutdown is not re-registered: nothing retries it.
    CHECK(established->state() == ConnState::disconnected);
    CHECK(h.disconnected.size() == 1);
    CHECK(h.dialer.connections().at(0)->close_count() == 1);
  }
  h.advance(1h);
  CHECK(h.dialer.dials() == 2);
}

TEMPLATE_TEST_CASE("a dialer that throws fails the dial with dialer_threw", "[input]", Synchronous, EventLoop) {
  Harness<TestType::value> h;
  LogRecorder logs;
  auto config = h.config();
  config.log = logs.sink();
  auto& manager = h.start(config);
  h.dialer.push(DialStep{DialAction::throw_exception});
  auto req = manual_req("127.0.0.1:18555");
  CHECK(manager.connect(req) == Errc::dialer_threw);
  CHECK(req->state() == ConnState::failed);
  CHECK(logs.contains(LogLevel::error, "scripted dialer failure"));
  h.check();
}

TEMPLATE_TEST_CASE("a connection returned together with an error is closed once", "[input]", Synchronous, EventLoop) {
  Harness<TestType::value> h;
  auto& manager = h.start();
  h.dialer.push(DialStep{DialAction::fail_with_connection});
  CHECK(manager.connect(manual_req("127.0.0.1:18555")) == std::errc::connection_refused);
  REQUIRE(h.dialer.connections().size() == 1);
  CHECK(h.dialer.connections()[0]->close_count() == 1);
  h.check();
}

TEMPLATE_TEST_CASE("callbacks that throw are logged and change nothing", "[input]", Synchronous, EventLoop) {
  Harness<TestType::value> h;
  LogRecorder logs;
  auto config = h.config();
  config.log = logs.sink();
  config.on_connection = [](const StdConnReqPtr&, const ConnectionPtr&) {
    throw std::runtime_error("on_connection boom");
  };
  config.on_disconnection = [](const StdConnReqPtr&) { throw 42; };
  auto& manager = h.start(config);
  auto req = manual_req("127.0.0.1:18555");
  REQUIRE_FALSE(manager.connect(req));
  REQUIRE_FALSE(manager.remove(req->id()));
  h.settle();
  CHECK(logs.count(LogLevel::error) == 2);
  CHECK(logs.contains(LogLevel::error, "on_connection boom"));
  CHECK(logs.contains(LogLevel::error, "unknown exception"));
  CHECK(req->state() == ConnState::disconnected);
  h.shut_down();
}

TEMPLATE_TEST_CASE("an address source that fails or throws counts as a failed automatic attempt",
          "[input]", Synchronous, EventLoop) {
  Harness<TestType::value> h;
  auto config = h.config();
  config.target_outbound = 1;
  int calls = 0;
  config.get_new_address = [&]() -> std::optional<std::string> {
    ++calls;
    if (calls == 1) throw std::runtime_error("address book unavailable");
    if (calls == 2) return std::nullopt;
    return std::string("127.0.0.1:18555");
  };
  h.start(config);
  h.settle();
  CHECK(calls == 3);
  CHECK(h.connected.size() == 1);
  h.shut_down();
}

TEST_CASE("a listener whose accept throws is treated as a failed accept",
          "[input][threads]") {
  class ThrowingListener final : public Listener {
   public:
    NetOutcome accept() override {
      if (!closed_.load()) throw std::runtime_error("accept exploded");
      return {nullptr, std::make_error_code(std::errc::operation_canceled)};
    }
    void close() override { closed_ = true; }
    std::string local_address() const override { return "127.0.0.1:1"; }

   private:
    std::atomic<bool> closed_{false};
  };
  Harness h;
  ThrowingListener listener;
  auto config = h.threaded_config();
  config.listeners = {&listener};
  config.on_accept = [](const ConnectionPtr&) {};
  auto& manager = h.start(config);
  h.clock.wait_armed(1);  // Backing off, not spinning.
  manager.stop();
  manager.wait();
}

TEMPLATE_TEST_CASE("a permanent request whose caller canceled is not retried any more", "[input]", Synchronous, EventLoop) {
  Harness<TestType::value> h;
  auto config = h.config();
  config.retry_duration = 1s;
  h.dialer.set_policy([](const std::string&, std::size_t) { return DialStep{DialAction::fail}; });
  auto& manager = h.start(config);
  auto cancel = std::make_shared<StdCancelSource>();
  auto req = manual_req("127.0.0.1:18555", true);
  CHECK(manager.connect(req, cancel));
  h.advance(1s);
  CHECK(h.dialer.dials() == 2);
  cancel->cancel();
  h.advance(1h);
  CHECK(h.dialer.dials() == 2);
  CHECK(req->state() == ConnState::failed);
  CHECK_FALSE(manager.remove(req->id()));
  h.shut_down();
}

TEST_CASE("the back-off is linear, capped and never overflows", "[input]") {
  using detail::retry_delay;
  CHECK(retry_delay(1, 5s, 5min) == 5s);
  CHECK(retry_delay(3, 5s, 5min) == 15s);
  CHECK(retry_delay(60, 5s, 5min) == 5min);
  CHECK(retry_delay(4'000'000'000u, 5s, 5min) == 5min);
  CHECK(retry_delay(1, 10min, 5min) == 5min);
  CHECK(retry_delay(4'000'000'000u, Duration(1), Duration::max()) == Duration(4'000'000'000));
}

}  // namespace
}  // namespace connmgr::unit

// Config validation and defaults (Go TestNewConfig, spec A.2, section 0 item 4).
#include "harness.h"

#include "connmgr/testkit/fake_listener.h"

namespace connmgr::unit {
namespace {

std::error_code create_error(StdConfig config) {
  std::error_code error;
  auto manager = StdConnManager::create(std::move(config), error);
  CHECK((manager == nullptr) == static_cast<bool>(error));
  return error;
}

TEST_CASE("an empty config is rejected with a typed error", "[config]") {
  CHECK(create_error(StdConfig{}) == Errc::no_dialer);
}

TEST_CASE("every missing service and invalid duration has its own error", "[config]") {
  Harness h;
  auto config = h.config();
  SECTION("no clock") {
    config.clock = nullptr;
    CHECK(create_error(config) == Errc::no_clock);
  }
  SECTION("no executor") {
    config.executor = nullptr;
    CHECK(create_error(config) == Errc::no_executor);
  }
  SECTION("negative retry duration") {
    config.retry_duration = -1ms;
    CHECK(create_error(config) == Errc::negative_retry_duration);
  }
  SECTION("zero max retry duration") {
    config.max_retry_duration = 0s;
    CHECK(create_error(config) == Errc::invalid_max_retry_duration);
  }
  SECTION("negative dial timeout") {
    config.dial_timeout = -1s;
    CHECK(create_error(config) == Errc::negative_dial_timeout);
  }
  SECTION("a null listener") {
    config.listeners.push_back(nullptr);
    config.on_accept = [](const ConnectionPtr&) {};
    CHECK(create_error(config) == Errc::null_listener);
  }
}

TEST_CASE("listeners without an accept callback are rejected (section 0 item 4)", "[config]") {
  Harness h;
  testkit::FakeListener listener("127.0.0.1:1");
  auto config = h.config();
  config.listeners.push_back(&listener);
  CHECK(create_error(config) == Errc::listeners_without_accept_callback);
  config.on_accept = [](const ConnectionPtr&) {};
  CHECK_FALSE(create_error(config));
}

TEST_CASE("a dialer alone is a valid config, and defaults are applied", "[config]") {
  Harness h;
  auto config = h.config();
  config.on_connection = nullptr;
  config.on_disconnection = nullptr;
  auto& manager = h.create(config);
  CHECK(manager.snapshot().target_outbound == kDefaultTargetOutbound);
}

TEST_CASE("errors carry the connmgr category and a readable message", "[config]") {
  std::error_code error = Errc::not_found;
  CHECK(std::string(error.category().name()) == "connmgr");
  CHECK(error.message() == "no such connection request");
  CHECK(error != std::make_error_code(std::errc::no_such_file_or_directory));
}

}  // namespace
}  // namespace connmgr::unit

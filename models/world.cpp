#include "world.h"

#include "verdict.h"

namespace connmgr::models {
namespace {

std::string describe(std::error_code error) { return error ? error.message() : "ok"; }

void expect_no_violations(const std::vector<std::string>& violations) {
  if (violations.empty()) return;
  std::string text = "invariant violated:";
  for (const auto& violation : violations) text += " [" + violation + "]";
  fail(text);
}

}  // namespace

World::World(const Setup& setup, unsigned operation_threads)
    : clock_(setup.timer_budget),
      network_(setup.network),
      operations_running_(operation_threads) {
  ModelConfig config;
  config.dialer = &network_;
  config.clock = &clock_;
  config.executor = &executor_;
  config.on_connection = [this](const ModelReqPtr& req, const ConnectionPtr& conn) {
    on_connection(req, conn);
  };
  config.on_disconnection = [this](const ModelReqPtr& req) { on_disconnection(req); };
  if (setup.target_outbound != 0) {
    config.target_outbound = setup.target_outbound;
    config.get_new_address = [this]() -> std::optional<std::string> {
      user_code("get_new_address");
      return kAutoAddress;
    };
  }
  config.dial_timeout = setup.dial_timeout;
  std::error_code error;
  manager_ = ModelManager::create(std::move(config), error);
  expect(manager_ != nullptr, "the model's config was rejected");
}

std::error_code World::connect(const ModelReqPtr& req,
                               const std::shared_ptr<ModelCancelSource>& cancel) {
  const std::error_code result = manager_->connect(req, cancel);
  note([&] { return "connect(" + req->to_string() + ") -> " + describe(result); });
  check_registry();
  return result;
}

std::error_code World::disconnect(ReqId id) {
  const std::error_code result = manager_->disconnect(id);
  note([&] { return "disconnect(" + std::to_string(id) + ") -> " + describe(result); });
  check_registry();
  return result;
}

std::error_code World::remove(ReqId id) {
  const std::error_code result = manager_->remove(id);
  note([&] { return "remove(" + std::to_string(id) + ") -> " + describe(result); });
  check_registry();
  return result;
}

std::error_code World::cancel_pending(const std::string& address) {
  const std::error_code result = manager_->cancel_pending(address);
  note([&] { return "cancel_pending(" + address + ") -> " + describe(result); });
  check_registry();
  return result;
}

void World::for_each() {
  std::size_t visited = 0;
  const std::error_code result = manager_->for_each_conn_req([&](const ModelReqPtr& req) {
    const ConnState state = req->state();
    expect(state == ConnState::pending || state == ConnState::established ||
               state == ConnState::failed,
           "for_each_conn_req visited a request that is not registered");
    ++visited;
    return std::error_code{};
  });
  expect(!result, "for_each_conn_req failed");
  note([&] { return "for_each_conn_req visited " + std::to_string(visited); });
  check_registry();
}

void World::start() {
  const std::error_code result = manager_->start();
  note([&] { return "start() -> " + describe(result); });
  check_registry();
}

void World::stop() {
  manager_->stop();
  note([] { return std::string("stop()"); });
  check_registry();
}

void World::shut_down() {
  stop();
  manager_->wait();
  note([] { return std::string("wait() returned"); });
  check_registry();
}

void World::cancel(ModelCancelSource& source) {
  source.cancel();
  note([] { return std::string("CancelSource::cancel()"); });
  check_registry();
}

void World::finish_operations() {
  if (--operations_running_ == 0) finish();
}

void World::check_registry() { expect_no_violations(check::registry_violations(manager_->snapshot())); }

void World::finish() {
  manager_->stop();
  manager_->wait();
  waited_ = true;
  note([] { return std::string("final wait() returned"); });
  const Snapshot last = manager_->snapshot();
  expect_no_violations(check::quiescent_violations(last));
  if (connected_ != disconnected_ + last.established.size()) {
    fail(std::to_string(connected_) + " on_connection calls for " +
         std::to_string(disconnected_) + " on_disconnection calls and " +
         std::to_string(last.established.size()) + " established requests");
  }
  executor_.close();
  clock_.close();
  network_.close();
  manager_.reset();
  for (const auto& conn : network_.connections())
    expect(conn->closes() == 1, "a connection was never closed");
}

void World::on_connection(const ModelReqPtr& req, const ConnectionPtr& conn) {
  user_code("on_connection");
  expect(req->id() != 0, "on_connection for an unregistered request");
  static_cast<SimConnection&>(*conn).announce();
  ++connected_;
  expect(!waited_, "on_connection was still running when wait() returned");
}

void World::on_disconnection(const ModelReqPtr& req) {
  user_code("on_disconnection");
  expect(req->id() != 0, "on_disconnection for an unregistered request");
  ++disconnected_;
  expect(!waited_, "on_disconnection was still running when wait() returned");
}

void World::user_code(const char* what) {
  if (HeldLocks::any()) fail(std::string(what) + " ran under a platform lock");
  if (waited_) fail(std::string(what) + " ran after wait() returned");
}

}  // namespace connmgr::models

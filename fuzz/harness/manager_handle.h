// One manager of either design behind one interface, so a run drives ConnManager<SimPlatform> and
// EventLoopConnManager<SimPlatform> with the same code. Each call forwards to the manager; the
// contracts are those of core/include/connmgr/conn_manager.h.
//
// Header-only on purpose: the manager's code is instantiated in the file that includes this
// (world.cpp), which is the file the fuzz preset's coverage allowlist instruments.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <system_error>
#include <variant>

#include "connmgr/conn_manager.h"
#include "sim/sim_platform.h"

namespace connmgr::fuzz {

using SimReqPtr = ConnReqPtr<sim::SimPlatform>;
using SimCancelPtr = std::shared_ptr<CancelSource<sim::SimPlatform>>;

// Owns the manager of either design; a value, which the run holds in place (no allocation).
class ManagerHandle {
 public:
  // The manager of `design` for `config`, or nullopt with `error` set.
  static std::optional<ManagerHandle> create(Design design, Config<sim::SimPlatform> config,
                                             std::error_code& error) {
    return design == Design::event_loop ? create_design<Design::event_loop>(std::move(config), error)
                                        : create_design<Design::synchronous>(std::move(config), error);
  }

  std::error_code start() { return std::visit([](auto& manager) { return manager->start(); }, manager_); }
  void stop() { std::visit([](auto& manager) { manager->stop(); }, manager_); }
  void wait() { std::visit([](auto& manager) { manager->wait(); }, manager_); }
  std::error_code connect(const SimReqPtr& req, SimCancelPtr cancel) {
    return std::visit([&](auto& manager) { return manager->connect(req, std::move(cancel)); }, manager_);
  }
  std::error_code disconnect(ReqId id) {
    return std::visit([&](auto& manager) { return manager->disconnect(id); }, manager_);
  }
  std::error_code remove(ReqId id) {
    return std::visit([&](auto& manager) { return manager->remove(id); }, manager_);
  }
  std::error_code cancel_pending(const std::string& address) {
    return std::visit([&](auto& manager) { return manager->cancel_pending(address); }, manager_);
  }
  std::error_code for_each_conn_req(const std::function<std::error_code(const SimReqPtr&)>& visitor) {
    return std::visit([&](auto& manager) { return manager->for_each_conn_req(visitor); }, manager_);
  }
  void snapshot(Snapshot& into) const {
    std::visit([&](const auto& manager) { manager->snapshot(into); }, manager_);
  }
  // Abandons the manager without destroying it (a failed run leaves fibers inside it).
  void leak() { std::visit([](auto& manager) { static_cast<void>(manager.release()); }, manager_); }

 private:
  template <Design kDesign>
  using Manager = std::unique_ptr<BasicConnManager<sim::SimPlatform, kDesign>>;

  template <class M>
  explicit ManagerHandle(M manager) : manager_(std::move(manager)) {}

  template <Design kDesign>
  static std::optional<ManagerHandle> create_design(Config<sim::SimPlatform> config, std::error_code& error) {
    Manager<kDesign> manager = BasicConnManager<sim::SimPlatform, kDesign>::create(std::move(config), error);
    if (!manager) return std::nullopt;
    return ManagerHandle(std::move(manager));
  }

  std::variant<Manager<Design::synchronous>, Manager<Design::event_loop>> manager_;
};

}  // namespace connmgr::fuzz

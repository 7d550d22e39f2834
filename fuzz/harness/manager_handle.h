// One manager of either design behind one interface, so a run drives ConnManager<SimPlatform> and
// EventLoopConnManager<SimPlatform> with the same code. Each call forwards to the manager; the
// contracts are those of core/include/connmgr/conn_manager.h.
//
// Header-only on purpose: the manager's code is instantiated in the file that includes this
// (world.cpp), which is the file the fuzz preset's coverage allowlist instruments.
#pragma once

#include <functional>
#include <memory>
#include <system_error>

#include "connmgr/conn_manager.h"
#include "sim/sim_platform.h"

namespace connmgr::fuzz {

using SimReqPtr = ConnReqPtr<sim::SimPlatform>;
using SimCancelPtr = std::shared_ptr<CancelSource<sim::SimPlatform>>;

class ManagerHandle {
 public:
  virtual ~ManagerHandle() = default;
  virtual std::error_code start() = 0;
  virtual void stop() = 0;
  virtual void wait() = 0;
  virtual std::error_code connect(const SimReqPtr& req, SimCancelPtr cancel) = 0;
  virtual std::error_code disconnect(ReqId id) = 0;
  virtual std::error_code remove(ReqId id) = 0;
  virtual std::error_code cancel_pending(const std::string& address) = 0;
  virtual std::error_code for_each_conn_req(const std::function<std::error_code(const SimReqPtr&)>& visit) = 0;
  virtual void snapshot(Snapshot& into) const = 0;
  // Abandons the manager without destroying it (a failed run leaves fibers inside it).
  virtual void leak() = 0;

  // The manager of `design` for `config`, or null with `error` set.
  static std::unique_ptr<ManagerHandle> create(Design design, Config<sim::SimPlatform> config,
                                               std::error_code& error);
};

namespace detail {

template <Design kDesign>
class DesignHandle final : public ManagerHandle {
 public:
  using Manager = BasicConnManager<sim::SimPlatform, kDesign>;
  explicit DesignHandle(std::unique_ptr<Manager> manager) : manager_(std::move(manager)) {}

  std::error_code start() override { return manager_->start(); }
  void stop() override { manager_->stop(); }
  void wait() override { manager_->wait(); }
  std::error_code connect(const SimReqPtr& req, SimCancelPtr cancel) override {
    return manager_->connect(req, std::move(cancel));
  }
  std::error_code disconnect(ReqId id) override { return manager_->disconnect(id); }
  std::error_code remove(ReqId id) override { return manager_->remove(id); }
  std::error_code cancel_pending(const std::string& address) override { return manager_->cancel_pending(address); }
  std::error_code for_each_conn_req(const std::function<std::error_code(const SimReqPtr&)>& visit) override {
    return manager_->for_each_conn_req(visit);
  }
  void snapshot(Snapshot& into) const override { manager_->snapshot(into); }
  void leak() override { static_cast<void>(manager_.release()); }

 private:
  std::unique_ptr<Manager> manager_;
};

template <Design kDesign>
std::unique_ptr<ManagerHandle> create_design(Config<sim::SimPlatform> config, std::error_code& error) {
  auto manager = BasicConnManager<sim::SimPlatform, kDesign>::create(std::move(config), error);
  if (!manager) return nullptr;
  return std::make_unique<DesignHandle<kDesign>>(std::move(manager));
}

}  // namespace detail

inline std::unique_ptr<ManagerHandle> ManagerHandle::create(Design design, Config<sim::SimPlatform> config,
                                                            std::error_code& error) {
  return design == Design::event_loop ? detail::create_design<Design::event_loop>(std::move(config), error)
                                      : detail::create_design<Design::synchronous>(std::move(config), error);
}

}  // namespace connmgr::fuzz

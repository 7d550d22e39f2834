#include "harness/manager_handle.h"

namespace connmgr::fuzz {
namespace {

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
  Snapshot snapshot() const override { return manager_->snapshot(); }
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

}  // namespace

std::unique_ptr<ManagerHandle> ManagerHandle::create(Design design, Config<sim::SimPlatform> config,
                                                     std::error_code& error) {
  return design == Design::event_loop ? create_design<Design::event_loop>(std::move(config), error)
                                      : create_design<Design::synchronous>(std::move(config), error);
}

}  // namespace connmgr::fuzz

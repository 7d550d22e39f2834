// One manager of either design behind one interface, so a run drives ConnManager<SimPlatform> and
// EventLoopConnManager<SimPlatform> with the same code. Each call forwards to the manager; the
// contracts are those of core/include/connmgr/conn_manager.h.
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
  virtual Snapshot snapshot() const = 0;
  // Abandons the manager without destroying it (a failed run leaves fibers inside it).
  virtual void leak() = 0;

  // The manager of `design` for `config`, or null with `error` set.
  static std::unique_ptr<ManagerHandle> create(Design design, Config<sim::SimPlatform> config,
                                               std::error_code& error);
};

}  // namespace connmgr::fuzz

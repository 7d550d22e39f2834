// The remote side of a stress run: the pool of addresses that workers and get_new_address pick
// from, and the dialer the manager uses for them (this object, routing by address).
//   fake: "fake-0" ... "fake-5", dialed by the FaultDialer;
//   tcp:  two loopback TcpListeners, which are also the manager's own listeners (so it accepts
//         what it dials), a refused port and a Blackhole, dialed by the real TcpDialer;
//   both: the union of the two pools.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <system_error>
#include <vector>

#include "blackhole.h"
#include "connmgr/tcp.h"
#include "fault_dialer.h"
#include "options.h"
#include "rng.h"
#include "tracking.h"

namespace connmgr::stress {

class Network final : public Dialer {
 public:
  // Opens the sockets `options.dialer` needs; accepted connections are tracked in `accepted`.
  // Null (and `error`) if a socket cannot be opened.
  static std::unique_ptr<Network> open(const Options& options, ConnectionLedger& accepted,
                                       std::error_code& error);

  NetOutcome dial(const std::string& address, DialContext& context) override;
  // A random address of the pool (listeners weigh more than the refused and blackhole ports).
  const std::string& pick(Rng& rng) const { return pool_[rng.below(pool_.size())]; }
  // For Config::listeners (empty without TCP).
  std::vector<Listener*> listeners() const;
  std::size_t accepts_in_flight() const;

 private:
  Network(const Options& options);
  std::error_code open_tcp(ConnectionLedger& accepted);

  FaultDialer fault_;
  TcpDialer tcp_;
  std::vector<std::unique_ptr<TcpListener>> tcp_listeners_;
  std::vector<std::unique_ptr<TrackingListener>> listeners_;
  std::unique_ptr<Blackhole> blackhole_;
  std::vector<std::string> pool_;  // With repetitions: an address's share is its weight.
};

}  // namespace connmgr::stress

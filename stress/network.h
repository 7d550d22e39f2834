// The remote side of a stress run: the pool of addresses that workers and get_new_address pick
// from, and the dialer the manager uses for them (this object, routing by address).
//   fake: "fake-0" ... "fake-5", dialed by the FaultDialer;
//   tcp:  two loopback TcpListeners, which are also the manager's own listeners (so it accepts
//         what it dials), a refused port and a Blackhole, dialed by the real TcpDialer;
//   both: the union of the two pools.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
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
  // Opens the sockets `options.dialer` needs; the listeners track what they accept in `accepted`
  // and count accepts in flight in `accepts`. Null (and `error`) if a socket cannot be opened.
  static std::unique_ptr<Network> open(const Options& options, ConnectionLedger& accepted,
                                       std::atomic<std::size_t>& accepts, std::error_code& error);

  NetOutcome dial(const std::string& address, DialContext& context) override;
  // The address a random `draw` picks (listeners weigh more than the refused and blackhole ports).
  const std::string& pick(std::uint64_t draw) const { return pool_[draw % pool_.size()]; }
  // For Config::listeners (empty without TCP).
  std::vector<Listener*> listeners() const;

 private:
  explicit Network(const Options& options);
  std::error_code open_tcp(ConnectionLedger& accepted, std::atomic<std::size_t>& accepts);

  FaultDialer fault_;
  TcpDialer tcp_;
  std::vector<std::unique_ptr<TcpListener>> tcp_listeners_;
  std::vector<std::unique_ptr<TrackingListener>> listeners_;
  std::unique_ptr<Blackhole> blackhole_;
  std::vector<std::string> pool_;  // With repetitions: an address's share is its weight.
};

// Config::get_new_address over a Network's pool, drawing from the addresses stream: mostly an
// address, sometimes none (nullopt) or an exception, which the manager counts as failed attempts.
class AddressSource {
 public:
  // `seed`: the round's seed, of which the addresses stream is drawn.
  AddressSource(const Network& network, std::uint64_t seed)
      : network_(network), rng_(Rng::derive(seed, Stream::addresses)) {}
  std::optional<std::string> operator()() EXCLUDES(mu_);

 private:
  const Network& network_;
  StdMutex mu_;
  Rng rng_ GUARDED_BY(mu_);
};

}  // namespace connmgr::stress

#include "network.h"

#include <chrono>
#include <stdexcept>

namespace connmgr::stress {
namespace {

constexpr const char* kFakePrefix = "fake-";
constexpr int kFakeAddresses = 6;
constexpr int kTcpListeners = 2;
constexpr int kListenerWeight = 3;  // Against 1 for the refused port and 1 for the blackhole.

}  // namespace

Network::Network(const Options& options)
    : fault_(options.seed, std::chrono::microseconds(options.max_delay_us)) {}

std::unique_ptr<Network> Network::open(const Options& options, ConnectionLedger& accepted,
                                       std::atomic<std::size_t>& accepts, std::error_code& error) {
  std::unique_ptr<Network> network(new Network(options));
  if (options.dialer != DialerKind::tcp) {
    for (int i = 0; i < kFakeAddresses; ++i)
      network->pool_.push_back(kFakePrefix + std::to_string(i));
  }
  if (options.dialer != DialerKind::fake) {
    error = network->open_tcp(accepted, accepts);
    if (error) return nullptr;
  }
  return network;
}

std::error_code Network::open_tcp(ConnectionLedger& accepted, std::atomic<std::size_t>& accepts) {
  for (int i = 0; i < kTcpListeners; ++i) {
    std::unique_ptr<TcpListener> listener;
    if (auto error = TcpListener::open("127.0.0.1:0", listener)) return error;
    pool_.insert(pool_.end(), kListenerWeight, listener->local_address());
    listeners_.push_back(std::make_unique<TrackingListener>(*listener, accepted, accepts));
    tcp_listeners_.push_back(std::move(listener));
  }
  {
    std::unique_ptr<TcpListener> closed;  // Bound and released: its port refuses connections.
    if (auto error = TcpListener::open("127.0.0.1:0", closed)) return error;
    pool_.push_back(closed->local_address());
  }
  std::error_code error;
  blackhole_ = Blackhole::open(error);
  if (blackhole_) pool_.push_back(blackhole_->address());
  return error;
}

NetOutcome Network::dial(const std::string& address, DialContext& context) {
  if (address.starts_with(kFakePrefix)) return fault_.dial(address, context);
  return tcp_.dial(address, context);
}

std::vector<Listener*> Network::listeners() const {
  std::vector<Listener*> listeners;
  for (const auto& listener : listeners_) listeners.push_back(listener.get());
  return listeners;
}

std::optional<std::string> AddressSource::operator()() {
  std::uint64_t draw = 0;
  unsigned kind = 0;
  {
    LockGuard<StdMutex> lock(mu_);
    draw = rng_.next();
    kind = static_cast<unsigned>(rng_.below(100));
  }
  if (kind < 5) return std::nullopt;
  if (kind < 7) throw std::runtime_error("address source: injected exception");
  return network_.pick(draw);
}

}  // namespace connmgr::stress

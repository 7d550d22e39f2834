// The network of a model: a Dialer whose dials are completed by the scenario's network thread,
// and the connections it hands out.
#pragma once

#include "env_lock.h"
#include "relacy_prelude.h"

namespace connmgr::models {

// A connection that counts how the manager and its callbacks treat it.
class SimConnection final : public Connection {
 public:
  explicit SimConnection(std::string remote) : remote_(std::move(remote)) {}

  // Fails the iteration on a second close, or on a close under a platform lock.
  void close() override;
  std::string remote_address() const override { return remote_; }

  // Called by on_connection; fails the iteration on a second announcement.
  void announce();
  int closes() const { return closes_; }

 private:
  const std::string remote_;
  int closes_ = 0;
  int announcements_ = 0;
};

enum class Outcome {
  succeed,
  fail,    // std::errc::connection_refused.
  either,  // Succeed or fail: Relacy explores both.
  hang,    // Never completes; the dial ends only when it is canceled.
};

struct NetworkScript {
  // The outcome of the i-th dial to reach the network; dials past the end take the last entry.
  std::vector<Outcome> dials{Outcome::succeed};
  // A canceled dial returns at once with the cancellation. When false it ignores cancellation and
  // returns the network's outcome, so a success can arrive after its request was canceled.
  bool honor_cancel = true;
};

// dial() registers the call with the network, runs the observer (user code of the dialer: it may
// call back into the manager) and blocks; the network thread completes in-flight calls one
// scheduling step at a time, in an order Relacy chooses. Fails the iteration if the manager dials
// under a platform lock or after its wait() returned.
class SimNetwork final : public Dialer {
 public:
  SimNetwork(NetworkScript script, std::function<void()> observer)
      : script_(std::move(script)), observer_(std::move(observer)) {}

  NetOutcome dial(const std::string& address, DialContext& context) override;

  // The network thread's body: completes dials until close().
  void run();
  // Called once the manager's wait() has returned: fails the iteration if a dial is still in
  // flight, and ends run().
  void close();
  // Every connection handed out, in order.
  const std::vector<std::shared_ptr<SimConnection>>& connections() const { return connections_; }

 private:
  struct Call {
    std::string address;
    Outcome outcome = Outcome::succeed;
    bool canceled = false;
    std::optional<NetOutcome> result;
    rl::condition_variable_any changed;
  };

  Outcome scripted(std::size_t index) const;
  void complete(Call& call);
  std::size_t completable() const;

  const NetworkScript script_;
  const std::function<void()> observer_;
  rl::mutex mu_;
  rl::condition_variable_any work_;
  std::list<Call*> in_flight_;
  std::size_t dials_ = 0;
  bool closed_ = false;
  std::vector<std::shared_ptr<SimConnection>> connections_;
};

}  // namespace connmgr::models

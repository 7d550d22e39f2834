// A loopback port where a TCP dial hangs until it is canceled: the socket listens with a backlog
// of 0 and a connection of its own fills its one accept-queue slot, so Linux drops every further
// SYN (the dialer keeps retransmitting; a real unreachable peer looks the same).
#pragma once

#include <memory>
#include <string>
#include <system_error>

namespace connmgr::stress {

class Blackhole {
 public:
  // Opens one on 127.0.0.1 with an ephemeral port; null (and `error`) on a socket error.
  static std::unique_ptr<Blackhole> open(std::error_code& error);
  ~Blackhole();
  Blackhole(const Blackhole&) = delete;
  Blackhole& operator=(const Blackhole&) = delete;

  // "127.0.0.1:PORT".
  const std::string& address() const { return address_; }

 private:
  Blackhole(int listen_fd, int filler_fd, std::string address);

  const int listen_fd_;
  const int filler_fd_;
  const std::string address_;
};

}  // namespace connmgr::stress

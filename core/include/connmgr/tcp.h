// The production network backends: TCP connections, a dialer and a listener over POSIX sockets.
//
// Addresses are numeric "host:port": "127.0.0.1:8333" or "[::1]:8333" (no host names, no IPv6
// zone ids). Anything else is rejected with Errc::invalid_address.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <system_error>

#include "connmgr/connection.h"

namespace connmgr {

// A connected TCP socket, owned by this object: non-blocking, close-on-exec, TCP_NODELAY set.
// close() may be called from any thread, any number of times; only the first shuts the socket
// down (waking threads blocked on it) and closes it. The destructor closes it if still open.
class TcpConnection final : public Connection {
 public:
  TcpConnection(int fd, std::string remote_address);
  ~TcpConnection() override;
  TcpConnection(const TcpConnection&) = delete;
  TcpConnection& operator=(const TcpConnection&) = delete;

  void close() override;
  // "ip:port" of the peer; still available after close().
  std::string remote_address() const override;
  // The socket, or -1 once closed. A caller that uses it must not race with close(): the number
  // may be reused by the next socket the process opens.
  int fd() const;

 private:
  std::atomic<int> fd_;
  const std::string remote_address_;
};

// Connects with a non-blocking connect() and waits until it completes or the DialContext is
// canceled (it has no timeout of its own). Stateless: dial() may run on many threads at once.
// Outcomes: a TcpConnection; Errc::invalid_address for a malformed address or port 0;
// ctx.cancellation() once canceled; otherwise the system error (e.g. ECONNREFUSED).
class TcpDialer final : public Dialer {
 public:
  NetOutcome dial(const std::string& address, DialContext& context) override;
};

// A listening socket (SO_REUSEADDR, backlog 128). accept() may be called from several threads at
// once and returns a TcpConnection, or a system error for a failed accept (the caller backs off).
// close() may be called from any thread, any number of times: from then on the port refuses new
// connections and every accept(), blocked or later, returns std::errc::operation_canceled
// promptly. The descriptor itself is closed
// only by the destructor, which must not run while an accept() is still in progress.
class TcpListener final : public Listener {
 public:
  // Binds and listens on a numeric "host:port" (port 0 picks a free port). On success sets `out`
  // and returns {}; otherwise returns Errc::invalid_address or the system error and leaves `out`.
  static std::error_code open(const std::string& address, std::unique_ptr<TcpListener>& out);

  ~TcpListener() override;
  TcpListener(const TcpListener&) = delete;
  TcpListener& operator=(const TcpListener&) = delete;

  NetOutcome accept() override;
  void close() override;
  // The bound "ip:port", with the actual port when 0 was asked for.
  std::string local_address() const override;

 private:
  TcpListener(int listen_fd, int wake_fd, std::string local_address);

  const int listen_fd_;
  const int wake_fd_;  // An eventfd that close() makes readable for good.
  const std::string local_address_;
};

}  // namespace connmgr

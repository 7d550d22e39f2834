// The network side of the manager: connections, dialers and listeners.
//
// These are runtime interfaces (a virtual call per dial or accept, never on the lock path).
// Production implementations are in tcp.h; tests use scripted fakes.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <system_error>

namespace connmgr {

// An established network connection. The manager calls close() exactly once for every connection
// a dialer hands it (on removal, on a dial outcome that arrived too late, on shutdown), never
// while holding its lock. Other holders (callbacks) may keep the object alive after close().
class Connection {
 public:
  virtual ~Connection() = default;
  virtual void close() = 0;
  virtual std::string remote_address() const = 0;
};

using ConnectionPtr = std::shared_ptr<Connection>;

// What a dial or an accept produced: a connection and no error, or an error (a connection
// returned together with an error is closed by the manager and otherwise ignored).
struct NetOutcome {
  ConnectionPtr conn;
  std::error_code error;
};

// The cancellation side of one dial. A dial is canceled when its request is canceled or removed,
// when Config::dial_timeout expires, when the connect() caller's CancelSource fires, or at
// shutdown. A dialer that blocks must either poll canceled() or install a cancel handler.
class DialContext {
 public:
  virtual ~DialContext() = default;
  // {} while the dial may proceed; otherwise why it was canceled (Errc::canceled,
  // Errc::deadline_exceeded or Errc::shut_down).
  virtual std::error_code cancellation() const = 0;
  // Installs `handler`, run exactly once when the dial is canceled (at once, on this thread, if it
  // already is). The handler runs under the context's internal lock: it must only wake the dialer
  // (notify a condition variable, write an eventfd), never block or call into the manager.
  // One handler at a time; installing replaces the previous one.
  virtual void set_cancel_handler(std::function<void()> handler) = 0;
  // Removes the handler. On return it is not running and will never run. The manager also clears
  // it after dial() returns, so a dialer that forgets cannot be called back later.
  virtual void clear_cancel_handler() = 0;
};

// Opens outbound connections. dial() runs on the thread that asked for the connection (the
// connect() caller, or executor work for retries and automatic requests), without any manager
// lock held, possibly on several threads at once. It must return (success or an error) soon after
// its context is canceled; exceptions it throws are reported as Errc::dialer_threw.
class Dialer {
 public:
  virtual ~Dialer() = default;
  virtual NetOutcome dial(const std::string& address, DialContext& context) = 0;
};

// Accepts inbound connections. accept() blocks until a connection arrives or close() is called;
// after close() every accept() returns an error promptly. close() may be called from any thread,
// more than once. The manager closes every configured listener at shutdown.
class Listener {
 public:
  virtual ~Listener() = default;
  virtual NetOutcome accept() = 0;
  virtual void close() = 0;
  virtual std::string local_address() const = 0;
};

}  // namespace connmgr

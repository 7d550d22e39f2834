#include "connmgr/tcp.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstdint>
#include <optional>
#include <string_view>
#include <utility>

#include "connmgr/error.h"

namespace connmgr {
namespace {

std::error_code last_error() { return {errno, std::system_category()}; }

class UniqueFd {
 public:
  explicit UniqueFd(int fd) : fd_(fd) {}
  ~UniqueFd() {
    if (fd_ >= 0) ::close(fd_);
  }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;

  int get() const { return fd_; }
  int release() { return std::exchange(fd_, -1); }

 private:
  int fd_;
};

struct SocketAddress {
  sockaddr_storage storage{};
  socklen_t length = sizeof storage;

  int family() const { return storage.ss_family; }
  const sockaddr* data() const { return reinterpret_cast<const sockaddr*>(&storage); }
  sockaddr* data() { return reinterpret_cast<sockaddr*>(&storage); }
  const sockaddr_in& v4() const { return reinterpret_cast<const sockaddr_in&>(storage); }
  const sockaddr_in6& v6() const { return reinterpret_cast<const sockaddr_in6&>(storage); }
  std::uint16_t port() const { return ntohs(family() == AF_INET ? v4().sin_port : v6().sin6_port); }
};

std::optional<std::uint16_t> parse_port(std::string_view text) {
  std::uint16_t port = 0;
  const char* end = text.data() + text.size();
  auto [stop, error] = std::from_chars(text.data(), end, port);
  if (error != std::errc{} || stop != end) return std::nullopt;
  return port;
}

// "a.b.c.d:port" or "[ipv6]:port", numeric only.
std::optional<SocketAddress> parse_address(std::string_view text) {
  const bool v6 = text.starts_with('[');
  const std::size_t separator = v6 ? text.find("]:") : text.find(':');
  if (separator == std::string_view::npos) return std::nullopt;
  const std::string host(v6 ? text.substr(1, separator - 1) : text.substr(0, separator));
  const std::optional<std::uint16_t> port = parse_port(text.substr(separator + (v6 ? 2 : 1)));
  if (!port) return std::nullopt;

  SocketAddress address;
  if (v6) {
    sockaddr_in6 in6{};
    in6.sin6_family = AF_INET6;
    in6.sin6_port = htons(*port);
    if (::inet_pton(AF_INET6, host.c_str(), &in6.sin6_addr) != 1) return std::nullopt;
    reinterpret_cast<sockaddr_in6&>(address.storage) = in6;
    address.length = sizeof in6;
  } else {
    sockaddr_in in4{};
    in4.sin_family = AF_INET;
    in4.sin_port = htons(*port);
    if (::inet_pton(AF_INET, host.c_str(), &in4.sin_addr) != 1) return std::nullopt;
    reinterpret_cast<sockaddr_in&>(address.storage) = in4;
    address.length = sizeof in4;
  }
  return address;
}

std::string format_address(const SocketAddress& address) {
  char host[INET6_ADDRSTRLEN] = {};
  if (address.family() == AF_INET) {
    ::inet_ntop(AF_INET, &address.v4().sin_addr, host, sizeof host);
    return std::string(host) + ":" + std::to_string(address.port());
  }
  ::inet_ntop(AF_INET6, &address.v6().sin6_addr, host, sizeof host);
  return "[" + std::string(host) + "]:" + std::to_string(address.port());
}

std::error_code set_no_delay(int fd) {
  const int on = 1;
  if (::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on) != 0) return last_error();
  return {};
}

// Blocks until one of `fds` is ready.
std::error_code poll_forever(pollfd (&fds)[2]) {
  while (::poll(fds, 2, -1) < 0) {
    if (errno != EINTR) return last_error();
  }
  return {};
}

void signal_eventfd(int fd) {
  const std::uint64_t one = 1;
  [[maybe_unused]] const ssize_t written = ::write(fd, &one, sizeof one);
}

// Clears the context's cancel handler on scope exit, before anything the handler uses goes away.
class CancelHandlerScope {
 public:
  CancelHandlerScope(DialContext& context, std::function<void()> handler) : context_(context) {
    context_.set_cancel_handler(std::move(handler));
  }
  ~CancelHandlerScope() { context_.clear_cancel_handler(); }
  CancelHandlerScope(const CancelHandlerScope&) = delete;
  CancelHandlerScope& operator=(const CancelHandlerScope&) = delete;

 private:
  DialContext& context_;
};

// Waits for the non-blocking connect() on `sock` to finish. Returns its error, or the context's
// cancellation if that came first.
std::error_code await_connect(int sock, DialContext& context) {
  UniqueFd wake(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
  if (wake.get() < 0) return last_error();
  const int wake_fd = wake.get();
  CancelHandlerScope handler_scope(context, [wake_fd] { signal_eventfd(wake_fd); });

  pollfd fds[2] = {{sock, POLLOUT, 0}, {wake_fd, POLLIN, 0}};
  if (std::error_code error = poll_forever(fds)) return error;
  if (fds[1].revents != 0) {
    const std::error_code canceled = context.cancellation();
    return canceled ? canceled : make_error_code(Errc::canceled);
  }
  int error = 0;
  socklen_t length = sizeof error;
  if (::getsockopt(sock, SOL_SOCKET, SO_ERROR, &error, &length) != 0) return last_error();
  if (error != 0) return {error, std::system_category()};
  return {};
}

NetOutcome failure(std::error_code error) { return {nullptr, error}; }

}  // namespace

TcpConnection::TcpConnection(int fd, std::string remote_address)
    : fd_(fd), remote_address_(std::move(remote_address)) {}

TcpConnection::~TcpConnection() { close(); }

void TcpConnection::close() {
  const int fd = fd_.exchange(-1);
  if (fd < 0) return;
  ::shutdown(fd, SHUT_RDWR);
  ::close(fd);
}

std::string TcpConnection::remote_address() const { return remote_address_; }

int TcpConnection::fd() const { return fd_.load(); }

NetOutcome TcpDialer::dial(const std::string& address, DialContext& context) {
  const std::optional<SocketAddress> target = parse_address(address);
  if (!target || target->port() == 0) return failure(Errc::invalid_address);
  if (std::error_code canceled = context.cancellation()) return failure(canceled);

  UniqueFd sock(::socket(target->family(), SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (sock.get() < 0) return failure(last_error());
  if (::connect(sock.get(), target->data(), target->length) != 0) {
    if (errno != EINPROGRESS && errno != EINTR) return failure(last_error());
    if (std::error_code error = await_connect(sock.get(), context)) return failure(error);
  }
  if (std::error_code error = set_no_delay(sock.get())) return failure(error);
  auto connection = std::make_shared<TcpConnection>(sock.get(), format_address(*target));
  sock.release();
  return {std::move(connection), {}};
}

std::error_code TcpListener::open(const std::string& address, std::unique_ptr<TcpListener>& out) {
  const std::optional<SocketAddress> local = parse_address(address);
  if (!local) return Errc::invalid_address;

  UniqueFd sock(::socket(local->family(), SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (sock.get() < 0) return last_error();
  const int on = 1;
  if (::setsockopt(sock.get(), SOL_SOCKET, SO_REUSEADDR, &on, sizeof on) != 0) return last_error();
  if (::bind(sock.get(), local->data(), local->length) != 0) return last_error();
  if (::listen(sock.get(), 128) != 0) return last_error();
  SocketAddress bound;
  if (::getsockname(sock.get(), bound.data(), &bound.length) != 0) return last_error();
  UniqueFd wake(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
  if (wake.get() < 0) return last_error();

  out.reset(new TcpListener(sock.get(), wake.get(), format_address(bound)));
  sock.release();
  wake.release();
  return {};
}

TcpListener::TcpListener(int listen_fd, int wake_fd, std::string local_address)
    : listen_fd_(listen_fd), wake_fd_(wake_fd), local_address_(std::move(local_address)) {}

TcpListener::~TcpListener() {
  ::close(listen_fd_);
  ::close(wake_fd_);
}

NetOutcome TcpListener::accept() {
  const NetOutcome closed = failure(std::make_error_code(std::errc::operation_canceled));
  for (;;) {
    pollfd fds[2] = {{listen_fd_, POLLIN, 0}, {wake_fd_, POLLIN, 0}};
    if (std::error_code error = poll_forever(fds)) return failure(error);
    if (fds[1].revents != 0) return closed;

    SocketAddress peer;
    UniqueFd sock(::accept4(listen_fd_, peer.data(), &peer.length, SOCK_NONBLOCK | SOCK_CLOEXEC));
    if (sock.get() < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) continue;  // Lost a race.
      const std::error_code error = last_error();
      pollfd wake = {wake_fd_, POLLIN, 0};
      if (::poll(&wake, 1, 0) > 0) return closed;  // close() shut the socket down under us.
      return failure(error);
    }
    if (std::error_code error = set_no_delay(sock.get())) return failure(error);
    auto connection = std::make_shared<TcpConnection>(sock.get(), format_address(peer));
    sock.release();
    return {std::move(connection), {}};
  }
}

void TcpListener::close() {
  // On a listening socket, shutdown() stops listening at once (new connections are refused, the
  // backlog is reset) while the descriptor stays valid for a concurrent accept().
  signal_eventfd(wake_fd_);
  ::shutdown(listen_fd_, SHUT_RDWR);
}

std::string TcpListener::local_address() const { return local_address_; }

}  // namespace connmgr

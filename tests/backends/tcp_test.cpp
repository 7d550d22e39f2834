#include "connmgr/tcp.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <future>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "connmgr/error.h"

namespace connmgr {
namespace {

// A DialContext a test cancels by hand. on_install, if set, runs (without the lock) each time a
// cancel handler is installed, so a test can cancel exactly while the dialer waits.
class TestDialContext final : public DialContext {
 public:
  std::error_code cancellation() const override {
    std::lock_guard<std::mutex> lock(mu_);
    return error_;
  }

  void set_cancel_handler(std::function<void()> handler) override {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (error_) {
        handler();
      } else {
        handler_ = std::move(handler);
      }
    }
    if (on_install) on_install();
  }

  void clear_cancel_handler() override {
    std::lock_guard<std::mutex> lock(mu_);
    handler_ = nullptr;
  }

  void cancel(std::error_code error) {
    std::lock_guard<std::mutex> lock(mu_);
    if (error_) return;
    error_ = error;
    if (handler_) handler_();
    handler_ = nullptr;
  }

  bool has_handler() const {
    std::lock_guard<std::mutex> lock(mu_);
    return static_cast<bool>(handler_);
  }

  std::function<void()> on_install;

 private:
  mutable std::mutex mu_;
  std::error_code error_;
  std::function<void()> handler_;
};

std::unique_ptr<TcpListener> open_listener(const std::string& address = "127.0.0.1:0") {
  std::unique_ptr<TcpListener> listener;
  REQUIRE(TcpListener::open(address, listener) == std::error_code());
  REQUIRE(listener != nullptr);
  return listener;
}

std::shared_ptr<TcpConnection> as_tcp(const ConnectionPtr& conn) {
  auto tcp = std::dynamic_pointer_cast<TcpConnection>(conn);
  REQUIRE(tcp != nullptr);
  return tcp;
}

std::string local_address_of(int fd) {
  sockaddr_in address{};
  socklen_t length = sizeof address;
  REQUIRE(::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0);
  char host[INET_ADDRSTRLEN] = {};
  ::inet_ntop(AF_INET, &address.sin_addr, host, sizeof host);
  return std::string(host) + ":" + std::to_string(ntohs(address.sin_port));
}

void wait_for(int fd, short events) {
  pollfd entry{fd, events, 0};
  REQUIRE(::poll(&entry, 1, -1) == 1);
}

void send_all(int fd, std::string_view data) {
  while (!data.empty()) {
    wait_for(fd, POLLOUT);
    const ssize_t sent = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    REQUIRE(sent > 0);
    data.remove_prefix(static_cast<std::size_t>(sent));
  }
}

// Reads until `size` bytes arrived or the peer closed.
std::string receive(int fd, std::size_t size) {
  std::string data;
  char buffer[256];
  while (data.size() < size) {
    wait_for(fd, POLLIN);
    const ssize_t got = ::recv(fd, buffer, sizeof buffer, 0);
    REQUIRE(got >= 0);
    if (got == 0) break;
    data.append(buffer, static_cast<std::size_t>(got));
  }
  return data;
}

bool flag_set(int fd, int level, int option) {
  int value = 0;
  socklen_t length = sizeof value;
  REQUIRE(::getsockopt(fd, level, option, &value, &length) == 0);
  return value != 0;
}

void check_socket_options(int fd) {
  CHECK((::fcntl(fd, F_GETFL) & O_NONBLOCK) != 0);
  CHECK((::fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0);
  CHECK(flag_set(fd, IPPROTO_TCP, TCP_NODELAY));
}

// A listening socket whose accept queue is full and never drained: Linux drops further SYNs, so
// a connect() to it stays in progress until it is abandoned.
class FullListener {
 public:
  FullListener() {
    REQUIRE(fd_ >= 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
    REQUIRE(::listen(fd_, 0) == 0);
    socklen_t length = sizeof address;
    REQUIRE(::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length) == 0);
    address_ = local_address_of(fd_);
    REQUIRE(filler_ >= 0);
    REQUIRE(::connect(filler_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
    wait_for(fd_, POLLIN);  // The filler is queued: the queue (capacity 1) is full.
  }
  ~FullListener() {
    ::close(filler_);
    ::close(fd_);
  }
  FullListener(const FullListener&) = delete;
  FullListener& operator=(const FullListener&) = delete;

  const std::string& address() const { return address_; }

 private:
  int fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int filler_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  std::string address_;
};

TEST_CASE("TcpDialer connects to a TcpListener and both ends can talk") {
  auto listener = open_listener();
  const std::string address = listener->local_address();
  CHECK(address.starts_with("127.0.0.1:"));
  CHECK_FALSE(address.ends_with(":0"));

  TestDialContext context;
  const NetOutcome dialed = TcpDialer().dial(address, context);
  REQUIRE(dialed.error == std::error_code());
  const NetOutcome accepted = listener->accept();
  REQUIRE(accepted.error == std::error_code());
  auto client = as_tcp(dialed.conn);
  auto server = as_tcp(accepted.conn);

  CHECK(client->remote_address() == address);
  CHECK(server->remote_address() == local_address_of(client->fd()));
  CHECK_FALSE(context.has_handler());
  check_socket_options(client->fd());
  check_socket_options(server->fd());

  send_all(client->fd(), "ping");
  CHECK(receive(server->fd(), 4) == "ping");
  send_all(server->fd(), "pong");
  CHECK(receive(client->fd(), 4) == "pong");

  client->close();
  CHECK(receive(server->fd(), 1).empty());  // End of stream.
}

TEST_CASE("TcpDialer and TcpListener work over IPv6") {
  std::unique_ptr<TcpListener> listener;
  if (const std::error_code error = TcpListener::open("[::1]:0", listener)) {
    WARN("IPv6 loopback unavailable, skipped: " << error.message());
    return;
  }
  CHECK(listener->local_address().starts_with("[::1]:"));
  TestDialContext context;
  const NetOutcome dialed = TcpDialer().dial(listener->local_address(), context);
  REQUIRE(dialed.error == std::error_code());
  CHECK(dialed.conn->remote_address() == listener->local_address());
  const NetOutcome accepted = listener->accept();
  REQUIRE(accepted.error == std::error_code());
  CHECK(accepted.conn->remote_address().starts_with("[::1]:"));
}

TEST_CASE("TcpConnection close() is idempotent and safe from several threads") {
  auto listener = open_listener();
  TestDialContext context;
  const NetOutcome dialed = TcpDialer().dial(listener->local_address(), context);
  REQUIRE(dialed.error == std::error_code());
  auto client = as_tcp(dialed.conn);
  std::vector<std::thread> closers;
  for (int i = 0; i < 4; ++i) closers.emplace_back([&] { client->close(); });
  for (std::thread& closer : closers) closer.join();
  client->close();
  CHECK(client->fd() == -1);
  CHECK(client->remote_address() == listener->local_address());
}

TEST_CASE("TcpDialer reports a refused connection as ECONNREFUSED") {
  std::string address = open_listener()->local_address();  // Closed again at once.
  TestDialContext context;
  const NetOutcome dialed = TcpDialer().dial(address, context);
  CHECK(dialed.conn == nullptr);
  CHECK(dialed.error == std::errc::connection_refused);
  CHECK(dialed.error.category() == std::system_category());
  CHECK_FALSE(context.has_handler());
}

TEST_CASE("TcpDialer and TcpListener reject addresses that are not numeric host:port") {
  const std::vector<std::string> invalid = {"",
                                            "nonsense",
                                            "1.2.3.4",
                                            "1.2.3.4:",
                                            "1.2.3.4:99999",
                                            "1.2.3.4:-1",
                                            "1.2.3.4:+1",
                                            "1.2.3.4:80x",
                                            ":80",
                                            "1.2.3:80",
                                            "[::1",
                                            "[::1]",
                                            "[::1]:",
                                            "::1:80",
                                            "[]:80",
                                            "[1.2.3.4]:80",
                                            "host.example:80",
                                            "localhost:80"};
  for (const std::string& address : invalid) {
    INFO("address: \"" << address << "\"");
    TestDialContext context;
    const NetOutcome dialed = TcpDialer().dial(address, context);
    CHECK(dialed.conn == nullptr);
    CHECK(dialed.error == Errc::invalid_address);
    std::unique_ptr<TcpListener> listener;
    CHECK(TcpListener::open(address, listener) == Errc::invalid_address);
    CHECK(listener == nullptr);
  }
}

TEST_CASE("TcpDialer rejects port 0") {
  for (const std::string address : {"127.0.0.1:0", "[::1]:0"}) {
    TestDialContext context;
    CHECK(TcpDialer().dial(address, context).error == Errc::invalid_address);
  }
}

TEST_CASE("TcpDialer returns the context's cancellation when canceled before dialing") {
  auto listener = open_listener();
  TestDialContext context;
  context.cancel(Errc::deadline_exceeded);
  const NetOutcome dialed = TcpDialer().dial(listener->local_address(), context);
  CHECK(dialed.conn == nullptr);
  CHECK(dialed.error == Errc::deadline_exceeded);
}

TEST_CASE("TcpDialer returns the context's cancellation when canceled as it starts waiting") {
  auto listener = open_listener();
  TestDialContext context;
  context.on_install = [&] { context.cancel(Errc::shut_down); };
  const NetOutcome dialed = TcpDialer().dial(listener->local_address(), context);
  CHECK(dialed.conn == nullptr);
  CHECK(dialed.error == Errc::shut_down);
  CHECK_FALSE(context.has_handler());
}

TEST_CASE("TcpDialer stops a connect in progress when its context is canceled") {
  FullListener target;
  TestDialContext context;
  std::promise<void> installed;
  std::future<void> waiting = installed.get_future();
  context.on_install = [&] { installed.set_value(); };
  std::future<NetOutcome> dialing =
      std::async(std::launch::async, [&] { return TcpDialer().dial(target.address(), context); });
  waiting.wait();
  context.cancel(Errc::canceled);
  const NetOutcome dialed = dialing.get();
  CHECK(dialed.conn == nullptr);
  CHECK(dialed.error == Errc::canceled);
  CHECK_FALSE(context.has_handler());
}

TEST_CASE("TcpListener open() fails with EADDRINUSE on a bound address") {
  auto first = open_listener();
  std::unique_ptr<TcpListener> second;
  CHECK(TcpListener::open(first->local_address(), second) == std::errc::address_in_use);
  CHECK(second == nullptr);
}

TEST_CASE("TcpListener close() from another thread unblocks every accept()") {
  auto listener = open_listener();
  std::vector<std::future<NetOutcome>> accepting;
  for (int i = 0; i < 3; ++i) {
    accepting.push_back(std::async(std::launch::async, [&] { return listener->accept(); }));
  }
  std::thread closer([&] { listener->close(); });
  closer.join();
  for (auto& accepted : accepting) {
    const NetOutcome outcome = accepted.get();
    CHECK(outcome.conn == nullptr);
    CHECK(outcome.error == std::errc::operation_canceled);
  }
}

TEST_CASE("TcpListener accept() after close() fails even with a connection waiting") {
  auto listener = open_listener();
  TestDialContext context;
  const NetOutcome dialed = TcpDialer().dial(listener->local_address(), context);
  REQUIRE(dialed.error == std::error_code());
  listener->close();
  listener->close();
  for (int i = 0; i < 2; ++i) {
    const NetOutcome outcome = listener->accept();
    CHECK(outcome.conn == nullptr);
    CHECK(outcome.error == std::errc::operation_canceled);
  }
  CHECK(listener->local_address().starts_with("127.0.0.1:"));
}

}  // namespace
}  // namespace connmgr

// The manager over real sockets on 127.0.0.1 with ephemeral ports: the production TcpDialer and
// TcpListener, with virtual time for retries.
#include <sys/socket.h>

#include "connmgr/tcp.h"
#include "harness.h"

namespace connmgr::unit {
namespace {

std::unique_ptr<TcpListener> open_listener(const std::string& address = "127.0.0.1:0") {
  std::unique_ptr<TcpListener> listener;
  REQUIRE_FALSE(TcpListener::open(address, listener));
  return listener;
}

StdConfig tcp_config(Harness<>& h, TcpDialer& dialer) {
  auto config = h.config();
  config.dialer = &dialer;
  return config;
}

TEST_CASE("a real dial connects to a loopback listener", "[tcp]") {
  Harness h;
  TcpDialer dialer;
  auto listener = open_listener();
  auto& manager = h.create(tcp_config(h, dialer));
  auto req = manual_req(listener->local_address());
  REQUIRE_FALSE(manager.connect(req));
  CHECK(req->state() == ConnState::established);
  auto accepted = listener->accept();
  REQUIRE_FALSE(accepted.error);
  h.settle();
  REQUIRE(h.connected.size() == 1);
  REQUIRE_FALSE(manager.remove(req->id()));
  // The manager closed its end: the peer reads end-of-stream.
  auto& peer = dynamic_cast<TcpConnection&>(*accepted.conn);
  char byte = 0;
  CHECK(::recv(peer.fd(), &byte, 1, 0) == 0);
  h.shut_down();
}

TEST_CASE("a refused dial fails and is retried until the listener is back", "[tcp]") {
  Harness h;
  TcpDialer dialer;
  auto config = tcp_config(h, dialer);
  config.retry_duration = 1s;
  auto& manager = h.create(config);
  std::string address;
  {
    auto listener = open_listener();
    address = listener->local_address();
  }
  auto req = manual_req(address, true);
  CHECK(manager.connect(req) == std::errc::connection_refused);
  CHECK(req->state() == ConnState::failed);
  auto listener = open_listener(address);
  h.advance(1s);
  CHECK(req->state() == ConnState::established);
  CHECK_FALSE(listener->accept().error);
  h.shut_down();
}

TEST_CASE("an invalid address is a clear dial error", "[tcp]") {
  Harness h;
  TcpDialer dialer;
  auto& manager = h.create(tcp_config(h, dialer));
  auto req = manual_req("not-an-address");
  CHECK(manager.connect(req) == Errc::invalid_address);
  CHECK(req->state() == ConnState::failed);
}

TEST_CASE("a listener hands accepted connections to on_accept; shutdown closes it",
          "[tcp][threads]") {
  Harness h;
  TcpDialer dialer;
  auto listener = open_listener();
  Recorder accepted;
  auto config = h.threaded_config();
  config.dialer = &dialer;
  config.listeners = {listener.get()};
  config.on_accept = [&](const ConnectionPtr& conn) {
    accepted.add({manual_req(conn->remote_address()), ConnState::established});
  };
  auto& manager = h.create(config);
  REQUIRE_FALSE(manager.start());
  for (int i = 0; i < 3; ++i) REQUIRE_FALSE(manager.connect(manual_req(listener->local_address())));
  accepted.wait_for(3);
  CHECK(accepted.size() == 3);
  manager.stop();
  manager.wait();
  CHECK(listener->accept().error == std::errc::operation_canceled);
  CHECK(manager.snapshot().established.size() == 3);
  Harness after;
  auto& late = after.create(tcp_config(after, dialer));
  CHECK(late.connect(manual_req(listener->local_address())) == std::errc::connection_refused);
}

}  // namespace
}  // namespace connmgr::unit

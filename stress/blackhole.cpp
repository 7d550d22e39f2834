#include "blackhole.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

namespace connmgr::stress {
namespace {

std::error_code last_error() { return {errno, std::system_category()}; }

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  int release() {
    const int fd = fd_;
    fd_ = -1;
    return fd;
  }

 private:
  int fd_;
};

}  // namespace

std::unique_ptr<Blackhole> Blackhole::open(std::error_code& error) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  auto* raw = reinterpret_cast<sockaddr*>(&address);

  Fd listener(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  Fd filler(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (listener.get() < 0 || filler.get() < 0 || ::bind(listener.get(), raw, length) != 0 ||
      ::listen(listener.get(), 0) != 0 || ::getsockname(listener.get(), raw, &length) != 0 ||
      ::connect(filler.get(), raw, length) != 0) {
    error = last_error();
    return nullptr;
  }
  const std::string text = "127.0.0.1:" + std::to_string(ntohs(address.sin_port));
  return std::unique_ptr<Blackhole>(new Blackhole(listener.release(), filler.release(), text));
}

Blackhole::Blackhole(int listen_fd, int filler_fd, std::string address)
    : listen_fd_(listen_fd), filler_fd_(filler_fd), address_(std::move(address)) {}

Blackhole::~Blackhole() {
  ::close(filler_fd_);
  ::close(listen_fd_);
}

}  // namespace connmgr::stress

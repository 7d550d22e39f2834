#include "connmgr/error.h"

namespace connmgr {
namespace {

class Category final : public std::error_category {
 public:
  const char* name() const noexcept override { return "connmgr"; }

  std::string message(int value) const override {
    switch (static_cast<Errc>(value)) {
      case Errc::no_dialer: return "config: a dialer is required";
      case Errc::no_clock: return "config: a clock is required";
      case Errc::no_executor: return "config: an executor is required";
      case Errc::negative_retry_duration: return "config: retry_duration must not be negative";
      case Errc::invalid_max_retry_duration: return "config: max_retry_duration must be positive";
      case Errc::negative_dial_timeout: return "config: dial_timeout must not be negative";
      case Errc::listeners_without_accept_callback:
        return "config: listeners need an on_accept callback";
      case Errc::null_listener: return "config: a listener is null";
      case Errc::invalid_request: return "invalid request: null or without an address";
      case Errc::request_reused: return "request was already registered; create a new one";
      case Errc::not_found: return "no such connection request";
      case Errc::shut_down: return "connection manager is shut down";
      case Errc::already_started: return "connection manager was already started";
      case Errc::canceled: return "connection request canceled";
      case Errc::deadline_exceeded: return "dial timed out";
      case Errc::nil_connection: return "dialer reported success without a connection";
      case Errc::dialer_threw: return "dialer threw an exception";
      case Errc::address_source_failed: return "get_new_address failed";
      case Errc::invalid_address: return "invalid address: expected numeric host:port";
    }
    return "unknown connmgr error " + std::to_string(value);
  }
};

}  // namespace

const std::error_category& connmgr_category() noexcept {
  static const Category category;
  return category;
}

std::error_code make_error_code(Errc e) noexcept { return {static_cast<int>(e), connmgr_category()}; }

}  // namespace connmgr

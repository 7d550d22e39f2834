// Typed, matchable errors of the connection manager.
//
// Every failure the manager reports is a std::error_code in connmgr's own category, so callers can
// compare against an Errc value (`ec == connmgr::Errc::not_found`). Errors a Dialer or Listener
// returns are passed through unchanged (their own category).
#pragma once

#include <string>
#include <system_error>

namespace connmgr {

enum class Errc {
  // Config validation (ConnManager::create).
  no_dialer = 1,                      // Config::dialer is null.
  no_clock,                           // Config::clock is null.
  no_executor,                        // Config::executor is null.
  negative_retry_duration,            // Config::retry_duration < 0 (0 selects the default).
  invalid_max_retry_duration,         // Config::max_retry_duration <= 0.
  negative_dial_timeout,              // Config::dial_timeout < 0 (0 means no timeout).
  listeners_without_accept_callback,  // Listeners configured but Config::on_accept unset.
  null_listener,                      // A null entry in Config::listeners.
  // Operations.
  invalid_request,      // A null request, or a request with an empty address.
  request_reused,       // connect() with a request that was already registered once.
  not_found,            // Unknown id, or no pending request for an address.
  shut_down,            // The manager was stopped (or stopped while the operation ran).
  already_started,      // start()/run() called a second time.
  canceled,             // The request was canceled, or the caller's cancellation fired.
  deadline_exceeded,    // The dial did not finish within Config::dial_timeout.
  nil_connection,       // The dialer reported success without a connection.
  dialer_threw,         // The dialer threw an exception instead of returning an outcome.
  address_source_failed,  // Config::get_new_address threw or returned no address.
  // Backends.
  invalid_address,      // An address that is not a numeric "host:port" (TCP dialer, listener).
};

const std::error_category& connmgr_category() noexcept;

std::error_code make_error_code(Errc e) noexcept;

}  // namespace connmgr

template <>
struct std::is_error_code_enum<connmgr::Errc> : std::true_type {};

// The manager as a sequential state machine, written from the spec (section A, with the
// corrections of section 0) and the README's Behavior decisions, not from core/'s code. Every step
// is one row (or one group of rows) of spec table A.5 and takes effect atomically. Engines do not
// drive it directly: refinement.h replays a concurrent history through it.
//
// A step whose result the spec leaves open returns every allowed result (for example the error of
// a dial that was canceled while it failed may be the dialer's error or the cancellation's reason).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "connmgr/conn_manager.h"

namespace connmgr::check {

enum class Place : unsigned char { gone, pending, established };

// An address, interned: equal addresses are one string, kept for the life of the process. A
// ModelRequest thus copies as plain bytes (the refinement checker copies the model for every
// candidate step), and comparing two addresses compares two pointers.
class Address {
 public:
  Address() = default;  // ""
  Address(const std::string& text);  // NOLINT(google-explicit-constructor): stands for the string.
  const std::string& str() const { return *text_; }
  bool operator==(const Address& other) const { return text_ == other.text_; }
  bool operator==(const std::string& text) const { return *text_ == text; }

 private:
  static const std::string kEmpty;
  const std::string* text_ = &kEmpty;
};

// One request the manager registered: what a Snapshot shows of it (while it is registered) and
// what only the model tracks (its state after it left, its callbacks, its owed redials).
struct ModelRequest {
  Place place = Place::pending;
  Address address;
  bool permanent = false;
  Origin origin = Origin::manual;
  ConnState state = ConnState::pending;
  std::uint32_t retry_count = 0;
  bool dialing = false;
  bool retry_scheduled = false;
  // Model only.
  int caller = -1;        // Its CancelSource, or -1.
  TimePoint retry_due{};  // When its armed retry timer must fire.
  std::uint64_t connections = 0;
  std::uint64_t disconnections = 0;
  std::uint64_t redials_owed = 0;
};

// The registry as the spec defines it, indexed by id - 1 (ids are dense). Two states are equal when
// the same ids are registered, in the same place, with the same visible fields.
struct ModelState {
  std::vector<ModelRequest> requests;
  std::uint64_t failed_attempts = 0;
  bool started = false;
  bool stopped = false;

  ReqId last_id() const { return requests.size(); }
  ModelRequest* registered(ReqId id, Place place);
  const ModelRequest* registered(ReqId id, Place place) const;
  std::size_t count(Place place) const;
  bool operator==(const ModelState& other) const;
};

// The registry a Snapshot shows, written into `state` (whose storage is reused).
void abstract(const Snapshot& snapshot, ModelState& state);
// Whether abstract(snapshot) would equal `state`, without building it. Assumes what the
// invariants check: no id is listed twice.
bool shows(const Snapshot& snapshot, const ModelState& state);
// Human-readable differences, "" if equal.
std::string describe_difference(const ModelState& expected, const ModelState& observed);

// What a dialer returned: a connection, an error, both or neither.
struct DialResult {
  bool connection = false;
  std::error_code error;
};

using Listing = std::vector<std::pair<ReqId, ConnState>>;  // Ascending ids.

// The results a step allows: a small set.
class Results {
 public:
  Results() = default;
  Results(std::initializer_list<std::error_code> errors) {
    for (const auto& error : errors) add(error);
  }
  void add(const std::error_code& error);
  void add_all(const Results& other);
  bool contains(const std::error_code& error) const;
  void clear() { size_ = 0; }
  bool empty() const { return size_ == 0; }
  std::string describe() const;

 private:
  std::array<std::error_code, 6> items_{};
  std::size_t size_ = 0;
};

class ReferenceModel {
 public:
  // With `timed`, the engine reports virtual time (set_time) and its timers fire exactly at their
  // deadlines: a retry must fire at min(retry_count * retry_duration, max_retry_duration) after it
  // was armed, and a replacement after kMaxFailedAttempts failures no earlier than retry_duration.
  struct Config {
    std::uint32_t target_outbound = 0;  // As applied by create() (0 is not valid here).
    bool automatic = false;             // get_new_address is set.
    bool dial_timeout = false;          // Dials have a deadline.
    bool timed = false;
    Duration retry_duration{0};  // As applied by create().
    Duration max_retry_duration{0};
  };
  explicit ReferenceModel(Config config) : config_(config) {}
  // Back to the state of a model just constructed with `config`, keeping the storage it grew.
  void restart(Config config);

  void set_time(TimePoint now) { now_ = now; }

  const ModelState& state() const { return state_; }
  // The state of every request ever registered (also those no longer in the registry).
  ConnState state_of(ReqId id) const;
  // The id the caller's request `request` (an engine-chosen key) was registered under, or 0.
  ReqId id_of(int request) const;
  std::uint64_t connections_of(ReqId id) const;
  std::uint64_t disconnections_of(ReqId id) const;
  // The request's CancelSource, or -1.
  int caller_of(ReqId id) const;

  // Lifecycle.
  std::error_code start();
  void stop();

  // connect(): registers the caller's request `request` (row 1) or rejects it; `caller` is its
  // CancelSource (-1: none) and `caller_canceled` whether that source was canceled. Returns the new
  // id, or 0 and every allowed rejection.
  ReqId connect(int request, const std::string& address, bool permanent, int caller, bool caller_canceled,
                Results& rejections);
  // A dial of `id` returned `dial` (rows 2, 2', 3, 3'; section 0 items 7, 8).
  Results complete(ReqId id, const DialResult& dial, bool caller_canceled);
  // Rows 4-10 (retry = disconnect) and section 0 item 6.
  std::error_code disconnect_or_remove(ReqId id, bool retry);
  // Rows 11 and 12: the lowest pending id with that address.
  std::error_code cancel_pending(const std::string& address);
  // What for_each_conn_req() visits, written into `listing`.
  void for_each(Listing& listing) const;

  // Background steps; each returns false when the spec does not allow it in this state.
  // An automatic request got `address` and registers (its task is one of the outstanding slots);
  // after stop() it ends without effect.
  bool automatic_register(const std::string& address);
  // An automatic request got no address: a failed attempt, replaced (no effect after stop()).
  bool address_failed();
  // The retry timer of a permanent request fired; it redials unless its caller canceled.
  bool retry_fired(ReqId id, bool caller_canceled);
  // A retry's redial starts.
  bool redial(ReqId id);

 private:
  const ModelRequest* find(ReqId id) const;
  void fail_request(ModelRequest& request, bool caller_canceled);
  void schedule_retry(ModelRequest& request);
  void replace_automatic();
  bool take_automatic_slot();

  Config config_;
  ModelState state_;
  std::vector<ReqId> ids_;  // Indexed by the caller's request key.
  TimePoint now_{};
  // Automatic tasks started and not yet accounted for: at once, or throttled until a time.
  std::uint64_t automatic_slots_ = 0;
  std::vector<TimePoint> throttled_slots_;
};

}  // namespace connmgr::check

#include "connmgr/check/reference_model.h"

#include <algorithm>
#include <mutex>
#include <type_traits>
#include <unordered_set>

#include "connmgr/config.h"
#include "connmgr/error.h"

namespace connmgr::check {

const std::string Address::kEmpty;
static_assert(std::is_trivially_copyable_v<ModelRequest>, "a model copies as plain bytes");

// Thread-safe: engines may judge histories on several threads.
Address::Address(const std::string& text) {
  if (text.empty()) return;
  static std::mutex mutex;
  static std::unordered_set<std::string> interned;
  const std::lock_guard lock(mutex);
  text_ = &*interned.insert(text).first;
}

namespace {

bool visible_equal(const ModelRequest& a, const ModelRequest& b) {
  if (a.place != b.place) return false;
  if (a.place == Place::gone) return true;
  return a.address == b.address && a.permanent == b.permanent && a.origin == b.origin && a.state == b.state &&
         a.retry_count == b.retry_count && a.dialing == b.dialing && a.retry_scheduled == b.retry_scheduled;
}

// Whether a snapshot's request shows the model's request registered at `where`.
bool shows(const Snapshot::Request& r, const ModelRequest& m, Place where) {
  return m.place == where && m.state == r.state && m.retry_count == r.retry_count &&
         m.dialing == r.dialing && m.retry_scheduled == r.retry_scheduled && m.permanent == r.permanent &&
         m.origin == r.origin && m.address == r.address;
}

ModelRequest make_request(Place place, const std::string& address, bool permanent, Origin origin) {
  ModelRequest r;
  r.place = place;
  r.address = address;
  r.permanent = permanent;
  r.origin = origin;
  return r;
}

std::string describe(const ModelRequest& r) {
  if (r.place == Place::gone) return "absent";
  return std::string(r.place == Place::pending ? "pending " : "established ") + to_string(r.state) + " " +
         r.address.str() + (r.permanent ? " permanent" : "") +
         (r.origin == Origin::automatic ? " automatic" : "") + " retries=" + std::to_string(r.retry_count) +
         (r.dialing ? " dialing" : "") + (r.retry_scheduled ? " retry-armed" : "");
}

}  // namespace

ModelRequest* ModelState::registered(ReqId id, Place place) {
  if (id == 0 || id > requests.size() || requests[id - 1].place != place) return nullptr;
  return &requests[id - 1];
}

const ModelRequest* ModelState::registered(ReqId id, Place place) const {
  return const_cast<ModelState*>(this)->registered(id, place);
}

std::size_t ModelState::count(Place place) const {
  return static_cast<std::size_t>(std::count_if(requests.begin(), requests.end(),
                                                [&](const ModelRequest& r) { return r.place == place; }));
}

bool ModelState::operator==(const ModelState& other) const {
  return failed_attempts == other.failed_attempts && started == other.started && stopped == other.stopped &&
         std::equal(requests.begin(), requests.end(), other.requests.begin(), other.requests.end(),
                    visible_equal);
}

bool shows(const Snapshot& snapshot, const ModelState& state) {
  if (snapshot.failed_attempts != state.failed_attempts || snapshot.started != state.started ||
      snapshot.stopped != state.stopped || snapshot.last_id != state.last_id()) {
    return false;
  }
  std::size_t shown = 0;
  auto all_shown = [&](const std::vector<Snapshot::Request>& requests, Place where) {
    for (const auto& r : requests) {
      if (r.id == 0 || r.id > snapshot.last_id) continue;  // As abstract() does.
      if (!shows(r, state.requests[r.id - 1], where)) return false;
      ++shown;
    }
    return true;
  };
  return all_shown(snapshot.pending, Place::pending) &&
         all_shown(snapshot.established, Place::established) &&
         shown == state.requests.size() - state.count(Place::gone);
}

void abstract(const Snapshot& snapshot, ModelState& state) {
  state.requests.resize(snapshot.last_id);
  for (ModelRequest& r : state.requests) r.place = Place::gone;
  auto place = [&](const std::vector<Snapshot::Request>& requests, Place where) {
    for (const auto& r : requests) {
      if (r.id == 0 || r.id > snapshot.last_id) continue;  // The invariants report it.
      ModelRequest& m = state.requests[r.id - 1];
      m.place = where;
      m.address = r.address;
      m.permanent = r.permanent;
      m.origin = r.origin;
      m.state = r.state;
      m.retry_count = r.retry_count;
      m.dialing = r.dialing;
      m.retry_scheduled = r.retry_scheduled;
    }
  };
  place(snapshot.pending, Place::pending);
  place(snapshot.established, Place::established);
  state.failed_attempts = snapshot.failed_attempts;
  state.started = snapshot.started;
  state.stopped = snapshot.stopped;
}

std::string describe_difference(const ModelState& expected, const ModelState& observed) {
  std::string out;
  const ReqId ids = std::max(expected.last_id(), observed.last_id());
  for (ReqId id = 1; id <= ids; ++id) {
    const ModelRequest gone = make_request(Place::gone, "", false, Origin::manual);
    const ModelRequest& e = id <= expected.last_id() ? expected.requests[id - 1] : gone;
    const ModelRequest& o = id <= observed.last_id() ? observed.requests[id - 1] : gone;
    if (!visible_equal(e, o))
      out += " reqid " + std::to_string(id) + ": expected " + describe(e) + ", observed " + describe(o) + ";";
  }
  auto scalar = [&](const char* name, std::uint64_t e, std::uint64_t o) {
    if (e != o)
      out += std::string(" ") + name + ": expected " + std::to_string(e) + ", observed " + std::to_string(o) +
             ";";
  };
  scalar("last_id", expected.last_id(), observed.last_id());
  scalar("failed_attempts", expected.failed_attempts, observed.failed_attempts);
  scalar("started", expected.started, observed.started);
  scalar("stopped", expected.stopped, observed.stopped);
  return out;
}

void Results::add(const std::error_code& error) {
  if (contains(error) || size_ == items_.size()) return;
  items_[size_++] = error;
}

void Results::add_all(const Results& other) {
  for (std::size_t i = 0; i < other.size_; ++i) add(other.items_[i]);
}

bool Results::contains(const std::error_code& error) const {
  return std::find(items_.begin(), items_.begin() + static_cast<std::ptrdiff_t>(size_), error) !=
         items_.begin() + static_cast<std::ptrdiff_t>(size_);
}

std::string Results::describe() const {
  std::string text = "{";
  for (std::size_t i = 0; i < size_; ++i) {
    text += (i > 0 ? ", " : "") + (items_[i] ? items_[i].message() : std::string("ok"));
  }
  return text + "}";
}

const ModelRequest* ReferenceModel::find(ReqId id) const {
  return id == 0 || id > state_.last_id() ? nullptr : &state_.requests[id - 1];
}

ConnState ReferenceModel::state_of(ReqId id) const {
  const ModelRequest* r = find(id);
  return r == nullptr ? ConnState::pending : r->state;
}

ReqId ReferenceModel::id_of(int request) const {
  const auto key = static_cast<std::size_t>(request);
  return request < 0 || key >= ids_.size() ? 0 : ids_[key];
}

std::uint64_t ReferenceModel::connections_of(ReqId id) const {
  const ModelRequest* r = find(id);
  return r == nullptr ? 0 : r->connections;
}

std::uint64_t ReferenceModel::disconnections_of(ReqId id) const {
  const ModelRequest* r = find(id);
  return r == nullptr ? 0 : r->disconnections;
}

int ReferenceModel::caller_of(ReqId id) const {
  const ModelRequest* r = find(id);
  return r == nullptr ? -1 : r->caller;
}

std::error_code ReferenceModel::start() {
  if (state_.stopped) return Errc::shut_down;
  if (state_.started) return Errc::already_started;
  state_.started = true;
  if (config_.automatic) automatic_slots_ += config_.target_outbound;
  return {};
}

void ReferenceModel::restart(Config config) {
  config_ = config;
  state_.requests.clear();
  state_.failed_attempts = 0;
  state_.started = false;
  state_.stopped = false;
  ids_.clear();
  now_ = {};
  automatic_slots_ = 0;
  throttled_slots_.clear();
}

// stop() cancels every timer: no request waits for a retry any more.
void ReferenceModel::stop() {
  state_.stopped = true;
  for (ModelRequest& request : state_.requests) request.retry_scheduled = false;
}

ReqId ReferenceModel::connect(int request, const std::string& address, bool permanent, int caller,
                              bool caller_canceled, Results& rejections) {
  rejections.clear();
  if (state_.stopped) rejections.add(Errc::shut_down);
  if (id_of(request) != 0) rejections.add(Errc::request_reused);
  if (caller_canceled) rejections.add(Errc::canceled);
  if (!rejections.empty()) return 0;
  ModelRequest r = make_request(Place::pending, address, permanent, Origin::manual);
  r.dialing = true;
  r.caller = caller;
  state_.requests.push_back(std::move(r));
  const auto key = static_cast<std::size_t>(request);
  if (key >= ids_.size()) ids_.resize(key + 1, 0);
  ids_[key] = state_.last_id();
  return state_.last_id();
}

Results ReferenceModel::complete(ReqId id, const DialResult& dial, bool caller_canceled) {
  ModelRequest* r = state_.registered(id, Place::pending);
  if (r == nullptr || !r->dialing) {
    if (state_.stopped) return {Errc::canceled, Errc::shut_down};
    return {Errc::canceled};
  }
  r->dialing = false;
  const bool success = dial.connection && !dial.error;
  if (success && !state_.stopped) {
    r->place = Place::established;
    r->state = ConnState::established;
    r->retry_count = 0;
    ++r->connections;
    state_.failed_attempts = 0;
    return {std::error_code{}};
  }
  Results results;
  if (success) {
    results.add(Errc::shut_down);
  } else {
    results.add(dial.error ? dial.error : make_error_code(Errc::nil_connection));
    if (r->caller >= 0) results.add(Errc::canceled);
    if (config_.dial_timeout) results.add(Errc::deadline_exceeded);
    if (state_.stopped) results.add(Errc::shut_down);
  }
  fail_request(*r, caller_canceled);
  return results;
}

void ReferenceModel::fail_request(ModelRequest& r, bool caller_canceled) {
  r.state = ConnState::failed;
  if (r.permanent) {
    if (!state_.stopped && !caller_canceled) schedule_retry(r);
    return;
  }
  r.place = Place::gone;
  if (r.origin == Origin::automatic) replace_automatic();
}

// A.4: linear back-off, retry_count x retry_duration, capped at max_retry_duration.
void ReferenceModel::schedule_retry(ModelRequest& r) {
  ++r.retry_count;
  r.retry_scheduled = true;
  const auto steps =
      static_cast<std::uint64_t>(config_.max_retry_duration / std::max(config_.retry_duration, Duration(1)));
  r.retry_due =
      now_ + (r.retry_count >= steps ? config_.max_retry_duration : config_.retry_duration * r.retry_count);
}

void ReferenceModel::replace_automatic() {
  if (state_.stopped || !config_.automatic) return;
  if (++state_.failed_attempts >= kMaxFailedAttempts && config_.timed) {
    throttled_slots_.push_back(now_ + config_.retry_duration);
  } else {
    ++automatic_slots_;
  }
}

bool ReferenceModel::take_automatic_slot() {
  if (automatic_slots_ != 0) {
    --automatic_slots_;
    return true;
  }
  auto due =
      std::find_if(throttled_slots_.begin(), throttled_slots_.end(), [&](TimePoint t) { return t <= now_; });
  if (due == throttled_slots_.end()) return false;
  throttled_slots_.erase(due);
  return true;
}

std::error_code ReferenceModel::disconnect_or_remove(ReqId id, bool retry) {
  if (ModelRequest* r = state_.registered(id, Place::pending)) {
    r->place = Place::gone;
    r->state = ConnState::canceled;
    r->redials_owed = 0;
    return {};
  }
  ModelRequest* r = state_.registered(id, Place::established);
  if (r == nullptr) return Errc::not_found;
  ++r->disconnections;
  if (retry && r->permanent && !state_.stopped) {
    r->place = Place::pending;
    r->state = ConnState::pending;
    schedule_retry(*r);
    return {};
  }
  r->place = Place::gone;
  r->state = ConnState::disconnected;
  if (retry && r->origin == Origin::automatic && state_.count(Place::established) < config_.target_outbound) {
    replace_automatic();
  }
  return {};
}

std::error_code ReferenceModel::cancel_pending(const std::string& address) {
  for (ModelRequest& r : state_.requests) {
    if (r.place != Place::pending || r.address != address) continue;
    r.place = Place::gone;
    r.state = ConnState::canceled;
    r.redials_owed = 0;
    return {};
  }
  return Errc::not_found;
}

void ReferenceModel::for_each(Listing& listing) const {
  listing.clear();
  for (ReqId id = 1; id <= state_.last_id(); ++id) {
    const ModelRequest& r = state_.requests[id - 1];
    if (r.place != Place::gone) listing.emplace_back(id, r.state);
  }
}

bool ReferenceModel::automatic_register(const std::string& address) {
  if (state_.stopped) return true;
  if (!take_automatic_slot()) return false;
  ModelRequest r = make_request(Place::pending, address, false, Origin::automatic);
  r.dialing = true;
  state_.requests.push_back(std::move(r));
  return true;
}

bool ReferenceModel::address_failed() {
  if (state_.stopped) return true;
  if (!take_automatic_slot()) return false;
  replace_automatic();
  return true;
}

bool ReferenceModel::retry_fired(ReqId id, bool caller_canceled) {
  ModelRequest* r = state_.registered(id, Place::pending);
  if (state_.stopped || r == nullptr || !r->retry_scheduled) return false;
  if (config_.timed && now_ != r->retry_due) return false;
  r->retry_scheduled = false;
  if (!caller_canceled) ++r->redials_owed;
  return true;
}

bool ReferenceModel::redial(ReqId id) {
  ModelRequest* r = state_.registered(id, Place::pending);
  if (state_.stopped || r == nullptr || r->dialing || r->retry_scheduled || r->redials_owed == 0)
    return false;
  --r->redials_owed;
  r->dialing = true;
  return true;
}

}  // namespace connmgr::check

// Definitions of ConnManager<Platform>; included by conn_manager.h only.
#pragma once

#include <algorithm>
#include <exception>
#include <limits>
#include <optional>
#include <type_traits>
#include <utility>

namespace connmgr {
namespace detail {

template <class P>
std::error_code validate(const Config<P>& config) {
  if (config.dialer == nullptr) return Errc::no_dialer;
  if (config.clock == nullptr) return Errc::no_clock;
  if (config.executor == nullptr) return Errc::no_executor;
  const auto& listeners = config.listeners;
  if (std::find(listeners.begin(), listeners.end(), nullptr) != listeners.end())
    return Errc::null_listener;
  if (!listeners.empty() && !config.on_accept) return Errc::listeners_without_accept_callback;
  if (config.retry_duration < Duration::zero()) return Errc::negative_retry_duration;
  if (config.max_retry_duration <= Duration::zero()) return Errc::invalid_max_retry_duration;
  if (config.dial_timeout < Duration::zero()) return Errc::negative_dial_timeout;
  return {};
}

// Linear back-off: retry_count × retry_duration, capped, computed without overflow.
inline Duration retry_delay(std::uint32_t retry_count, Duration retry_duration, Duration cap) {
  if (retry_count >= cap / retry_duration) return cap;
  return retry_duration * retry_count;
}

inline std::string describe_exception(std::exception_ptr error) {
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    return e.what();
  } catch (...) {
    return "unknown exception";
  }
}

}  // namespace detail

template <class P, Design D>
std::unique_ptr<BasicConnManager<P, D>> BasicConnManager<P, D>::create(Config<P> config, std::error_code& error) {
  error = detail::validate(config);
  if (error) return nullptr;
  if (config.retry_duration == Duration::zero()) config.retry_duration = kDefaultRetryDuration;
  if (config.target_outbound == 0) config.target_outbound = kDefaultTargetOutbound;
  return std::unique_ptr<BasicConnManager>(new BasicConnManager(std::move(config)));
}

template <class P, Design D>
BasicConnManager<P, D>::~BasicConnManager() {
  stop();
  wait();
  EntryMap entries;
  {
    LockGuard<Mutex> lock(mu_);
    auto& r = registry();
    entries = std::exchange(r.entries, {});
    r.established = 0;
  }
  for (auto& [id, entry] : entries) {
    if (!entry.established) continue;
    Effects fx;
    fx.close = std::move(entry.conn);
    apply(fx);
  }
}

template <class P, Design D>
std::error_code BasicConnManager<P, D>::start() {
  if (kEventLoop && handler_queue_.open()) spawn_drain();
  std::size_t automatic = 0;
  const std::error_code error = exclusive([&]() REQUIRES(mu_) -> std::error_code {
    auto& r = registry();
    if (r.stopped) return Errc::shut_down;
    if (r.started) return Errc::already_started;
    r.started = true;
    automatic = config_.get_new_address ? config_.target_outbound : 0;
    add_work(config_.listeners.size() + automatic);
    return {};
  });
  if (error) return error;
  for (Listener* listener : config_.listeners) {
    spawn([this, listener] {
      accept_loop(listener);
      finish_work_unlocked();
    });
  }
  for (std::size_t i = 0; i < automatic; ++i) {
    spawn([this] {
      automatic_request();
      finish_work_unlocked();
    });
  }
  return {};
}

template <class P, Design D>
void BasicConnManager<P, D>::stop() {
  std::vector<std::pair<ReqPtr, Attempt>> dials;
  {
    LockGuard<Mutex> lock(mu_);
    if (view().stopped) return;  // Idempotent: a repeated stop() only reads the registry.
    auto& r = registry();
    r.stopped = true;
    for (auto& [id, entry] : r.entries) {
      if (entry.dial) dials.emplace_back(entry.req, entry.dial);
      // A timer firing right now is retired by on_timer(), which then finds it is not current.
      entry.retry_timer = 0;
      entry.deadline_timer = 0;
    }
    for (auto it = r.timers.begin(); it != r.timers.end();) {
      if (config_.clock->cancel(it->second.clock_id)) {
        it = r.timers.erase(it);
        finish_work();
      } else {
        ++it;  // Firing right now: on_timer() retires it.
      }
    }
    changed_.notify_all(mu_);
  }
  // Messages queued before start() must still be answered.
  if (kEventLoop && handler_queue_.open()) spawn_drain();
  for (auto& [req, attempt] : dials) req->dial_.cancel(attempt, Errc::shut_down);
  for (Listener* listener : config_.listeners) {
    try {
      listener->close();
    } catch (...) {
      log(LogLevel::error, [&] {
        return "listener close threw: " + detail::describe_exception(std::current_exception());
      });
    }
  }
}

template <class P, Design D>
void BasicConnManager<P, D>::wait() {
  LockGuard<Mutex> lock(mu_);
  while (!(view().stopped && outstanding_work_.load(std::memory_order_acquire) == 0))
    changed_.wait(mu_);
}

template <class P, Design D>
std::error_code BasicConnManager<P, D>::run() {
  if (auto error = start()) return error;
  wait();
  return {};
}

template <class P, Design D>
std::error_code BasicConnManager<P, D>::connect(const ReqPtr& req, CancelPtr cancel) {
  if (req == nullptr || req->address().empty()) return Errc::invalid_request;
  ReqId id = 0;
  Attempt attempt = 0;
  const std::error_code error = exclusive([&]() REQUIRES(mu_) -> std::error_code {
    auto& r = registry();
    if (r.stopped) return Errc::shut_down;
    if (req->id() != 0) return Errc::request_reused;
    if (cancel && cancel->canceled()) return Errc::canceled;
    id = ++r.last_id;
    req->id_.store(id, std::memory_order_release);
    req->state_.store(ConnState::pending, std::memory_order_release);
    attempt = register_pending(id, Entry{req, cancel, nullptr});
    return {};
  });
  if (error) return error;
  return dial_registered(id, req, attempt, cancel);
}

template <class P, Design D>
std::error_code BasicConnManager<P, D>::dial_registered(ReqId id, const ReqPtr& req, Attempt attempt,
                                                const CancelPtr& caller) {
  if (caller) caller->attach(&req->dial_, attempt);
  NetOutcome outcome = call_dialer(*req);
  req->dial_.clear_cancel_handler();
  if (caller) caller->detach(&req->dial_);
  return complete_dial(id, *req, attempt, std::move(outcome));
}

template <class P, Design D>
NetOutcome BasicConnManager<P, D>::call_dialer(Req& req) {
  try {
    return config_.dialer->dial(req.address(), req.dial_);
  } catch (...) {
    log(LogLevel::error, [&] {
      return "dialer threw for " + req.address() + ": " +
             detail::describe_exception(std::current_exception());
    });
    return {nullptr, Errc::dialer_threw};
  }
}

// Rows 2, 2′, 3 and 3′ of spec A.5: the outcome counts only if this dial is still the request's
// current dial, inside this critical section.
template <class P, Design D>
std::error_code BasicConnManager<P, D>::complete_dial(ReqId id, Req& req, Attempt attempt,
                                                      NetOutcome outcome) {
  if (!outcome.error && !outcome.conn) outcome.error = Errc::nil_connection;
  if (auto reason = req.dial_.cancellation(); reason && outcome.error) outcome.error = reason;
  Effects fx;
  const std::error_code result = exclusive([&]() REQUIRES(mu_) -> std::error_code {
    auto& r = registry();
    auto it = r.entries.find(id);
    if (it == r.entries.end() || it->second.dial != attempt) {
      fx.close = std::move(outcome.conn);
      return r.stopped ? Errc::shut_down : Errc::canceled;
    }
    Entry& entry = it->second;
    entry.dial = 0;
    disarm_timer(std::exchange(entry.deadline_timer, 0));
    if (r.stopped && !outcome.error) outcome.error = Errc::shut_down;
    if (outcome.error) {
      fx.close = std::move(outcome.conn);
      handle_failure(it, fx);
      return outcome.error;
    }
    r.pending_by_address.erase(*entry.req);
    entry.established = true;
    ++r.established;
    entry.retry_count = 0;
    r.failed_attempts = 0;
    entry.req->state_.store(ConnState::established, std::memory_order_release);
    if (config_.on_connection) {
      spawn_later(fx, guarded_callback([this, req = entry.req, conn = outcome.conn] {
                    config_.on_connection(req, conn);
                  }));
    }
    entry.conn = std::move(outcome.conn);
    return {};
  });
  if (outcome.error && result != Errc::canceled) {
    log(LogLevel::debug, [&] { return "dial of reqid " + std::to_string(id) + " failed: " +
                                      outcome.error.message(); });
  }
  apply(fx);
  return result;
}

// A failed request leaves the registry unless it is permanent; a permanent one stays registered
// (Failed) and is retried while the manager runs and its caller has not canceled it.
template <class P, Design D>
void BasicConnManager<P, D>::handle_failure(typename EntryMap::iterator it, Effects& fx) {
  auto& r = registry();
  Entry& entry = it->second;
  entry.req->state_.store(ConnState::failed, std::memory_order_release);
  if (entry.req->permanent()) {
    if (!r.stopped && !(entry.caller && entry.caller->canceled())) schedule_retry(entry);
    return;
  }
  const bool automatic = entry.req->origin() == Origin::automatic;
  unregister_pending(it);
  if (automatic) replace_automatic(fx);
}

template <class P, Design D>
void BasicConnManager<P, D>::schedule_retry(Entry& entry) {
  if (entry.retry_count < std::numeric_limits<std::uint32_t>::max()) ++entry.retry_count;
  const Duration delay = detail::retry_delay(entry.retry_count, config_.retry_duration,
                                             config_.max_retry_duration);
  entry.retry_timer = arm_timer(delay, TimerKind::retry, entry.req->id());
}

// One automatic attempt failed or one automatic connection went away: start its replacement, at
// once, or after retry_duration once kMaxFailedAttempts attempts in a row have failed.
template <class P, Design D>
void BasicConnManager<P, D>::replace_automatic(Effects& fx) {
  auto& r = registry();
  if (r.stopped || !config_.get_new_address) return;
  if (++r.failed_attempts >= kMaxFailedAttempts) {
    arm_timer(config_.retry_duration, TimerKind::throttle, 0);
    return;
  }
  spawn_later(fx, [this] { automatic_request(); });
}

template <class P, Design D>
void BasicConnManager<P, D>::redial(ReqId id) {
  ReqPtr req;
  Attempt attempt = 0;
  CancelPtr caller;
  const bool dialing = exclusive([&]() REQUIRES(mu_) {
    auto& r = registry();
    auto it = r.entries.find(id);
    if (r.stopped || it == r.entries.end() || it->second.established || it->second.dial)
      return false;
    Entry& entry = it->second;
    entry.dial = attempt = entry.req->dial_.begin_attempt();
    if (config_.dial_timeout > Duration::zero())
      entry.deadline_timer = arm_timer(config_.dial_timeout, TimerKind::deadline, id);
    req = entry.req;
    caller = entry.caller;
    return true;
  });
  if (dialing) dial_registered(id, req, attempt, caller);
}

template <class P, Design D>
void BasicConnManager<P, D>::automatic_request() {
  if (stopped()) return;
  std::optional<std::string> address;
  try {
    address = config_.get_new_address();
  } catch (...) {
    log(LogLevel::warning, [&] {
      return "get_new_address threw: " + detail::describe_exception(std::current_exception());
    });
  }
  if (!address || address->empty()) {
    Effects fx;
    exclusive([&]() REQUIRES(mu_) { replace_automatic(fx); });
    apply(fx);
    return;
  }
  auto req = std::make_shared<Req>(typename Req::AutomaticKey{}, std::move(*address));
  Attempt attempt = 0;
  const ReqId id = exclusive([&]() REQUIRES(mu_) -> ReqId {
    auto& r = registry();
    if (r.stopped) return 0;
    const ReqId assigned = ++r.last_id;
    req->id_.store(assigned, std::memory_order_release);
    attempt = register_pending(assigned, Entry{req, nullptr, nullptr});
    return assigned;
  });
  if (id != 0) dial_registered(id, req, attempt, nullptr);
}

template <class P, Design D>
void BasicConnManager<P, D>::accept_loop(Listener* listener) {
  Duration backoff{0};
  for (;;) {
    if (stopped()) return;
    NetOutcome accepted;
    try {
      accepted = listener->accept();
    } catch (...) {
      accepted = {nullptr, std::make_error_code(std::errc::io_error)};
    }
    if (!accepted.error && !accepted.conn) accepted.error = Errc::nil_connection;
    Effects fx;
    const Token backoff_timer = exclusive([&]() REQUIRES(mu_) -> Token {
      auto& r = registry();
      if (accepted.error || r.stopped) {
        fx.close = std::move(accepted.conn);
      } else {
        spawn_later(fx, guarded_callback([this, conn = accepted.conn] { config_.on_accept(conn); }));
      }
      if (!accepted.error) {
        backoff = Duration::zero();
        return 0;
      }
      if (r.stopped) return 0;
      // Section 0, item 9: a listener whose accept keeps failing backs off instead of spinning.
      backoff = std::clamp(backoff * 2, Duration(std::chrono::milliseconds(5)),
                           Duration(std::chrono::seconds(1)));
      return arm_timer(backoff, TimerKind::listener_backoff, 0);
    });
    apply(fx);
    if (backoff_timer != 0) {
      log(LogLevel::warning, [&] {
        return "accept on " + listener->local_address() + " failed: " + accepted.error.message();
      });
      LockGuard<Mutex> lock(mu_);
      while (!view().stopped && view().timers.count(backoff_timer) != 0) changed_.wait(mu_);
    }
  }
}

template <class P, Design D>
void BasicConnManager<P, D>::on_timer(Token token) {
  Effects fx;
  const bool fired = exclusive([&]() REQUIRES(mu_) {
    auto& r = registry();
    auto found = r.timers.find(token);
    if (found == r.timers.end()) return false;  // Canceled (cancel() returned true) never fires.
    const Timer timer = found->second;
    r.timers.erase(found);
    auto entry = r.entries.find(timer.req);
    const bool live_entry = !r.stopped && entry != r.entries.end() && !entry->second.established;
    switch (timer.kind) {
      case TimerKind::retry:
        if (live_entry && entry->second.retry_timer == token) {
          entry->second.retry_timer = 0;
          if (!(entry->second.caller && entry->second.caller->canceled()))
            spawn_later(fx, [this, id = timer.req] { redial(id); });
        }
        break;
      case TimerKind::deadline:
        if (live_entry && entry->second.deadline_timer == token && entry->second.dial) {
          entry->second.deadline_timer = 0;
          fx.dial_to_cancel = entry->second.req;
          fx.attempt_to_cancel = entry->second.dial;
          fx.cancel_reason = Errc::deadline_exceeded;
        }
        break;
      case TimerKind::throttle:
        if (!r.stopped) spawn_later(fx, [this] { automatic_request(); });
        break;
      case TimerKind::listener_backoff:
        changed_.notify_all(mu_);
        break;
    }
    return true;
  });
  apply(fx);
  // Retired only now: until the work it spawned is handed over, wait() must not return.
  if (fired) finish_work_unlocked();
}

template <class P, Design D>
std::error_code BasicConnManager<P, D>::disconnect(ReqId id) {
  return disconnect_or_remove(id, true);
}

template <class P, Design D>
std::error_code BasicConnManager<P, D>::remove(ReqId id) {
  return disconnect_or_remove(id, false);
}

template <class P, Design D>
std::error_code BasicConnManager<P, D>::disconnect_or_remove(ReqId id, bool retry) {
  if constexpr (kEventLoop) {
    if (!stopped()) {
      post([this, id, retry](Effects& fx) REQUIRES(mu_) {
        (void)disconnect_locked(id, retry, fx);
      });
    }
    return {};
  } else {
    Effects fx;
    const auto result =
        exclusive([&]() REQUIRES(mu_) { return disconnect_locked(id, retry, fx); });
    apply(fx);
    return result;
  }
}

// Rows 4 to 10 of spec A.5, with section 0 item 6 (a disconnected request ends Disconnected).
template <class P, Design D>
std::error_code BasicConnManager<P, D>::disconnect_locked(ReqId id, bool retry, Effects& fx) {
  // Looked up through view(): a call that finds nothing only read the registry.
  const auto& seen = view();
  const auto found = seen.entries.find(id);
  if (found == seen.entries.end()) return Errc::not_found;
  auto& r = registry();
  const auto it = r.entries.begin() + (found - seen.entries.begin());
  Entry& entry = it->second;
  if (!entry.established) {
    cancel_pending_entry(it, fx);
    return {};
  }
  fx.close = std::move(entry.conn);
  entry.established = false;
  --r.established;
  if (config_.on_disconnection) {
    spawn_later(fx, guarded_callback([this, req = entry.req] { config_.on_disconnection(req); }));
  }
  if (retry && entry.req->permanent() && !r.stopped) {
    entry.req->state_.store(ConnState::pending, std::memory_order_release);
    schedule_retry(entry);
    index_pending(*entry.req);
    return {};
  }
  entry.req->state_.store(ConnState::disconnected, std::memory_order_release);
  const bool automatic = entry.req->origin() == Origin::automatic;
  r.entries.erase(it);
  if (retry && automatic && r.established < config_.target_outbound) replace_automatic(fx);
  return {};
}

template <class P, Design D>
std::error_code BasicConnManager<P, D>::cancel_pending(const std::string& address) {
  const std::size_t hash = address_hash(address);
  Effects fx;
  const std::error_code result = exclusive([&]() REQUIRES(mu_) -> std::error_code {
    auto& r = registry();
    if (kEventLoop && r.stopped) return Errc::shut_down;
    ReqId lowest = 0;
    r.pending_by_address.for_each_candidate(hash, [&](const Req& candidate) {
      const ReqId id = candidate.id();
      if (candidate.address() == address && (lowest == 0 || id < lowest)) lowest = id;
    });
    if (lowest == 0) return Errc::not_found;
    cancel_pending_entry(r.entries.find(lowest), fx);
    return {};
  });
  apply(fx);
  return result;
}

template <class P, Design D>
template <class Visitor>
std::error_code BasicConnManager<P, D>::for_each_conn_req(Visitor&& visit) {
  return exclusive([&]() REQUIRES(mu_) -> std::error_code {
    const auto& r = view();
    if (kEventLoop && r.stopped) return Errc::shut_down;
    const std::size_t pending = r.entries.size() - r.established;
    for (const bool established : {false, true}) {
      if ((established ? r.established : pending) == 0) continue;
      for (const auto& [id, entry] : r.entries) {
        if (entry.established != established) continue;
        if (std::error_code error = visit(entry.req)) return error;
      }
    }
    return {};
  });
}

template <class P, Design D>
Snapshot BasicConnManager<P, D>::snapshot() const {
  Snapshot snapshot;
  this->snapshot(snapshot);
  return snapshot;
}

template <class P, Design D>
void BasicConnManager<P, D>::snapshot(Snapshot& into) const {
  LockGuard<Mutex> lock(mu_);
  const auto& r = view();
  into.pending.resize(r.entries.size() - r.established);
  into.established.resize(r.established);
  auto pending = into.pending.begin();
  auto established = into.established.begin();
  for (const auto& [id, entry] : r.entries) {
    Snapshot::Request& request = *(entry.established ? established++ : pending++);
    request.id = entry.req->id();
    request.state = entry.req->state();
    request.address = entry.req->address();
    request.permanent = entry.req->permanent();
    request.origin = entry.req->origin();
    request.retry_count = entry.retry_count;
    request.has_connection = entry.conn != nullptr;
    request.dialing = entry.dial != 0;
    request.retry_scheduled = entry.retry_timer != 0;
  }
  into.pending_by_address = r.pending_by_address.size();
  into.failed_attempts = r.failed_attempts;
  into.outstanding_work = outstanding_work_.load(std::memory_order_relaxed);
  into.armed_timers = r.timers.size();
  into.last_id = r.last_id;
  into.target_outbound = config_.target_outbound;
  into.started = r.started;
  into.stopped = r.stopped;
}

template <class P, Design D>
typename BasicConnManager<P, D>::Attempt BasicConnManager<P, D>::register_pending(ReqId id,
                                                                                 Entry entry) {
  auto& r = registry();
  if (config_.dial_timeout > Duration::zero())
    entry.deadline_timer = arm_timer(config_.dial_timeout, TimerKind::deadline, id);
  const Attempt attempt = entry.dial = entry.req->dial_.begin_attempt();
  index_pending(*entry.req);
  r.entries.emplace(id, std::move(entry));
  return attempt;
}

template <class P, Design D>
void BasicConnManager<P, D>::index_pending(Req& req) {
  registry().pending_by_address.insert(req);
}

template <class P, Design D>
void BasicConnManager<P, D>::unregister_pending(typename EntryMap::iterator it) {
  auto& r = registry();
  r.pending_by_address.erase(*it->second.req);
  r.entries.erase(it);
}

// Rows 4, 8 and 11 of spec A.5.
template <class P, Design D>
void BasicConnManager<P, D>::cancel_pending_entry(typename EntryMap::iterator it, Effects& fx) {
  Entry& entry = it->second;
  entry.req->state_.store(ConnState::canceled, std::memory_order_release);
  if (entry.dial != 0) {
    fx.dial_to_cancel = entry.req;
    fx.attempt_to_cancel = entry.dial;
    fx.cancel_reason = Errc::canceled;
  }
  disarm_timer(entry.retry_timer);
  disarm_timer(entry.deadline_timer);
  unregister_pending(it);
}

template <class P, Design D>
typename BasicConnManager<P, D>::Token BasicConnManager<P, D>::arm_timer(Duration delay, TimerKind kind, ReqId req) {
  auto& r = registry();
  const Token token = ++r.last_token;
  const TimerId clock_id = config_.clock->schedule(delay, [this, token] { on_timer(token); });
  r.timers.emplace(token, Timer{clock_id, kind, req});
  add_work(1);
  return token;
}

// A timer that is firing right now cannot be canceled; on_timer() then retires it and, finding
// that its entry no longer points at it, does nothing else.
template <class P, Design D>
void BasicConnManager<P, D>::disarm_timer(Token token) {
  if (token == 0) return;
  auto& r = registry();
  auto it = r.timers.find(token);
  if (it == r.timers.end() || !config_.clock->cancel(it->second.clock_id)) return;
  r.timers.erase(it);
  finish_work();
}

template <class P, Design D>
template <class F>
void BasicConnManager<P, D>::spawn_later(Effects& fx, F&& task) {
  add_work(1);
  fx.spawn[fx.spawned++] = [this, task = std::forward<F>(task)] {
    task();
    finish_work_unlocked();
  };
}

template <class P, Design D>
void BasicConnManager<P, D>::spawn(Task task) {
  try {
    config_.executor->spawn(std::move(task));
  } catch (...) {
    log(LogLevel::error, [&] {
      return "executor rejected work: " + detail::describe_exception(std::current_exception());
    });
    finish_work_unlocked();
  }
}

template <class P, Design D>
template <class Body>
auto BasicConnManager<P, D>::exclusive(Body&& body) {
  if constexpr (!kEventLoop) {
    LockGuard<Mutex> lock(mu_);
    return body();
  } else if constexpr (std::is_void_v<decltype(body())>) {
    Message message{[&] {
      LockGuard<Mutex> lock(mu_);
      body();
    }};
    submit(&message);
    handler_queue_.wait(message);
  } else {
    std::optional<decltype(body())> result;
    Message message{[&] {
      LockGuard<Mutex> lock(mu_);
      result.emplace(body());
    }};
    submit(&message);
    handler_queue_.wait(message);
    return std::move(*result);
  }
}

template <class P, Design D>
template <class Body>
void BasicConnManager<P, D>::post(Body&& body) {
  auto* message = new Message{[this, body = std::forward<Body>(body)]() mutable {
    Effects fx;
    {
      LockGuard<Mutex> lock(mu_);
      body(fx);
    }
    apply(fx);
  }};
  message->owned = true;
  submit(message);
}

template <class P, Design D>
void BasicConnManager<P, D>::submit(Message* message) {
  if (handler_queue_.push(message)) spawn_drain();
}

// The handler of the event-loop design: one task at a time runs the queued critical sections.
template <class P, Design D>
void BasicConnManager<P, D>::spawn_drain() {
  {
    LockGuard<Mutex> lock(mu_);
    add_work(1);
  }
  spawn([this] {
    while (Message* message = handler_queue_.next()) {
      message->run();
      handler_queue_.finish(message);
    }
    finish_work_unlocked();
  });
}

template <class P, Design D>
bool BasicConnManager<P, D>::stopped() const {
  LockGuard<Mutex> lock(mu_);
  return view().stopped;
}

template <class P, Design D>
void BasicConnManager<P, D>::add_work(std::size_t units) {
  outstanding_work_.fetch_add(units, std::memory_order_relaxed);
}

template <class P, Design D>
void BasicConnManager<P, D>::finish_work() {
  if (outstanding_work_.fetch_sub(1, std::memory_order_acq_rel) == 1) changed_.notify_all(mu_);
}

template <class P, Design D>
void BasicConnManager<P, D>::finish_work_unlocked() {
  std::size_t units = outstanding_work_.load(std::memory_order_relaxed);
  while (units > 1) {
    if (outstanding_work_.compare_exchange_strong(units, units - 1, std::memory_order_acq_rel)) return;
  }
  LockGuard<Mutex> lock(mu_);
  finish_work();
}

template <class P, Design D>
void BasicConnManager<P, D>::apply(Effects& fx) {
  if (fx.dial_to_cancel) fx.dial_to_cancel->dial_.cancel(fx.attempt_to_cancel, fx.cancel_reason);
  if (fx.close) {
    try {
      fx.close->close();
    } catch (...) {
      log(LogLevel::error, [&] {
        return "connection close threw: " + detail::describe_exception(std::current_exception());
      });
    }
  }
  for (std::size_t i = 0; i < fx.spawned; ++i) spawn(std::move(fx.spawn[i]));
}

template <class P, Design D>
template <class F>
auto BasicConnManager<P, D>::guarded_callback(F&& callback) {
  return [this, callback = std::forward<F>(callback)] {
    try {
      callback();
    } catch (...) {
      log(LogLevel::error, [&] {
        return "callback threw: " + detail::describe_exception(std::current_exception());
      });
    }
  };
}

template <class P, Design D>
template <class MakeMessage>
void BasicConnManager<P, D>::log(LogLevel level, MakeMessage&& make_message) const {
  if (!config_.log) return;
  try {
    config_.log(level, make_message());
  } catch (...) {
    // A throwing logger must not take the manager down; the message is lost.
  }
}

}  // namespace connmgr

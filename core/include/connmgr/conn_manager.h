// The connection manager (spec section A, with the corrections of section 0), in two designs that
// share every piece of logic not about concurrency (see Design in types.h).
//
// ConnManager (synchronous): every operation completes on the caller's thread under one mutex. Dials
// run on the thread that asked for them (connect()'s caller, or executor work for retries and
// automatic requests) with no lock held. Callbacks, retries and automatic requests are handed to
// the Executor; timers (retry back-off, the failure throttle, dial deadlines, listener back-off)
// to the Clock. The manager counts all of that work, and wait() returns only once it has finished,
// so nothing the manager started outlives it.
//
// Lifecycle: create() → [connect() works at once] → start() → ... → stop() → wait() → destroy.
// run() is start() followed by wait(), the counterpart of Go's Run(ctx), with stop() as the ctx.
//
// After stop(): connect() and start() fail with Errc::shut_down; no retry or automatic request
// starts; dials in flight are canceled (a connection that arrives anyway is closed and not
// tracked); disconnect(), remove(), cancel_pending() and for_each_conn_req() keep working on what
// is registered. Destroying the manager stops it, waits, and closes connections still tracked.
//
// EventLoopConnManager (spec section B): each operation's critical sections run as messages on a
// handler task instead of the caller's thread. Before start() the handler does not exist, so
// operations block until start(); disconnect() and remove() return once their message is queued
// (always {}, applied later); after stop() they are no-ops, and cancel_pending() and
// for_each_conn_req() return Errc::shut_down. Everything else is as above. stop(), wait() and
// snapshot() act directly in both designs.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <system_error>
#include <type_traits>
#include <unordered_map>
#include <vector>

#include "connmgr/address_index.h"
#include "connmgr/cancellation.h"
#include "connmgr/config.h"
#include "connmgr/conn_req.h"
#include "connmgr/id_map.h"
#include "connmgr/message_queue.h"
#include "connmgr/platform.h"

namespace connmgr {

// A consistent copy of the manager's registry, for invariant checks and tests. The counters come
// first and each request's address last, so that == (checkers compare every snapshot with the
// previous one) finds the usual difference, a counter, before it walks the lists.
struct Snapshot {
  struct Request {
    ReqId id = 0;
    ConnState state = ConnState::pending;
    bool permanent = false;
    Origin origin = Origin::manual;
    std::uint32_t retry_count = 0;
    bool has_connection = false;
    bool dialing = false;
    bool retry_scheduled = false;
    std::string address;
    friend bool operator==(const Request&, const Request&) = default;
  };
  std::size_t pending_by_address = 0;  // Entries of the address index (one per pending request).
  std::uint64_t failed_attempts = 0;
  // Spawned tasks and armed timers not yet finished. Read under the lock, but a finishing task
  // gives its unit back without the lock unless it is the last: it can change between sections.
  std::size_t outstanding_work = 0;
  std::size_t armed_timers = 0;
  ReqId last_id = 0;
  std::uint32_t target_outbound = 0;
  bool started = false;
  bool stopped = false;
  std::vector<Request> pending;      // Registered, not connected: dialing or waiting to retry.
  std::vector<Request> established;  // Connected.
  // Field by field, the requests in order (a registry listed in another order compares unequal).
  friend bool operator==(const Snapshot&, const Snapshot&) = default;
};

template <class Platform, Design kDesign>
class BasicConnManager {
 public:
  using Req = ConnReq<Platform>;
  using ReqPtr = ConnReqPtr<Platform>;

  // Validates `config` and applies its defaults. On an invalid config returns null and sets
  // `error` (an Errc); nothing is started either way.
  static std::unique_ptr<BasicConnManager> create(Config<Platform> config, std::error_code& error);

  ~BasicConnManager();
  BasicConnManager(const BasicConnManager&) = delete;
  BasicConnManager& operator=(const BasicConnManager&) = delete;

  // Starts the accept loops and target_outbound automatic requests (when get_new_address is
  // set), then returns. Errc::already_started on a second call, Errc::shut_down after stop().
  std::error_code start() EXCLUDES(mu_);
  // Idempotent, non-blocking, callable from any thread and from callbacks: cancels dials and
  // timers and closes the listeners. Registered requests stay registered.
  void stop() EXCLUDES(mu_);
  // Blocks until stop() was called and every task and timer the manager started has finished.
  // Must not be called from a callback (that callback is part of the work it waits for).
  void wait() EXCLUDES(mu_);
  // start(), then wait(): returns when stop() was called and all work finished.
  std::error_code run() EXCLUDES(mu_);

  // Registers `req` and dials it on this thread; returns when the request is established ({}),
  // or the dial failed (the dialer's error, Errc::deadline_exceeded, Errc::canceled,
  // Errc::nil_connection, Errc::dialer_threw). A permanent request that failed stays registered
  // and is retried. Errc::invalid_request, Errc::request_reused, Errc::shut_down are returned
  // without dialing. `cancel` (optional) abandons the dial and, for a permanent request, its
  // retries.
  std::error_code connect(const ReqPtr& req,
                          std::shared_ptr<CancelSource<Platform>> cancel = nullptr) EXCLUDES(mu_);

  // A pending id is canceled (state Canceled, dial canceled). An established id is closed and
  // unregistered; a permanent one is registered again and retried, a non-permanent automatic one
  // may be replaced. Errc::not_found for an unknown id.
  std::error_code disconnect(ReqId id) EXCLUDES(mu_);
  // Like disconnect(), but an established request ends Disconnected, never retried or replaced.
  std::error_code remove(ReqId id) EXCLUDES(mu_);
  // Cancels the pending request (lowest id first) whose address is `address`, in O(1) expected.
  // Errc::not_found if none.
  std::error_code cancel_pending(const std::string& address) EXCLUDES(mu_);

  // Calls visit(const ReqPtr&) -> std::error_code for every pending, then every established
  // request, stopping at and returning the first error. Runs under the manager's lock: `visit`
  // must not call into the manager.
  template <class Visitor>
  std::error_code for_each_conn_req(Visitor&& visit) EXCLUDES(mu_);

  Snapshot snapshot() const EXCLUDES(mu_);
  // The same into `into`, reusing its storage (for checkers that take one after every step).
  void snapshot(Snapshot& into) const EXCLUDES(mu_);

 private:
  // The registry's mutex. The synchronous design's callers queue up on it to run their critical
  // sections, so it lets an owner run several in a row where the platform offers that; the event
  // loop's handler is its only regular user.
  using Mutex = std::conditional_t<kDesign == Design::synchronous,
                                   typename BatchingMutexOf<Platform>::type, typename Platform::Mutex>;
  using Attempt = typename DialCancellation<Platform>::Attempt;
  using CancelPtr = std::shared_ptr<CancelSource<Platform>>;
  using Token = std::uint64_t;  // Names an armed timer; 0 = none.

  // A registered request. Pending and established entries share one table, so connecting flips
  // `established` instead of moving the entry between maps.
  struct Entry {
    ReqPtr req;
    CancelPtr caller;
    ConnectionPtr conn;  // Established entries only.
    Attempt dial = 0;    // The attempt number of the dial in flight, 0 if none (pending only).
    Token retry_timer = 0;
    Token deadline_timer = 0;
    std::uint32_t retry_count = 0;
    bool established = false;
  };
  using EntryMap = IdMap<Entry>;

  enum class TimerKind { retry, deadline, throttle, listener_backoff };
  struct Timer {
    TimerId clock_id = 0;
    TimerKind kind = TimerKind::retry;
    ReqId req = 0;
  };

  // All state the mutex guards. Reached only through registry() and view(), which report the
  // access to the platform's GuardProbe.
  struct Registry {
    EntryMap entries;  // Every registered request, pending or established.
    std::size_t established = 0;  // How many entries are established.
    AddressIndex<Req> pending_by_address;  // Every pending request, by its precomputed hash.
    std::unordered_map<Token, Timer> timers;
    std::uint64_t failed_attempts = 0;
    ReqId last_id = 0;
    Token last_token = 0;
    bool started = false;
    bool stopped = false;
  };

  // Side effects decided under the lock and carried out after it is released.
  struct Effects {
    ConnectionPtr close;
    ReqPtr dial_to_cancel;  // Whose dial attempt `attempt_to_cancel` to cancel, if any.
    Attempt attempt_to_cancel = 0;
    std::error_code cancel_reason;
    Task spawn[2];
    std::size_t spawned = 0;
  };

  static constexpr bool kEventLoop = kDesign == Design::event_loop;

  explicit BasicConnManager(Config<Platform> config) : config_(std::move(config)) {}

  // Runs `body` (annotated REQUIRES(mu_)) as one critical section and returns its result: under
  // the mutex on this thread (synchronous), or as a message on the handler (event loop).
  template <class Body>
  auto exclusive(Body&& body) EXCLUDES(mu_);
  // Event loop only: queues `body` and returns without waiting for it.
  template <class Body>
  void post(Body&& body) EXCLUDES(mu_);
  void submit(Message* message) EXCLUDES(mu_);
  void spawn_drain() EXCLUDES(mu_);
  bool stopped() const EXCLUDES(mu_);

  // For critical sections that may change the registry.
  Registry& registry() REQUIRES(mu_) {
    probe_.write();
    return registry_;
  }
  // For critical sections that only read it. Whatever a snapshot shows, outstanding_work aside,
  // changes only through registry() (or through requests reached from it), so a section that took
  // only view()s left the registry as it was: checkers may skip re-examining it.
  const Registry& view() const REQUIRES(mu_) {
    probe_.read();
    return registry_;
  }

  std::error_code dial_registered(ReqId id, const ReqPtr& req, Attempt attempt,
                                  const CancelPtr& caller) EXCLUDES(mu_);
  std::error_code complete_dial(ReqId id, Req& req, Attempt attempt, NetOutcome outcome)
      EXCLUDES(mu_);
  NetOutcome call_dialer(Req& req);
  void redial(ReqId id) EXCLUDES(mu_);
  void automatic_request() EXCLUDES(mu_);
  void accept_loop(Listener* listener) EXCLUDES(mu_);
  void on_timer(Token token) EXCLUDES(mu_);
  std::error_code disconnect_or_remove(ReqId id, bool retry) EXCLUDES(mu_);
  std::error_code disconnect_locked(ReqId id, bool retry, Effects& fx) REQUIRES(mu_);

  // Registers `entry` as pending and starts its first dial attempt, whose number it returns.
  Attempt register_pending(ReqId id, Entry entry) REQUIRES(mu_);
  void index_pending(Req& req) REQUIRES(mu_);
  void unregister_pending(typename EntryMap::iterator it) REQUIRES(mu_);
  void cancel_pending_entry(typename EntryMap::iterator it, Effects& fx) REQUIRES(mu_);
  void handle_failure(typename EntryMap::iterator it, Effects& fx) REQUIRES(mu_);
  void schedule_retry(Entry& entry) REQUIRES(mu_);
  void replace_automatic(Effects& fx) REQUIRES(mu_);
  Token arm_timer(Duration delay, TimerKind kind, ReqId req) REQUIRES(mu_);
  void disarm_timer(Token token) REQUIRES(mu_);
  // Queues `task` in `fx` for apply() to spawn, counted as outstanding work until it has run.
  // Wrapped once, straight into the Task: a task that captures only `this` allocates nothing.
  template <class F>
  void spawn_later(Effects& fx, F&& task) REQUIRES(mu_);
  // Outstanding work, the count wait() waits on (Go's sync.WaitGroup): units are added under the
  // lock, so wait() never sees the count rise from zero, and given back by finish_work() in a
  // critical section or by finish_work_unlocked() when the holder is done with the manager.
  void add_work(std::size_t units) REQUIRES(mu_);
  void finish_work() REQUIRES(mu_);
  // Lock-free while other units remain (wait() cannot return before the last one is back); the
  // last unit is given back under the lock, where wait() is woken, so a thread that may be the
  // last never touches the manager after wait() can have returned.
  void finish_work_unlocked() EXCLUDES(mu_);
  void spawn(Task task) EXCLUDES(mu_);
  void apply(Effects& fx) EXCLUDES(mu_);
  // `callback`, with whatever it throws logged and swallowed.
  template <class F>
  auto guarded_callback(F&& callback);
  template <class MakeMessage>
  void log(LogLevel level, MakeMessage&& make_message) const;

  const Config<Platform> config_;
  MessageQueue<Platform> handler_queue_;  // Event loop only.
  mutable Mutex mu_;
  typename Platform::CondVar changed_;  // Signaled on stop, on idle, and when a timer fires.
  mutable typename Platform::GuardProbe probe_;
  Registry registry_ GUARDED_BY(mu_);
  typename Platform::template Atomic<std::size_t> outstanding_work_{0};
};

template <class Platform>
using ConnManager = BasicConnManager<Platform, Design::synchronous>;
template <class Platform>
using EventLoopConnManager = BasicConnManager<Platform, Design::event_loop>;

}  // namespace connmgr

#include "connmgr/conn_manager_impl.h"

#include "workers.h"

#include <type_traits>
#include <vector>

#include "connmgr/check/invariants.h"

namespace connmgr::stress {
namespace {

// connect()'s contract: success, one of its documented errors, or the dialer's own error.
bool connect_result_expected(std::error_code ec) {
  if (!ec || ec.category() != connmgr_category()) return true;
  switch (static_cast<Errc>(ec.value())) {
    case Errc::shut_down:
    case Errc::canceled:
    case Errc::deadline_exceeded:
    case Errc::nil_connection:
    case Errc::dialer_threw: return true;
    default: return false;
  }
}

bool found_or_not_found(std::error_code ec) { return !ec || ec == Errc::not_found; }

// The event-loop design answers disconnect() and remove() once queued (always {}), and
// cancel_pending() and for_each_conn_req() with Errc::shut_down after stop().
template <class Manager>
constexpr bool kEventLoop = std::is_same_v<Manager, StdEventLoopConnManager>;

template <class Manager>
bool disconnect_result_expected(std::error_code ec) {
  return kEventLoop<Manager> ? !ec : found_or_not_found(ec);
}

template <class Manager>
bool stopped_result_expected(std::error_code ec) {
  return kEventLoop<Manager> && ec == Errc::shut_down;
}

}  // namespace

template <class Manager>
void BarrierCheck<Manager>::operator()() noexcept {
  violations->add_all("barrier check", check::registry_violations(manager->snapshot()));
  ++*checks;
}

template <class Manager>
void Worker<Manager>::run() {
  std::uint64_t done = 0;
  for (auto ticket = context_.budget.next(); ticket.go; ticket = context_.budget.next()) {
    const Draw draw{context_.mix.pick(rng_), rng_.next(), rng_.next()};
    if (ticket.stop_here) {
      context_.stop_mark.ops = context_.progress.load();
      context_.stop_mark.when = std::chrono::steady_clock::now();
      context_.stop_mark.called = true;
      status_.set(Activity::stopping);
      context_.manager.stop();
      status_.set(Activity::waiting);
      context_.manager.wait();  // While the other workers go on: the final wait() comes later.
    }
    status_.begin(done, draw.op);
    perform(draw);
    ++context_.progress;
    if (++done % context_.check_every == 0) {
      status_.set(Activity::at_barrier);
      context_.barrier.arrive_and_wait();
    }
  }
  status_.set(Activity::finished);
  context_.barrier.arrive_and_drop();
}

template <class Manager>
void Worker<Manager>::perform(const Draw& draw) {
  Manager& manager = context_.manager;
  switch (draw.op) {
    case Op::connect: return connect(draw, false);
    case Op::permanent: return connect(draw, true);
    case Op::cancel_caller:
      if (auto source = context_.targets.source(draw.a)) source->cancel();
      return record(draw.op, {}, true);
    case Op::cancel_pending: {
      const std::error_code ec = manager.cancel_pending(context_.network.pick(draw.a));
      return record(draw.op, ec, found_or_not_found(ec) || stopped_result_expected<Manager>(ec));
    }
    case Op::disconnect:
    case Op::remove: {
      // One in ten aims at a random id, almost surely unknown.
      const ReqId id = draw.b % 10 == 0 ? draw.a : context_.targets.id(draw.a);
      status_.set_target(id);
      const std::error_code ec =
          draw.op == Op::remove ? manager.remove(id) : manager.disconnect(id);
      return record(draw.op, ec, disconnect_result_expected<Manager>(ec));
    }
    case Op::for_each: return for_each(draw);
    case Op::snapshot:
      context_.violations.add_all("snapshot", check::registry_violations(manager.snapshot()));
      return record(draw.op, {}, true);
  }
}

template <class Manager>
void Worker<Manager>::connect(const Draw& draw, bool permanent) {
  auto req = std::make_shared<StdConnReq>(context_.network.pick(draw.a), permanent);
  std::shared_ptr<StdCancelSource> cancel;
  if (draw.b % 4 == 0) {
    cancel = std::make_shared<StdCancelSource>();
    context_.targets.add(cancel);
  }
  context_.targets.add(req);
  status_.set_request(req);
  const std::error_code ec = context_.manager.connect(req, std::move(cancel));
  record(draw.op, ec, connect_result_expected(ec));
}

// One in five visits stops early, at a drawn position, with an error the manager must return.
template <class Manager>
void Worker<Manager>::for_each(const Draw& draw) {
  const std::error_code stop_error = Errc::invalid_request;
  const bool stop_early = draw.b % 5 == 0;
  const std::size_t stop_at = draw.a % 8;
  std::vector<StdConnReqPtr> visited;
  bool stopped = false;
  const std::error_code ec =
      context_.manager.for_each_conn_req([&](const StdConnReqPtr& req) -> std::error_code {
        if (stop_early && visited.size() == stop_at) {
          stopped = true;
          return stop_error;
        }
        visited.push_back(req);
        return {};
      });
  const bool expected =
      ec == (stopped ? stop_error : std::error_code{}) || stopped_result_expected<Manager>(ec);
  record(draw.op, ec, expected, stopped ? "stopped by the visitor" : "");
  for (auto& req : visited) context_.targets.add(std::move(req));
}

template <class Manager>
void Worker<Manager>::record(Op op, std::error_code ec, bool expected, std::string result) {
  if (result.empty()) result = ec ? ec.message() : "ok";
  ++results_[std::string(op_name(op)) + ": " + result];
  if (!expected) {
    context_.violations.add(std::string(op_name(op)) +
                            " returned an error outside its contract: " + ec.message());
  } else if (ec == Errc::shut_down && !context_.stop_mark.called.load()) {
    context_.violations.add(std::string(op_name(op)) + " returned shut_down before stop()");
  }
}

template struct BarrierCheck<StdConnManager>;
template struct BarrierCheck<StdEventLoopConnManager>;
template class Worker<StdConnManager>;
template class Worker<StdEventLoopConnManager>;

}  // namespace connmgr::stress

#include "status.h"

#include <future>
#include <thread>

namespace connmgr::stress {
namespace {

const char* activity_name(Activity activity) {
  switch (activity) {
    case Activity::starting: return "starting";
    case Activity::operating: return "operating";
    case Activity::stopping: return "calling stop()";
    case Activity::waiting: return "in wait() after its stop()";
    case Activity::at_barrier: return "at the check barrier";
    case Activity::finished: return "finished";
  }
  return "?";
}

std::string describe_request(const Snapshot::Request& r) {
  return "  reqid " + std::to_string(r.id) + " " + r.address + " " + to_string(r.state) +
         (r.permanent ? " permanent" : "") + (r.origin == Origin::automatic ? " automatic" : "") +
         (r.dialing ? " dialing" : "") + (r.retry_scheduled ? " retry-armed" : "") +
         (r.has_connection ? " connected" : "") + " retries=" + std::to_string(r.retry_count) +
         "\n";
}

// Every counter and request of a snapshot, one request per line (at most `max_requests`).
std::string describe_snapshot(const Snapshot& s, std::size_t max_requests) {
  std::string text = std::string("manager: ") + (s.started ? "started" : "not started") +
                     (s.stopped ? ", stopped" : ", running") +
                     ", outstanding work " + std::to_string(s.outstanding_work) +
                     ", armed timers " + std::to_string(s.armed_timers) +
                     ", failed attempts " + std::to_string(s.failed_attempts) +
                     ", last id " + std::to_string(s.last_id) + ", " +
                     std::to_string(s.pending.size()) + " pending, " +
                     std::to_string(s.established.size()) + " established\n";
  std::size_t listed = 0;
  for (const auto* requests : {&s.pending, &s.established}) {
    for (const auto& request : *requests) {
      if (listed++ == max_requests) return text + "  ...\n";
      text += describe_request(request);
    }
  }
  return text;
}

}  // namespace

void WorkerStatus::set(Activity activity) {
  LockGuard<StdMutex> lock(mu_);
  activity_ = activity;
}

void WorkerStatus::begin(std::uint64_t iteration, Op op) {
  LockGuard<StdMutex> lock(mu_);
  activity_ = Activity::operating;
  iteration_ = iteration;
  op_ = op;
  req_ = nullptr;
  target_ = 0;
}

void WorkerStatus::set_request(StdConnReqPtr req) {
  LockGuard<StdMutex> lock(mu_);
  req_ = std::move(req);
}

void WorkerStatus::set_target(ReqId id) {
  LockGuard<StdMutex> lock(mu_);
  target_ = id;
}

std::string WorkerStatus::describe() const {
  LockGuard<StdMutex> lock(mu_);
  std::string text = "iteration " + std::to_string(iteration_) + ": " + activity_name(activity_);
  if (activity_ != Activity::operating) return text;
  text += std::string(", ") + op_name(op_);
  if (req_) text += " " + req_->to_string() + ", state " + to_string(req_->state());
  if (target_ != 0) text += " reqid " + std::to_string(target_);
  return text;
}

ManagerProbe::ManagerProbe() : shared_(std::make_shared<Shared>()) {}

void ManagerProbe::attach(std::function<Snapshot()> snapshot) {
  LockGuard<StdMutex> lock(shared_->mu);
  shared_->snapshot = std::move(snapshot);
}

std::string ManagerProbe::describe(std::chrono::seconds patience) const {
  auto answer = std::make_shared<std::promise<std::string>>();
  auto described = answer->get_future();
  std::thread([shared = shared_, answer] {
    LockGuard<StdMutex> lock(shared->mu);
    answer->set_value(shared->snapshot ? describe_snapshot(shared->snapshot(), 40)
                                       : "manager: not attached (not created yet or destroyed)\n");
  }).detach();
  if (described.wait_for(patience) == std::future_status::ready) return described.get();
  return "manager: snapshot() did not return within " + std::to_string(patience.count()) +
         " s (its lock is held: deadlock?)\n";
}

std::string RunStatus::describe() const {
  std::string text = "round " + std::to_string(round.load()) + ": " + phase.load() + "\n";
  for (std::size_t i = 0; i < workers.size(); ++i)
    text += "worker " + std::to_string(i) + ": " + workers[i].describe() + "\n";
  text += "dials in flight: " + std::to_string(dials_in_flight.load()) +
          ", accepts in flight: " + std::to_string(accepts_in_flight.load()) + "\n";
  return text + manager.describe(std::chrono::seconds(2));
}

}  // namespace connmgr::stress

#include "callbacks.h"

#include <unordered_set>

#include "latency.h"
#include "rng.h"
#include "tracking.h"

namespace connmgr::stress {

class Callbacks::Running {
 public:
  Running(Callbacks& callbacks, const char* name) : callbacks_(callbacks), name_(name) {
    ++callbacks_.running_;
    check("started");
  }
  ~Running() {
    check("was still running");
    --callbacks_.running_;
  }
  Running(const Running&) = delete;
  Running& operator=(const Running&) = delete;

 private:
  void check(const char* what) {
    if (callbacks_.wait_returned_.load())
      callbacks_.violations_.add(std::string(name_) + " " + what + " after wait() returned");
  }

  Callbacks& callbacks_;
  const char* const name_;
};

void Callbacks::on_connection(const StdConnReqPtr& req, const ConnectionPtr& conn) {
  Running running(*this, "on_connection");
  emulate_work();
  ++connections_;
  auto* tracked = dynamic_cast<TrackedConnection*>(conn.get());
  if (tracked == nullptr) {
    violations_.add("on_connection for " + req->to_string() + " with a connection no dial made");
  } else if (!tracked->mark_reported()) {
    violations_.add("on_connection for " + req->to_string() +
                    " with an already reported connection");
  }
  count(req->id(), &Counts::connected);
}

void Callbacks::on_disconnection(const StdConnReqPtr& req) {
  Running running(*this, "on_disconnection");
  emulate_work();
  ++disconnections_;
  count(req->id(), &Counts::disconnected);
}

void Callbacks::count(ReqId id, std::uint64_t Counts::*callback) {
  LockGuard<StdMutex> lock(mu_);
  auto it = per_request_.try_emplace(id).first;
  ++(it->second.*callback);
  if (it->second.connected == it->second.disconnected) per_request_.erase(it);
}

void Callbacks::on_accept(const ConnectionPtr& conn) {
  Running running(*this, "on_accept");
  emulate_work();
  conn->close();
}

void Callbacks::emulate_work() {
  Rng rng(Rng::derive(seed_, Stream::callbacks, calls_++));
  if (!rng.percent(25)) return;
  const auto work = std::chrono::microseconds(rng.below(max_work_us_ + 1));
  Latency().wait_until(std::chrono::steady_clock::now() + work);
}

void Callbacks::wait_returned() {
  wait_returned_.store(true);
  if (const int running = running_.load(); running != 0)
    violations_.add(std::to_string(running) + " callbacks still running when wait() returned");
}

void Callbacks::reconcile(const Snapshot& final_snapshot) const {
  std::unordered_set<ReqId> established;
  for (const auto& request : final_snapshot.established) established.insert(request.id);
  LockGuard<StdMutex> lock(mu_);
  for (const auto& [id, counts] : per_request_) {
    const std::uint64_t still_established = established.erase(id);
    if (counts.connected != counts.disconnected + still_established) {
      violations_.add("reqid " + std::to_string(id) + ": " + std::to_string(counts.connected) +
                      " on_connection, " + std::to_string(counts.disconnected) +
                      " on_disconnection, " + (still_established ? "" : "not ") +
                      "established at the end");
    }
  }
  for (ReqId id : established)
    violations_.add("reqid " + std::to_string(id) +
                    " established at the end without on_connection");
}

}  // namespace connmgr::stress

// Pairs and triples of operations on one request, while its dial completes.
#include "catalog.h"

namespace connmgr::models {
namespace {

const std::string kAddress = "10.0.0.1:8333";

struct DialVsCancelPending {
  static constexpr const char* kName = "dial_vs_cancel_pending";
  static constexpr const char* kSummary = "a dial succeeds or fails while cancel_pending() runs";
  static constexpr Threads kThreads{.ops = 2};
  static Setup setup() { return {.network = {.dials = {Outcome::either}}}; }

  ModelReqPtr req = std::make_shared<ModelReq>(kAddress);
  void operate(unsigned thread, World& world) {
    if (thread == 0) world.connect(req);
    else world.cancel_pending(kAddress);
  }
};

}  // namespace

std::vector<ScenarioEntry> request_scenarios() {
  return {entry<DialVsCancelPending>()};
}

std::vector<ScenarioEntry> shutdown_scenarios() { return {}; }
std::vector<ScenarioEntry> automatic_scenarios() { return {}; }

}  // namespace connmgr::models

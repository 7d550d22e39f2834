#include "catalog.h"

namespace connmgr::models {

std::vector<ScenarioEntry> all_scenarios() {
  std::vector<ScenarioEntry> all;
  for (auto family : {request_scenarios, shutdown_scenarios, automatic_scenarios}) {
    for (const ScenarioEntry& scenario : family()) all.push_back(scenario);
  }
  return all;
}

}  // namespace connmgr::models

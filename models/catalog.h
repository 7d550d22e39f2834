// Every model scenario, by family (one translation unit per family).
#pragma once

#include "model_test.h"
#include "relacy_prelude.h"

namespace connmgr::models {

std::vector<ScenarioEntry> request_scenarios();
std::vector<ScenarioEntry> shutdown_scenarios();
std::vector<ScenarioEntry> automatic_scenarios();

std::vector<ScenarioEntry> all_scenarios();

}  // namespace connmgr::models

// The one way model files include Relacy.
//
// <relacy/relacy.hpp> #defines new, delete, malloc, free, assert and the memory_order_* names, so
// no header may be included after it. This header includes every standard and project header the
// models use, then Relacy. Model files include this header (and other model headers) only, spell
// memory orders std::memory_order::acquire (the macros only cover memory_order_acquire), and pass
// RL_INFO where Relacy's examples write `$` (the same macro; clang -Wpedantic rejects `$`).
#pragma once

#include <algorithm>
#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <iostream>
#include <list>
#include <map>
#include <memory>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "connmgr/cancellation.h"
#include "connmgr/check/invariants.h"
#include "connmgr/clock.h"
#include "connmgr/conn_manager.h"
#include "connmgr/connection.h"
#include "connmgr/executor.h"
#include "connmgr/platform.h"

#include <relacy/relacy.hpp>

// A fuzz input, decoded: which scheduler, which config, which operations on which client thread,
// and the bytes that choose dial faults, addresses and schedule decisions.
//
// Layout: [threads+schedule][config][seed u32, depth if the schedule is random or PCT]
//         ([1][thread][operation][a][b])* [0] [tail]
// The tail feeds dial faults and addresses from its front and schedule choices from its back, so
// removing operations (minimization) leaves both streams intact. encode(parse(x)) is canonical and
// parse(encode(s)) == s.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace connmgr::fuzz {

enum class Target { ops, lifecycle, outbound };
std::optional<Target> parse_target(std::string_view name);
const char* to_string(Target target);

enum class OpKind : std::uint8_t {
  connect,         // A new request: address h(a%4), permanent if b&1, with a CancelSource if b&2.
  reconnect,       // connect() again with the request of connect operation a.
  disconnect,      // The id of the request of connect operation a, or the raw id 1+a%8 if b&1.
  remove,          // Same ids as disconnect.
  cancel_pending,  // Address h(a%4).
  cancel_caller,   // Cancels the CancelSource of connect operation a, if it has one.
  for_each,
  sleep,  // 1 ms, 20 ms, 300 ms or 5 s of virtual time (a%4).
  start,
  stop,
  wait,
};

struct ScenarioOp {
  std::uint8_t thread = 0;
  OpKind kind = OpKind::connect;
  std::uint8_t a = 0;
  std::uint8_t b = 0;
  bool operator==(const ScenarioOp&) const = default;
};

enum class Schedule : std::uint8_t { input, random, pct };

struct Scenario {
  Target target = Target::ops;
  std::uint8_t threads = 1;  // Client threads, 1 to 3.
  Schedule schedule = Schedule::input;
  std::uint32_t seed = 0;
  std::uint8_t depth = 1;   // PCT's d.
  std::uint8_t config = 0;  // Interpreted by the target (world.h).
  std::vector<ScenarioOp> ops;
  std::vector<std::uint8_t> tail;
  bool operator==(const Scenario&) const = default;
};

inline constexpr unsigned kMaxOps = 24;

// The operations a target's inputs choose from.
std::span<const OpKind> menu(Target target);
Scenario parse(Target target, std::span<const std::uint8_t> data);
// The same, written into `scenario`, whose vectors keep their storage (for a fuzzer's executions).
void parse(Target target, std::span<const std::uint8_t> data, Scenario& scenario);
std::vector<std::uint8_t> encode(const Scenario& scenario);

}  // namespace connmgr::fuzz

#include "harness/scenario.h"

#include <algorithm>
#include <array>
#include <utility>

#include "harness/byte_source.h"

namespace connmgr::fuzz {
namespace {

constexpr std::array kOpsMenu{OpKind::connect,  OpKind::reconnect,      OpKind::disconnect,
                              OpKind::remove,   OpKind::cancel_pending, OpKind::cancel_caller,
                              OpKind::for_each, OpKind::sleep};
constexpr std::array kLifecycleMenu{OpKind::start,          OpKind::stop,       OpKind::wait,
                                    OpKind::connect,        OpKind::disconnect, OpKind::remove,
                                    OpKind::cancel_pending, OpKind::for_each,   OpKind::sleep};
constexpr std::array kOutboundMenu{OpKind::connect,  OpKind::disconnect, OpKind::remove,
                                   OpKind::for_each, OpKind::sleep,      OpKind::stop};

}  // namespace

std::optional<Target> parse_target(std::string_view name) {
  for (Target target : {Target::ops, Target::lifecycle, Target::outbound}) {
    if (name == to_string(target)) return target;
  }
  return std::nullopt;
}

const char* to_string(Target target) {
  switch (target) {
    case Target::ops:
      return "ops";
    case Target::lifecycle:
      return "lifecycle";
    case Target::outbound:
      return "outbound";
  }
  return "?";
}

std::span<const OpKind> menu(Target target) {
  switch (target) {
    case Target::ops:
      return kOpsMenu;
    case Target::lifecycle:
      return kLifecycleMenu;
    case Target::outbound:
      return kOutboundMenu;
  }
  return {};
}

Scenario parse(Target target, std::span<const std::uint8_t> data) {
  Scenario scenario;
  parse(target, data, scenario);
  return scenario;
}

void parse(Target target, std::span<const std::uint8_t> data, Scenario& scenario) {
  std::vector<ScenarioOp> ops = std::move(scenario.ops);
  std::vector<std::uint8_t> tail = std::move(scenario.tail);
  ops.clear();
  scenario = Scenario{};
  scenario.ops = std::move(ops);
  scenario.tail = std::move(tail);
  ByteSource source(data);
  scenario.target = target;
  const std::uint8_t shape = source.take();
  scenario.threads = static_cast<std::uint8_t>(1 + shape % 3);
  scenario.schedule = static_cast<Schedule>(shape / 3 % 3);
  scenario.config = source.take();
  if (scenario.schedule != Schedule::input) {
    scenario.seed = source.take_u32();
    scenario.depth = static_cast<std::uint8_t>(1 + source.take() % 3);
  }
  const auto operations = menu(target);
  scenario.ops.reserve(kMaxOps);
  LIMITED_WHILE(source.take_bool(), kMaxOps) {
    ScenarioOp op;
    op.thread = static_cast<std::uint8_t>(source.take() % scenario.threads);
    op.kind = operations[source.take() % operations.size()];
    op.a = source.take();
    op.b = source.take();
    scenario.ops.push_back(op);
  }
  const auto rest = source.rest();
  scenario.tail.assign(rest.begin(), rest.end());
}

std::vector<std::uint8_t> encode(const Scenario& scenario) {
  std::vector<std::uint8_t> bytes;
  bytes.push_back(
      static_cast<std::uint8_t>(scenario.threads - 1 + 3 * static_cast<unsigned>(scenario.schedule)));
  bytes.push_back(scenario.config);
  if (scenario.schedule != Schedule::input) {
    for (int i = 0; i < 4; ++i) bytes.push_back(static_cast<std::uint8_t>(scenario.seed >> (8 * i)));
    bytes.push_back(static_cast<std::uint8_t>(scenario.depth - 1));
  }
  const auto operations = menu(scenario.target);
  for (const ScenarioOp& op : scenario.ops) {
    bytes.push_back(1);
    bytes.push_back(op.thread);
    bytes.push_back(static_cast<std::uint8_t>(std::find(operations.begin(), operations.end(), op.kind) -
                                              operations.begin()));
    bytes.push_back(op.a);
    bytes.push_back(op.b);
  }
  bytes.push_back(0);
  bytes.insert(bytes.end(), scenario.tail.begin(), scenario.tail.end());
  return bytes;
}

}  // namespace connmgr::fuzz

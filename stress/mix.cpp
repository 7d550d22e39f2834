#include "mix.h"

#include <charconv>
#include <sstream>
#include <string_view>

namespace connmgr::stress {
namespace {

constexpr std::array<const char*, kOpCount> kNames = {
    "connect", "permanent", "cancel_caller", "cancel_pending",
    "disconnect", "remove", "for_each", "snapshot"};

std::optional<std::size_t> find_op(std::string_view name) {
  for (std::size_t i = 0; i < kOpCount; ++i) {
    if (name == kNames[i]) return i;
  }
  return std::nullopt;
}

constexpr unsigned kMaxWeight = 1'000'000;  // Keeps the total far from overflowing.

}  // namespace

const char* op_name(Op op) { return kNames[static_cast<std::size_t>(op)]; }

Mix Mix::defaults() {
  std::string error;
  return *parse("connect=30,permanent=8,cancel_caller=5,cancel_pending=12,disconnect=20,remove=15,"
                "for_each=5,snapshot=5",
                error);
}

std::optional<Mix> Mix::parse(const std::string& text, std::string& error) {
  Mix mix;
  std::istringstream items(text);
  for (std::string item; std::getline(items, item, ',');) {
    const std::size_t equals = item.find('=');
    const auto op = find_op(std::string_view(item).substr(0, equals));
    if (equals == std::string::npos || !op) {
      std::string names;
      for (const char* name : kNames) names += (names.empty() ? "" : ", ") + std::string(name);
      error = "bad --mix item '" + item + "' (expected NAME=WEIGHT, NAME one of " + names + ")";
      return std::nullopt;
    }
    const char* first = item.data() + equals + 1;
    const char* last = item.data() + item.size();
    unsigned weight = 0;
    auto [end, failure] = std::from_chars(first, last, weight);
    if (failure != std::errc{} || end != last || first == last || weight > kMaxWeight) {
      error = "bad weight in --mix item '" + item + "' (0 to " + std::to_string(kMaxWeight) + ")";
      return std::nullopt;
    }
    mix.total_ = mix.total_ - mix.weights_[*op] + weight;
    mix.weights_[*op] = weight;
  }
  if (mix.total_ == 0) {
    error = "--mix gives every operation weight 0";
    return std::nullopt;
  }
  return mix;
}

Op Mix::pick(Rng& rng) const {
  auto draw = rng.below(total_);
  for (std::size_t i = 0; i < kOpCount; ++i) {
    if (draw < weights_[i]) return static_cast<Op>(i);
    draw -= weights_[i];
  }
  return static_cast<Op>(kOpCount - 1);  // Unreachable: the weights sum to total_.
}

std::string Mix::to_string() const {
  std::string text;
  for (std::size_t i = 0; i < kOpCount; ++i) {
    if (i != 0) text += ',';
    text += std::string(kNames[i]) + '=' + std::to_string(weights_[i]);
  }
  return text;
}

}  // namespace connmgr::stress

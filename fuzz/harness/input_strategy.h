// The coverage-guided scheduler: each choice is the next byte from the back of the input, modulo
// the number of runnable fibers. Once the bytes run out the running fiber keeps running (or the
// lowest-numbered runnable one starts), so short inputs mean few preemptions.
#pragma once

#include <algorithm>

#include "harness/byte_source.h"
#include "sim/strategy.h"

namespace connmgr::fuzz {

class InputStrategy final : public sim::Strategy {
 public:
  explicit InputStrategy(ByteSource& source) : source_(source) {}

  std::size_t pick(std::span<const sim::FiberId> runnable, sim::FiberId current, std::uint64_t) override {
    if (auto byte = source_.take_back()) return *byte % runnable.size();
    auto it = std::find(runnable.begin(), runnable.end(), current);
    return it == runnable.end() ? 0 : static_cast<std::size_t>(it - runnable.begin());
  }

  std::string guarantee(sim::FiberId fibers, std::uint64_t steps) const override {
    return "schedule from input bytes: n=" + std::to_string(fibers) + " fibers, k=" + std::to_string(steps) +
           " steps";
  }

 private:
  ByteSource& source_;
};

}  // namespace connmgr::fuzz

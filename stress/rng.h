// The stress run's only source of randomness: a splitmix64 generator, and the derivation of
// independent streams: a seed per round from the master seed, then from a round's seed one stream
// per worker, per dial, per callback, and for the address source and the schedule. Same binary and
// seed give the same streams on every machine. An Rng is not thread-safe.
#pragma once

#include <cstdint>

namespace connmgr::stress {

// Stream names, so that no two consumers of a seed share a stream.
enum class Stream : std::uint64_t {
  rounds = 1,  // Of the master seed: one seed per round. The others are streams of a round's seed.
  schedule,
  addresses,
  dials,
  callbacks,
  workers,
};

class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}
  // The seed of stream `stream` (plus `index` within it, e.g. a worker's number).
  static std::uint64_t derive(std::uint64_t seed, Stream stream, std::uint64_t index = 0) {
    return Rng(seed ^ mix(static_cast<std::uint64_t>(stream) * 0x9e3779b97f4a7c15u + index))
        .next();
  }

  std::uint64_t next() {
    state_ += 0x9e3779b97f4a7c15u;
    return mix(state_);
  }
  // Uniform in [0, n) for n > 0 (the bias of the modulo is irrelevant for n far below 2^64).
  std::uint64_t below(std::uint64_t n) { return next() % n; }
  // True with probability percent / 100.
  bool percent(unsigned percent) { return below(100) < percent; }

 private:
  static std::uint64_t mix(std::uint64_t z) {
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
  }

  std::uint64_t state_;
};

}  // namespace connmgr::stress

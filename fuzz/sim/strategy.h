// Scheduling strategies: who runs at each scheduling point with more than one runnable fiber.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace connmgr::sim {

// 0 is the driver (the OS thread's own context); fibers are numbered from 1 in creation order.
using FiberId = std::uint32_t;

class Strategy {
 public:
  virtual ~Strategy() = default;
  // A fiber was created (it is runnable from now on).
  virtual void spawned(FiberId) {}
  // Chooses an index into `runnable` (ascending ids, at least two). `current` is the fiber that
  // reached the scheduling point (not in `runnable` if it just blocked or finished); `step` counts
  // scheduling points from 1.
  virtual std::size_t pick(std::span<const FiberId> runnable, FiberId current, std::uint64_t step) = 0;
  // One line about the run's search guarantee, given its size.
  virtual std::string guarantee(FiberId fibers, std::uint64_t steps) const = 0;
};

// splitmix64: tiny, seedable, identical on every platform.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next();
  // Uniform in [0, bound), bound > 0.
  std::uint64_t below(std::uint64_t bound) { return next() % bound; }

 private:
  std::uint64_t state_;
};

// Uniformly random choice at every scheduling point.
class RandomWalk final : public Strategy {
 public:
  explicit RandomWalk(std::uint64_t seed) : rng_(seed), seed_(seed) {}
  std::size_t pick(std::span<const FiberId> runnable, FiberId current, std::uint64_t step) override;
  std::string guarantee(FiberId fibers, std::uint64_t steps) const override;

 private:
  Rng rng_;
  std::uint64_t seed_;
};

// No preemption: the running fiber keeps running until it blocks or finishes; then the oldest
// (lowest-numbered) runnable fiber runs. A fixed schedule that makes runs of the two designs
// comparable (see harness/world.h, compare mode).
class RunToCompletion final : public Strategy {
 public:
  std::size_t pick(std::span<const FiberId> runnable, FiberId current, std::uint64_t step) override;
  std::string guarantee(FiberId fibers, std::uint64_t steps) const override;
};

// PCT (Burckhardt et al., ASPLOS 2010): random distinct priorities, the highest-priority runnable
// fiber runs, and at d-1 random steps in [1, k] the running fiber drops below every initial
// priority. A bug of depth d is then found with probability at least 1/(n * k^(d-1)) for n fibers
// and k steps, provided the run takes at most `step_estimate` steps.
class Pct final : public Strategy {
 public:
  Pct(std::uint64_t seed, unsigned depth, std::uint64_t step_estimate);
  Pct(Pct&&) = default;
  Pct& operator=(Pct&&) = default;
  ~Pct() override;
  void spawned(FiberId fiber) override;
  std::size_t pick(std::span<const FiberId> runnable, FiberId current, std::uint64_t step) override;
  std::string guarantee(FiberId fibers, std::uint64_t steps) const override;

 private:
  Rng rng_;
  std::uint64_t seed_;
  unsigned depth_;
  std::uint64_t step_estimate_;
  std::vector<std::uint64_t> change_points_;  // Ascending.
  std::size_t next_change_ = 0;
  void set_priority(FiberId fiber, std::uint64_t priority);
  std::uint64_t priority(FiberId fiber) const;
  std::vector<std::uint64_t> priorities_;  // By fiber id; 0 until assigned.
};

}  // namespace connmgr::sim

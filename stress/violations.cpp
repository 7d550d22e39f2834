#include "violations.h"

#include <cstdio>

namespace connmgr::stress {

Violations::Violations() : start_(std::chrono::steady_clock::now()) {}

void Violations::add(const std::string& what) {
  const auto elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_);
  LockGuard<StdMutex> lock(mu_);
  ++count_;
  std::fprintf(stderr, "VIOLATION at %.3f s: %s\n", elapsed.count(), what.c_str());
}

void Violations::add_all(const std::string& context, const std::vector<std::string>& lines) {
  for (const auto& line : lines) add(context + ": " + line);
}

std::size_t Violations::count() const {
  LockGuard<StdMutex> lock(mu_);
  return count_;
}

}  // namespace connmgr::stress

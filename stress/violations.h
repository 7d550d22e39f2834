// Where every check of the stress run reports a failure. Thread-safe; each violation is printed to
// stderr the moment it is found (with the time since the run started), and counted for the verdict.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

#include "connmgr/std_platform.h"

namespace connmgr::stress {

class Violations {
 public:
  Violations();
  void add(const std::string& what) EXCLUDES(mu_);
  // Adds each line, prefixed with `context`.
  void add_all(const std::string& context, const std::vector<std::string>& lines) EXCLUDES(mu_);
  std::size_t count() const EXCLUDES(mu_);

 private:
  const std::chrono::steady_clock::time_point start_;
  mutable StdMutex mu_;
  std::size_t count_ GUARDED_BY(mu_) = 0;
};

}  // namespace connmgr::stress

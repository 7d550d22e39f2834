// The interleaving of one run, as a Lincheck-style table: one column per client thread plus one
// for background work (tasks and timers), one row per event, with virtual timestamps.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "connmgr/types.h"

namespace connmgr::fuzz {

class Trace {
 public:
  explicit Trace(std::size_t clients) : clients_(clients) {}
  // `column` is a client thread index, or clients for background work.
  void add(TimePoint time, std::size_t column, std::string text);
  std::string table() const;

 private:
  struct Row {
    TimePoint time;
    std::size_t column;
    std::string text;
  };
  std::size_t clients_;
  std::vector<Row> rows_;
};

}  // namespace connmgr::fuzz

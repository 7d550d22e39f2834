#include "harness/trace.h"

#include <algorithm>
#include <chrono>
#include <cstdio>

namespace connmgr::fuzz {

void Trace::add(TimePoint time, std::size_t column, std::string text) {
  rows_.push_back(Row{time, column, std::move(text)});
}

std::string Trace::table() const {
  const std::size_t columns = clients_ + 1;
  std::vector<std::size_t> width(columns, 10);
  for (const Row& row : rows_) width[row.column] = std::max(width[row.column], row.text.size());
  auto line = [&](const std::string& time, auto&& cell) {
    std::string text = "| " + time + std::string(10 - std::min<std::size_t>(time.size(), 10), ' ') + " |";
    for (std::size_t c = 0; c < columns; ++c) {
      const std::string content = cell(c);
      text += " " + content + std::string(width[c] - content.size(), ' ') + " |";
    }
    return text + "\n";
  };
  std::string out = line("time (ms)", [&](std::size_t c) {
    return c < clients_ ? "T" + std::to_string(c + 1) : std::string("background");
  });
  out += line("----------", [&](std::size_t c) { return std::string(width[c], '-'); });
  for (const Row& row : rows_) {
    char time[32];
    std::snprintf(time, sizeof time, "%.3f",
                  std::chrono::duration<double, std::milli>(row.time.time_since_epoch()).count());
    out += line(time, [&](std::size_t c) { return c == row.column ? row.text : std::string(); });
  }
  return out;
}

}  // namespace connmgr::fuzz

#include "story.h"

namespace connmgr::models {
namespace {

// One line of Relacy's history: "[12] 3: what happened, in function, file(line)".
struct HistoryLine {
  std::string event;
  unsigned thread = 0;
  std::string what;
  std::string function;
};

std::optional<HistoryLine> parse(const std::string& line) {
  static const std::regex kLine(R"(\[(\d+)\] (\d+): (.*), in ([^,]*), .*)");
  std::smatch match;
  if (!std::regex_match(line, match, kLine)) return std::nullopt;
  return HistoryLine{match[1], static_cast<unsigned>(std::stoul(match[2])), match[3], match[4]};
}

}  // namespace

std::string story(const std::string& report, const Threads& threads) {
  std::istringstream lines(report);
  std::string line;
  while (std::getline(lines, line) && line.rfind("execution history", 0) != 0) continue;
  std::vector<HistoryLine> events;
  while (std::getline(lines, line) && !line.empty()) {
    if (auto parsed = parse(line)) events.push_back(std::move(*parsed));
  }
  std::string text;
  std::map<unsigned, const HistoryLine*> last_of_thread;
  for (std::size_t i = 0; i < events.size(); ++i) {
    const HistoryLine& event = events[i];
    const bool verdict = i + 1 == events.size();  // Relacy's verdict is the last event.
    if (!verdict) last_of_thread[event.thread] = &event;
    if (event.function == "note" || verdict)
      text += "  [" + event.event + "] " + threads.role(event.thread) + ": " + event.what + "\n";
  }
  std::string blocked;
  for (const auto& [thread, last] : last_of_thread) {
    if (last->what == "blocking current thread") blocked += " " + threads.role(thread);
  }
  if (!blocked.empty()) text += "  waiting at the failure:" + blocked + "\n";
  return text;
}

}  // namespace connmgr::models

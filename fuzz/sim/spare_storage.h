// Storage a run leaves for the next run on its thread: containers handed over empty, with the
// capacity they grew, so that a libFuzzer execution allocates (almost) nothing for them.
#pragma once

#include <utility>
#include <vector>

namespace connmgr::sim {

// Empties `used` and moves its storage into `spare`.
template <class T>
void hand_over(std::vector<T>& used, std::vector<T>& spare) {
  used.clear();
  spare = std::move(used);
}

// The thread's spare lists of T, for objects that each run creates afresh (a mutex's waiters, a
// probe's lockset): such an object borrows one when it first needs a list and returns it, emptied,
// when it is destroyed.
template <class T>
std::vector<std::vector<T>>& spare_lists() {
  thread_local std::vector<std::vector<T>> lists;
  return lists;
}

// Gives `list`, if it has no storage yet, that of a spare list.
template <class T>
void borrow_spare(std::vector<T>& list) {
  std::vector<std::vector<T>>& lists = spare_lists<T>();
  if (list.capacity() != 0 || lists.empty()) return;
  list = std::move(lists.back());
  lists.pop_back();
}

// Empties `list` and keeps its storage among the thread's spare lists.
template <class T>
void return_spare(std::vector<T>& list) {
  if (list.capacity() == 0) return;
  list.clear();
  spare_lists<T>().push_back(std::move(list));
}

}  // namespace connmgr::sim

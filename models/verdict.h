// How a model fails an iteration, and how it annotates the interleaving Relacy prints.
#pragma once

#include "relacy_prelude.h"

namespace connmgr::models {

// Ends the iteration as USER ASSERT FAILED (`what`); Relacy then replays it with its history.
inline void fail(const std::string& what) {
  rl::ctx().fail_test(what.c_str(), rl::test_result_user_assert_failed, RL_INFO);
}

inline void expect(bool ok, const char* what) {
  if (!ok) fail(what);
}

// Adds a line to the interleaving Relacy prints; the text is built only while it records one, so
// building it must not touch Relacy (no atomic loads): the recording run must take the very same
// steps as the search that found the failure.
template <class MakeText>
void note(MakeText&& make_text) {
  if (rl::ctx().collecting_history()) rl::ctx().exec_log_msg(RL_INFO, make_text().c_str());
}

}  // namespace connmgr::models

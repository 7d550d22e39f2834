// The operations a stress worker performs on the manager, and the weights (--mix) it picks them by.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string>

#include "rng.h"

namespace connmgr::stress {

enum class Op {
  connect,         // connect() a new non-permanent manual request (sometimes with a CancelSource).
  permanent,       // connect() a new permanent request (sometimes with a CancelSource).
  cancel_caller,   // Cancel the CancelSource of a request some worker connected.
  cancel_pending,  // cancel_pending() an address of the pool.
  disconnect,      // disconnect() a recently seen id (or an unknown one).
  remove,          // remove() a recently seen id (or an unknown one).
  for_each,        // for_each_conn_req(), remembering what it visits as targets.
  snapshot,        // snapshot() and the registry invariants, concurrently with everything else.
};
inline constexpr std::size_t kOpCount = 8;

const char* op_name(Op op);

// A weight per operation; an operation is picked with probability weight / total.
class Mix {
 public:
  static Mix defaults();
  // "name=weight,..." with names as op_name() prints them; unnamed operations get weight 0.
  // Returns nullopt and sets `error` on a syntax error, an unknown name or an all-zero mix.
  static std::optional<Mix> parse(const std::string& text, std::string& error);

  Op pick(Rng& rng) const;
  // The canonical "name=weight,..." form, every operation listed; parse() accepts it.
  std::string to_string() const;

 private:
  std::array<unsigned, kOpCount> weights_{};
  unsigned total_ = 0;
};

}  // namespace connmgr::stress

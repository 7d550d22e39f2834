#include "connmgr/types.h"

namespace connmgr {

const char* to_string(ConnState state) noexcept {
  switch (state) {
    case ConnState::pending: return "Pending";
    case ConnState::established: return "Established";
    case ConnState::disconnected: return "Disconnected";
    case ConnState::failed: return "Failed";
    case ConnState::canceled: return "Canceled";
  }
  return "Unknown";
}

}  // namespace connmgr

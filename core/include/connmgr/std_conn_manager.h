// The production instantiations: both designs on std threads, mutexes and atomics.
#pragma once

#include "connmgr/conn_manager.h"
#include "connmgr/std_platform.h"

namespace connmgr {

extern template class BasicConnManager<StdPlatform, Design::synchronous>;
extern template class BasicConnManager<StdPlatform, Design::event_loop>;

using StdConnManager = ConnManager<StdPlatform>;
using StdEventLoopConnManager = EventLoopConnManager<StdPlatform>;
using StdConnReq = ConnReq<StdPlatform>;
using StdConnReqPtr = ConnReqPtr<StdPlatform>;
using StdConfig = Config<StdPlatform>;
using StdCancelSource = CancelSource<StdPlatform>;

}  // namespace connmgr

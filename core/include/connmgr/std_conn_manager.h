// The production instantiation: ConnManager on std threads, mutexes and atomics.
#pragma once

#include "connmgr/conn_manager.h"
#include "connmgr/std_platform.h"

namespace connmgr {

extern template class ConnManager<StdPlatform>;

using StdConnManager = ConnManager<StdPlatform>;
using StdConnReq = ConnReq<StdPlatform>;
using StdConnReqPtr = ConnReqPtr<StdPlatform>;
using StdConfig = Config<StdPlatform>;
using StdCancelSource = CancelSource<StdPlatform>;

}  // namespace connmgr

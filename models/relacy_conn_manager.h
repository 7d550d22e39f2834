// The real ConnManager on the Relacy platform, instantiated once (relacy_conn_manager.cpp).
#pragma once

#include "relacy_platform.h"

namespace connmgr {

extern template class BasicConnManager<models::RelacyPlatform, Design::synchronous>;

namespace models {

using ModelManager = ConnManager<RelacyPlatform>;
using ModelReq = ConnReq<RelacyPlatform>;
using ModelReqPtr = ConnReqPtr<RelacyPlatform>;
using ModelConfig = Config<RelacyPlatform>;
using ModelCancelSource = CancelSource<RelacyPlatform>;

}  // namespace models
}  // namespace connmgr

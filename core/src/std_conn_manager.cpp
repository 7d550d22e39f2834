#include "connmgr/std_conn_manager.h"

namespace connmgr {

template class ConnManager<StdPlatform>;

}  // namespace connmgr

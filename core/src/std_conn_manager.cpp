#include "connmgr/std_conn_manager.h"

namespace connmgr {

template class BasicConnManager<StdPlatform, Design::synchronous>;
template class BasicConnManager<StdPlatform, Design::event_loop>;

}  // namespace connmgr

#include "relacy_conn_manager.h"

namespace connmgr {

template class BasicConnManager<models::RelacyPlatform, Design::synchronous>;

}  // namespace connmgr

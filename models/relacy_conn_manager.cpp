#include "relacy_conn_manager.h"

namespace connmgr {

template class ConnManager<models::RelacyPlatform>;

}  // namespace connmgr

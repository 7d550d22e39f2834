// Which sanitizers this translation unit is built with, for the fiber switch annotations.
#pragma once

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CONNMGR_SIM_ASAN 1
#endif
#if __has_feature(thread_sanitizer)
#define CONNMGR_SIM_TSAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define CONNMGR_SIM_ASAN 1
#endif
#if defined(__SANITIZE_THREAD__)
#define CONNMGR_SIM_TSAN 1
#endif

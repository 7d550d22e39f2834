// Clang thread-safety analysis attributes (no-ops on other compilers).
//
// These are the machine-checked form of "this function MUST be called with the lock held": build
// with clang and -Wthread-safety (the `thread-safety` preset) to have the compiler enforce them.
#pragma once

#if defined(__clang__)
#define CONNMGR_TSA(x) __attribute__((x))
#else
#define CONNMGR_TSA(x)
#endif

#define CAPABILITY(x) CONNMGR_TSA(capability(x))
#define SCOPED_CAPABILITY CONNMGR_TSA(scoped_lockable)
#define GUARDED_BY(x) CONNMGR_TSA(guarded_by(x))
#define PT_GUARDED_BY(x) CONNMGR_TSA(pt_guarded_by(x))
#define REQUIRES(...) CONNMGR_TSA(requires_capability(__VA_ARGS__))
#define EXCLUDES(...) CONNMGR_TSA(locks_excluded(__VA_ARGS__))
#define ACQUIRE(...) CONNMGR_TSA(acquire_capability(__VA_ARGS__))
#define RELEASE(...) CONNMGR_TSA(release_capability(__VA_ARGS__))
#define TRY_ACQUIRE(...) CONNMGR_TSA(try_acquire_capability(__VA_ARGS__))
#define NO_THREAD_SAFETY_ANALYSIS CONNMGR_TSA(no_thread_safety_analysis)

// The libFuzzer entry point of one target (CONNMGR_FUZZ_TARGET names it). A failing input is saved
// under $CONNMGR_FUZZ_ARTIFACTS (default: the working directory), replayed twice for determinism,
// minimized, printed as an interleaving table with its REPLAY line, and then the process aborts so
// libFuzzer records the crash too.
#include <cstdint>
#include <cstdlib>

#include "harness/report.h"
#include "harness/scenario.h"
#include "harness/world.h"

#if !defined(CONNMGR_FUZZ_TARGET) || !defined(CONNMGR_FUZZ_REPLAY)
#error "CONNMGR_FUZZ_TARGET and CONNMGR_FUZZ_REPLAY must be defined"
#endif

// ASan's defaults for the fuzz targets (ASAN_OPTIONS still overrides them), which roughly double
// the executions per second (fuzz/README.md, Throughput):
// - no allocation and free stack traces in reports: recording one at every malloc and free took
//   a third of each execution. Detection is unchanged, and a failure's REPLAY line reruns the
//   input in fuzz_replay, whose reports keep the traces;
// - a 4 MB quarantine instead of 256 MB: freed memory is still held back across about a hundred
//   executions (a use after free within one execution is always caught), and the heap stays in
//   cache instead of page-faulting through fresh memory.
extern "C" const char* __asan_default_options() { return "malloc_context_size=0:quarantine_size_mb=4"; }

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace connmgr::fuzz;
  static const Target target = *parse_target(CONNMGR_FUZZ_TARGET);
  const std::span<const std::uint8_t> input(data, size);
  static Scenario scenario;  // Reused: parsing allocates nothing once its vectors have grown.
  parse(target, input, scenario);
  if (!run(scenario).failed) return 0;
  const char* artifacts = std::getenv("CONNMGR_FUZZ_ARTIFACTS");
  report_failure(target, input, FailureReport{CONNMGR_FUZZ_REPLAY, "", artifacts ? artifacts : ".", {}});
  std::abort();
}

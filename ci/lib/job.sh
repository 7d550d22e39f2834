# The shared part of every ci/jobs/<name> script (sourced, not run).
#
# A job script sets JOB_NAME, JOB_ENGINE and JOB_DEFAULT_BUDGET, calls `job_begin "$@"`, does its
# work with the helpers below, and ends with `job_end PASS|FAIL "checks"`. The contract every job
# keeps:
#   options   --budget SECONDS (how long its checks may run), --artifacts DIR (default
#             build/ci/<name>-<timestamp>), -h/--help, plus any the script declares in JOB_USAGE;
#   artifacts DIR holds everything it produced: job.log (the whole output of the build and the
#             checks), replays.txt (one line per failure that reproduces it), verdict.json (what
#             ci/report reads: job, engine, verdict, checks, seconds, budget, log, replays) and
#             whatever the engine leaves (crash inputs, coverage, results);
#   stdout    a few progress lines, then exactly one final line
#             VERDICT <name> PASS|FAIL <checks>, <seconds> s, artifacts <DIR>
#   status    0 on PASS, 1 on FAIL, 2 on a usage error.
# Sanitizer settings are the presets' (CMakePresets.json), for the commands run outside ctest too.

JOB_CALLER_DIR=$PWD
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
export TSAN_OPTIONS=${TSAN_OPTIONS:-"halt_on_error=1 second_deadlock_stack=1"}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-"print_stacktrace=1 halt_on_error=1"}

JOB_USAGE=${JOB_USAGE:-}
JOB_REPLAYS=()
JOB_EXTRA_ARGS=()

job_usage() {
  echo "usage: ci/jobs/$JOB_NAME [--budget SECONDS] [--artifacts DIR]${JOB_USAGE:+ $JOB_USAGE}"
  echo "  $JOB_ENGINE"
  echo "  --budget SECONDS  time budget of the checks (default $JOB_DEFAULT_BUDGET)"
  echo "  --artifacts DIR   where logs, replays and results go (default build/ci/$JOB_NAME-<timestamp>)"
}

# Parses the common options. A script that declares options of its own (JOB_USAGE) finds them in
# JOB_EXTRA_ARGS; for any other, an unknown option is a usage error before anything runs.
job_begin() {
  JOB_BUDGET=$JOB_DEFAULT_BUDGET
  JOB_ARTIFACTS=
  while (($#)); do
    case $1 in
      --budget) [[ $# -ge 2 ]] || job_usage_error "--budget needs a value"; JOB_BUDGET=$2; shift 2 ;;
      --artifacts) [[ $# -ge 2 ]] || job_usage_error "--artifacts needs a value"; JOB_ARTIFACTS=$2; shift 2 ;;
      -h|--help) job_usage; exit 0 ;;
      *) JOB_EXTRA_ARGS+=("$1"); shift ;;
    esac
  done
  [[ $JOB_BUDGET =~ ^[1-9][0-9]*$ ]] || job_usage_error "--budget takes a positive number of seconds, not '$JOB_BUDGET'"
  [[ -n $JOB_USAGE ]] || job_no_extra_args
  if [[ -n $JOB_ARTIFACTS ]]; then
    [[ $JOB_ARTIFACTS == /* ]] || JOB_ARTIFACTS=$JOB_CALLER_DIR/$JOB_ARTIFACTS
    JOB_ARTIFACTS=$(realpath -m --relative-base="$PWD" "$JOB_ARTIFACTS")
  else
    JOB_ARTIFACTS=build/ci/$JOB_NAME-$(date -u +%Y%m%d-%H%M%S)
  fi
  mkdir -p "$JOB_ARTIFACTS" || job_usage_error "cannot create $JOB_ARTIFACTS"
  JOB_LOG=$JOB_ARTIFACTS/job.log
  : >"$JOB_LOG"
  JOB_START=$(date +%s)
  job_note "$JOB_ENGINE; budget $JOB_BUDGET s; log $JOB_LOG"
  ci/setup >>"$JOB_LOG" 2>&1 || job_end FAIL "ci/setup failed (see $JOB_LOG)"
}

job_usage_error() {
  echo "ci/jobs/$JOB_NAME: $1" >&2
  job_usage >&2
  exit 2
}

job_note() { echo "[$JOB_NAME] $*"; }

job_seconds() { echo $(($(date +%s) - JOB_START)); }

# Runs a command with its output appended to the job log (and a "$ command" header).
job_run() {
  echo "\$ $*" >>"$JOB_LOG"
  "$@" >>"$JOB_LOG" 2>&1
}

# Configures PRESET and builds TARGETS (all of the preset's when none). Fails the job on error.
job_build() {
  local preset=$1
  shift
  local targets=()
  (($#)) && targets=(--target "$@")
  job_note "building ${*:-everything} ($preset preset)"
  job_run cmake --preset "$preset" || job_end FAIL "configure of preset $preset failed (see $JOB_LOG)"
  job_run cmake --build --preset "$preset" "${targets[@]}" || job_end FAIL "build failed (see $JOB_LOG)"
}

# How many sanitizer reports FILEs hold.
job_sanitizer_reports() {
  cat "$@" 2>/dev/null | grep -cE "(WARNING|ERROR): ThreadSanitizer|ERROR: AddressSanitizer|ERROR: LeakSanitizer|runtime error:" || true
}

# Fails with a usage error when the script got options it does not know.
job_no_extra_args() {
  ((${#JOB_EXTRA_ARGS[@]} == 0)) || job_usage_error "unknown option ${JOB_EXTRA_ARGS[0]}"
}

# Runs the ctest tests of PRESET whose label matches LABEL (a regex, anchored) within the budget: each test is stopped after
# the budget, and no test starts once the budget is spent (those count as not run, and fail the job).
# Sets JOB_CHECKS and adds a replay line per failed test; returns 0 when every test passed.
job_ctest() {
  local preset=$1 label=$2 log=$JOB_ARTIFACTS/ctest.log status failures total reports
  job_note "running ctest label $label ($preset preset)"
  echo "\$ ctest --preset $preset -L '^($label)\$' --timeout $JOB_BUDGET" >>"$JOB_LOG"
  status=0
  ctest --preset "$preset" -L "^($label)\$" --timeout "$JOB_BUDGET" \
    --stop-time "$(date -d "+$JOB_BUDGET seconds" +%H:%M:%S)" \
    --output-junit "$(realpath -m "$JOB_ARTIFACTS/junit.xml")" >"$log" 2>&1 || status=$?
  cat "$log" >>"$JOB_LOG"
  read -r failures total < <(sed -n 's/.*tests passed, \([0-9]*\) tests failed out of \([0-9]*\).*/\1 \2/p' "$log" | tail -n 1) || true
  total=${total:-0}
  failures=${failures:-0}
  reports=$(job_sanitizer_reports "$log")
  JOB_CHECKS="$((total - failures))/$total tests, $reports sanitizer reports"
  if grep -qi "stop time has been passed" "$log"; then
    JOB_CHECKS+=", budget spent before every test ran"
    status=1
  fi
  while IFS= read -r test; do
    JOB_REPLAYS+=("ctest --preset $preset -R '^${test}\$' --output-on-failure")
  done < <(sed -n 's/^[[:space:]]*[0-9]* - \(.*\) (\(Failed\|Timeout\|SEGFAULT\|Subprocess aborted\|Exception\|Not Run\).*/\1/p' "$log")
  ((status == 0 && reports == 0 && total > 0))
}

# The whole job of a ctest suite: builds TARGETS of PRESET, runs label LABEL, ends the job.
job_ctest_suite() {
  local preset=$1 label=$2
  shift 2
  job_build "$preset" "$@"
  if job_ctest "$preset" "$label"; then job_end PASS "$JOB_CHECKS"; fi
  job_end FAIL "$JOB_CHECKS"
}

# Adds every "REPLAY: ..." or "replay: ..." line of FILEs to the replay lines.
job_collect_replays() {
  local line
  while IFS= read -r line; do JOB_REPLAYS+=("$line"); done < <(cat "$@" 2>/dev/null | sed -n 's/^.*replay: *//Ip')
}

# Fails the job with a clear message when a script another part of the project provides is missing.
job_require_script() {
  [[ -x $1 ]] || job_end FAIL "$1 does not exist yet (this job delegates to it)"
}

# Writes replays.txt and verdict.json, prints the verdict line and exits (0 on PASS, 1 on FAIL).
job_end() {
  local verdict=$1 checks=$2 seconds
  seconds=$(job_seconds)
  printf '%s\n' "${JOB_REPLAYS[@]}" | sed '/^$/d' >"$JOB_ARTIFACTS/replays.txt"
  python3 - "$JOB_ARTIFACTS/verdict.json" "$JOB_NAME" "$JOB_ENGINE" "$verdict" "$checks" "$seconds" \
    "$JOB_BUDGET" "$JOB_ARTIFACTS/replays.txt" <<'EOF'
import json, sys
path, job, engine, verdict, checks, seconds, budget, replays = sys.argv[1:]
with open(replays) as lines:
    replay = [line.rstrip("\n") for line in lines if line.strip()]
with open(path, "w") as out:
    json.dump({"job": job, "engine": engine, "verdict": verdict, "checks": checks,
               "seconds": int(seconds), "budget": int(budget), "log": "job.log", "replays": replay},
              out, indent=2)
EOF
  if ((${#JOB_REPLAYS[@]})); then
    echo "[$JOB_NAME] replay each failure with:"
    printf '  %s\n' "${JOB_REPLAYS[@]}"
  fi
  echo "VERDICT $JOB_NAME $verdict $checks, $seconds s, artifacts $JOB_ARTIFACTS"
  if [[ $verdict == PASS ]]; then exit 0; fi
  exit 1
}

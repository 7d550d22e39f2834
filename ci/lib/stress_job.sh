# The stress-<preset> jobs (sourced by ci/jobs/stress-tsan and ci/jobs/stress-asan after job.sh):
# ci/stress in that preset, its runs sized to the budget: up to 5 seeds (one per 20 s of budget),
# each run as long as its share of the budget minus 5 s of start-up. Seeds are random and printed;
# a failed seed's replay line is ci/stress's own repeat line.
job_stress() {
  local preset=$1 runs duration status=0 summary reports
  runs=$((JOB_BUDGET / 20))
  ((runs < 1)) && runs=1
  ((runs > 5)) && runs=5
  duration=$(((JOB_BUDGET - 5 * runs) / runs))
  ((duration < 1)) && duration=1
  job_note "ci/stress: $runs runs of $duration s ($preset preset)"
  job_run ci/stress --preset "$preset" --seeds "$runs" --duration "$duration" --logs "$JOB_ARTIFACTS/runs" || status=$?
  summary=$(sed -n 's/^ci\/stress: \([0-9]* runs of [0-9]* s\) ([^)]*): \([0-9]* passed, [0-9]* failed\).*/\1: \2/p' "$JOB_LOG" | tail -n 1)
  reports=$(job_sanitizer_reports "$JOB_ARTIFACTS"/runs/*.log)
  while IFS= read -r line; do JOB_REPLAYS+=("$line"); done < <(sed -n 's/^  \(.*connmgr_stress .*\)   # log: .*/\1/p' "$JOB_LOG")
  local checks="${summary:-no run finished (see $JOB_LOG)}, $reports sanitizer reports"
  if ((status == 0 && reports == 0)) && [[ -n $summary ]]; then job_end PASS "$checks"; fi
  job_end FAIL "$checks"
}

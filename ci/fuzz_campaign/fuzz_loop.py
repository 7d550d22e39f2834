"""Runs one target under libFuzzer's fork mode for a time budget, printing a progress line every
few seconds and appending the same numbers to the campaign's stats.tsv.

stats.tsv columns (tab-separated, one header line), read by the campaign report:
    seconds     seconds since the campaign started
    target      the fuzz target
    execs       executions of this target so far
    exec_per_s  execs / seconds since this target started
    cov ft      libFuzzer's coverage counters (edges, features) of the merged fork corpus
    corpus      corpus size (inputs)
    crashes     failure inputs saved so far (crash-, leak-, timeout-, oom- files)
"""
import dataclasses
import os
import subprocess
import sys
import time

from . import libfuzzer_log

STATS_HEADER = "seconds\ttarget\texecs\texec_per_s\tcov\tft\tcorpus\tcrashes\n"


@dataclasses.dataclass
class FuzzResult:
    exit_status: int
    seconds: float
    execs: int
    cov: int
    ft: int
    corpus: int
    findings: int

    @property
    def exec_per_s(self):
        return self.execs / self.seconds if self.seconds > 0 else 0.0


@dataclasses.dataclass
class Clock:
    """Campaign-wide times: when it started and when its fuzzing budget runs out."""
    started: float
    fuzzing_ends: float


def fuzz(binary, target, seeds, work, seconds, workers, max_len, clock, stats_path, every):
    """Fuzzes `target` in `work`: corpus/ (new inputs), findings/ (libFuzzer's failure inputs),
    harness/ (the harness's saved and minimized inputs), tmp/ (fork jobs), fuzz.log."""
    dirs = {name: os.path.join(work, name) for name in ("corpus", "findings", "harness", "tmp")}
    for path in dirs.values():
        os.makedirs(path, exist_ok=True)
    log_path = os.path.join(work, "fuzz.log")
    env = dict(os.environ, TMPDIR=dirs["tmp"], CONNMGR_FUZZ_ARTIFACTS=dirs["harness"])
    # ClusterFuzz's fuzzing quarantine: a smaller one touches fewer fresh pages.
    env.setdefault("ASAN_OPTIONS", "quarantine_size_mb=64")
    command = [binary, f"-fork={workers}", "-ignore_crashes=1", f"-max_total_time={seconds}",
               f"-max_len={max_len}", "-print_final_stats=1",
               f"-artifact_prefix={dirs['findings']}/", dirs["corpus"], seeds]
    with open(log_path, "wb") as log:
        log.write((" ".join(command) + "\n").encode())
        log.flush()
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env)
    follower = libfuzzer_log.LogFollower(log_path)
    status = libfuzzer_log.ParentStatus()
    started = time.monotonic()
    deadline = started + seconds + 120
    execs = 0
    next_report = started + every
    while True:
        try:
            exit_status = process.wait(timeout=0.5)
            break
        except subprocess.TimeoutExpired:
            pass
        now = time.monotonic()
        if now > deadline:
            process.kill()
            print(f"ci/fuzz-campaign: {target} overran its budget by 120 s; killed", file=sys.stderr)
        libfuzzer_log.update_parent_status(status, follower.new_lines())
        execs = max(execs, status.execs + libfuzzer_log.running_job_execs(dirs["tmp"]))
        if now >= next_report:
            next_report += every
            report(target, now, started, clock, execs, status, dirs["findings"], stats_path)
    now = time.monotonic()
    libfuzzer_log.update_parent_status(status, follower.new_lines())
    execs = max(execs, status.execs)
    report(target, now, started, clock, execs, status, dirs["findings"], stats_path)
    return FuzzResult(exit_status, now - started, execs, status.cov, status.ft, status.corpus,
                      libfuzzer_log.count_findings(dirs["findings"]))


def report(target, now, started, clock, execs, status, findings_dir, stats_path):
    """Prints one progress line and appends the same sample to stats.tsv."""
    elapsed = now - started
    rate = execs / elapsed if elapsed > 0 else 0.0
    crashes = libfuzzer_log.count_findings(findings_dir)
    campaign_seconds = now - clock.started
    left = max(0, clock.fuzzing_ends - now)
    print(f"[{campaign_seconds:6.0f}s] {target:<10} execs {execs:>11,}  exec/s {rate:>7,.0f}  "
          f"cov {status.cov:>5} ft {status.ft:>6}  corpus {status.corpus:>5}  crashes {crashes:>3}  "
          f"left {left:5.0f}s", flush=True)
    with open(stats_path, "a") as stats:
        stats.write(f"{campaign_seconds:.1f}\t{target}\t{execs}\t{rate:.1f}\t{status.cov}\t{status.ft}\t"
                    f"{status.corpus}\t{crashes}\n")

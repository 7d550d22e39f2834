"""Reads libFuzzer's fork-mode output while it is being written.

The fork-mode parent prints one status line per finished job:
    #70470: cov: 723 ft: 3156 corp: 188 exec/s: 1771 oom/timeout/crash: 0/0/0 time: 22s job: 7 ...
Its jobs log to <TMPDIR>/libFuzzerTemp.FuzzWithFork<pid>.dir/<job>.log, with lines like
    #4096  pulse  cov: 690 ft: 2500 corp: 50/1234b lim: 4 exec/s: 2048 rss: 30Mb
so the executions of the jobs still running are the last '#N' of each of those logs. The parent
deletes a job's log right after counting it, so the live total may briefly count a job twice; the
caller keeps the total monotone and the parent's next line corrects it.
"""
import dataclasses
import glob
import os
import re

PARENT_LINE = re.compile(r"^#(\d+): cov: (\d+) ft: (\d+) corp: (\d+) exec/s: \d+ "
                         r"oom/timeout/crash: (\d+)/(\d+)/(\d+) time: (\d+)s")
JOB_EXECS = re.compile(rb"^#(\d+)\s", re.MULTILINE)


@dataclasses.dataclass
class ParentStatus:
    """The latest fork-mode status line of the parent (zeros before the first one)."""
    execs: int = 0
    cov: int = 0
    ft: int = 0
    corpus: int = 0


class LogFollower:
    """Follows a growing log file, handing out the complete lines written since the last call."""

    def __init__(self, path):
        self.path = path
        self.offset = 0
        self.partial = b""

    def new_lines(self):
        try:
            with open(self.path, "rb") as log:
                log.seek(self.offset)
                data = log.read()
        except FileNotFoundError:
            return []
        self.offset += len(data)
        data = self.partial + data
        lines = data.split(b"\n")
        self.partial = lines.pop()
        return [line.decode("utf-8", "replace") for line in lines]


def update_parent_status(status, lines):
    """Applies the parent status lines among `lines` to `status`."""
    for line in lines:
        match = PARENT_LINE.match(line)
        if match:
            status.execs, status.cov, status.ft, status.corpus = (int(match.group(i)) for i in range(1, 5))


def running_job_execs(tmpdir):
    """Sum of the executions the still-running fork jobs under `tmpdir` have logged so far."""
    total = 0
    for path in glob.glob(os.path.join(tmpdir, "libFuzzerTemp.*.dir", "*.log")):
        try:
            with open(path, "rb") as log:
                log.seek(max(0, os.path.getsize(path) - 4096))
                counts = JOB_EXECS.findall(log.read())
        except OSError:
            continue
        if counts:
            total += int(counts[-1])
    return total


def count_findings(artifact_dir):
    """The inputs libFuzzer saved as failures (crash-, leak-, timeout-, oom- files)."""
    return len(finding_files(artifact_dir))


def finding_files(artifact_dir):
    kinds = ("crash-", "leak-", "timeout-", "oom-")
    try:
        names = sorted(os.listdir(artifact_dir))
    except FileNotFoundError:
        return []
    return [os.path.join(artifact_dir, name) for name in names if name.startswith(kinds)]

"""What a campaign folder holds, read leniently: every input may be missing or partial, and a
missing one reads as None (the pages render it as "not run in this campaign"), never as an error.

A campaign folder is one ci/verify run (build/verify/<stamp>/, one sub-folder per job, each with
the verdict.json that ci/lib/job.sh writes) or one job's own folder (e.g. a fuzz campaign, with
its verdict.json, stats.tsv and summary.json at the top).
"""
import csv
import json
import pathlib

ROOT = pathlib.Path(__file__).resolve().parents[2]
RECORDED_MATRIX = ROOT / "docs" / "planted-bugs.md"
FUZZ_COLUMNS = ["seconds", "target", "execs", "exec_per_s", "cov", "ft", "corpus", "crashes"]


def _json(path):
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None


def _job_folders(folder):
    return [folder] + sorted(p for p in folder.iterdir() if p.is_dir()) if folder.is_dir() else []


def read_jobs(folder):
    """Every job's verdict.json, in the order the jobs finished, with 'dir' (the job folder
    relative to `folder`) added."""
    found = []
    for job_dir in _job_folders(folder):
        verdict = _json(job_dir / "verdict.json")
        if isinstance(verdict, dict) and "job" in verdict:
            verdict["dir"] = job_dir.relative_to(folder).as_posix()
            found.append(((job_dir / "verdict.json").stat().st_mtime, verdict["dir"], verdict))
    return [verdict for _, _, verdict in sorted(found, key=lambda entry: entry[:2])]


def _first(folder, name):
    for job_dir in _job_folders(folder):
        if (job_dir / name).is_file():
            return job_dir / name
    return None


def _number(text):
    try:
        value = float(text)
    except (TypeError, ValueError):
        return None
    return int(value) if value.is_integer() else value


def read_fuzz_stats(folder):
    """Rows of stats.tsv as dicts (numbers parsed); None without a stats.tsv or with no rows."""
    path = _first(folder, "stats.tsv")
    if path is None:
        return None
    rows = []
    with open(path, newline="") as tsv:
        for fields in csv.reader(tsv, delimiter="\t"):
            if len(fields) < len(FUZZ_COLUMNS) or fields[0] == "seconds":
                continue
            row = dict(zip(FUZZ_COLUMNS, fields))
            for key in FUZZ_COLUMNS:
                if key != "target":
                    row[key] = _number(row[key])
            if row["seconds"] is not None:
                rows.append(row)
    return rows or None


def read_fuzz_summary(folder):
    """summary.json's per-target records as a list of dicts (each with a 'target'), or None."""
    path = _first(folder, "summary.json")
    data = _json(path) if path else None
    if isinstance(data, dict) and "targets" in data:
        data = data["targets"]
    if isinstance(data, dict):
        data = [dict(value, target=key) if isinstance(value, dict) else {"target": key, "value": value}
                for key, value in data.items()]
    if not isinstance(data, list):
        return None
    return [record for record in data if isinstance(record, dict)] or None


def read_fuzz_coverage(folder):
    path = _first(folder, "coverage.txt")
    return path.read_text() if path else None


def find_coverage_html(folder):
    """The link (relative to `folder`) to the corpus coverage's annotated sources, or None."""
    path = _first(folder, "coverage-html/index.html")
    return path.relative_to(folder).as_posix() if path else None


def read_model_results(folder):
    """The JSON lines of ci/model's results (results.jsonl, one object per work item), or None:
    those of `folder` itself when it is a model run's folder, else those of every sub-folder whose
    name starts with "models" (one per shard when a run was split)."""
    bases = [folder] if list(folder.glob("*.jsonl")) else sorted(folder.glob("models*"))
    rows = []
    for base in bases:
        for path in sorted(base.rglob("*.jsonl")) if base.is_dir() else []:
            for line in path.read_text().splitlines():
                try:
                    record = json.loads(line)
                except ValueError:
                    continue
                if isinstance(record, dict):
                    rows.append(record)
    return rows or None


def _markdown_table(text):
    lines = [line.strip() for line in text.splitlines()]
    start = next((i for i, line in enumerate(lines) if line.startswith("|")), None)
    if start is None:
        return None
    end = start
    while end < len(lines) and lines[end].startswith("|"):
        end += 1
    return lines[start:end]


def read_mutant_matrix(folder):
    """(source, table lines): the mutants job's matrix.md if it ran, else the recorded matrix of
    docs/planted-bugs.md, else None."""
    path = _first(folder, "matrix.md")
    for source, candidate in (("this campaign", path), ("recorded", RECORDED_MATRIX)):
        if candidate and candidate.is_file():
            table = _markdown_table(candidate.read_text())
            if table:
                return source, candidate, table
    return None


def verdict_of(record):
    """PASS, FAIL or INCOMPLETE from a result record's verdict/status/result field ('?' without)."""
    for key in ("verdict", "status", "result"):
        value = str(record.get(key, "")).lower()
        if value in ("pass", "passed", "ok"):
            return "PASS"
        if value.startswith(("timeout", "skipped", "incomplete")):
            return "INCOMPLETE"
        if value:
            return "FAIL"
    return "?"


def model_counts(rows):
    """One line: work items run, passed, failed, incomplete, and the iterations explored."""
    if not rows:
        return "no model results"
    verdicts = [verdict_of(row) for row in rows]
    explored = "iterations_explored" if any("iterations_explored" in row for row in rows) else "iterations"
    iterations = sum(_int(row.get(explored, 0)) for row in rows)
    return (f"{len(rows)} model runs: {verdicts.count('PASS')} passed, {verdicts.count('FAIL')} failed, "
            f"{verdicts.count('INCOMPLETE')} incomplete; {iterations} iterations explored")


def fuzz_counts(stats, summary):
    """One line: targets, executions, final coverage, crashes."""
    if summary:
        crashes = sum(_int(r.get("unique_crashes", r.get("crashes", 0))) for r in summary)
        execs = sum(_int(r.get("execs", 0)) for r in summary)
        cov = sum(_int(r.get("cov", 0)) for r in summary)
        return f"{len(summary)} targets, {execs} executions, cov {cov}, {crashes} unique crashes"
    if stats:
        last = {}
        for row in stats:
            last[row["target"]] = row
        execs = sum(_int(r["execs"]) for r in last.values())
        crashes = sum(_int(r["crashes"]) for r in last.values())
        return f"{len(last)} targets, {execs} executions, {crashes} crashes"
    return "no fuzz statistics"


def _int(value):
    number = _number(value)
    return int(number) if number is not None else 0


def _round(value):
    return int(value) if float(value).is_integer() else round(value, 1)

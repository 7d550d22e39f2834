"""The report page's content, independent of its format: a title, an overall verdict and the
sections (jobs, planted-bug matrix, fuzzing, model checking), each a list of blocks:
  ("text", str)   ("table", header, rows)   ("chart", file name, svg)   ("pre", str)
A table cell is a string or ("link", text, href). A section with no input says NOT_RUN."""
import datetime

import campaign
import svg

NOT_RUN = "not run in this campaign"
MAX_COLUMNS = 12


def _jobs_section(jobs):
    if not jobs:
        return [("text", NOT_RUN)]
    rows = [[job.get("job", "?"), job.get("verdict", "?"), f"{job.get('seconds', '?')} s",
             f"{job.get('budget', '?')} s", job.get("checks", ""),
             ("link", "log", f"{job['dir']}/{job.get('log', 'job.log')}".lstrip("./"))] for job in jobs]
    blocks = [("table", ["job", "verdict", "time", "budget", "checks", "log"], rows)]
    replays = [f"{job['job']}: {line}" for job in jobs for line in job.get("replays", [])]
    if replays:
        blocks += [("text", "Replay each failure with:"), ("pre", "\n".join(replays))]
    return blocks


def _matrix_section(matrix):
    if not matrix:
        return [("text", NOT_RUN)]
    source, path, lines = matrix
    rows = [[cell.strip() for cell in line.strip("|").split("|")] for line in lines]
    rows = [row for row in rows if not all(set(cell) <= set("-: ") for cell in row)]
    if source == "recorded":
        intro = f"The mutants job was {NOT_RUN}; the matrix recorded in docs/{path.name}:"
    else:
        intro = ("The mutants job's matrix: every planted bug of ci/mutants/catalog/ against every engine "
                 "(\"not run\": not in this campaign).")
    return [("text", intro), ("table", rows[0], rows[1:])]


def _series(stats, column):
    series = {}
    for row in stats:
        if row.get(column) is not None:
            series.setdefault(row["target"], []).append((row["seconds"], row[column]))
    return series


def _records_table(records):
    header = ["target"] if any("target" in record for record in records) else []
    for record in records:
        header += [key for key in record if key not in header and not isinstance(record[key], (list, dict))]
    header = header[:MAX_COLUMNS]
    return ("table", header, [[str(record.get(key, "")) for key in header] for record in records])


def _fuzz_section(stats, summary, coverage, coverage_html):
    if not (stats or summary or coverage):
        return [("text", NOT_RUN)]
    blocks = [("text", campaign.fuzz_counts(stats, summary))]
    if stats:
        blocks.append(("chart", "fuzz-coverage.svg",
                       svg.line_chart("Coverage over time (cov)", _series(stats, "cov"), "seconds", "cov")))
        blocks.append(("chart", "fuzz-executions.svg",
                       svg.line_chart("Executions over time", _series(stats, "execs"), "seconds", "executions")))
    else:
        blocks.append(("text", f"Coverage and executions over time: {NOT_RUN} (no stats.tsv)."))
    if summary:
        blocks.append(_records_table(summary))
        replays = [str(line) for record in summary for key in ("replay", "replays", "replay_lines")
                   for line in (record.get(key) if isinstance(record.get(key), list) else [record.get(key)])
                   if line]
        if replays:
            blocks += [("text", "Replay each crash with:"), ("pre", "\n".join(replays))]
    if coverage:
        blocks += [("text", "Coverage of the corpus (llvm-cov):"), ("pre", coverage.strip())]
    if coverage_html:
        blocks.append(("table", ["annotated sources"], [[("link", "coverage-html/index.html", coverage_html)]]))
    return blocks


def _model_section(results):
    if not results:
        return [("text", NOT_RUN)]
    return [("text", campaign.model_counts(results)), _records_table(results)]


def build(folder):
    jobs = campaign.read_jobs(folder)
    verdicts = [job.get("verdict") for job in jobs]
    overall = "no jobs" if not jobs else "PASS" if all(v == "PASS" for v in verdicts) else "FAIL"
    stats = campaign.read_fuzz_stats(folder)
    return {
        "title": f"connmgr campaign report: {folder.resolve().name}",
        "subtitle": f"Rendered {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M UTC} "
                    f"from {folder}. Overall verdict: {overall} "
                    f"({verdicts.count('PASS')} of {len(jobs)} jobs passed).",
        "overall": overall,
        "jobs": jobs,
        "sections": [
            ("Jobs", _jobs_section(jobs)),
            ("Planted-bug matrix", _matrix_section(campaign.read_mutant_matrix(folder))),
            ("Fuzzing", _fuzz_section(stats, campaign.read_fuzz_summary(folder),
                                      campaign.read_fuzz_coverage(folder),
                                      campaign.find_coverage_html(folder))),
            ("Model checking", _model_section(campaign.read_model_results(folder))),
        ],
    }

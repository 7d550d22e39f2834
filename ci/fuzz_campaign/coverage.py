"""Source-based coverage of the merged corpora: the `coverage` preset's fuzz_replay (clang-19,
-fprofile-instr-generate -fcoverage-mapping, no sanitizers) replays each target's corpus, then
llvm-profdata-19 merges the profiles and llvm-cov-19 writes a summary of core/ (coverage.txt) and
an HTML report (coverage-html/)."""
import glob
import os
import re
import subprocess

PROFDATA = "llvm-profdata-19"
COV = "llvm-cov-19"
TOTAL = re.compile(r"^TOTAL\s+(.*)$", re.MULTILINE)


def replay_corpus(binary, target, corpus, profile_dir):
    """Replays one corpus under coverage; returns fuzz_replay's exit status."""
    env = dict(os.environ, LLVM_PROFILE_FILE=os.path.join(profile_dir, f"{target}-%p.profraw"))
    return subprocess.run([binary, target, corpus], env=env, stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL).returncode


def report(binary, profile_dir, sources, text_path, html_dir):
    """Merges the raw profiles and writes the reports; returns the TOTAL line's percentages."""
    profdata = os.path.join(profile_dir, "corpus.profdata")
    raw = sorted(glob.glob(os.path.join(profile_dir, "*.profraw")))
    subprocess.run([PROFDATA, "merge", "-sparse", *raw, "-o", profdata], check=True)
    summary = subprocess.run([COV, "report", binary, f"-instr-profile={profdata}", sources],
                             check=True, stdout=subprocess.PIPE, text=True).stdout
    with open(text_path, "w") as out:
        out.write(summary)
    subprocess.run([COV, "show", binary, f"-instr-profile={profdata}", "-format=html",
                    f"-output-dir={html_dir}", "-show-line-counts-or-regions", sources],
                   check=True, stdout=subprocess.DEVNULL)
    return totals(summary)


def totals(summary):
    """{'regions': '81.2%', 'functions': ..., 'lines': ..., 'branches': ...} from the TOTAL line."""
    match = TOTAL.search(summary)
    if not match:
        return {}
    percents = re.findall(r"\d+(?:\.\d+)?%|-", match.group(1))
    return dict(zip(("regions", "functions", "lines", "branches"), percents))

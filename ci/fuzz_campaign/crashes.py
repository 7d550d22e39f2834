"""Crash triage of one target: replays every failure input libFuzzer saved through fuzz_replay,
groups the inputs by failure signature, keeps one minimized input per group and the line that
replays it.

A signature is the harness oracle's first failure line, or the sanitizer's error kind and the top
three frames of its stack, with numbers and addresses replaced by N so that ids, sizes and
pointers do not split one bug into many. Oracle failures are minimized by the harness itself
(ddmin over operations, its `minimized replay:` line); sanitizer reports by libFuzzer's
-minimize_crash=1. A minimized input is kept only if it replays with the same signature.
"""
import dataclasses
import os
import re
import shutil
import subprocess

HARNESS_HEADER = "=== connmgr fuzz failure, target "
MINIMIZED_REPLAY = re.compile(r"^minimized replay: .* (\S+\.min)$", re.MULTILINE)
SANITIZER_ERROR = re.compile(r"ERROR: (?:Address|Leak|UndefinedBehavior)Sanitizer: [\w-]+|runtime error: .*")
FRAME = re.compile(r"^\s*#\d+ 0x[0-9a-f]+ in (.+?) (?:\S+:\d+(?::\d+)?|\(.*)$")
RUNTIME_FRAME = ("__sanitizer", "__asan", "__ubsan", "__interceptor", "abort", "raise", "__GI_", "__libc_",
                 "_start", "fuzzer::")
NUMBER = re.compile(r"0x[0-9a-fA-F]+|\d+")
REPLAY_ENV = {"ASAN_OPTIONS": "detect_leaks=1:dedup_token_length=3:symbolize=1",
              "UBSAN_OPTIONS": "print_stacktrace=1:halt_on_error=1"}
REPLAY_TIMEOUT_S = 600
# Each replay also minimizes; a campaign with thousands of failure inputs triages the smallest.
MAX_TRIAGED = 40


@dataclasses.dataclass
class UniqueCrash:
    target: str
    signature: str
    inputs: list  # the triaged failure inputs with this signature, smallest first
    minimized: str = ""  # path of the kept (minimized) input
    replay: str = ""  # the command that replays it, from the repository root


def normalize(text):
    return NUMBER.sub("N", text.strip())


def signature(output):
    """The failure signature in a replay's output, or None if the replay did not fail."""
    lines = output.splitlines()
    for i, line in enumerate(lines):
        if line.startswith(HARNESS_HEADER) and i + 1 < len(lines):
            return "oracle: " + normalize(lines[i + 1])
    for i, line in enumerate(lines):
        error = SANITIZER_ERROR.search(line)
        if error:
            frames = [f for f in first_stack(lines[i + 1:]) if not f.startswith(RUNTIME_FRAME)][:3]
            return "sanitizer: " + normalize(error.group(0)) + " in " + " < ".join(frames)
    return None


def first_stack(lines):
    """The function names of the first stack trace in `lines` (ASan also prints where the
    memory was allocated and freed: those stacks follow, after a line that is not a frame)."""
    frames = []
    for line in lines:
        frame = FRAME.match(line)
        if frame:
            frames.append(frame.group(1))
        elif frames:
            break
    return frames


def replay(replay_binary, target, path, harness_dir, extra=()):
    """Runs fuzz_replay on one input; returns (exit status, combined output)."""
    env = dict(os.environ, CONNMGR_FUZZ_ARTIFACTS=harness_dir, **REPLAY_ENV)
    try:
        done = subprocess.run([replay_binary, *extra, target, path], env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, timeout=REPLAY_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        return None, "replay timed out"
    return done.returncode, done.stdout.decode("utf-8", "replace")


def triage(target, findings, fuzz_binary, replay_binary, out_dir):
    """Groups `findings` (paths) of `target` into UniqueCrash records, minimized under `out_dir`."""
    harness_dir = os.path.join(out_dir, "harness")
    os.makedirs(harness_dir, exist_ok=True)
    groups = {}
    outputs = {}
    for path in sorted(findings, key=os.path.getsize)[:MAX_TRIAGED]:
        status, output = replay(replay_binary, target, path, harness_dir)
        found = signature(output) if status else None
        if found is None:
            found = f"not reproduced by fuzz_replay (libFuzzer {os.path.basename(path).split('-')[0]})"
        groups.setdefault(found, []).append(path)
        outputs.setdefault(found, output)
    crashes = []
    for number, (found, paths) in enumerate(sorted(groups.items()), start=1):
        crash = UniqueCrash(target, found, paths)
        keep = os.path.join(out_dir, f"{target}-{number}")
        shutil.copyfile(paths[0], keep + ".bin")
        minimize(crash, outputs[found], fuzz_binary, replay_binary, keep, harness_dir)
        crashes.append(crash)
    return crashes


def minimize(crash, first_output, fuzz_binary, replay_binary, keep, harness_dir):
    """Sets crash.minimized and crash.replay: the smallest input that fails the same way."""
    candidate = keep + ".min"
    if crash.signature.startswith("oracle: "):
        minimized = MINIMIZED_REPLAY.search(first_output)
        if minimized:
            shutil.copyfile(minimized.group(1), candidate)
    elif crash.signature.startswith("sanitizer: "):
        env = dict(os.environ, **REPLAY_ENV)
        subprocess.run([fuzz_binary, "-minimize_crash=1", "-max_total_time=30",
                        f"-exact_artifact_path={candidate}", keep + ".bin"], env=env,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=REPLAY_TIMEOUT_S)
    chosen = keep + ".bin"
    if os.path.exists(candidate):
        status, output = replay(replay_binary, crash.target, candidate, harness_dir)
        if status and signature(output) == crash.signature:
            chosen = candidate
    crash.minimized = chosen
    if crash.signature.startswith("not reproduced"):
        crash.replay = f"{fuzz_binary} {chosen}"
    else:
        crash.replay = (f"CONNMGR_FUZZ_ARTIFACTS={os.path.dirname(chosen)} "
                        f"{replay_binary} --trace {crash.target} {chosen}")


def write_markdown(path, crashes, failure_inputs, title):
    """crashes.md: one section per unique crash, each with its replay line."""
    triaged = sum(len(c.inputs) for c in crashes)
    lines = [f"# {title}", "",
             f"{len(crashes)} unique failure(s) among {triaged} triaged of {failure_inputs} failure "
             f"input(s) (at most the {MAX_TRIAGED} smallest per target). "
             "Run the replay lines from the repository root.", ""]
    for crash in crashes:
        lines += [f"## {crash.target}: {crash.signature}", "",
                  f"- inputs: {len(crash.inputs)} (smallest: `{crash.inputs[0]}`)",
                  f"- kept: `{crash.minimized}` ({os.path.getsize(crash.minimized)} bytes)",
                  f"- REPLAY: `{crash.replay}`", ""]
    with open(path, "w") as out:
        out.write("\n".join(lines))

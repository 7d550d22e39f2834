"""Planted-bug results: one verdict per (bug, engine), merged across runs, rendered as a matrix.

A results file is JSON: {"results": {bug: {engine: {"verdict", "date", "budget", "source"}}}}.
`verdict` is "caught <time> ...", "missed", "hung ...", "build failed", "patch failed" or
"not run ...". Merging keeps, per (bug, engine), the entry with the latest date (the incoming one
on a tie), so several partial runs assemble into one matrix without hand editing.
"""
import json
import pathlib
import time


def now():
    return time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())


def load(path):
    path = pathlib.Path(path)
    if not path.exists():
        return {}
    data = json.loads(path.read_text())
    if not isinstance(data, dict) or not isinstance(data.get("results"), dict):
        raise SystemExit(f"{path}: not a planted-bug results file (no 'results' object)")
    return data["results"]


def save(path, results):
    path = pathlib.Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".tmp")
    partial.write_text(json.dumps({"results": results}, indent=1, sort_keys=True) + "\n")
    partial.replace(path)


def merge(into, other):
    """Merges `other` into `into` (both {bug: {engine: entry}}); returns `into`."""
    for bug, engines in other.items():
        for engine, entry in engines.items():
            current = into.setdefault(bug, {}).get(engine)
            if current is None or entry.get("date", "") >= current.get("date", ""):
                into[bug][engine] = entry
    return into


def record(path, bug, engine, entry):
    """Merges one verdict into the results file at `path` right away (a run may be cut short)."""
    save(path, merge(load(path), {bug: {engine: entry}}))


def render(results, bugs, engine_names):
    """The Markdown matrix: `bugs` is [(name, description)], columns are `engine_names` plus any
    other engine found in `results`; then the caught counts and where each column comes from."""
    columns = list(engine_names) + sorted({e for v in results.values() for e in v} - set(engine_names))
    cell = lambda bug, engine: results.get(bug, {}).get(engine, {}).get("verdict", "not run")
    lines = ["| planted bug | what it breaks | " + " | ".join(columns) + " |",
             "|---|---|" + "---|" * len(columns)]
    for name, description in bugs:
        lines.append(f"| {name} | {description} | " + " | ".join(cell(name, e) for e in columns) + " |")
    caught = lambda bug, engine: cell(bug, engine).startswith("caught")
    anyone = sum(any(caught(name, e) for e in columns) for name, _ in bugs)
    lines.append(f"| **caught** | {anyone}/{len(bugs)} by at least one engine | " +
                 " | ".join(f"{sum(caught(n, e) for n, _ in bugs)}/{len(bugs)}" for e in columns) + " |")

    provenance = {}
    for name, _ in bugs:
        for engine in columns:
            entry = results.get(name, {}).get(engine)
            if entry:
                key = (engine, entry.get("source", "?"), str(entry.get("budget", "?")))
                provenance.setdefault(key, []).append(entry.get("date", "?"))
    lines += ["", "Where each cell comes from (engine: source, budget, dates, cells):", ""]
    for (engine, source, budget), dates in sorted(provenance.items()):
        span = min(dates) if min(dates) == max(dates) else f"{min(dates)} to {max(dates)}"
        lines.append(f"- {engine}: {source}; budget {budget}; {span}; {len(dates)} cells")
    return "\n".join(lines), anyone

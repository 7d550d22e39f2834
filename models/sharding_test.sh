#!/usr/bin/env bash
# ctest model/sharding: two shards of a small ci/model run together cover exactly the work items
# of the unsharded run (no item twice, none missing), and --combine merges them into a PASS report.
#   models/sharding_test.sh CONNMGR_MODELS
set -euo pipefail
binary=${1:?usage: sharding_test.sh CONNMGR_MODELS}
root=$(cd "$(dirname "$0")/.." && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

run() {  # run ARTIFACTS [ci/model options...]
  local artifacts=$1
  shift
  "$root/ci/model" --binary "$binary" --scenario dial_vs_shutdown --scenario hanging_dial_vs_shutdown \
    --scheduler bound,random --bound 1,2 --iterations 10 --chunks 3 --artifacts "$out/$artifacts" "$@" \
    >"$out/$artifacts.txt"
}
keys() { python3 -c 'import json,sys; [print(json.loads(l)["key"]) for f in sys.argv[1:] for l in open(f)]' "$@"; }

run all
run shard1 --shard 1/2
run shard2 --shard 2/2
keys "$out/all/results.jsonl" | sort >"$out/all.keys"
keys "$out/shard1/results.jsonl" "$out/shard2/results.jsonl" | sort >"$out/shards.keys"
[[ -s "$out/all.keys" ]] || { echo "the unsharded run produced no results"; exit 1; }
if ! diff -u "$out/all.keys" "$out/shards.keys"; then
  echo "FAIL: the two shards do not cover exactly the unsharded work list"
  exit 1
fi
if [[ $(wc -l <"$out/shard1/results.jsonl") -eq 0 || $(wc -l <"$out/shard2/results.jsonl") -eq 0 ]]; then
  echo "FAIL: a shard got no work"
  exit 1
fi
"$root/ci/model" --combine "$out/shard1" "$out/shard2" >"$out/combined.md"
grep -q '^verdict: PASS' "$out/combined.md" || { cat "$out/combined.md"; echo "FAIL: combined verdict"; exit 1; }
echo "ok: $(wc -l <"$out/all.keys") work items, shards $(wc -l <"$out/shard1/results.jsonl") + $(wc -l <"$out/shard2/results.jsonl"), combined PASS"

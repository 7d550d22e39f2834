#!/bin/bash -eu
# The OSS-Fuzz / ClusterFuzzLite build of connmgr's libFuzzer targets, run by the builder image's
# `compile` with the source in $SRC/connmgr. Uses only the conventional variables: $CC $CXX
# $CFLAGS $CXXFLAGS (sanitizer and coverage flags), $LIB_FUZZING_ENGINE (how a target links its
# engine), $WORK (a scratch build folder) and $OUT, which receives, per target of fuzz/corpus/:
#   fuzz_<target>                   the fuzzer
#   fuzz_<target>_seed_corpus.zip   its seed corpus
#   fuzz_<target>.options           libFuzzer options (max_len, as ci/fuzz uses)
# ci/clusterfuzzlite-check runs this script locally with those variables set.
source_dir="$SRC/connmgr"
build_dir="${WORK:-/tmp}/connmgr-build"

extra_flags=()
# libFuzzer's feedback: only the manager is instrumented (less its snapshot()), as in the `fuzz`
# preset.
if [[ " $CXXFLAGS " == *" -fsanitize=fuzzer-no-link "* ]]; then
  extra_flags+=("-fsanitize-coverage-allowlist=$source_dir/fuzz/coverage-allowlist.txt")
  extra_flags+=("-fsanitize-coverage-ignorelist=$source_dir/fuzz/coverage-ignorelist.txt")
fi
# The simulator runs many short-lived fibers; ASan's stack-use-after-return mode would give each
# one a fake stack of its own (an mmap per fiber), so it is compiled out as in the `fuzz` preset.
if [[ " $CXXFLAGS " == *" -fsanitize=address "* ]]; then
  extra_flags+=("-fsanitize-address-use-after-return=never")
fi

cmake -S "$source_dir" -B "$build_dir" -G Ninja \
  -DCMAKE_BUILD_TYPE= \
  -DCMAKE_CXX_COMPILER="$CXX" \
  -DCMAKE_CXX_FLAGS="$CXXFLAGS ${extra_flags[*]}" \
  -DCONNMGR_FUZZ_ENGINE="$LIB_FUZZING_ENGINE" \
  -DCONNMGR_BUILD_FUZZ=ON \
  -DCONNMGR_BUILD_TESTS=OFF \
  -DCONNMGR_BUILD_STRESS=OFF \
  -DCONNMGR_BUILD_BENCH=OFF \
  -DCONNMGR_WERROR=OFF

targets=()
for corpus in "$source_dir"/fuzz/corpus/*/; do
  targets+=("$(basename "$corpus")")
done
cmake --build "$build_dir" --target "${targets[@]/#/fuzz_}"

for target in "${targets[@]}"; do
  cp "$build_dir/fuzz/fuzz_$target" "$OUT/"
  rm -f "$OUT/fuzz_${target}_seed_corpus.zip"
  (cd "$source_dir/fuzz/corpus/$target" && zip -q -r "$OUT/fuzz_${target}_seed_corpus.zip" .)
  printf '[libfuzzer]\nmax_len = 256\n' >"$OUT/fuzz_$target.options"
done

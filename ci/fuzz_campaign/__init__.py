"""The pieces of ci/fuzz-campaign: libFuzzer log parsing, the fuzzing loop with its progress and
time series, crash triage, and the corpus coverage report."""

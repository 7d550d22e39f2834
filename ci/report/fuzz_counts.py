"""Prints one line counting a fuzz campaign's results found in a folder (for the fuzz job)."""
import pathlib
import sys

import campaign

folder = pathlib.Path(sys.argv[1])
print(campaign.fuzz_counts(campaign.read_fuzz_stats(folder), campaign.read_fuzz_summary(folder)))

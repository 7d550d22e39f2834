"""Prints one line counting the model-checking results found in a folder (for the models job)."""
import pathlib
import sys

import campaign

print(campaign.model_counts(campaign.read_model_results(pathlib.Path(sys.argv[1]))))

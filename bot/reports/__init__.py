"""Impact reports: figures for organisers and funders, and a statement for each volunteer."""

"""Loading and batching the spaCy pipeline; cheap first pass over raw text."""

"""``make bench``: speed and memory of the heavy calls and the pages (prints a table)."""

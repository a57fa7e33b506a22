"""Run reports: JSON (the full result object), JUnit XML for CI, a single-file HTML page."""

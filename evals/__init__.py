"""The eval harness: suites of cases, samplers, judges, metrics, reports and the release gate.

An eval is data + a sampler + graders, each small:

- ``cases`` / ``suites``: the case format (YAML or JSONL, pydantic-validated) and the loader
  that names file, line and field of a malformed case; the built-in suites live in
  ``evals/suites/``.
- ``samplers``: the system under test, in process (the real container) or over HTTP.
- ``judges``: deterministic checkers and claim grounding; ``llm_judge`` grades rubric items with
  a model through the same provider interface as the agent (a judge is a sampler too).
- ``metrics``: the contract metric names, overall and per tag, with seeded bootstrap CIs.
- ``runner``: concurrency, repeats (pass^k), per-case timeouts, progress, resumable output.
- ``reports``: JSON, JUnit XML and a single-file HTML report; ``compare`` and ``gate``.

``evals/data/triage_cases.jsonl`` is the triage tool's own case file (``bench/triage_sets.py``).
"""

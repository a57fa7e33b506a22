"""The ``hm`` command line: serve, chat, kb, triage, eval."""

"""Contract tests: the sandbox against answers recorded from AWS."""

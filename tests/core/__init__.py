"""Tests of what REST and HTTP APIs share: the apply loop, the journal, rendering."""

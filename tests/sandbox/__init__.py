"""Tests of the emulated account itself: installing, seeding and serving it."""

"""Tests of the pure check-in decisions: slots, triggers, policy and wording."""

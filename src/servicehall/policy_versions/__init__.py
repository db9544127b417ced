"""Stored policy versions (政策版本): which policy a centre applies from which day (table, admin, CLI)."""

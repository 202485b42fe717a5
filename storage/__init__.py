"""Persistence: SQLModel tables, the async engine and session factory, repositories, migrations."""

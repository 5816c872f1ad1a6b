"""Store of record: SQLite (or any SQLAlchemy URL) for profile, contacts, notes and drafts."""

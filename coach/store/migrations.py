"""Schema migrations: an ordered list of steps, recorded in ``schema_version``.

Each step runs once, in its own transaction, and is recorded with its number. A new
schema change is a new function appended to ``MIGRATIONS``; existing ones never change.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Column, Connection, Integer, MetaData, String, Table, select
from sqlalchemy.engine import Engine

from coach.store.models import Base

_meta = MetaData()
schema_version = Table(
    "schema_version",
    _meta,
    Column("version", Integer, primary_key=True),
    Column("name", String(100), nullable=False),
)


def _initial(conn: Connection) -> None:
    Base.metadata.create_all(conn)


def _review_index(conn: Connection) -> None:
    """A covering index for the network review's per-contact aggregate (last date, value)."""
    conn.exec_driver_sql("CREATE INDEX IF NOT EXISTS ix_interactions_review "
                         "ON interactions (contact_id, occurred_on, value)")


MIGRATIONS: list[tuple[int, str, Callable[[Connection], None]]] = [
    (1, "initial schema", _initial),
    (2, "interactions review index", _review_index),
]


def applied_versions(engine: Engine) -> set[int]:
    with engine.connect() as conn:
        _meta.create_all(conn)
        conn.commit()
        return set(conn.execute(select(schema_version.c.version)).scalars())


def migrate(engine: Engine) -> list[int]:
    """Apply the pending migrations; return the versions applied now."""
    done = applied_versions(engine)
    applied = []
    for version, name, step in MIGRATIONS:
        if version in done:
            continue
        with engine.begin() as conn:
            step(conn)
            conn.execute(schema_version.insert().values(version=version, name=name))
        applied.append(version)
    return applied

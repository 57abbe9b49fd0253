"""Key-value store: one JSON value per (namespace, key), such as a runner's open dialog."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.repo._sql import execute_core, param, prebuilt_upsert
from storage.tables import KeyValue, utcnow

_KV: sa.Table = KeyValue.__table__  # type: ignore[attr-defined]
_THIS = sa.and_(_KV.c.namespace == sa.bindparam("namespace"), _KV.c.key == sa.bindparam("key"))
# Built once and run on the session's connection (no ORM object is loaded: a value is only
# ever written with Core, `set_kv`): read several times a turn (the dialog, a prompt, the
# illness spell of every week plan).
_GET = sa.select(_KV.c.value).where(_THIS)
_DELETE = sa.delete(_KV).where(_THIS)


async def get_kv(session: AsyncSession, *, namespace: str, key: str) -> Any | None:
    """The stored value, or None."""
    connection = await session.connection()
    result = await connection.execute(_GET, {"namespace": namespace, "key": key})
    return result.scalar()


def _kv_upsert(insert: Any) -> Any:
    insert = insert.values(
        namespace=sa.bindparam("namespace"),
        key=sa.bindparam("key"),
        value=param(KeyValue, "value"),
        updated_at=param(KeyValue, "updated_at", "now"),
    )
    return insert.on_conflict_do_update(
        index_elements=["namespace", "key"],
        set_={"value": insert.excluded.value, "updated_at": insert.excluded.updated_at},
    )


async def set_kv(session: AsyncSession, *, namespace: str, key: str, value: object) -> None:
    """Store a JSON-serialisable value under (namespace, key), replacing any old one."""
    params = {"namespace": namespace, "key": key, "value": value, "now": utcnow()}
    await execute_core(session, prebuilt_upsert(session, KeyValue, _kv_upsert), params)


async def delete_kv(session: AsyncSession, *, namespace: str, key: str) -> None:
    """Remove (namespace, key) if stored."""
    await execute_core(session, _DELETE, {"namespace": namespace, "key": key})

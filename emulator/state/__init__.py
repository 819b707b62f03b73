"""The emulator's state: the models of organizations, members, factors and sessions.

Nothing here knows about HTTP; the api package turns requests into calls on these modules.
"""

from __future__ import annotations

from dataclasses import dataclass

from emulator.clock import Clock
from emulator.ids import IdFactory
from emulator.keys import SigningKey
from emulator.store import Store


@dataclass
class Context:
    """What every state function works with."""

    project_id: str
    store: Store
    clock: Clock
    ids: IdFactory
    key: SigningKey

    @classmethod
    def open(cls, project_id: str, db_path: str | None, seed: int | None = None) -> "Context":
        store = Store(db_path)
        ids = IdFactory(seed)
        return cls(project_id, store, Clock(store), ids, SigningKey(store, ids))

"""The hash chain over the access log: one definition of an entry's hash."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

GENESIS = "0" * 64


def entry_hash(
    *,
    prev_hash: str,
    seq: int,
    at: datetime,
    user_id: int | None,
    actor: str,
    action: str,
    person_id: int | None,
    page: str,
    detail: dict[str, Any],
) -> str:
    payload = json.dumps(
        [seq, at.isoformat(), user_id, actor, action, person_id, page, detail],
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(f"{prev_hash}|{payload}".encode()).hexdigest()

"""The task functions the worker (``heltid db_worker``) runs: one, which computes a claimed
:class:`~heltid.background.models.StoredResult` with the builder registered for its kind."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from heltid.background import services


@task()
def compute(result_id: int) -> dict[str, Any]:
    """Compute the stored result ``result_id`` (claimed by :func:`services.request`)."""
    return services.run(result_id)

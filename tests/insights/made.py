"""Statistics pages in tests: their figures and files are made by the background worker
(decision 0022), so a test asks once, lets the real worker run the queue, and asks again."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.test import Client

from tests.background.worker import run_worker


def made(client: Client, url: str, params: Any = None) -> HttpResponse:
    """The page (or download) as it answers when its result is made."""
    client.get(url, params or {})
    run_worker()
    response: HttpResponse = client.get(url, params or {})
    return response

"""The access log's view of one request: which persons it showed, what it wrote, what it refused.

:class:`heltid.accounts.middleware.PermissionDeclaredMiddleware` runs every request inside
:func:`tracing` and calls :func:`settle` with the response, so that no page has to remember:

- every person a page fetched for display (:func:`shown`, called by
  :func:`heltid.casework.access.person_for`) and that the page did not name in an entry of its
  own gets one ``view`` entry when the page answers 2xx — so each person page writes exactly one
  entry naming the person, whether or not its view logs;
- every refusal (403, or 404 from a view) of a signed-in user that did not log a ``denied``
  entry of its own gets one, naming the person of the URL (``person_id``, ``?person=``) when
  that person exists.

Outside a request (commands, services called from tests) nothing is traced.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponseBase

    from heltid.audit.services import Entry


@dataclass
class RequestTrace:
    shown: dict[int, None] = field(default_factory=dict)  # an ordered set
    named: set[int] = field(default_factory=set)
    denied: bool = False


_current: ContextVar[RequestTrace | None] = ContextVar("heltid_access_trace", default=None)

# query parameters by which a page is asked about one person
PERSON_PARAMETERS = ("person", "deltagare")


@contextmanager
def tracing() -> Iterator[RequestTrace]:
    trace = RequestTrace()
    token = _current.set(trace)
    try:
        yield trace
    finally:
        _current.reset(token)


def shown(*person_ids: int) -> None:
    """The current page shows these persons (a no-op outside a request)."""
    trace = _current.get()
    if trace is not None:
        for person_id in person_ids:
            trace.shown.setdefault(int(person_id), None)


def written(entries: Iterable[Entry]) -> None:
    """Called by the log for every entry it appended."""
    trace = _current.get()
    if trace is None:
        return
    for entry in entries:
        if entry.action == "denied":
            trace.denied = True
        if entry.person_id is not None:
            trace.named.add(int(entry.person_id))
        listed = entry.detail.get("shown") if isinstance(entry.detail, dict) else None
        if isinstance(listed, list):
            trace.named.update(int(p) for p in listed if isinstance(p, int))


def person_in_request(request: HttpRequest) -> int | None:
    """The person a request is about, from its URL or query string, as given (maybe missing)."""
    match = request.resolver_match
    raw: Any = match.kwargs.get("person_id") if match is not None else None
    if raw is None:
        for name in PERSON_PARAMETERS:
            value = request.GET.get(name, "")
            if value.isascii() and value.isdigit():
                raw = value
                break
    if raw is None:
        return None
    try:
        return int(raw)
    except (TypeError, ValueError):
        return None


def settle(request: HttpRequest, response: HttpResponseBase, trace: RequestTrace) -> None:
    """Write what the request's own code did not: the view of shown persons, or the refusal."""
    from heltid.audit.models import Action
    from heltid.audit.services import Entry, log_entries

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return  # the login page answers; nothing was shown
    status = response.status_code
    if status in (403, 404):
        if trace.denied or request.resolver_match is None:
            return  # already logged, or no such page at all
        _log_refusal(request, user, status)
        return
    if 200 <= status < 300:
        missing = [pk for pk in trace.shown if pk not in trace.named]
        if missing:
            log_entries(
                user=user,
                entries=[Entry(action=Action.VIEW, person_id=pk) for pk in missing],
                page=request.path,
            )


def _log_refusal(request: HttpRequest, user: Any, status: int) -> None:
    from heltid.audit.models import Action
    from heltid.audit.services import log_access
    from heltid.ids import valid_id
    from heltid.registry.models import Person

    person_id = person_in_request(request)
    exists = (
        person_id is not None
        and valid_id(person_id)
        and Person.objects.filter(pk=person_id).exists()
    )
    detail: dict[str, Any] = {
        "status": status,
        "reason": "permission denied" if status == 403 else "not found",
    }
    if person_id is not None:
        detail["person_id"] = person_id
    log_access(
        user=user,
        action=Action.DENIED,
        # a missing person is logged by number only, so the log never points at nothing
        person_id=person_id if exists else None,
        page=request.path,
        detail=detail,
    )

"""Fetching a person for a person page, or refusing it with 404 and a trace in the access log.

Every page about one person (the registry's person page and every casework page under
``/personer/<id>/``) fetches the person through :func:`person_for`, so that an attempt to open
a person outside the user's caseload or unit answers 404 — the same as a person who does not
exist — and is logged as ``Action.DENIED``.

Call it outside any ``transaction.atomic`` block of your own: the DENIED entry is written in its
own transaction and must not be rolled back by the 404.
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.http import Http404, HttpRequest

from heltid.accounts.permissions import may_edit_casework
from heltid.audit import context as access_trace
from heltid.audit.models import Action
from heltid.audit.services import log_access
from heltid.ids import valid_id
from heltid.registry.models import Person
from heltid.registry.selectors import person_detail


def deny(request: HttpRequest, person_id: int, *, reason: str) -> NoReturn:
    """Log a refused attempt to open a person's page and answer 404."""
    exists = valid_id(person_id) and Person.objects.filter(pk=person_id).exists()
    log_access(
        user=request.user,
        action=Action.DENIED,
        # a missing person is logged by number only, so the log never points at nothing
        person_id=person_id if exists else None,
        page=request.path,
        detail={"person_id": person_id, "reason": reason if exists else "missing"},
    )
    raise Http404


def person_for(
    request: HttpRequest, person_id: int, edit: bool = False, *, full: bool = False
) -> Person:
    """The person — with ``full=True`` with what the person page shows prefetched (a fixed
    number of queries) — if the user may see them, and, with ``edit=True``, may edit their
    casework.

    Otherwise logs ``Action.DENIED`` (person id, page, reason) and raises ``Http404``."""
    user: Any = request.user
    if not valid_id(person_id):
        deny(request, person_id, reason="missing")
    try:
        person = person_detail(user=user, person_id=person_id, full=full)
    except Http404:
        deny(request, person_id, reason="outside scope")
    if edit and not may_edit_casework(user, person):
        deny(request, person_id, reason="may not edit casework")
    # the page shows this person: one "view" entry unless the page names them itself
    access_trace.shown(person.pk)
    return person

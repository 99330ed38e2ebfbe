"""A test client as the benchmarks need it: signed in with both factors."""

from __future__ import annotations

from typing import Any

from django.test import Client


def signed_in(user: Any) -> Client:
    """A client signed in as ``user`` with both factors (decision 0017): a confirmed TOTP
    device, verified in the session as django_otp.login leaves it."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client()
    client.force_login(user)
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, confirmed=True, defaults={"name": "Heltid"}
    )
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client

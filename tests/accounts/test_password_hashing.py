"""Passwords are stored with Argon2id at RFC 9106's parameters (decision 0024); a password
stored before with PBKDF2 still signs in and is then stored anew with Argon2id."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.hashers import check_password, make_password
from django.test import override_settings

import heltid.settings as production
from tests.accounts.test_lockout import PASSWORD, attempt

PBKDF2 = "django.contrib.auth.hashers.PBKDF2PasswordHasher"
ARGON2ID_RFC_9106 = "argon2$argon2id$v=19$m=65536,t=3,p=4$"


def test_production_hashers__argon2id_first__pbkdf2_still_read() -> None:
    assert production.PASSWORD_HASHERS[0] == "heltid.accounts.hashers.Argon2idHasher"
    assert PBKDF2 in production.PASSWORD_HASHERS
    with override_settings(PASSWORD_HASHERS=production.PASSWORD_HASHERS):
        stored = make_password("ett-långt-lösenord")
        assert stored.startswith(ARGON2ID_RFC_9106)
        assert check_password("ett-långt-lösenord", stored)
        assert not check_password("ett-annat-lösenord", stored)


def test_sign_in_with_a_pbkdf2_password__signs_in__and_stores_it_with_argon2id(
    staff: Any,
) -> None:
    user = staff.case_manager
    with override_settings(PASSWORD_HASHERS=production.PASSWORD_HASHERS):
        user.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
        user.save(update_fields=["password"])
        assert user.password.startswith("pbkdf2_sha256$")

        wrong = attempt(user.username, "fel-lösenord")
        user.refresh_from_db()
        assert wrong.status_code == 200 and user.password.startswith("pbkdf2_sha256$")

        answer = attempt(user.username, PASSWORD)
        assert answer.status_code == 302
        user.refresh_from_db()
        assert user.password.startswith(ARGON2ID_RFC_9106)
        assert check_password(PASSWORD, user.password)

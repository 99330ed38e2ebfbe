"""How local accounts' passwords are stored: Argon2id (decision 0024).

The parameters are RFC 9106 section 4's second recommended option, for servers that cannot
spend gigabytes on a hash: 64 MiB of memory, 3 passes, 4 lanes. A password stored with other
parameters, or with PBKDF2 (Django's default, what earlier versions stored), still signs in
and is stored anew with these at that sign-in (Django's ``must_update``)."""

from __future__ import annotations

from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2idHasher(Argon2PasswordHasher):
    """Django's Argon2 hasher (the ``argon2id`` variant) with RFC 9106's parameters."""

    time_cost = 3
    memory_cost = 64 * 1024  # KiB
    parallelism = 4

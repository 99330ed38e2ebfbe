"""Referral factories."""

from __future__ import annotations

import factory

from heltid.referrals.models import Referral, ReferralStatus
from tests.catalog.factories import InterventionFactory
from tests.factories import PersonFactory


class ReferralFactory(factory.django.DjangoModelFactory):
    """A referral sent to the provider (no place yet)."""

    class Meta:
        model = Referral

    person = factory.SubFactory(PersonFactory)
    intervention = factory.SubFactory(InterventionFactory)
    status = ReferralStatus.SENT

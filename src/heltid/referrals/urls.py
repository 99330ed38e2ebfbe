"""Referral pages. ``person_urlpatterns`` hang under /personer/<id>/."""

from __future__ import annotations

from django.urls import path

from heltid.referrals.views import allocation, attendance, decision, provider, referral

urlpatterns = [
    path("anvisningar/<int:referral_id>/", referral.referral_detail, name="referral_detail"),
    path("utforare/", provider.provider_home, name="provider_home"),
    path(
        "utforare/insatser/<int:intervention_id>/",
        provider.provider_intervention,
        name="provider_intervention",
    ),
    path(
        "utforare/insatser/<int:intervention_id>/narvaro/",
        attendance.attendance_week,
        name="attendance_week",
    ),
    path(
        "utforare/anvisningar/<int:referral_id>/",
        provider.provider_referral,
        name="provider_referral",
    ),
    path("signaler/", decision.signal_list, name="signal_list"),
    path("signaler/<int:signal_id>/beslut/", decision.decision_new, name="decision_new"),
    path("af-underrattelser/", decision.af_notifications, name="af_notifications"),
    path("af-underrattelser/export/", decision.af_export, name="af_export"),
    path("arende/fordelning/", allocation.allocation, name="allocation"),
]

person_urlpatterns = [
    path("anvisningar/", referral.person_referrals, name="person_referrals"),
    path("anvisningar/ny/", referral.referral_new, name="referral_new"),
    path("matchning/", referral.matching, name="matching"),
]

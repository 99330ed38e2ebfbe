"""Casework pages. ``person_urlpatterns`` hang under /personer/<id>/, ``urlpatterns`` (the
caseload) under /arende/."""

from __future__ import annotations

from django.urls import path

from heltid.casework.views import assessment, caseload, follow_up, plan, progression

urlpatterns = [
    path("", caseload.my_caseload, name="my_caseload"),
    path("enhet/", caseload.unit_caseload, name="unit_caseload"),
    path("omfordela/", caseload.reassign, name="reassign"),
]

person_urlpatterns = [
    path("kartlaggning/", assessment.assessment_list, name="assessment_list"),
    path("kartlaggning/ny/", assessment.assessment_new, name="assessment_new"),
    path("plan/", plan.plan_page, name="plan"),
    path("plan/andra/", plan.plan_edit, name="plan_edit"),
    path("plan/aktivitet/ny/", plan.activity_add, name="activity_add"),
    path("plan/aktivitet/<int:activity_id>/", plan.activity_change, name="activity_change"),
    path("plan/signera/", plan.plan_sign, name="plan_sign"),
    path("plan/versioner/", plan.plan_versions, name="plan_versions"),
    path("plan/pdf/", plan.plan_pdf, name="plan_pdf"),
    path("uppfoljning/", follow_up.follow_up_list, name="follow_up_list"),
    path("uppfoljning/ny/", follow_up.follow_up_new, name="follow_up_new"),
    path("steg/ny/", progression.step_change_new, name="step_change_new"),
    path("avslut/ny/", progression.exit_new, name="exit_new"),
    path(
        "avslut/<int:exit_id>/uppfoljning/<int:months>/",
        progression.exit_follow_up,
        name="exit_follow_up",
    ),
]

"""URL configuration. Swedish paths; every view declares its permission."""

from __future__ import annotations

from django.urls import include, path

from heltid.accounts import oidc
from heltid.accounts.admin import site as admin_site
from heltid.casework import urls as casework_urls
from heltid.catalog import views as catalog_views
from heltid.referrals import urls as referral_urls

urlpatterns = [
    path("", include("heltid.web.urls")),
    path("", include("heltid.accounts.urls")),
    path("oidc/", include(oidc.urlpatterns)),  # the municipality's sign-in (decision 0018)
    path("personer/", include("heltid.registry.urls")),
    path("personer/<int:person_id>/", include(casework_urls.person_urlpatterns)),
    path("personer/<int:person_id>/", include(referral_urls.person_urlpatterns)),
    path("", include("heltid.referrals.urls")),
    path("arende/", include("heltid.casework.urls")),
    path("insatser/", include("heltid.catalog.urls")),
    path("offentlig/insatser/", catalog_views.catalogue_public, name="catalogue_public"),
    path("statistik/", include("heltid.insights.urls")),
    path("planering/", include("heltid.insights.urls_planning")),
    path("logg/", include("heltid.audit.urls")),
    path("admin/", admin_site.urls),
]

handler403 = "heltid.web.views.permission_denied"
handler404 = "heltid.web.views.page_not_found"
handler500 = "heltid.web.views.server_error"
handler400 = "heltid.web.views.bad_request"

"""The site's URLs: the front door, the admin, the API and each domain's pages (own prefix per domain)."""

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from servicehall.accountability import urls as accountability_urls
from servicehall.api import api
from servicehall.assessment import urls as assessment_urls
from servicehall.attendance import urls as attendance_urls
from servicehall.cases import urls as cases_urls
from servicehall.catalog import urls as catalog_urls
from servicehall.consultation import urls as consultation_urls
from servicehall.core import urls as core_urls
from servicehall.core.private_files import PUBLIC_MEDIA_FOLDERS
from servicehall.evaluation import urls as evaluation_urls
from servicehall.inspections import urls as inspections_urls
from servicehall.language import urls as language_urls
from servicehall.leave import urls as leave_urls
from servicehall.ops import urls as ops_urls
from servicehall.org import urls as org_urls
from servicehall.queue import urls as queue_urls
from servicehall.rotation import urls as rotation_urls
from servicehall.site import views as site_views
from servicehall.study import urls as study_urls
from servicehall.supervision import urls as supervision_urls

admin.site.site_header = "servicehall 管理后台"
admin.site.site_title = "servicehall"

# Each domain owns its page paths in `<domain>/urls.py` (its own prefix, e.g. /catalog/, /display/) and is
# mounted under its name as the URL namespace. A domain with pages adds its line here.
DOMAIN_URLS = {
    "org": org_urls,
    "catalog": catalog_urls,
    "cases": cases_urls,
    "consultation": consultation_urls,
    "supervision": supervision_urls,
    "queue": queue_urls,
    "attendance": attendance_urls,
    "leave": leave_urls,
    "evaluation": evaluation_urls,
    "language": language_urls,
    "inspections": inspections_urls,
    "accountability": accountability_urls,
    "study": study_urls,
    "rotation": rotation_urls,
    "assessment": assessment_urls,
    "ops": ops_urls,
    "core": core_urls,
}

urlpatterns = [
    path("", site_views.home, name="home"),
    path("dashboard/", site_views.dashboard, name="dashboard"),
    path("rules/", site_views.rule_list, name="rules"),
    path("rules/<str:rule_id>/", site_views.rule_page, name="rule"),
    path("favicon.ico", site_views.favicon),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
]
urlpatterns += [
    path("", include((module.urlpatterns, name), namespace=name)) for name, module in DOMAIN_URLS.items()
]

if settings.DEBUG:
    # only the public folders; private uploads go through their pages' views (core.private_files)
    for folder in PUBLIC_MEDIA_FOLDERS:
        urlpatterns += static(settings.MEDIA_URL + folder, document_root=settings.MEDIA_ROOT / folder)

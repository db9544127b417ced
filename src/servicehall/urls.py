import importlib
import importlib.util

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from servicehall.api import DOMAINS, api
from servicehall.core import views as core_views

admin.site.site_header = "servicehall 管理后台"
admin.site.site_title = "servicehall"

urlpatterns = [
    path("", core_views.home, name="home"),
    path("dashboard/", core_views.dashboard, name="dashboard"),
    path("rules/", core_views.rule_list, name="rules"),
    path("rules/<str:rule_id>/", core_views.rule_page, name="rule"),
    path("favicon.ico", core_views.favicon),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
]

# Each domain owns its page paths in `<domain>/urls.py` (its own prefix, e.g. /catalog/, /display/).
for _name in DOMAINS:
    if importlib.util.find_spec(f"servicehall.{_name}.urls") is not None:
        _module = importlib.import_module(f"servicehall.{_name}.urls")
        urlpatterns.append(path("", include((_module.urlpatterns, _name), namespace=_name)))

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

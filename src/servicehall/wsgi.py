import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "servicehall.settings")
application = get_wsgi_application()

# A production server without `collectstatic` stops here with a clear message, not a 500 per page.
from servicehall.core.checks import require_static_manifest  # noqa: E402

require_static_manifest()

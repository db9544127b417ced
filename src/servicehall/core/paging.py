"""One way to paginate staff lists (Django's Paginator): 25 rows a page, links that keep the filters."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest

PER_PAGE = 25


def paginate(request: HttpRequest, rows: Any, *, per_page: int = PER_PAGE) -> dict[str, Any]:
    """Context for `_pager.html`: `page` (its `object_list` are the rows) and the filters' query string."""
    paginator = Paginator(rows, per_page)
    page: Page[Any] = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return {"page": page, "page_query": query.urlencode(), "page_rows": page.object_list}

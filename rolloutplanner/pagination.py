"""Long lists shown a page at a time, with page links that keep the list's filters."""

from django.core.paginator import Paginator


def page_and_query(request, items, per_page):
    """The page of `items` the request asks for (a bad or out-of-range number gives the first or
    last page) and the request's query string without `page`: what `_pagination.html` needs."""
    page = Paginator(items, per_page).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()

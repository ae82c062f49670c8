"""Paging long lists with Django's Paginator, the same way on every page."""

from django.core.paginator import Paginator

PAGE_SIZE = 50


def page_of(items, number, *, per_page=PAGE_SIZE, count=None):
    """Page `number` of `items` (a queryset or list) as Django's Page.

    A missing or bad number is page 1 and one past the end is the last page,
    as Paginator.get_page does. Pass `count` when it is already known (it
    saves the COUNT query).
    """
    paginator = Paginator(items, per_page)
    if count is not None:
        paginator.count = count  # a cached_property: set, it is not queried
    return paginator.get_page(number)


def query_without_page(request):
    """The request's query string less `page`, for the links to other pages."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()

from django.test import RequestFactory

from csphub.lib.paging import page_of, query_without_page


def test_page_of_clamps_bad_and_large_numbers():
    items = list(range(120))
    assert page_of(items, "2").object_list == list(range(50, 100))
    assert page_of(items, "x").number == 1
    assert page_of(items, None).number == 1
    assert page_of(items, "99").number == 3
    assert page_of([], "3").number == 1


def test_page_of_uses_a_count_it_is_given():
    page = page_of(list(range(10)), 1, per_page=5, count=500)
    assert page.paginator.num_pages == 100


def test_query_without_page_keeps_the_filters():
    request = RequestFactory().get("/x/", {"flag": "red", "page": "3", "q": "a b"})
    assert query_without_page(request) == "flag=red&q=a+b"

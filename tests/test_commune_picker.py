"""One commune resolver and one picker for every page about "the user's commune".

The pages are found, not listed: every view that calls `page_commune()` is held to the same behaviour —
one commune held: that one; several: the one asked for, else the picker; a commune not held: 403.
"""

import ast
import inspect
import textwrap

import pytest
from flask import url_for

from fieldkit.auth.scope import Scope, commune_choices, resolve_commune
from fieldkit.auth.users import create_user
from fieldkit.db import get_db
from fieldkit.errors import Forbidden, NotFound
from fieldkit.testing import BAO_HA, PASSWORD, PHO_LU
from fieldkit.units.units import commune_by_code, list_communes

PICKER_PAGE = "Chọn xã để mở trang này"
PICKER = 'class="inline-form commune-picker"'
PICKER_LINKS = '<nav class="commune-picker"'
# Made-up values for the other parts of a page's address.
URL_VALUES = {"slug": "what-is-papi", "kind": "page", "form_id": "session"}


def pages_about_a_commune(app):
    """(endpoint, methods) of every view that asks page_commune() which commune the request is about.

    A view that passes the code itself (the import confirmation takes it from the session) is not one.
    """
    found = []
    for endpoint, view in app.view_functions.items():
        source = textwrap.dedent(inspect.getsource(inspect.unwrap(view)))
        asks = any(
            isinstance(node, ast.Call) and getattr(node.func, "id", None) == "page_commune" and not node.args
            for node in ast.walk(ast.parse(source))
        )
        if asks:
            rule = next(app.url_map.iter_rules(endpoint))
            found.append((endpoint, rule.methods))
    return sorted(found)


@pytest.fixture
def two_communes(app, client):
    with app.app_context():
        create_user(get_db(), app.extensions["fieldkit.hasher"], "haixa", PASSWORD, "commune_admin", [BAO_HA, PHO_LU])
        foreign = next(c["code"] for c in list_communes(get_db()) if c["code"] not in (BAO_HA, PHO_LU))
    client.post("/login", data={"username": "haixa", "password": PASSWORD})
    return foreign


def url(app, endpoint, **values):
    with app.test_request_context():
        rule = next(app.url_map.iter_rules(endpoint))
        return url_for(endpoint, **{k: URL_VALUES[k] for k in rule.arguments}, **values)


def test_the_pages_are_found(app):
    endpoints = {endpoint for endpoint, _ in pages_about_a_commune(app)}
    assert {"rosters.index", "posters.index", "survey.index", "submissions.new_record"} <= endpoints
    assert len(endpoints) >= 10


def test_a_user_of_two_communes_gets_the_picker_on_every_page(app, client, two_communes):
    with app.app_context():
        names = {code: commune_by_code(get_db(), code)["name"] for code in (BAO_HA, PHO_LU)}
    for endpoint, methods in pages_about_a_commune(app):
        if "GET" not in methods:
            continue
        response = client.get(url(app, endpoint))
        page = response.get_data(as_text=True)
        assert response.status_code == 200, endpoint
        assert PICKER_PAGE in page and PICKER_LINKS in page, f"{endpoint} does not show the picker"
        # Names, not codes, to choose from; the codes are only in the addresses.
        assert all(f'commune={code}">{name}</a>' in page for code, name in names.items()), endpoint
        assert f">{BAO_HA}<" not in page, endpoint


def test_a_user_of_two_communes_opens_the_one_asked_for(app, client, two_communes):
    for endpoint, methods in pages_about_a_commune(app):
        if "GET" not in methods:
            continue
        response = client.get(url(app, endpoint, commune=PHO_LU))
        assert response.status_code in (200, 302), endpoint
        assert PICKER_PAGE.encode() not in response.data, endpoint


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_a_foreign_commune_is_refused_on_every_page(app, client, two_communes, method):
    for endpoint, methods in pages_about_a_commune(app):
        if method not in methods:
            continue
        response = client.open(url(app, endpoint, commune=two_communes), method=method, data={})
        assert response.status_code == 403, f"{method} {endpoint} gave {response.status_code} for a foreign commune"
        assert "không được giao xã, phường này" in response.get_data(as_text=True), endpoint


def test_a_user_of_one_commune_never_sees_the_picker(app, client, auth):
    auth.login("admin")
    for endpoint, methods in pages_about_a_commune(app):
        if "GET" not in methods:
            continue
        response = client.get(url(app, endpoint))
        assert response.status_code in (200, 302), endpoint
        for shown in (PICKER, PICKER_LINKS, PICKER_PAGE):
            assert shown.encode() not in response.data, endpoint


def test_a_form_sent_without_its_commune_by_a_user_of_two_is_a_clear_400(app, client, two_communes):
    response = client.post(url(app, "posters.print_posters"), data={"size": "A4"})
    assert response.status_code == 400
    assert "Chưa chọn xã, phường" in response.get_data(as_text=True)


def test_the_picker_keeps_the_page_s_other_parameters(app, client, two_communes):
    page = client.get("/rosters/?q=bao+vinh&kind=thon").get_data(as_text=True)
    assert f'href="/rosters/?q=bao+vinh&amp;kind=thon&amp;commune={PHO_LU}"' in page
    page = client.get(f"/rosters/?q=bao+vinh&kind=thon&commune={PHO_LU}").get_data(as_text=True)
    assert PICKER in page and f'<option value="{PHO_LU}" selected>' in page
    assert '<input type="hidden" name="q" value="bao vinh">' in page
    assert '<input type="hidden" name="kind" value="thon">' in page


class TestResolver:
    def test_one_commune_is_that_one(self, app):
        with app.app_context():
            scope = Scope(1, "a", "officer", frozenset({BAO_HA}))
            assert resolve_commune(get_db(), scope)["code"] == BAO_HA
            assert resolve_commune(get_db(), scope, BAO_HA)["code"] == BAO_HA

    def test_several_is_the_one_asked_for_else_none(self, app):
        with app.app_context():
            scope = Scope(1, "a", "officer", frozenset({BAO_HA, PHO_LU}))
            assert resolve_commune(get_db(), scope) is None
            assert resolve_commune(get_db(), scope, PHO_LU)["code"] == PHO_LU
            assert [c["code"] for c in commune_choices(get_db(), scope)] == sorted([BAO_HA, PHO_LU])

    def test_none_held_is_refused(self, app):
        with app.app_context(), pytest.raises(Forbidden):
            resolve_commune(get_db(), Scope(1, "a", "officer", frozenset()))

    def test_a_foreign_commune_is_refused_before_it_is_looked_up(self, app):
        with app.app_context():
            scope = Scope(1, "a", "officer", frozenset({BAO_HA}))
            with pytest.raises(Forbidden):
                resolve_commune(get_db(), scope, PHO_LU)
            with pytest.raises(Forbidden):
                resolve_commune(get_db(), scope, "99999")

    def test_a_central_admin_picks_among_every_commune_and_an_unknown_code_is_not_found(self, app):
        with app.app_context():
            central = Scope(1, "c", "central_admin", None)
            assert resolve_commune(get_db(), central) is None
            assert len(commune_choices(get_db(), central)) == len(list_communes(get_db(), "2023")) + len(
                list_communes(get_db(), "2025")
            )
            with pytest.raises(NotFound, match="99999"):
                resolve_commune(get_db(), central, "99999")

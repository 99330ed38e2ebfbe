"""The language choice in the header switches the whole page, and stays chosen."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page

from tests.browser.support import BROWSER_MARKS

pytestmark = BROWSER_MARKS


def html_lang(page: Page) -> str | None:
    return page.get_attribute("html", "lang")


def test_language__choose_english__html_lang_becomes_en(
    staff: Any, login: Callable[[Any], Page]
) -> None:
    page = login(staff.officer)
    assert html_lang(page) == "sv"

    page.select_option("header form.language select[name=language]", "en")
    with page.expect_navigation():
        page.click("header form.language button[type=submit]")
    assert html_lang(page) == "en"
    assert page.locator("header form.language select[name=language]").input_value() == "en"
    assert "/logga-in/" not in page.url

    page.goto("/personer/")
    assert html_lang(page) == "en"

    page.select_option("header form.language select[name=language]", "sv")
    with page.expect_navigation():
        page.click("header form.language button[type=submit]")
    assert html_lang(page) == "sv"


def test_language__before_login__login_page_switches_too(page: Page) -> None:
    page.goto("/logga-in/")
    assert html_lang(page) == "sv"
    page.select_option("header form.language select[name=language]", "en")
    with page.expect_navigation():
        page.click("header form.language button[type=submit]")
    assert page.url.endswith("/logga-in/")
    assert html_lang(page) == "en"

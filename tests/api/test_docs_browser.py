"""The browsable documentation renders from the vendored Swagger UI under the strict CSP."""

import pytest

from tests.browser_support import new_phone_context

pytestmark = pytest.mark.browser


def test_docs_page_renders_the_document_without_csp_violations(live_server, browser, artifacts_dir):
    context = new_phone_context(browser, viewport={"width": 1280, "height": 900}, is_mobile=False, has_touch=False)
    page = context.new_page()
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(live_server + "/api/v1/docs")
    page.wait_for_selector(".opblock-summary-path", timeout=15000)
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert any("/api/v1/me/agenda" in p for p in paths)
    assert "3.1" in page.locator(".info").inner_text() or page.locator(".version-stamp").count()
    page.screenshot(path=str(artifacts_dir / "api-docs.png"))
    context.close()
    assert errors == []

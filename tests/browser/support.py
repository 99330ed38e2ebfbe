"""What the browser tests share besides fixtures: marks, Chromium's flags and the axe check."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import Page

REPO_ROOT = Path(__file__).resolve().parents[2]
AXE_JS = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = "/usr/bin/chromium"
# Chromium as this machine needs it: no sandbox as root, no GPU, and no calls home
# (the network is closed, so background requests would only fail, many at a time).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
]
PASSWORD = "demo-losen-123"  # tests.factories.UserFactory
TIMEOUT_MS = 15_000
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# Every browser test: one xdist group (one worker, one Chromium) and a transactional
# database, since the live server's threads must see the test's data committed.
BROWSER_MARKS = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True),
]


def assert_no_axe_violations(page: Page, *, what: str = "") -> None:
    """Run axe-core on the whole document; fail with every WCAG 2.1 A/AA violation found."""
    # Contrast is only judged right with the real styles: the page's stylesheets must have loaded.
    unstyled = page.evaluate(
        """() => [...document.querySelectorAll('link[rel=stylesheet]')]
            .filter(l => !l.sheet || l.sheet.cssRules.length === 0).map(l => l.href)
            .concat(document.styleSheets.length ? [] : ['(no stylesheet at all)'])"""
    )
    assert not unstyled, f"{what or page.url}: stylesheets not loaded: {unstyled}"
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Not as a <script> tag: the Content-Security-Policy (decision 0019) rightly refuses an
        # inline script. The DevTools protocol's evaluation is the tester's, outside the policy.
        session = page.context.new_cdp_session(page)
        session.send("Runtime.evaluate", {"expression": AXE_JS.read_text(encoding="utf-8")})
        session.detach()
    result = page.evaluate(
        """async (tags) => {
            const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
            return r.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                nodes: v.nodes.map(n => ({
                    target: n.target, html: n.html, summary: n.failureSummary,
                })),
            }));
        }""",
        WCAG_21_AA,
    )
    if result:
        lines = [f"axe-core found {len(result)} WCAG 2.1 AA violation(s) on {what or page.url}:"]
        for violation in result:
            lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
            for node in violation["nodes"]:
                lines.append(f"    target {json.dumps(node['target'])}: {node['html']}")
                lines.append("      " + (node["summary"] or "").replace("\n", "\n      "))
        pytest.fail("\n".join(lines), pytrace=False)

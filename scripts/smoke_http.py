"""Smoke test of an installed, running Heltid over HTTP, as a browser behind the TLS proxy
would use it: the login page is Swedish, every static file the pages reference is served, a
case manager logs in, and the plan PDF renders in Swedish.

    python scripts/smoke_http.py --base http://127.0.0.1:PORT --username U --person-id N

(password in SMOKE_PASSWORD; the user and person come from scripts/smoke_data.py). Standard
library only, so it runs with any Python 3.11. Bounded: only 127.0.0.1, a timeout on every
request, at most MAX_REQUESTS of them, and it stops by itself. Prints each check as it passes;
exits 1 at the first that fails.

The app runs with HELTID_PRODUCTION=true, which redirects plain http and sets its cookies
Secure. Every request therefore carries ``X-Forwarded-Proto: https`` (what the proxy adds),
and cookies are kept by hand: urllib's cookie jar would not send Secure cookies over http.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import zlib
from dataclasses import dataclass, field
from http.cookies import SimpleCookie

MAX_REQUESTS = 80
TIMEOUT = 60  # seconds per request; the first PDF of a worker loads WeasyPrint's fonts
START_WAIT = 60  # seconds to wait for the server to answer at all
STATIC_REF = re.compile(r"""(?:src|href)\s*=\s*["'](/static/[^"'#?]+)""")
CSS_URL = re.compile(r"""url\(\s*["']?([^"')]+)["']?\s*\)""")


class SmokeError(Exception):
    pass


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    set_cookies: list[str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None  # a redirect is an answer to look at, not to follow


@dataclass
class Client:
    base: str
    cookies: dict[str, str] = field(default_factory=dict)
    requests: int = 0

    def __post_init__(self) -> None:
        host = urllib.parse.urlsplit(self.base).hostname
        if host != "127.0.0.1":
            raise SmokeError(f"only 127.0.0.1 is tested, not {host!r}")
        self.opener = urllib.request.build_opener(_NoRedirects)

    @property
    def https_origin(self) -> str:
        return "https://" + urllib.parse.urlsplit(self.base).netloc

    def request(
        self,
        path: str,
        *,
        data: dict[str, str] | None = None,
        proxied: bool = True,
        headers: dict[str, str] | None = None,
    ) -> Response:
        self.requests += 1
        if self.requests > MAX_REQUESTS:
            raise SmokeError(f"more than {MAX_REQUESTS} requests: something loops")
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body, headers=headers or {})
        if proxied:
            request.add_header("X-Forwarded-Proto", "https")
        if self.cookies:
            request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        try:
            with self.opener.open(request, timeout=TIMEOUT) as answer:
                response = Response(
                    answer.status,
                    {k.lower(): v for k, v in answer.headers.items()},
                    answer.headers.get_all("Set-Cookie") or [],
                    answer.read(),
                )
        except urllib.error.HTTPError as error:  # 3xx (not followed), 4xx, 5xx
            response = Response(
                error.code,
                {k.lower(): v for k, v in error.headers.items()},
                error.headers.get_all("Set-Cookie") or [],
                error.read(),
            )
        for header in response.set_cookies:
            cookie = SimpleCookie()
            cookie.load(header)
            for name, morsel in cookie.items():
                if not morsel["secure"]:
                    raise SmokeError(f"cookie {name} is not Secure in production")
                if morsel.value and morsel["max-age"] != "0":
                    self.cookies[name] = morsel.value
                else:
                    self.cookies.pop(name, None)
        return response

    def get_ok(self, path: str) -> Response:
        response = self.request(path)
        if response.status != 200:
            raise SmokeError(f"GET {path}: {response.status}, expected 200\n{response.text[:500]}")
        return response


def ok(message: str) -> None:
    print(f"smoke: ok  {message}", flush=True)


def wait_for_server(client: Client) -> None:
    deadline = time.monotonic() + START_WAIT
    while True:
        try:
            with client.opener.open(client.base + "/logga-in/", timeout=5):
                return
        except urllib.error.HTTPError:
            return  # plain http is redirected in production: any answer will do
        except OSError as error:
            if time.monotonic() > deadline:
                raise SmokeError(
                    f"no answer from {client.base} in {START_WAIT}s: {error}"
                ) from error
            time.sleep(0.5)


def static_refs(html: str) -> set[str]:
    return set(STATIC_REF.findall(html))


def assert_swedish_page(response: Response, path: str, phrase: str) -> None:
    html = response.text
    if not re.search(r"<html[^>]*\blang=\"sv\"", html):
        raise SmokeError(f'{path}: no <html lang="sv"> (are the translations compiled?)')
    if phrase not in html:
        raise SmokeError(f"{path}: the Swedish text {phrase!r} is missing")


def check_login_page(client: Client) -> set[str]:
    plain = client.request("/logga-in/", proxied=False)
    location = plain.headers.get("location", "")
    if plain.status != 301 or not location.startswith("https://"):
        raise SmokeError(f"plain http: {plain.status} {location!r}, expected 301 to https")
    ok(f"plain http is redirected to https ({location})")
    page = client.get_ok("/logga-in/")
    assert_swedish_page(page, "/logga-in/", "Logga in i Heltid")
    ok('login page is Swedish: <html lang="sv">, "Logga in i Heltid"')
    hsts = page.headers.get("strict-transport-security", "")
    if "max-age=" not in hsts:
        raise SmokeError(f"no HSTS header on https (got {hsts!r})")
    ok(f"HSTS: {hsts}")
    refs = static_refs(page.text)
    if not any(ref.endswith(".css") for ref in refs) or not any(
        ref.endswith(".js") for ref in refs
    ):
        raise SmokeError(f"the login page references no stylesheet or no script: {sorted(refs)}")
    return refs


def log_in(client: Client, username: str, password: str, totp_key: str) -> None:
    form = client.get_ok("/logga-in/").text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)
    if token is None or "csrftoken" not in client.cookies:
        raise SmokeError("the login form has no CSRF token, or no csrftoken cookie was set")
    answer = client.request(
        "/logga-in/",
        data={
            "csrfmiddlewaretoken": token.group(1),
            "username": username,
            "password": password,
            "next": "",
        },
        headers={"Origin": client.https_origin, "Referer": client.https_origin + "/logga-in/"},
    )
    if answer.status != 302 or "sessionid" not in client.cookies:
        raise SmokeError(f"login failed: {answer.status}\n{answer.text[:800]}")
    ok(f"logged in as {username} through the form (CSRF token, Secure cookies)")
    # the second step: a case manager sees persons, so the code from the authenticator
    gate = client.request("/")
    location = gate.headers.get("location", "")
    if gate.status != 302 or "/tvastegsverifiering/" not in location:
        raise SmokeError(f"no second step after the password: {gate.status} {location!r}")
    page = client.get_ok("/tvastegsverifiering/").text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if token is None:
        raise SmokeError("the second-step form has no CSRF token")
    from django_otp.oath import totp

    code = f"{totp(bytes.fromhex(totp_key)):06d}"
    answer = client.request(
        "/tvastegsverifiering/",
        data={"csrfmiddlewaretoken": token.group(1), "code": code, "next": "/"},
        headers={
            "Origin": client.https_origin,
            "Referer": client.https_origin + "/tvastegsverifiering/",
        },
    )
    if answer.status != 302:
        raise SmokeError(f"the second step failed: {answer.status}\n{answer.text[:800]}")
    ok("second step: the authenticator's code accepted")


def check_pages(client: Client, person_id: int) -> set[str]:
    refs: set[str] = set()
    for path in ("/", "/arende/", f"/personer/{person_id}/", f"/personer/{person_id}/plan/"):
        page = client.get_ok(path)
        assert_swedish_page(page, path, "Logga ut")
        refs |= static_refs(page.text)
        ok(f"{path} is Swedish")
    return refs


def check_static(client: Client, refs: set[str]) -> None:
    seen: set[str] = set()
    queue = sorted(refs)
    while queue:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        answer = client.get_ok(path)
        if not answer.body:
            raise SmokeError(f"{path} is served empty")
        ok(f"{path} served ({len(answer.body)} bytes)")
        if path.endswith(".css"):
            for ref in CSS_URL.findall(answer.text):
                if ref.startswith(("data:", "#")):
                    continue
                absolute = urllib.parse.urljoin(path, ref.split("#")[0].split("?")[0])
                if not absolute.startswith("/static/"):
                    raise SmokeError(f"{path} references {ref!r} outside /static/")
                queue.append(absolute)
    ok(f"all {len(seen)} static files the pages reference are served")


def pdf_text(pdf: bytes) -> bytes:
    """The PDF with its compressed streams inflated (WeasyPrint compresses objects too)."""
    parts = [pdf]
    for match in re.finditer(rb"stream\r?\n", pdf):
        try:
            parts.append(zlib.decompressobj().decompress(pdf[match.end() :]))
        except zlib.error:
            continue
    return b"\n".join(parts)


def check_plan_pdf(client: Client, person_id: int) -> None:
    path = f"/personer/{person_id}/plan/pdf/"
    answer = client.get_ok(path)
    if not answer.body.startswith(b"%PDF-"):
        raise SmokeError(f"{path}: not a PDF ({answer.body[:20]!r})")
    if answer.headers.get("content-type") != "application/pdf":
        raise SmokeError(f"{path}: Content-Type {answer.headers.get('content-type')!r}")
    text = pdf_text(answer.body)
    title = "Genomförandeplan".encode("utf-16-be").hex().encode()
    if b"/Lang (sv)" not in text and b"/Lang(sv)" not in text:
        raise SmokeError(f"{path}: the PDF does not declare the language sv")
    if title not in text.lower() and "Genomförandeplan".encode() not in text:
        raise SmokeError(f"{path}: the PDF's title is not the Swedish 'Genomförandeplan'")
    ok(f"plan PDF renders ({len(answer.body)} bytes, %PDF, /Lang sv, title Genomförandeplan)")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", required=True, help="http://127.0.0.1:PORT")
    parser.add_argument("--username", required=True)
    parser.add_argument("--person-id", type=int, required=True)
    parser.add_argument("--totp-key", required=True, help="the smoke user's TOTP key (hex)")
    options = parser.parse_args(argv)
    password = os.environ.get("SMOKE_PASSWORD", "")
    started = time.monotonic()
    try:
        client = Client(options.base.rstrip("/"))
        wait_for_server(client)
        refs = check_login_page(client)
        log_in(client, options.username, password, options.totp_key)
        refs |= check_pages(client, options.person_id)
        check_static(client, refs)
        check_plan_pdf(client, options.person_id)
    except SmokeError as error:
        print(f"smoke: FAILED  {error}", file=sys.stderr)
        return 1
    print(
        f"smoke: all checks passed ({client.requests} requests, {time.monotonic() - started:.1f}s)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

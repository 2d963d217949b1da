"""The grader's filtering proxy, with a real Chromium and tiny servers on 127.0.0.1.

Site A is the app's page, site B its API, and `outside` a port the page must never reach: a
listener that counts every connection made to it, whatever the protocol.
"""

from __future__ import annotations

import base64
import hashlib
import http.client
import socket
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from grader.proxy import MAX_LISTED, FilteringProxy, grader_launch_options
from grader.tests.hostile.tiny import Outside, Route, Site, answer

EXCHANGE_S = 6.0  # the proxy's bound in these tests, shorter than the grader's
WEBSOCKET_GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"  # RFC 6455 section 1.3


def html(body: str) -> Route:
    return lambda handler: answer(handler, 200, body.encode(), {"Content-Type": "text/html"})


def redirect(location: str) -> Route:
    return lambda handler: answer(handler, 302, b"", {"Location": location})


def drip_forever(handler: BaseHTTPRequestHandler) -> None:
    """Promise a body, then send one byte a second for as long as someone listens."""
    handler.send_response(200)
    handler.send_header("Content-Length", "100000")
    handler.end_headers()
    try:
        while True:
            handler.wfile.write(b"x")
            handler.wfile.flush()
            time.sleep(1)
    except OSError:
        handler.close_connection = True


def websocket_hello(handler: BaseHTTPRequestHandler) -> None:
    """Accept a WebSocket (RFC 6455 handshake) and send it one text frame, "hello"."""
    key = handler.headers["Sec-WebSocket-Key"].encode()
    accept = base64.b64encode(hashlib.sha1(key + WEBSOCKET_GUID).digest()).decode()  # noqa: S324
    handler.send_response(101)
    handler.send_header("Upgrade", "websocket")
    handler.send_header("Connection", "Upgrade")
    handler.send_header("Sec-WebSocket-Accept", accept)
    handler.end_headers()
    handler.wfile.write(b"\x81\x05hello")
    handler.wfile.flush()
    time.sleep(1)
    handler.close_connection = True


@pytest.fixture(scope="module")
def outside() -> Outside:
    return Outside()


@pytest.fixture(scope="module")
def api() -> Site:
    return Site({})


@pytest.fixture(scope="module")
def app(api: Site, outside: Outside) -> Site:
    cors = {
        "Access-Control-Allow-Origin": "",  # set below, once the page's origin is known
        "Access-Control-Allow-Headers": "Authorization",
    }
    site = Site(
        {
            ("GET", "/"): html("<title>A</title><h1>Allowed</h1>"),
            ("GET", "/away"): redirect(f"{outside.url}/landing"),
            ("GET", "/fetch-away"): redirect(f"{outside.url}/fetched-after-redirect"),
            ("GET", "/big"): lambda h: answer(h, 200, b"x" * 20 * 2**20),
            # As big as React's development build, which Vite's dev server sends whole.
            ("GET", "/react-dom.js"): lambda h: answer(
                h,
                200,
                b"window.loaded = 1;" + b" " * 1_200_000,
                {"Content-Type": "text/javascript"},
            ),
            ("GET", "/drip"): drip_forever,
        }
    )
    cors["Access-Control-Allow-Origin"] = site.url
    api.routes.update(
        {
            ("OPTIONS", "/data"): lambda h: answer(h, 204, b"", cors),
            ("GET", "/data"): lambda h: answer(h, 200, b'{"user": "ann"}', cors),
            ("OPTIONS", "/refused"): lambda h: answer(h, 401, b'{"msg": "no token"}'),
            ("GET", "/refused"): lambda h: answer(h, 200, b'{"user": "ann"}', cors),
            ("GET", "/socket"): websocket_hello,
        }
    )
    return site


@pytest.fixture(scope="module")
def proxy(app: Site, api: Site) -> Iterator[FilteringProxy]:
    with FilteringProxy(
        allowed_origins={app.url, api.url}, exchange_s=EXCHANGE_S, tunnel_s=EXCHANGE_S
    ) as running:
        yield running


@pytest.fixture(scope="module")
def chromium(proxy: FilteringProxy) -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(**grader_launch_options(proxy.url))
        yield browser
        browser.close()


@pytest.fixture
def tab(chromium: Browser) -> Iterator[BrowserContext]:
    context = chromium.new_context(service_workers="block")
    context.set_default_timeout(30_000)
    yield context
    context.close()


def settle(promise: str) -> str:
    """JavaScript that awaits `promise` and says how it ended: "ok: value" or "error: ..."."""
    return f"""async () => {{
      try {{ return 'ok: ' + (await ({promise})); }}
      catch (error) {{ return 'error: ' + error; }}
    }}"""


def test_an_allowed_page_loads_and_nothing_is_refused(tab, app, proxy):
    before = proxy.refused
    page = tab.new_page()
    response = page.goto(app.url + "/")
    assert response is not None and response.status == 200
    assert page.get_by_role("heading", name="Allowed").is_visible()
    assert proxy.refused == before, proxy.refused


def test_a_cors_preflight_happens_and_a_refused_one_fails_the_fetch(tab, app, api):
    requests = []
    tab.on("request", lambda request: requests.append(request))
    page = tab.new_page()
    page.goto(app.url + "/")

    fetch = "fetch('{}', {{headers: {{Authorization: 'Bearer abc'}}}}).then((r) => r.text())"
    assert page.evaluate(settle(fetch.format(api.url + "/data"))) == 'ok: {"user": "ann"}'
    assert api.seen.count("OPTIONS /data") >= 1  # the browser asked first, as it must
    assert api.headers["OPTIONS /data"]["Access-Control-Request-Headers"] == "authorization"
    assert api.headers["GET /data"]["Authorization"] == "Bearer abc"

    outcome = page.evaluate(settle(fetch.format(api.url + "/refused")))
    assert outcome.startswith("error: TypeError")  # what a student's browser does on a 401
    assert "OPTIONS /refused" in api.seen
    assert "GET /refused" not in api.seen

    # Playwright still reports the page's requests (the grader watches them).
    data = [r for r in requests if r.url == api.url + "/data" and r.method == "GET"]
    assert data and data[0].headers["authorization"] == "Bearer abc"


def test_a_redirect_to_another_port_is_refused_and_listed(tab, app, outside, proxy):
    page = tab.new_page()
    response = page.goto(app.url + "/away")
    assert response is not None and response.status == 403
    assert f"GET {outside.url}/landing (not API or APP)" in proxy.refused

    page.goto(app.url + "/")
    outcome = page.evaluate(settle(f"fetch('{app.url}/fetch-away').then((r) => r.status)"))
    assert outcome.startswith("error: TypeError")  # the 403 has no CORS header for the page
    assert f"GET {outside.url}/fetched-after-redirect (not API or APP)" in proxy.refused
    assert outside.connections == 0


def test_an_image_a_fetch_and_a_websocket_to_another_port_are_refused(tab, app, outside, proxy):
    page = tab.new_page()
    page.goto(app.url + "/")
    image = f"""new Promise((resolve, reject) => {{
        const img = new Image();
        img.onload = () => resolve('loaded');
        img.onerror = () => reject(new Error('image refused'));
        img.src = '{outside.url}/pixel.png';
    }})"""
    assert page.evaluate(settle(image)) == "error: Error: image refused"
    assert page.evaluate(settle(f"fetch('{outside.url}/api')")).startswith("error: TypeError")
    socket_js = f"""new Promise((resolve, reject) => {{
        const ws = new WebSocket('ws://127.0.0.1:{outside.port}/live');
        ws.onopen = () => resolve('open');
        ws.onerror = () => reject(new Error('websocket refused'));
    }})"""
    assert page.evaluate(settle(socket_js)) == "error: Error: websocket refused"
    refused = proxy.refused
    assert f"GET {outside.url}/pixel.png (not API or APP)" in refused
    assert f"GET {outside.url}/api (not API or APP)" in refused
    assert f"CONNECT 127.0.0.1:{outside.port} (WebSocket or TLS; not API or APP)" in refused
    assert outside.connections == 0


def test_a_websocket_to_the_api_goes_through(tab, app, api):
    page = tab.new_page()
    page.goto(app.url + "/")
    hello = f"""new Promise((resolve, reject) => {{
        const ws = new WebSocket('{api.url.replace("http", "ws")}/socket');
        ws.onmessage = (event) => resolve(event.data);
        ws.onerror = () => reject(new Error('websocket failed'));
    }})"""
    assert page.evaluate(settle(hello)) == "ok: hello"


def test_a_20_mb_answer_is_cut_at_16_mib(tab, app, proxy):
    page = tab.new_page()
    page.goto(app.url + "/")
    read = f"fetch('{app.url}/big').then((r) => r.arrayBuffer()).then((b) => b.byteLength)"
    assert page.evaluate(settle(read)).startswith("error: TypeError")
    assert f"GET {app.url}/big (answer cut at 16 MiB)" in proxy.refused


def test_a_script_as_big_as_reacts_development_build_loads_whole(tab, app, proxy):
    page = tab.new_page()
    page.goto(app.url + "/")
    page.add_script_tag(url=app.url + "/react-dom.js")
    assert page.evaluate("() => window.loaded") == 1
    assert not [line for line in proxy.refused if "/react-dom.js" in line]


def test_each_answer_can_be_cut_at_1_mib_too(app):
    with FilteringProxy(allowed_origins={app.url}, max_body=2**20) as proxy:
        answer = raw_exchange(proxy, f"GET {app.url}/big HTTP/1.1\r\n\r\n".encode())
        head, _, body = answer.partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 200")
        assert len(body) == 2**20
        assert f"GET {app.url}/big (answer cut at 1 MiB)" in proxy.refused


def test_an_answer_that_drips_forever_ends_at_the_bound(tab, app, proxy):
    page = tab.new_page()
    page.goto(app.url + "/")
    # The server would drip for ever: the fetch can only end because the proxy ends it.
    read = f"fetch('{app.url}/drip').then((r) => r.text()).then((t) => t.length)"
    assert page.evaluate(settle(read)).startswith("error: TypeError")
    assert f"GET {app.url}/drip (answer cut after {EXCHANGE_S:g} s)" in proxy.refused


def gather_candidates(page: Page, stun_port: int) -> str:
    """Have the page gather WebRTC candidates with a STUN server at `stun_port`; their types."""
    gather = f"""new Promise(async (resolve) => {{
        const peer = new RTCPeerConnection({{
            iceServers: [{{urls: 'stun:127.0.0.1:{stun_port}'}}]}});
        peer.createDataChannel('leak');
        const candidates = [];
        peer.onicecandidate = (event) => {{
            if (event.candidate) candidates.push(event.candidate.type);
            else resolve(candidates.join(',') || 'none');
        }};
        await peer.setLocalDescription(await peer.createOffer());
        setTimeout(() => resolve(candidates.join(',') || 'none'), 5000);
    }})"""
    return page.evaluate(settle(gather))


def test_webrtc_sends_no_stun_request(tab, app, outside):
    page = tab.new_page()
    page.goto(app.url + "/")
    assert gather_candidates(page, outside.port) == "ok: none"
    assert outside.datagrams == 0


def test_without_the_webrtc_switches_the_same_page_would_send_stun(chromium, app, proxy):
    """The control for the test above: the STUN server there would have seen a request."""
    stun = Outside()
    options = grader_launch_options(proxy.url)
    options["args"] = [arg for arg in options["args"] if "webrtc" not in arg]
    browser = chromium.browser_type.launch(**options)
    page = browser.new_page()
    page.goto(app.url + "/")
    assert "host" in gather_candidates(page, stun.port)
    browser.close()
    assert stun.datagrams > 0


def raw_exchange(proxy: FilteringProxy, data: bytes) -> bytes:
    """Send `data` to the proxy on a socket of its own; what came back before it closed."""
    host, port = proxy.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=EXCHANGE_S * 2) as sock:
        sock.sendall(data)
        received = b""
        while chunk := sock.recv(4096):
            received += chunk
    return received


def test_garbage_gets_400_and_the_proxy_goes_on(app, proxy):
    assert raw_exchange(proxy, b"\x00\xff\x1b]52;c;aGk=\x07 nonsense\r\n\r\n").startswith(
        b"HTTP/1.1 400"
    )
    assert raw_exchange(proxy, b"GET / HTTP/1.1\r\nHost: x\r\n\r\n").startswith(b"HTTP/1.1 400")
    assert raw_exchange(proxy, b"GET http://127.0.0.1:99999/ HTTP/1.1\r\n\r\n").startswith(
        b"HTTP/1.1 400"
    )
    assert raw_exchange(proxy, b"A" * 70_000).startswith(b"HTTP/1.1 400")
    assert raw_exchange(proxy, b"") == b""
    assert all("\x1b" not in line and "\x00" not in line for line in proxy.refused)

    host, port = proxy.url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=EXCHANGE_S * 2)
    connection.request("GET", app.url + "/")
    response = connection.getresponse()
    assert response.status == 200
    assert b"Allowed" in response.read()


def test_a_refused_connect_answers_403_and_is_listed_once(outside, proxy):
    request = f"CONNECT 127.0.0.1:{outside.port} HTTP/1.1\r\n\r\n".encode()
    assert raw_exchange(proxy, request).startswith(b"HTTP/1.1 403")
    assert raw_exchange(proxy, request).startswith(b"HTTP/1.1 403")
    line = f"CONNECT 127.0.0.1:{outside.port} (WebSocket or TLS; not API or APP)"
    assert proxy.refused.count(line) == 1
    assert outside.connections == 0


def test_past_the_listed_refusals_the_rest_are_counted():
    with FilteringProxy(allowed_origins=set()) as proxy:
        for port in range(1, MAX_LISTED + 11):
            raw_exchange(proxy, f"GET http://127.0.0.1:{port}/ HTTP/1.1\r\n\r\n".encode())
        refused = proxy.refused
    assert len(refused) == MAX_LISTED + 1
    assert refused[-1] == "10 more refused"


def test_a_tunnel_to_the_app_is_closed_at_the_bound(app, proxy):
    authority = app.url.removeprefix("http://")
    # Nothing is sent through the tunnel, and the page server waits for a request for ever.
    assert raw_exchange(proxy, f"CONNECT {authority} HTTP/1.1\r\n\r\n".encode()).startswith(
        b"HTTP/1.1 200"
    )
    assert f"CONNECT {authority} (tunnel closed after {EXCHANGE_S:g} s)" in proxy.refused


def test_an_app_at_localhost_goes_through_the_proxy_too(chromium, app):
    """Students often serve on `localhost`: Chromium must not resolve or bypass it itself."""
    local = app.url.replace("127.0.0.1", "localhost")
    with FilteringProxy(allowed_origins={local}) as proxy:
        browser = chromium.browser_type.launch(**grader_launch_options(proxy.url))
        page = browser.new_page()
        assert page.goto(local + "/").status == 200
        assert page.goto(app.url + "/").status == 403  # 127.0.0.1 is another origin
        browser.close()
        assert f"GET {app.url}/ (not API or APP)" in proxy.refused

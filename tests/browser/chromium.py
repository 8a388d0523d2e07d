"""Headless Chromium driven through the DevTools protocol, standard library only.

Chromium is started with --remote-debugging-pipe: it reads commands from its
file descriptor 3 and writes replies and events to its descriptor 4, each a
JSON message ended by a NUL byte (the protocol itself is documented at
https://chromedevtools.github.io/devtools-protocol/).  No port is opened, so
tests running side by side cannot meet each other's browser.

Every wait has a deadline: a browser that hangs fails the test with
BrowserError, and the browser (with every process it started) is killed when
the Browser is closed, whatever happened.

Also here: a PNG decoder (8-bit RGB and RGBA, the five scanline filters of
the PNG specification, section 9) so screenshots can be checked pixel by pixel.
"""
import base64
import fcntl
import json
import os
import select
import shutil
import signal
import struct
import subprocess
import tempfile
import time
import zlib

DESKTOP = (1280, 900, False)
PHONE = (390, 844, True)


class BrowserError(Exception):
    pass


def chromium_path():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    raise BrowserError("chromium is not installed (scripts/install-deps.sh installs it)")


class Browser:
    """One headless Chromium with one page attached in a flat session."""

    def __init__(self, timeout=30.0):
        self.timeout = timeout
        self.profile = tempfile.mkdtemp(prefix="funnelmc-chromium-")
        self.process = None
        self.next_id = 0
        self.buffer = b""
        self.events = []
        self.session = None
        self.size = (800, 600, False)  # headless Chromium's own
        to_browser_r, self.to_browser = os.pipe()
        self.from_browser, from_browser_w = os.pipe()

        def at_3_and_4():
            # Above every descriptor in use first, so the dup2s cannot clobber one another.
            commands = fcntl.fcntl(to_browser_r, fcntl.F_DUPFD, 10)
            replies = fcntl.fcntl(from_browser_w, fcntl.F_DUPFD, 10)
            os.dup2(commands, 3)
            os.dup2(replies, 4)

        try:
            self.process = subprocess.Popen(
                [chromium_path(), "--headless", "--no-sandbox", "--disable-gpu",
                 "--remote-debugging-pipe", "--user-data-dir=" + self.profile,
                 "--no-first-run", "--disable-extensions", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--metrics-recording-only",
                 "--hide-scrollbars", "--force-color-profile=srgb", "about:blank"],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                preexec_fn=at_3_and_4, pass_fds=(3, 4), start_new_session=True)
        finally:
            os.close(to_browser_r)
            os.close(from_browser_w)
        try:
            self._attach()
        except BaseException:
            self.close()
            raise

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        if self.process is not None and self.process.poll() is None:
            try:
                self._send("Browser.close", {}, None)
                self.process.wait(timeout=5)
            except (OSError, subprocess.TimeoutExpired):
                pass
            if self.process.poll() is None:
                # The browser's renderers and helpers share its process group.
                try:
                    os.killpg(self.process.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                self.process.wait(timeout=10)
        self.process = None
        for fd in ("to_browser", "from_browser"):
            if getattr(self, fd, None) is not None:
                os.close(getattr(self, fd))
                setattr(self, fd, None)
        shutil.rmtree(self.profile, ignore_errors=True)

    # --- the protocol ---

    def _send(self, method, params, session):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        data = json.dumps(message).encode() + b"\0"
        while data:
            data = data[os.write(self.to_browser, data):]
        return self.next_id

    def _receive(self, deadline):
        while b"\0" not in self.buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise BrowserError("chromium did not answer within the time allowed")
            ready, _, _ = select.select([self.from_browser], [], [], left)
            if ready:
                chunk = os.read(self.from_browser, 1 << 20)
                if not chunk:
                    raise BrowserError("chromium closed its pipe (exit status %s)"
                                       % self.process.poll())
                self.buffer += chunk
        message, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(message)

    def call(self, method, timeout=None, browser_level=False, **params):
        """Sends METHOD to the page (or the browser) and returns its result;
        the events that arrive meanwhile are kept for wait_event."""
        deadline = time.monotonic() + (timeout or self.timeout)
        sent = self._send(method, params, None if browser_level else self.session)
        while True:
            message = self._receive(deadline)
            if message.get("id") == sent:
                if "error" in message:
                    raise BrowserError("%s: %s" % (method, message["error"]))
                return message.get("result", {})
            if "method" in message:
                self.events.append(message)

    def wait_event(self, method, timeout=None):
        """The first kept or coming event METHOD of the page, taken from the kept ones."""
        deadline = time.monotonic() + (timeout or self.timeout)
        while True:
            for i, event in enumerate(self.events):
                if event["method"] == method and event.get("sessionId") == self.session:
                    return self.events.pop(i)
            message = self._receive(deadline)
            if "method" in message:
                self.events.append(message)

    def _attach(self):
        deadline = time.monotonic() + self.timeout
        while True:
            targets = self.call("Target.getTargets", browser_level=True)["targetInfos"]
            pages = [t for t in targets if t["type"] == "page"]
            if pages:
                break
            if time.monotonic() > deadline:
                raise BrowserError("chromium opened no page")
            time.sleep(0.1)
        self.session = self.call("Target.attachToTarget", browser_level=True,
                                 targetId=pages[0]["targetId"], flatten=True)["sessionId"]
        for domain in ("Page", "Network", "Runtime"):
            self.call(domain + ".enable")

    # --- what tests use ---

    def viewport(self, size):
        width, height, mobile = size
        self.size = size
        self.call("Emulation.setDeviceMetricsOverride", width=width, height=height,
                  deviceScaleFactor=1, mobile=mobile)

    def open(self, url):
        """Navigates to URL and waits for its load event; returns the requests
        the page made meanwhile (their URLs)."""
        self.events = []  # the previous page's, a load event among them
        self.call("Page.navigate", url=url)
        self.wait_event("Page.loadEventFired")
        return [e["params"]["request"]["url"] for e in self.events
                if e["method"] == "Network.requestWillBeSent"]

    def evaluate(self, expression):
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True,
                           awaitPromise=True)
        if "exceptionDetails" in result:
            raise BrowserError("script failed: %s" % result["exceptionDetails"])
        return result["result"].get("value")

    def screenshot(self, x, y, width, height, scale=1.0):
        """PNG bytes of the page's rectangle in CSS pixels from the document's
        top left.  A rectangle that fits in the viewport is scrolled into it
        first: capturing beyond the viewport lays the whole page out again,
        some fifteen times slower on a long page."""
        fits = width <= self.size[0] and height <= self.size[1]
        if fits:
            self.evaluate("window.scrollTo(%r, %r)" % (x, y))
        data = self.call("Page.captureScreenshot", format="png", captureBeyondViewport=not fits,
                         clip={"x": x, "y": y, "width": width, "height": height,
                               "scale": scale})["data"]
        return base64.b64decode(data)

    def pdf(self):
        return base64.b64decode(self.call("Page.printToPDF", timeout=60)["data"])


def decode_png(data):
    """(width, height, channels, rows): each row bytes of width * channels,
    for 8-bit RGB (2) and RGBA (6) images without interlace."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    pos, idat, header = 8, [], None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
    width, height, depth, colour, _, _, interlace = header
    if depth != 8 or colour not in (2, 6) or interlace:
        raise ValueError("PNG of depth %d, colour type %d, interlace %d not read"
                         % (depth, colour, interlace))
    channels = 4 if colour == 6 else 3
    raw = zlib.decompress(b"".join(idat))
    stride = width * channels
    rows, previous = [], bytes(stride)
    # Up adds bytewise mod 256, all bytes at once in one integer: each byte's
    # low seven bits summed, the top bits added without carry by exclusive or
    low7 = int.from_bytes(b"\x7f" * stride, "big")
    top = int.from_bytes(b"\x80" * stride, "big")
    for r in range(height):
        start = r * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        if kind == 1:    # Sub: plus the byte one pixel left
            for i in range(channels, stride):
                line[i] = (line[i] + line[i - channels]) & 255
        elif kind == 2:  # Up: plus the byte above
            x, y = int.from_bytes(line, "big"), int.from_bytes(previous, "big")
            line = bytearray((((x & low7) + (y & low7)) ^ ((x ^ y) & top)).to_bytes(stride, "big"))
        elif kind == 3:  # Average of left and above
            for i in range(stride):
                left = line[i - channels] if i >= channels else 0
                line[i] = (line[i] + ((left + previous[i]) >> 1)) & 255
        elif kind == 4:  # Paeth: whichever of left, above, upper left is nearest to their sum
            for i in range(stride):
                a = line[i - channels] if i >= channels else 0
                b = previous[i]
                c = previous[i - channels] if i >= channels else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[i] = (line[i] + pred) & 255
        elif kind != 0:
            raise ValueError("PNG filter %d unknown" % kind)
        rows.append(bytes(line))
        previous = line
    return width, height, channels, rows


def share_unlike(png, background, tolerance=8):
    """The share of the pixels of PNG whose colour differs from BACKGROUND
    (an RGB triple) by more than TOLERANCE in some channel."""
    width, height, channels, rows = decode_png(png)
    # each channel's bytes through a table (0: near the background, 1: not),
    # the three channels then or-ed as integers: no loop over pixels in Python
    tables = [bytes(0 if abs(v - b) <= tolerance else 1 for v in range(256)) for b in background]
    differing = 0
    for row in rows:
        unlike = 0
        for c in range(3):
            unlike |= int.from_bytes(row[c::channels].translate(tables[c]), "big")
        differing += unlike.to_bytes(width, "big").count(1)
    return differing / float(width * height) if width * height else 0.0

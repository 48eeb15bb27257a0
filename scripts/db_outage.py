"""Drives scripts/db-outage.sh inside a throw-away cluster (see there)."""
import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

binary, down = sys.argv[1], int(sys.argv[2])
admin = os.environ["THIDUA_TEST_PG"]
pg_ctl = os.environ["THIDUA_PG_CTL"]
subprocess.run(["psql", admin, "-qc", "create database outage"], check=True)
db = admin.rsplit("/", 1)[0] + "/outage"
probe = socket.socket()
probe.bind(("127.0.0.1", 0))
port = probe.getsockname()[1]
probe.close()
base = f"http://127.0.0.1:{port}"
server = subprocess.Popen(
    [binary, "--db", db, "serve", "--demo", "--addr", f"127.0.0.1:{port}"],
    stdout=subprocess.DEVNULL,
    stderr=subprocess.DEVNULL,
)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


jar = http.cookiejar.CookieJar()
opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)


def get(path, data=None):
    """(status, body, location, seconds); status 0 when nothing answered."""
    started = time.monotonic()
    try:
        r = opener.open(base + path, data=data, timeout=60)
        code, body, loc = r.status, r.read().decode(), r.headers.get("location", "")
    except urllib.error.HTTPError as e:
        code, body, loc = e.code, e.read().decode(), e.headers.get("location", "")
    except OSError:
        code, body, loc = 0, "", ""
    return code, body, loc, time.monotonic() - started


failed = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what, flush=True)
    if not ok:
        failed.append(what)


try:
    for _ in range(1200):
        if get("/healthz")[0] == 200:
            break
        time.sleep(0.5)
    _, page, _, _ = get("/dang-nhap")
    csrf = re.search(r'name="_csrf" value="([^"]+)"', page).group(1)
    form = urllib.parse.urlencode(
        {"login": "hoa.snv", "password": "thidua-demo-2026", "_csrf": csrf}
    ).encode()
    code, _, _, _ = get("/dang-nhap", form)
    check(code == 303, f"login: {code}")
    code, _, _, t = get("/to-chuc")
    check(code == 200, f"before the outage: {code} in {t * 1000:.0f} ms")
    subprocess.run([pg_ctl, "stop"], check=True)
    stopped = time.monotonic()
    seen = []
    while time.monotonic() - stopped < down:
        code, body, loc, t = get("/to-chuc")
        seen.append(t)
        if code != 503 or "tạm thời gián đoạn" not in body:
            check(False, f"while down: {code} {loc} after {t:.1f} s")
            break
    if seen:
        print(f"while down ({down} s): {len(seen)} requests answered 503, slowest in {max(seen):.1f} s")
    subprocess.run([pg_ctl, "start"], check=True)
    restarted = time.monotonic()
    while True:
        code, _, _, _ = get("/to-chuc")
        if code == 200 or time.monotonic() - restarted > 60:
            break
        time.sleep(0.2)
    check(
        code == 200,
        f"recovered by itself {time.monotonic() - restarted:.1f} s after the restart, same session",
    )
finally:
    server.terminate()
    server.wait()
sys.exit(1 if failed else 0)

"""The crash harness's operations that only the server performs: closing a
unit's annual review (the API, with a token) and dossier steps (the pages,
with a session and its CSRF token). Used by crash_harness.py.

A served trial starts `thidua serve` on a copy of the prepared database,
signs in, reads the counts, sends the one request that writes, kills the
server with SIGKILL after a random delay and reports whether the answer had
arrived first (then the write must be kept whole).
"""
import http.client
import json
import re
import subprocess
import time
import urllib.parse

PASSWORD = "thidua-demo-2026"
COMMUNE = "24615"  # the demo commune whose officer is yquang.xa


class Server:
    """`thidua serve` on a free loopback port."""

    def __init__(self, binary, db):
        self.p = subprocess.Popen([binary, "--db", db, "serve", "--addr", "127.0.0.1:0"],
                                  stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        for line in self.p.stdout:
            m = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
            if m:
                self.port = int(m.group(1))
                break
        else:
            raise RuntimeError("the server did not start")

    def conn(self):
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)

    def stop(self):
        """A clean stop, for preparing databases."""
        self.p.terminate()
        self.p.wait()

    def kill(self):
        self.p.kill()
        self.p.wait()


class Client:
    """A browser's session (cookie and CSRF token) or an API token."""

    def __init__(self, server, token=None):
        self.server = server
        self.cookies = {}
        self.csrf = ""
        self.token = token

    def request(self, method, path, body=None, json_body=None):
        c = self.server.conn()
        headers = {}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if self.token:
            headers["Authorization"] = "Bearer " + self.token
        data = None
        if body is not None:
            data = urllib.parse.urlencode(dict(body, _csrf=self.csrf))
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if json_body is not None:
            data = json.dumps(json_body)
            headers["Content-Type"] = "application/json"
        c.request(method, path, body=data, headers=headers)
        return c

    def answer(self, c):
        r = c.getresponse()
        text = r.read().decode(errors="replace")
        for k, v in r.getheaders():
            if k.lower() == "set-cookie":
                name, value = v.split(";", 1)[0].split("=", 1)
                self.cookies[name] = value
        c.close()
        m = re.search(r'name="_csrf" value="([^"]+)"', text)
        if m:
            self.csrf = m.group(1)
        return r.status, text, dict((k.lower(), v) for k, v in r.getheaders())

    def get(self, path):
        return self.answer(self.request("GET", path))

    def post(self, path, fields):
        return self.answer(self.request("POST", path, body=fields))

    def api(self, method, path, body=None):
        status, text, _ = self.answer(self.request(method, path, json_body=body))
        return status, json.loads(text) if text else None

    def login(self, login):
        self.get("/dang-nhap")
        status, text, _ = self.post("/dang-nhap", {"login": login, "password": PASSWORD})
        if status != 303:
            raise RuntimeError(f"login {login}: {status} {text[:300]}")
        self.get("/")
        return self


def version_of(page, action):
    """The dossier version carried by the form of one step."""
    for form in re.findall(r"<form.*?</form>", page, re.S):
        if f'name="action" value="{action}"' in form:
            return re.search(r'name="version" value="(\d+)"', form).group(1)
    raise RuntimeError(f"no form for {action}")


def new_dossier(officer, unit_code, title):
    """A draft with its letter and one line the engine accepts; its id."""
    status, _, h = officer.post("/ho-so", {"unit": unit_code, "title": title, "award_type": "regular"})
    assert status == 303, status
    path = h["location"]
    officer.get(path)
    officer.post(path + "/thong-tin", {
        "title": title, "award_type": "regular", "letter_number": "12/TTr-UBND",
        "letter_date": "01/12/2026", "letter_signer": "Y Quang Niê"})
    status, page, _ = officer.get(path)
    person = re.search(r'<option value="(p:\d+)"[^>]*>H&#39;Hen Niê', page).group(1)
    officer.post(path + "/doi-tuong", {
        "subject": person, "code": "BANG_KHEN_TINH", "period_from": "2024",
        "period_to": "2025", "summary": "Hai năm liền Chiến sĩ thi đua cơ sở"})
    return int(path.rsplit("/", 1)[1])


def step(client, dossier, action, extra=None):
    """Reads the dossier's page and builds the step's request (not sent)."""
    _, page, _ = client.get(f"/ho-so/{dossier}")
    fields = {"action": action, "version": version_of(page, action)}
    fields.update(extra or {})
    return lambda: client.request("POST", f"/ho-so/{dossier}/buoc", body=fields)


def prepare(binary, db, unit_id, run):
    """On the demo: an open review of the commune with every line decided,
    a draft dossier ready to submit and a submitted one ready to receive.
    Returns what the trials need to find them."""
    token = run(db, "token", "create", "--login", "yquang.xa", "--name", "crash").stdout.split()[-1]
    s = Server(binary, db)
    try:
        api = Client(s, token)
        status, r = api.api("POST", "/api/v1/reviews", {"unit_id": unit_id, "year": 2026})
        assert status == 201, (status, r)
        review = r["review"]["id"]
        for line in r["lines"]:
            want = "propose" if line["outcome"] == "eligible" else "drop"
            body = {"want": want}
            if line["outcome"] not in ("eligible", "not_eligible"):
                body["reason"] = "Đã xem xét tại cuộc họp bình xét"
            status, x = api.api("POST", f"/api/v1/reviews/{review}/lines/{line['id']}", body)
            assert status == 200, (status, x)
        officer = Client(s).login("yquang.xa")
        draft = new_dossier(officer, COMMUNE, "Đề nghị tặng Bằng khen (gửi)")
        sent = new_dossier(officer, COMMUNE, "Đề nghị tặng Bằng khen (tiếp nhận)")
        status, _, _ = officer.answer(step(officer, sent, "submit")())
        assert status == 303, status
    finally:
        s.stop()
    return {"token": token, "review": review, "draft": draft, "sent": sent}


def operations(ids):
    """(name, who signs in, the request to send once signed in, counts)."""
    close_body = {"decision_number": "45/QĐ-UBND", "decision_date": "01/12/2026"}
    events = "select count(*) from dossier_events"
    return [
        ("review close", None,
         lambda c: (lambda: c.request("POST", f"/api/v1/reviews/{ids['review']}/close",
                                      json_body=close_body)),
         ["select count(*) from titles",
          "select count(*) from title_reviews where status = 'closed'"]),
        ("dossier submit", "yquang.xa",
         lambda c: step(c, ids["draft"], "submit"),
         [events, "select count(*) from dossiers where state = 'submitted'"]),
        ("dossier receive", "hoa.snv",
         lambda c: step(c, ids["sent"], "receive", {"receipt_number": "88/SNV-TĐKT"}),
         [events, "select count(*) from dossiers where state = 'received'"]),
    ]


def trial(binary, db, ids, op, counts, delay, counts_of):
    """One served trial: (counts before, counts now, the answer's status if
    it arrived before the kill, seconds the request took when not killed)."""
    _, login, build, _ = op
    s = Server(binary, db)
    try:
        client = Client(s, None if login else ids["token"])
        if login:
            client.login(login)
        send = build(client)
        before = counts_of(db, counts)
        t = time.monotonic()
        conn = send()
        if delay is None:
            status = conn.getresponse().status
            took = time.monotonic() - t
            return before, counts_of(db, counts), status, took
        time.sleep(delay)
    finally:
        s.kill()
    try:
        conn.sock.settimeout(1)
        arrived = conn.getresponse().status
    except (OSError, http.client.HTTPException):
        arrived = None
    return before, counts_of(db, counts), arrived, None


# Every dossier's state is the state its last event moved it to.
STATES_AGREE = """select count(*) from dossiers d where d.state <> coalesce(
  (select e.to_state from dossier_events e where e.dossier_id = d.id
   and e.to_state is not null order by e.id desc limit 1), d.state)"""

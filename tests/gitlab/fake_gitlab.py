#!/usr/bin/env python3
"""A fake GitLab (REST API v4) on loopback, for platci's tests.

Python standard library only. It implements the endpoints platci calls,
in the shapes GitLab documents, keeps state (merge requests, notes,
approvals, issues, deployments, environments), logs every request it
receives (method, path, all headers, body) as JSON lines, and injects
faults on demand.

Start:
    fake_gitlab.py --port-file F [--log L] [--token T] [--job-token J]
                   [--seed state.json] [--max-per-page N]
                   [--pagination both|link|header] [--fault JSON]...
                   [--tls-cert CERT --tls-key KEY]

It binds 127.0.0.1 on a free port and writes the port to F once it
listens. The API root is http://127.0.0.1:<port>/api/v4 (https with
--tls-cert).

Control endpoints (not logged, no token needed):
    POST /__fake/faults   JSON object or list: append faults
    POST /__fake/seed     JSON state to merge in (same shape as --seed)
    POST /__fake/reset    forget state, faults and log
    GET  /__fake/state    the current state
    GET  /__fake/log      the request log (a JSON list)

A fault: {"method": "GET"|"*", "path": "<regex on the path>",
          "times": N (default 1, -1 forever),
          "status": 503, "retry_after": "2", "delay": 3.0,
          "body": "truncated"|"malformed"|"short"|"<text>", "drop": true,
          "after": true}
"delay" sleeps before answering (a response slower than the client's
timeout); "drop" closes the connection without an answer;
"after" does the work, then closes the connection without an answer, or
with "status" answers that status as a proxy would (GitLab acted, the
gateway said 502/504); "short"
announces more bytes than it sends; "truncated" sends cut JSON with a
consistent length; "malformed" sends something that is not JSON.
"""
import argparse
import json
import os
import re
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

API = "/api/v4"
NOW = "2026-01-15T10:00:00.000Z"


def empty_state():
    return {
        "merge_requests": [],
        "notes": {},
        "issues": [],
        "issue_notes": {},
        "deployments": [],
        "environments": [],
        "commit_merge_requests": {},
        "next_id": 1000,
    }


class Fake:
    def __init__(self, args):
        self.args = args
        self.lock = threading.RLock()
        self.state = empty_state()
        self.faults = []
        self.log = []
        self.log_file = open(args.log, "a", encoding="utf-8") if args.log else None

    def new_id(self):
        self.state["next_id"] += 1
        return self.state["next_id"]

    def seed(self, doc):
        for key, value in doc.items():
            if key == "faults":
                self.add_faults(value)
            elif key in ("notes", "issue_notes", "commit_merge_requests"):
                for k, v in value.items():
                    self.state[key].setdefault(str(k), []).extend(v)
            elif isinstance(value, list):
                self.state[key].extend(value)
            else:
                self.state[key] = value
        for mr in self.state["merge_requests"]:
            mr.setdefault("state", "opened")
            mr.setdefault("labels", [])
            mr.setdefault("approved_by", [])
            mr.setdefault("web_url", "https://gitlab.example.com/g/p/-/merge_requests/%d" % mr["iid"])
        for key in ("notes", "issue_notes"):
            for notes in self.state[key].values():
                for n in notes:
                    n.setdefault("id", self.new_id())
                    n.setdefault("system", False)
                    n.setdefault("author", {"username": "someone"})
                    n.setdefault("created_at", NOW)

    def add_faults(self, f):
        for one in f if isinstance(f, list) else [f]:
            one.setdefault("times", 1)
            one.setdefault("method", "*")
            one.setdefault("path", ".*")
            self.faults.append(one)

    def take_fault(self, method, path):
        with self.lock:
            for f in self.faults:
                if f["times"] == 0:
                    continue
                if f["method"] not in ("*", method) or not re.search(f["path"], path):
                    continue
                if f["times"] > 0:
                    f["times"] -= 1
                return f
        return None

    def record(self, entry):
        with self.lock:
            self.log.append(entry)
            if self.log_file:
                self.log_file.write(json.dumps(entry) + "\n")
                self.log_file.flush()


def paginate(handler, items):
    q = handler.query
    try:
        per_page = int(q.get("per_page", ["20"])[0])
        page = int(q.get("page", ["1"])[0])
    except ValueError:
        return handler.send_json(400, {"message": "400 Bad request - page is invalid"})
    per_page = max(1, min(per_page, 100, handler.fake.args.max_per_page))
    start = (page - 1) * per_page
    chunk = items[start:start + per_page]
    headers = {"X-Page": str(page), "X-Per-Page": str(per_page), "X-Total": str(len(items))}
    more = start + per_page < len(items)
    mode = handler.fake.args.pagination
    if mode in ("both", "header"):
        headers["X-Next-Page"] = str(page + 1) if more else ""
    if mode in ("both", "link"):
        links = []
        base = "%s://127.0.0.1:%d%s" % ("https" if handler.fake.args.tls_cert else "http",
                                        handler.server.server_address[1], handler.bare_path)
        params = {k: v[0] for k, v in q.items()}
        params["per_page"] = str(per_page)
        if more:
            params["page"] = str(page + 1)
            links.append('<%s?%s>; rel="next"' % (base, urllib.parse.urlencode(params)))
        params["page"] = "1"
        links.append('<%s?%s>; rel="first"' % (base, urllib.parse.urlencode(params)))
        if handler.fake.args.evil_link and more:
            links.insert(0, '<http://evil.example.com/api/v4/steal?page=2>; rel="next"')
            links.pop(1)
        headers["Link"] = ", ".join(links)
    handler.send_json(200, chunk, headers)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "FakeGitLab/1.0"

    def log_message(self, fmt, *args):  # quiet: the JSON log is the record
        pass

    # -- plumbing -------------------------------------------------------
    def flush_log(self, status):
        # Logged before the answer leaves, so a client that has its answer finds the entry.
        entry = getattr(self, "entry", None)
        if entry is not None:
            entry["status"] = status
            self.fake.record(entry)
            self.entry = None

    def send_raw(self, status, body, headers=None, content_length=None):
        if getattr(self, "swallow", False):
            self.status = status
            return
        self.flush_log(status)
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body) if content_length is None else content_length))
            self.end_headers()
            self.wfile.write(body)
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass
        self.status = status

    def send_json(self, status, doc, headers=None):
        self.send_raw(status, json.dumps(doc).encode(), headers)

    def not_found(self):
        self.send_json(404, {"message": "404 Not found"})

    def handle_any(self, method):
        self.fake = self.server.fake
        self.status = 0
        url = urllib.parse.urlsplit(self.path)
        self.bare_path = url.path
        self.query = urllib.parse.parse_qs(url.query, keep_blank_values=True)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            self.body = json.loads(raw) if raw else {}
        except ValueError:
            self.body = None
        if url.path.startswith("/__fake/"):
            self.entry = None
            return self.control(method, url.path)
        self.entry = {"method": method, "path": self.path, "headers": dict(self.headers.items()),
                      "body": self.body if self.body is not None else raw.decode("utf-8", "replace"),
                      "time": time.time()}
        try:
            self.dispatch(method, url.path)
        finally:
            self.flush_log(self.status)

    def do_GET(self):
        self.handle_any("GET")

    def do_POST(self):
        self.handle_any("POST")

    def do_PUT(self):
        self.handle_any("PUT")

    def do_DELETE(self):
        self.handle_any("DELETE")

    def control(self, method, path):
        fake = self.fake
        if path == "/__fake/faults" and method == "POST":
            fake.add_faults(self.body)
        elif path == "/__fake/seed" and method == "POST":
            with fake.lock:
                fake.seed(self.body)
        elif path == "/__fake/reset" and method == "POST":
            with fake.lock:
                fake.state = empty_state()
                fake.faults = []
                fake.log = []
        elif path == "/__fake/state":
            with fake.lock:
                return self.send_json(200, fake.state)
        elif path == "/__fake/log":
            with fake.lock:
                return self.send_json(200, fake.log)
        else:
            return self.not_found()
        self.send_json(200, {"ok": True})

    # -- faults and auth -------------------------------------------------
    def inject(self, method, path):
        f = self.fake.take_fault(method, path)
        if not f:
            return False
        if f.get("delay"):
            time.sleep(float(f["delay"]))
        if f.get("after"):
            # GitLab acted, then the answer got lost on the way back (or a proxy replaced it).
            self.swallow = True
            with self.fake.lock:
                self.route(method, path[len(API + "/projects/"):].split("/")[1:])
            self.swallow = False
            if f.get("status"):
                self.close_connection = True
                self.send_json(int(f["status"]), {"message": "%d injected after the work" % f["status"]})
                return True
            self.close_connection = True
            self.status = -1
            return True
        if f.get("drop"):
            self.close_connection = True
            self.status = -1
            return True
        if f.get("status"):
            headers = {}
            if "retry_after" in f:
                headers["Retry-After"] = str(f["retry_after"])
            self.close_connection = f["status"] >= 500
            self.send_json(int(f["status"]), {"message": "%d injected" % f["status"]}, headers)
            return True
        body = f.get("body")
        if body is None:
            return False  # a pure delay: answer normally afterwards
        if body == "truncated":
            data = b'[{"id": 1, "body": "cut he'
            self.send_raw(200, data)
        elif body == "malformed":
            self.send_raw(200, b"<html>502 Bad Gateway</html>")
        elif body == "short":
            self.close_connection = True
            self.send_raw(200, b'[{"id": 1', content_length=4096)
        else:
            self.send_raw(200, body.encode())
        return True

    def auth(self, method, path):
        """Returns the token kind, or None after answering 401/403."""
        args = self.fake.args
        private = self.headers.get("PRIVATE-TOKEN")
        job = self.headers.get("JOB-TOKEN")
        if args.token and private == args.token:
            return "private"
        if args.job_token and job == args.job_token:
            # doc/ci/jobs/ci_job_token.md: no notes writes, no approvals, no issues or MRs.
            writes_notes = method in ("POST", "PUT") and "/notes" in path
            if writes_notes or path.endswith("/approvals") or (method != "GET" and (
                    "/issues" in path or path.endswith("/merge_requests"))):
                self.send_json(403, {"message": "403 Forbidden"})
                return None
            return "job"
        if not args.token and not args.job_token:
            return "anonymous"
        self.send_json(401, {"message": "401 Unauthorized"})
        return None

    # -- the API ---------------------------------------------------------
    def dispatch(self, method, path):
        if self.inject(method, path):
            return
        if not path.startswith(API + "/projects/"):
            return self.not_found()
        rest = path[len(API + "/projects/"):]
        parts = rest.split("/")
        if len(parts) < 2:
            return self.not_found()
        parts = parts[1:]  # any project id or url-encoded path
        if self.auth(method, path) is None:
            return
        if self.body is None:
            return self.send_json(400, {"message": "400 Bad request - body is not JSON"})
        with self.fake.lock:
            return self.route(method, parts)

    def route(self, method, p):
        s = self.fake.state
        n = len(p)
        if p[0] == "merge_requests":
            if n == 1 and method == "GET":
                return self.list_mrs()
            if n == 1 and method == "POST":
                return self.create_mr()
            mr = self.find_mr(p[1])
            if mr is None:
                return self.not_found()
            if n == 2 and method == "GET":
                return self.send_json(200, self.mr_view(mr))
            if n == 3 and p[2] == "approvals" and method == "GET":
                return self.send_json(200, {
                    "iid": mr["iid"], "approved": len(mr["approved_by"]) >= mr.get("approvals_required", 0),
                    "approvals_required": mr.get("approvals_required", 0),
                    "approvals_left": max(0, mr.get("approvals_required", 0) - len(mr["approved_by"])),
                    "approved_by": [{"user": {"username": u, "name": u.title(), "id": i + 1}}
                                    for i, u in enumerate(mr["approved_by"])]})
            if n >= 3 and p[2] == "notes":
                return self.notes(method, s["notes"].setdefault(str(mr["iid"]), []), p[3:])
        if p[0] == "issues":
            if n == 1 and method == "GET":
                return self.list_issues()
            if n == 1 and method == "POST":
                return self.create_issue()
            issue = next((i for i in s["issues"] if str(i["iid"]) == p[1]), None)
            if issue is None:
                return self.not_found()
            if n == 2 and method == "GET":
                return self.send_json(200, issue)
            if n == 2 and method == "PUT":
                if "description" in self.body:
                    issue["description"] = self.body["description"]
                if self.body.get("state_event") == "close":
                    issue["state"] = "closed"
                    issue["closed_at"] = NOW
                if self.body.get("state_event") == "reopen":
                    issue["state"] = "opened"
                issue["updated_at"] = NOW
                return self.send_json(200, issue)
            if n >= 3 and p[2] == "notes":
                return self.notes(method, s["issue_notes"].setdefault(str(issue["iid"]), []), p[3:])
        if p[0] == "deployments" and n == 1 and method == "GET":
            return self.list_deployments()
        if p[0] == "environments" and n == 1 and method == "GET":
            envs = s["environments"]
            name = self.query.get("name", [None])[0]
            if name is not None:
                envs = [e for e in envs if e["name"] == name]
            return paginate(self, envs)
        if p[0] == "repository" and n == 4 and p[1] == "commits" and p[3] == "merge_requests":
            iids = s["commit_merge_requests"].get(p[2], [])
            return self.send_json(200, [self.mr_view(m) for m in s["merge_requests"] if m["iid"] in iids])
        return self.not_found()

    def find_mr(self, iid):
        return next((m for m in self.fake.state["merge_requests"] if str(m["iid"]) == iid), None)

    def mr_view(self, mr):
        # "detailed_merge_status_sequence": what successive reads see (GitLab computes it asynchronously).
        seq = mr.get("detailed_merge_status_sequence")
        if seq:
            mr["detailed_merge_status"] = seq.pop(0)
        view = {k: v for k, v in mr.items()
                if k not in ("approved_by", "approvals_required", "detailed_merge_status_sequence")}
        view.setdefault("id", 5000 + mr["iid"])
        view.setdefault("project_id", 1)
        view.setdefault("detailed_merge_status", "mergeable")
        view.setdefault("has_conflicts", False)
        sha = mr.get("sha", "0" * 40)
        view.setdefault("sha", sha)
        view.setdefault("diff_refs", {"base_sha": "b" * 40, "head_sha": sha, "start_sha": "b" * 40})
        if self.query.get("include_diverged_commits_count", ["false"])[0] == "true":
            view.setdefault("diverged_commits_count", 0)
        else:
            view.pop("diverged_commits_count", None)
        return view

    def list_mrs(self):
        q = {k: v[0] for k, v in self.query.items()}
        mrs = [self.mr_view(m) for m in self.fake.state["merge_requests"]
               if (q.get("state", "all") in ("all", m["state"]))
               and q.get("source_branch", m.get("source_branch")) == m.get("source_branch")
               and q.get("target_branch", m.get("target_branch")) == m.get("target_branch")]
        return paginate(self, mrs)

    def create_mr(self):
        b = self.body
        for k in ("source_branch", "target_branch", "title"):
            if not b.get(k):
                return self.send_json(400, {"message": "%s is missing" % k})
        s = self.fake.state
        for m in s["merge_requests"]:
            if m["state"] == "opened" and m["source_branch"] == b["source_branch"] \
                    and m["target_branch"] == b["target_branch"]:
                return self.send_json(409, {"message": ["Another open merge request already exists for this source branch: !%d" % m["iid"]]})
        iid = max([m["iid"] for m in s["merge_requests"]] + [0]) + 1
        mr = {"iid": iid, "title": b["title"], "description": b.get("description", ""),
              "source_branch": b["source_branch"], "target_branch": b["target_branch"],
              "state": "opened", "labels": [], "approved_by": [], "created_at": NOW,
              "web_url": "https://gitlab.example.com/g/p/-/merge_requests/%d" % iid}
        s["merge_requests"].append(mr)
        self.send_json(201, self.mr_view(mr))

    def notes(self, method, notes, rest):
        if not rest and method == "GET":
            order = list(notes)
            if self.query.get("sort", ["desc"])[0] == "desc":
                order.reverse()
            return paginate(self, order)
        if not rest and method == "POST":
            body = self.body.get("body")
            if not isinstance(body, str) or not body:
                return self.send_json(400, {"message": "400 Bad request - body is missing"})
            if len(body) > 1000000:
                return self.send_json(400, {"message": {"note": ["is too long (maximum is 1000000 characters)"]}})
            note = {"id": self.fake.new_id(), "body": body, "system": False,
                    "author": {"username": "project_1_bot"}, "created_at": NOW, "updated_at": NOW}
            notes.append(note)
            return self.send_json(201, note)
        note = next((x for x in notes if str(x["id"]) == (rest[0] if rest else "")), None)
        if note is None:
            return self.not_found()
        if method == "GET":
            return self.send_json(200, note)
        if method == "PUT":
            body = self.body.get("body")
            if not isinstance(body, str) or not body:
                return self.send_json(400, {"message": "400 Bad request - body is missing"})
            if len(body) > 1000000:
                return self.send_json(400, {"message": {"note": ["is too long (maximum is 1000000 characters)"]}})
            note["body"] = body
            note["updated_at"] = NOW
            return self.send_json(200, note)
        if method == "DELETE":
            notes.remove(note)
            return self.send_raw(204, b"")
        return self.not_found()

    def list_issues(self):
        q = {k: v[0] for k, v in self.query.items()}
        state = q.get("state", "all")
        labels = [x for x in q.get("labels", "").split(",") if x]
        search = q.get("search", "").lower()
        out = [i for i in self.fake.state["issues"]
               if state in ("all", i["state"])
               and all(lab in i["labels"] for lab in labels)
               and all(w in i["title"].lower() for w in search.split())]
        if q.get("sort", "desc") == "desc":
            out = list(reversed(out))
        return paginate(self, out)

    def create_issue(self):
        b = self.body
        if not b.get("title"):
            return self.send_json(400, {"message": "title is missing"})
        s = self.fake.state
        iid = max([i["iid"] for i in s["issues"]] + [0]) + 1
        labels = b.get("labels", "")
        issue = {"id": self.fake.new_id(), "iid": iid, "title": b["title"],
                 "description": b.get("description", ""), "state": "opened",
                 "labels": labels.split(",") if isinstance(labels, str) and labels else list(labels or []),
                 "created_at": NOW, "updated_at": NOW,
                 "web_url": "https://gitlab.example.com/g/p/-/issues/%d" % iid}
        s["issues"].append(issue)
        self.send_json(201, issue)

    def list_deployments(self):
        q = {k: v[0] for k, v in self.query.items()}
        if q.get("order_by") == "finished_at" and q.get("status") != "success":
            return self.send_json(400, {"message": "order_by finished_at needs status=success"})
        deps = [d for d in self.fake.state["deployments"]
                if d.get("environment") == q.get("environment", d.get("environment"))
                and d.get("status") == q.get("status", d.get("status"))]
        key = q.get("order_by", "id")
        deps.sort(key=lambda d: (d.get(key) or ""), reverse=q.get("sort", "asc") == "desc")
        view = []
        for d in deps:
            v = dict(d)
            v["environment"] = {"id": 1, "name": d["environment"], "external_url": None}
            v.setdefault("ref", "main")
            v.setdefault("iid", d["id"])
            v.setdefault("created_at", d.get("finished_at") or NOW)
            v.setdefault("deployable", {"id": d["id"] + 9000, "status": d.get("status"),
                                        "pipeline": {"id": 77, "sha": d.get("sha"), "ref": "main"}})
            view.append(v)
        return paginate(self, view)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--log")
    ap.add_argument("--token")
    ap.add_argument("--job-token")
    ap.add_argument("--seed")
    ap.add_argument("--max-per-page", type=int, default=100)
    ap.add_argument("--pagination", choices=("both", "link", "header"), default="both")
    ap.add_argument("--evil-link", action="store_true",
                    help="the rel=next link points to another host (X-Next-Page stays right)")
    ap.add_argument("--fault", action="append", default=[], help="a fault as JSON")
    ap.add_argument("--tls-cert", help="serve HTTPS with this certificate (PEM)")
    ap.add_argument("--tls-key", help="the certificate's private key (PEM)")
    args = ap.parse_args()

    fake = Fake(args)
    if args.seed:
        with open(args.seed, encoding="utf-8") as f:
            fake.seed(json.load(f))
    for f in args.fault:
        fake.add_faults(json.loads(f))
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.fake = fake
    if args.tls_cert:
        import ssl
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(args.tls_cert, args.tls_key)
        server.socket = ctx.wrap_socket(server.socket, server_side=True)
    tmp = args.port_file + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write("%d\n" % server.server_address[1])
    os.replace(tmp, args.port_file)
    parent = os.getppid()

    def orphan_watch():
        # Whoever started us is gone (a test killed hard): do not linger on the machine.
        while True:
            time.sleep(0.5)
            if os.getppid() != parent:
                os._exit(0)

    threading.Thread(target=orphan_watch, daemon=True).start()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())

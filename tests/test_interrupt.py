"""Interrupted runs: Ctrl-C and kill -9 in the middle of `analyzer gather`.

Each test runs `python -m analyzer gather FIELD --out DIR` in a subprocess against slow local
sites (tests/misbehaving.py), interrupts it mid-run, and checks that the store is consistent
(`PRAGMA integrity_check`, every body matching its recorded hash and size), that Ctrl-C ends
the run promptly with exit status 130 and one "Interrupted" line, and that the rerun resumes:
no URL stored before the interruption is requested again, and the rerun completes the field.
"""

from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from misbehaving import MisbehavingServer, after, field_toml, html, minimal_pdf, page, redirect, slow, status

ROOT = Path(__file__).resolve().parent.parent
PLEDGE = "I will publish every city contract online within one week of signing."

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")


def _site(pages: int, per_request: float = 0.0, body_bytes: int = 0) -> MisbehavingServer:
    """A start page redirecting to /home, which links ``pages`` issue pages and a PDF."""
    paths = [f"/issues/topic-{i}" for i in range(pages)]
    padding = " ".join(["More about the plan."] * (body_bytes // 21))
    routes = {
        "/": redirect("/home", 301),
        "/home": after(per_request, page(html("Home", PLEDGE, [*paths, ("/plan.pdf", "Our plan (PDF)")]))),
        "/plan.pdf": after(per_request, page(minimal_pdf(), "application/pdf")),
    }
    for path in paths:
        routes[path] = after(per_request, page(html(path, f"{PLEDGE} {padding}")))
    return MisbehavingServer(routes)


def _start(field: Path, out: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-m", "analyzer", "gather", str(field), "--out", str(out)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT, env=env)


def _gather(field: Path, out: Path, timeout: float = 120) -> subprocess.CompletedProcess:
    proc = _start(field, out)
    stdout, stderr = proc.communicate(timeout=timeout)
    return subprocess.CompletedProcess(proc.args, proc.returncode, stdout, stderr)


def _wait_for(condition, timeout: float = 30.0, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.01)


def _pages_requested(server: MisbehavingServer) -> int:
    return server.hits_under("/issues/") + server.hits("/plan.pdf")


def _check_store(out: Path) -> dict[str, list[str]]:
    """Integrity and consistency of the store; returns the stored URLs' paths per candidate."""
    db = sqlite3.connect(out / "analysis.sqlite")
    try:
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        stored: dict[str, list[str]] = {}
        for candidate, url, sha, size, body in db.execute("SELECT candidate, url, sha256, size, body FROM pages"):
            assert len(body) == size and hashlib.sha256(body).hexdigest() == sha, url
            stored.setdefault(candidate, []).append(urlsplit(url).path)
        for candidate, url in db.execute("SELECT candidate, url FROM failures"):
            raise AssertionError(f"an interruption must not be recorded as a failure: {candidate} {url}")
        return stored
    finally:
        db.close()


def _field(tmp_path: Path, servers: dict[str, MisbehavingServer], **gather) -> Path:
    path = tmp_path / "field.toml"
    options = {"delay": 0.0, "max_pages": 100, "max_depth": 2, "timeout": 5.0, "retries": 1, **gather}
    path.write_text(field_toml([(slug.title(), slug, [s.url("/")]) for slug, s in servers.items()], options),
                    encoding="utf-8")
    return path


def _assert_resumed_without_refetching(servers, stored_before: dict[str, list[str]]) -> None:
    for slug, server in servers.items():
        again = {p: server.hits(p) for p in stored_before.get(slug, []) if server.hits(p)}
        assert not again, f"{slug}: stored before the interruption, requested again: {again}"
        # the start page redirected to /home, which was stored: the redirect is not followed again
        if "/home" in stored_before.get(slug, []):
            assert server.hits("/") == 0, slug


def test_ctrl_c_stops_promptly_keeps_the_pages_and_the_rerun_resumes(tmp_path):
    servers = {"north": _site(30, per_request=0.1), "south": _site(30, per_request=0.1)}
    for server in servers.values():
        server.start()
    try:
        field, out = _field(tmp_path, servers), tmp_path / "out"
        proc = _start(field, out)
        _wait_for(lambda: all(_pages_requested(s) >= 4 for s in servers.values()), what="pages to be fetched")
        sent = time.monotonic()
        proc.send_signal(signal.SIGINT)
        stdout, stderr = proc.communicate(timeout=30)
        took = time.monotonic() - sent

        assert proc.returncode == 130, stderr
        lines = stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("Interrupted"), stderr
        assert "Traceback" not in stderr and stdout == ""
        assert took < 5.0, f"Ctrl-C took {took:.1f} s to stop the run"

        stored = _check_store(out)
        for slug in servers:
            assert 1 <= len(stored.get(slug, [])) < 32, (slug, stored.get(slug))  # stopped mid-way
        db = sqlite3.connect(out / "analysis.sqlite")
        statuses = dict(db.execute("SELECT slug, status FROM candidates"))
        db.close()
        assert set(statuses.values()) == {"pending"}  # never "gathered" or "not reachable" when cut short

        for server in servers.values():
            server.reset_counts()
        rerun = _gather(field, out)
        assert rerun.returncode == 0, rerun.stderr
        _assert_resumed_without_refetching(servers, stored)
        final = _check_store(out)
        for slug, server in servers.items():
            assert sorted(final[slug]) == sorted(["/home", "/plan.pdf"] + [f"/issues/topic-{i}" for i in range(30)])
            assert all(n == 1 for p, n in server.counts.items() if p != "/robots.txt"), server.counts
        assert "north\tgathered\t32 pages\t0 failures" in rerun.stdout
    finally:
        for server in servers.values():
            server.stop()


def test_kill_9_in_the_middle_of_writes_leaves_a_consistent_store_and_resumes(tmp_path):
    """Big pages served fast, so the gatherer spends much of its time writing them; killed
    twice at different points, then run to completion."""
    servers = {"east": _site(40, body_bytes=1_500_000), "west": _site(40, body_bytes=1_500_000)}
    for server in servers.values():
        server.start()
    try:
        field, out = _field(tmp_path, servers, max_bytes=5_000_000), tmp_path / "out"
        for kill_after in (3, 15):
            before = _check_store(out) if (out / "analysis.sqlite").exists() else {}
            for server in servers.values():
                server.reset_counts()
            proc = _start(field, out)
            _wait_for(lambda: sum(_pages_requested(s) for s in servers.values()) >= kill_after,
                      what=f"{kill_after} pages to be requested")
            proc.send_signal(signal.SIGKILL)
            proc.communicate(timeout=30)
            assert proc.returncode == -signal.SIGKILL
            _assert_resumed_without_refetching(servers, before)
            stored = _check_store(out)
            assert sum(map(len, stored.values())) >= sum(map(len, before.values()))

        for server in servers.values():
            server.reset_counts()
        rerun = _gather(field, out)
        assert rerun.returncode == 0, rerun.stderr
        _assert_resumed_without_refetching(servers, stored)
        final = _check_store(out)
        assert all(len(final[slug]) == 42 for slug in servers), {k: len(v) for k, v in final.items()}
    finally:
        for server in servers.values():
            server.stop()


def test_ctrl_c_does_not_wait_out_a_retry_after_or_a_hanging_server(tmp_path):
    """One worker is waiting 30 s as a 429's Retry-After asked, another is stuck in a request
    to a server that does not answer: Ctrl-C must not wait for either beyond the read timeout."""
    patient = MisbehavingServer({"/": page(html("Home", PLEDGE, ["/plan"])),
                                 "/plan": status(429, [("Retry-After", "30")])})
    stuck = MisbehavingServer({"/": page(html("Home", PLEDGE, ["/plan"])), "/plan": slow(30)})
    servers = {"patient": patient, "stuck": stuck}
    for server in servers.values():
        server.start()
    try:
        field, out = _field(tmp_path, servers, timeout=2.0), tmp_path / "out"
        proc = _start(field, out)
        _wait_for(lambda: patient.hits("/plan") and stuck.hits("/plan"), what="both workers to be waiting")
        time.sleep(0.2)
        sent = time.monotonic()
        proc.send_signal(signal.SIGINT)
        stdout, stderr = proc.communicate(timeout=30)
        took = time.monotonic() - sent
        assert proc.returncode == 130 and stderr.strip().startswith("Interrupted"), stderr
        assert len(stderr.strip().splitlines()) == 1 and "Traceback" not in stderr
        assert took < 2.0 + 3.0, f"Ctrl-C took {took:.1f} s"  # the read timeout, and some slack
        assert patient.hits("/plan") == 1  # the retry was never sent
        stored = _check_store(out)
        assert stored == {"patient": ["/"], "stuck": ["/"]}
    finally:
        for server in servers.values():
            server.stop()

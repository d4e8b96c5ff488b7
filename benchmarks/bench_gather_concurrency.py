"""Does gathering a field take as long as its slowest site, not the sum of all sites?

Starts N local sites (each answering every request after an artificial delay, with a home
page linking to several issue pages), gathers a field of N candidates with a per-host delay
D, and compares the wall-clock time with the politeness bound: the largest per-host
``pages × D`` (each host must see its requests D apart, so no gatherer can be faster).
Prints one JSON line; the target is ``ratio ≤ 1.25``.

    python benchmarks/bench_gather_concurrency.py [--hosts 8] [--pages 6] [--delay 0.25]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from analyzer.gather import crawl, gather_field  # noqa: E402,F401  (crawl: imported here, not in the timing)
from analyzer.records import Candidate, Election, Field, GatherOptions, Source  # noqa: E402
from analyzer.store import Store  # noqa: E402


def site_pages(pages: int) -> dict[str, bytes]:
    """A home page and ``pages - 1`` issue pages it links to."""
    issues = [f"/issues/topic-{i}" for i in range(1, pages)]
    links = "".join(f'<li><a href="{path}">Issue {i}</a></li>' for i, path in enumerate(issues, 1))
    site = {"/": f"<html><body><h1>Candidate</h1><ul>{links}</ul></body></html>".encode()}
    for i, path in enumerate(issues, 1):
        site[path] = f"<html><body><h1>Issue {i}</h1><p>We will fix issue {i} by 2015.</p></body></html>".encode()
    return site


def start_site(pages: dict[str, bytes], response_delay: float) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (the http.server API)
            time.sleep(response_delay)
            body = pages.get(self.path)
            if body is None:
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hosts", type=int, default=8)
    parser.add_argument("--pages", type=int, default=6, help="pages per site, home page included")
    parser.add_argument("--delay", type=float, default=0.25, help="seconds between requests to one host")
    parser.add_argument("--response-delay", type=float, default=0.05, help="each server's delay per request")
    args = parser.parse_args(argv)

    servers = [start_site(site_pages(args.pages), args.response_delay) for _ in range(args.hosts)]
    try:
        candidates = tuple(
            Candidate(
                name=f"Candidate {i}",
                slug=f"candidate-{i}",
                sources=(Source(kind="live", url=f"http://127.0.0.1:{server.server_address[1]}/"),),
            )
            for i, server in enumerate(servers)
        )
        options = GatherOptions(delay=args.delay, max_pages=args.pages, retries=0)
        field = Field(
            election=Election(city="Benchmark", state="XX", office="Mayor", year=2013, fictional=True),
            candidates=candidates,
            gather=options,
        )
        with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "analysis.sqlite") as store:
            started = time.perf_counter()
            gather_field(field, store, options, workers=args.hosts)
            seconds = time.perf_counter() - started
            per_host = [store.page_count(c.slug) for c in candidates]
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()

    bound = max(per_host) * args.delay
    result = {
        "benchmark": "gather_concurrency",
        "hosts": args.hosts,
        "pages": sum(per_host),
        "seconds": round(seconds, 3),
        "politeness_bound_seconds": round(bound, 3),
        "ratio": round(seconds / bound, 3) if bound else None,
    }
    print(json.dumps(result))
    return result


if __name__ == "__main__":
    main()

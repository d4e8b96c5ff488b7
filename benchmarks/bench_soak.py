"""Soak: a field of 20 candidates × 100 pages on local sites, 5 % of responses faulty.

Each candidate has its own local site (its own port, so its own host for politeness): a home
page linking to the other pages. A fixed share of all responses (seeded, so runs compare) is
faulty, the faults mixed as the web mixes them: 500 and 503, 429 with and without Retry-After,
connections reset or cut mid-body, responses slower than the timeout. The field is gathered
with no delay between requests and one retry per request (so a page whose request and retry
both draw a fault — about 0.25 % of pages — is recorded as a failure); the sites run in a
separate process so that the peak memory measured is the gatherer's.

Every page must be accounted for: stored, or recorded in the failures table with its reason
(a page whose request and retries all drew a fault). The script exits with status 1 if any
page is neither. Prints one JSON line:

    {"benchmark": "gather_soak", "candidates": 20, "pages_expected": 2000, "pages_gathered": ..,
     "failures_recorded": .., "faulty_responses": .., "seconds": .., "peak_rss_mb": ..}

    python benchmarks/bench_soak.py [--candidates 20] [--pages 100] [--fault-rate 0.05] [--seed 0]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import multiprocessing
import resource
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE.parent / "tests"))

from misbehaving import (  # noqa: E402
    MisbehavingServer,
    html,
    page,
    reset_mid_body,
    slow,
    status,
    truncated,
)

TIMEOUT = 1.0  # the gatherer's read timeout; the "slow" fault sleeps past it
PLEDGE = "I will publish every city contract over $25,000 online within one week of signing, starting in 2014."


def _faults():
    body = html("A page cut short", PLEDGE * 40)
    return [
        ("500", status(500)),
        ("503 Retry-After", status(503, [("Retry-After", "0")])),
        ("429", status(429)),
        ("429 Retry-After", status(429, [("Retry-After", "1")])),
        ("reset", reset_mid_body(body)),
        ("truncated", truncated(body)),
        ("slow", slow(TIMEOUT + 0.5)),
    ]


def _site_routes(pages: int):
    paths = [f"/issues/topic-{i}" for i in range(1, pages)]
    routes = {"/": page(html("Candidate for Mayor", PLEDGE, [(p, f"Issue {i}") for i, p in enumerate(paths, 1)]))}
    for i, path in enumerate(paths, 1):
        routes[path] = page(html(f"Issue {i}", f"{PLEDGE} Issue {i} matters. " * 20))
    return routes


def _faulty(seed: int, site: int, path: str, attempt: int, rate: float) -> int | None:
    """The fault to serve for this request (an index into the fault list), or None."""
    digest = hashlib.blake2b(f"{seed}|{site}|{path}|{attempt}".encode(), digest_size=8).digest()
    draw = int.from_bytes(digest[:4], "big") / 2**32
    if draw >= rate:
        return None
    return int.from_bytes(digest[4:], "big") % len(_faults())


def serve(candidates: int, pages: int, rate: float, seed: int, conn) -> None:
    """The sites, in their own process: sends the ports, then the fault counts when told to stop."""
    faults = _faults()
    counts: dict[str, int] = {name: 0 for name, _ in faults}
    lock = threading.Lock()
    servers = []
    for site in range(candidates):
        routes = _site_routes(pages)
        attempts: dict[str, int] = {}

        def soak(request, server, routes=routes, attempts=attempts, site=site):
            with lock:
                attempts[request.path] = attempt = attempts.get(request.path, 0) + 1
            fault = _faulty(seed, site, request.path, attempt, rate)
            if fault is not None:
                with lock:
                    counts[faults[fault][0]] += 1
                return faults[fault][1](request, server)
            return routes.get(request.path, status(404))(request, server)

        servers.append(MisbehavingServer({"/robots.txt": status(404)}, default=soak).start())
    conn.send([s.port for s in servers])
    conn.recv()  # stop
    for server in servers:
        server.stop()
    conn.send(counts)


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--candidates", type=int, default=20)
    parser.add_argument("--pages", type=int, default=100, help="pages per site, home page included")
    parser.add_argument("--fault-rate", type=float, default=0.05, help="share of responses that are faulty")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--delay", type=float, default=0.0, help="seconds between requests to one host")
    parser.add_argument("--retries", type=int, default=1, help="retries per request (the analyzer's default is 3)")
    parser.add_argument("--backoff", type=float, default=0.25,
                        help="first retry wait in seconds when no Retry-After is given (the analyzer's default is 1)")
    args = parser.parse_args(argv)

    context = multiprocessing.get_context("spawn")
    parent, child = context.Pipe()
    sites = context.Process(target=serve, args=(args.candidates, args.pages, args.fault_rate, args.seed, child),
                            daemon=True)
    sites.start()
    ports = parent.recv()

    from analyzer.gather import gather_field
    from analyzer.gather.http import PoliteSession
    from analyzer.records import Candidate, Election, Field, GatherOptions, Source
    from analyzer.store import Store

    options = GatherOptions(delay=args.delay, max_pages=args.pages, max_depth=2, timeout=TIMEOUT,
                            retries=args.retries)
    field = Field(
        election=Election(city="Soak City", state="ZZ", office="Mayor", year=2013, fictional=True),
        candidates=tuple(
            Candidate(name=f"Candidate {i}", slug=f"candidate-{i}",
                      sources=(Source(kind="live", url=f"http://127.0.0.1:{port}/"),))
            for i, port in enumerate(ports)
        ),
        gather=options,
    )
    try:
        with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "analysis.sqlite") as store:
            session = PoliteSession(options, backoff=args.backoff)
            started = time.perf_counter()
            gather_field(field, store, options, session=session)
            seconds = time.perf_counter() - started
            session.close()
            gathered = store.page_count()
            failures = len(store.failures())
    finally:
        parent.send("stop")
        counts = parent.recv()
        sites.join(10)

    expected = args.candidates * args.pages
    result = {
        "benchmark": "gather_soak",
        "candidates": args.candidates,
        "pages_expected": expected,
        "pages_gathered": gathered,
        "failures_recorded": failures,
        "faulty_responses": sum(counts.values()),
        "seconds": round(seconds, 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    print(json.dumps(result), flush=True)
    if gathered + failures != expected:
        print(f"{expected - gathered - failures} pages neither stored nor recorded as failures", file=sys.stderr)
        sys.exit(1)
    return result


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""A bounded load on `policykg serve`, on loopback only: CLIENTS readers (default 64) for
SECONDS (default 300) of mixed named queries, pages, drawings and RDF files, while a writer
replaces and removes document graphs through the token-guarded Graph Store, and a checker
makes sure no reader ever sees half a document. The server's RSS is sampled every 10 s.

    DOCS=1000 SECONDS=300 CLIENTS=64 python3 benches/load.py

The store is made from a generated corpus of DOCS documents (`policykg-dev gen-corpus`), or
taken from STORE if that names an existing store. It prints a Markdown report and exits 1
when a request got an unexpected 5xx (anything but a 503 of the time limit or of busy
slots, which are counted apart) or a reader saw a document half written. It stops by itself
after SECONDS; nothing leaves this machine.
"""

import json
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(os.environ.get("POLICYKG", ROOT / "target/release/policykg"))
# The developers' tool that writes generated corpora, beside the program.
DEV = Path(os.environ.get("POLICYKG_DEV", BIN.parent / "policykg-dev"))
DOCS = int(os.environ.get("DOCS", "1000"))
SECONDS = float(os.environ.get("SECONDS", "300"))
CLIENTS = int(os.environ.get("CLIENTS", "64"))
PORT = int(os.environ.get("PORT", "7941"))
TOKEN = "load-test-" + os.urandom(8).hex()
BASE = f"http://127.0.0.1:{PORT}"
GRAPH = "https://policykg.org/graph/"
WRITTEN = GRAPH + "load-copy-"

NAMED = [
    "documents", "tasks-per-section", "partner-regions-ranked", "platforms-by-type",
    "tasks-by-strategy", "units-per-jurisdiction", "goals-by-year", "tasks-per-lead-unit",
]


def request(method, path, body=None, headers=None, timeout=120):
    """(status, body bytes, seconds)."""
    req = urllib.request.Request(BASE + path, data=body, method=method, headers=headers or {})
    start = time.monotonic()
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            data = r.read()
            return r.status, data, time.monotonic() - start
    except urllib.error.HTTPError as e:
        return e.code, e.read(), time.monotonic() - start
    except (urllib.error.URLError, ConnectionError, TimeoutError) as e:
        return 0, str(e).encode(), time.monotonic() - start


def sparql(query, accept="text/csv"):
    path = "/sparql?" + urllib.parse.urlencode({"query": query})
    return request("GET", path, headers={"Accept": accept})


def rows(query):
    status, body, _ = sparql(query)
    if status != 200:
        sys.exit(f"setup query failed ({status}): {body[:300]!r}")
    lines = body.decode().splitlines()
    return [line.split(",") for line in lines[1:] if line]


def prepare_store(work):
    store = os.environ.get("STORE")
    if store and Path(store, "CURRENT").exists():
        return Path(store)
    corpus, store = work / "corpus", Path(store or work / "store")
    subprocess.run([DEV, "gen-corpus", "--docs", str(DOCS), "--seed", "1", "--out", corpus],
                   check=True, stdout=subprocess.DEVNULL)
    start = time.monotonic()
    subprocess.run([BIN, "--store", store, "ingest", corpus], check=True, stdout=subprocess.DEVNULL)
    print(f"ingested {DOCS} documents in {time.monotonic() - start:.0f} s", file=sys.stderr)
    return store


def rss_mb(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


class Tally:
    """Statuses and latencies by route, shared by the threads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.latency = {}
        self.status = {}
        self.unexpected = []

    def add(self, route, status, seconds, body):
        with self.lock:
            self.latency.setdefault(route, []).append(seconds)
            counts = self.status.setdefault(route, {})
            counts[status] = counts.get(status, 0) + 1
            expected_503 = status == 503 and (b"time limit" in body or b"busy" in body)
            if status == 0 or (status >= 500 and not expected_503):
                self.unexpected.append((route, status, body[:200]))


def main():
    if not BIN.exists():
        sys.exit(f"{BIN} is missing: cargo build --release --bins")
    work = Path(tempfile.mkdtemp(prefix="policykg-load-"))
    store = prepare_store(work)
    token_file = work / "token"
    token_file.write_text(TOKEN + "\n")
    log = open(work / "serve.log", "w")
    server = subprocess.Popen(
        [BIN, "--store", store, "serve", "--bind", f"127.0.0.1:{PORT}", "--data", "/nonexistent",
         "--update-token-file", token_file], stdout=subprocess.DEVNULL, stderr=log)
    try:
        run_load(server)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


def run_load(server):
    deadline = time.monotonic() + 120
    while request("GET", "/health", timeout=2)[0] != 200:
        if time.monotonic() > deadline or server.poll() is not None:
            sys.exit("the server did not start")
        time.sleep(0.2)

    graphs = [g for (g,) in rows(
        "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?d a pol:Document } } ORDER BY ?g LIMIT 50")]
    keys = [g[len(GRAPH):] for g in graphs]
    units = [u for (u,) in rows("SELECT DISTINCT ?u WHERE { ?t pol:leadUnit ?u } ORDER BY ?u LIMIT 50")]
    named = {name: (ROOT / "queries" / f"{name}.rq").read_text() for name in NAMED}
    # The writer's source: one document's triples, copied under new graph names.
    status, source, _ = request("GET", "/store?" + urllib.parse.urlencode({"graph": graphs[0]}),
                                headers={"Accept": "application/n-triples"})
    if status != 200:
        sys.exit(f"cannot read {graphs[0]}: {status}")
    source_triples = len([l for l in source.decode().splitlines() if l.strip()])

    def reads(rng):
        kind = rng.random()
        if kind < 0.35:
            name = rng.choice(NAMED)
            return f"query:{name}", ("GET", "/sparql?" + urllib.parse.urlencode({"query": named[name]}),
                                     {"Accept": rng.choice(["text/csv", "application/sparql-results+json"])})
        choices = [
            ("/", "/"), ("/api/stats", "/api/stats"),
            ("/search", "/search?" + urllib.parse.urlencode({"q": rng.choice(["科技", "创新", "合作", "人才"])})),
            ("/doc/{key}", f"/doc/{rng.choice(keys)}"),
            ("/entity", "/entity?" + urllib.parse.urlencode({"iri": rng.choice(units)})),
            ("dependency.svg?document", f"/graph/dependency.svg?document={rng.choice(keys)}"),
            ("cooperation.svg", "/graph/cooperation.svg"),
            ("cooperation.dot", "/graph/cooperation.dot"),
            ("cooperation.json", "/graph/cooperation.json"),
            ("/store (RDF file)", "/store?" + urllib.parse.urlencode({"graph": rng.choice(graphs)})),
        ]
        route, path = rng.choice(choices)
        return route, ("GET", path, {"Accept": "text/turtle"} if route.startswith("/store") else {})

    tally = Tally()
    stop = threading.Event()
    half_seen = []
    checks = [0]
    writes = {"PUT": 0, "DELETE": 0}

    def reader(n):
        rng = random.Random(n)
        while not stop.is_set():
            route, (method, path, headers) = reads(rng)
            status, body, seconds = request(method, path, headers=headers)
            tally.add(route, status, seconds, body)

    def writer():
        auth = {"Authorization": f"Bearer {TOKEN}"}
        k = 0
        while not stop.is_set():
            target = "/store?" + urllib.parse.urlencode({"graph": f"{WRITTEN}{k % 8}"})
            status, body, seconds = request("PUT", target, source,
                                            {**auth, "Content-Type": "application/n-triples"})
            tally.add("writer PUT", status, seconds, body)
            writes["PUT"] += 1
            if k % 5 == 4:
                old = "/store?" + urllib.parse.urlencode({"graph": f"{WRITTEN}{(k + 3) % 8}"})
                status, body, seconds = request("DELETE", old, headers=auth)
                tally.add("writer DELETE", status, seconds, body)
                writes["DELETE"] += 1
            k += 1
            time.sleep(0.5)

    def checker():
        query = ("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
                 f"FILTER(STRSTARTS(STR(?g), \"{WRITTEN}\")) }} GROUP BY ?g")
        while not stop.is_set():
            status, body, seconds = sparql(query)
            tally.add("checker", status, seconds, body)
            if status == 200:
                checks[0] += 1
                for line in body.decode().splitlines()[1:]:
                    graph, n = line.rsplit(",", 1)
                    if int(n) != source_triples:
                        half_seen.append((graph, int(n)))
            time.sleep(0.2)

    threads = [threading.Thread(target=reader, args=(n,)) for n in range(CLIENTS)]
    threads += [threading.Thread(target=writer), threading.Thread(target=checker)]
    started = time.monotonic()
    for t in threads:
        t.start()
    samples = []
    while time.monotonic() - started < SECONDS:
        samples.append((round(time.monotonic() - started), rss_mb(server.pid)))
        time.sleep(min(10, max(0.0, SECONDS - (time.monotonic() - started))))
    stop.set()
    for t in threads:
        t.join()
    samples.append((round(time.monotonic() - started), rss_mb(server.pid)))
    report(tally, samples, writes, checks[0], half_seen, source_triples, time.monotonic() - started)
    if tally.unexpected or half_seen:
        sys.exit(1)


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(p / 100 * len(values)))]


def report(tally, samples, writes, checks, half_seen, source_triples, elapsed):
    total = sum(len(v) for v in tally.latency.values())
    print(f"## Load: {CLIENTS} readers, a writer and a checker for {elapsed:.0f} s\n")
    print(f"{total} requests ({total / elapsed:.0f}/s); writer: {writes['PUT']} PUTs of "
          f"{source_triples} triples, {writes['DELETE']} DELETEs; checker: {checks} reads of "
          f"the written graphs, {len(half_seen)} half documents seen.\n")
    print("| route | requests | p50 ms | p99 ms | statuses |")
    print("|---|---:|---:|---:|---|")
    for route in sorted(tally.latency):
        lat = tally.latency[route]
        statuses = ", ".join(f"{s}: {n}" for s, n in sorted(tally.status[route].items()))
        print(f"| {route} | {len(lat)} | {pct(lat, 50) * 1000:.0f} | {pct(lat, 99) * 1000:.0f} | {statuses} |")
    print(f"\nunexpected 5xx or failed connections: {len(tally.unexpected)}")
    for route, status, body in tally.unexpected[:10]:
        print(f"- {route}: {status} {body!r}")
    print("\nserver RSS (MB) every 10 s: " + ", ".join(f"{t}s {mb:.0f}" for t, mb in samples))
    if half_seen:
        print(f"half documents: {half_seen[:10]}")


if __name__ == "__main__":
    main()

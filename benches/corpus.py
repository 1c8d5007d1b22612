#!/usr/bin/env python3
"""policykg on generated corpora, side by side with Oxigraph's own CLI, in one run.

For each corpus size (SIZES, default 10 100 1000 10000) it generates a corpus
(`policykg-dev gen-corpus`), then measures:

- ingest: `policykg ingest` against `oxigraph load` of the same quads (exported as N-Quads),
  in quads per second, and the peak RSS of each;
- the store's size on disk against Oxigraph's;
- the server's start (until /health answers);
- every page and view (p50 and p99 of REPEAT requests, the first one apart: it is the one
  that draws or evaluates; later ones may come from the server's caches);
- /sparql throughput with wrk at 1, 8 and 64 connections for named queries, against
  `oxigraph serve-read-only --union-default-graph` on Oxigraph's store of the same quads;
- the server's RSS after all of it.

It prints Markdown tables (the figures in BENCHMARKS.md come from it). Speed is measured
here, never asserted in tests. Needs a release build (`cargo build --release --bins`),
`pip install oxigraph`, and Debian's wrk.
"""

import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(os.environ.get("POLICYKG", ROOT / "target/release/policykg"))
# The developers' tool that writes generated corpora, beside the program.
DEV = Path(os.environ.get("POLICYKG_DEV", BIN.parent / "policykg-dev"))
SIZES = [int(n) for n in os.environ.get("SIZES", "10 100 1000 10000").split()]
REPEAT = int(os.environ.get("REPEAT", "20"))
WRK_SECONDS = os.environ.get("WRK_SECONDS", "10")
SEED = os.environ.get("SEED", "1")
PORT, OX_PORT = 7931, 7932

QUERIES = {
    "count-tasks": "SELECT (COUNT(?t) AS ?n) WHERE { ?t a <https://policykg.org/ns#Task> }",
    "tasks-per-lead-unit": (ROOT / "queries/tasks-per-lead-unit.rq").read_text(),
    "units-per-jurisdiction": (ROOT / "queries/units-per-jurisdiction.rq").read_text(),
    # Last: neither server finishes it at 1,000 documents, and both are still busy with it
    # for a while after wrk stops.
    "unit-cooperation-network": (ROOT / "queries/unit-cooperation-network.rq").read_text(),
}


def run(args, **kw):
    """Runs a command; returns (seconds, peak RSS in MB, stdout)."""
    start = time.monotonic()
    proc = subprocess.run(
        ["/usr/bin/time", "-f", "%M"] + [str(a) for a in args],
        capture_output=True, text=True, **kw)
    seconds = time.monotonic() - start
    if proc.returncode != 0:
        sys.exit(f"{args[0]} failed: {proc.stderr[-2000:]}")
    rss_kb = int(proc.stderr.strip().splitlines()[-1])
    return seconds, rss_kb / 1024, proc.stdout


def size_mb(path, leave_out=()):
    total = 0
    for dirpath, dirs, files in os.walk(path):
        dirs[:] = [d for d in dirs if os.path.join(dirpath, d) not in leave_out]
        for f in files:
            total += os.path.getsize(os.path.join(dirpath, f))
    return total / 1e6


def wait_for(url, limit=120):
    start = time.monotonic()
    while time.monotonic() - start < limit:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return time.monotonic() - start
        except Exception:
            time.sleep(0.02)
    sys.exit(f"{url} did not answer in {limit} s")


def fetch(url):
    start = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=120) as response:
            body = response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        body = error.read()
        status = error.code
    return time.monotonic() - start, status, len(body)


def busiest_unit(base):
    """The IRI of the unit that leads the most tasks: the focus of the ego view (a label
    such as 省财政厅 names a unit of each province, and the view asks which one)."""
    query = ("SELECT ?u WHERE { ?t <https://policykg.org/ns#leadUnit> ?u } "
             "GROUP BY ?u ORDER BY DESC(COUNT(?t)) ?u LIMIT 1")
    url = base + "/sparql?query=" + urllib.parse.quote(query)
    request = urllib.request.Request(url, headers={"Accept": "text/csv"})
    with urllib.request.urlopen(request, timeout=120) as response:
        lines = response.read().decode("utf-8").splitlines()
    return lines[1].strip()


def percentile(values, p):
    values = sorted(values)
    k = min(len(values) - 1, max(0, round(p / 100 * (len(values) - 1))))
    return values[k]


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


# Makes every request's query text different (a numbered comment at its end), so that no
# answer comes from a cache of results.
UNIQUE_LUA = """
counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", wrk.path .. "%0A%23" .. counter .. "-" .. math.random(1000000000))
end
"""


def wrk(url, connections, unique=False):
    threads = min(connections, 2)
    args = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{WRK_SECONDS}s"]
    if unique:
        script = Path(tempfile.gettempdir()) / "policykg-unique.lua"
        script.write_text(UNIQUE_LUA)
        args += ["-s", str(script)]
    out = subprocess.run(args + [url], capture_output=True, text=True).stdout
    for line in out.splitlines():
        if line.startswith("Requests/sec:"):
            return float(line.split()[1])
    return 0.0


def pages(first_doc, focus):
    doc = urllib.parse.quote(first_doc)
    return {
        "/": "/",
        "/api/stats": "/api/stats",
        "/search?q=科技": "/search?q=" + urllib.parse.quote("科技"),
        "/doc/{one}": f"/doc/{doc}",
        "/graph/dependency.svg?document={one}": f"/graph/dependency.svg?document={doc}",
        "/graph/cooperation.svg": "/graph/cooperation.svg",
        "/graph/region.svg": "/graph/region.svg",
        "/graph/strategy.svg": "/graph/strategy.svg",
        "/graph/ego?focus={busiest unit}": "/graph/ego?focus=" + urllib.parse.quote(focus),
    }


def bench(n, work):
    docs = work / f"docs-{n}"
    run([DEV, "gen-corpus", "--docs", n, "--seed", SEED, "--out", docs])
    store = work / f"store-{n}"
    seconds, ingest_rss, _ = run([BIN, "--store", store, "ingest", docs])
    stats = subprocess.run([BIN, "--store", store, "stats"], capture_output=True, text=True).stdout
    nq = work / f"all-{n}.nq"
    with open(nq, "w") as out:
        subprocess.run([BIN, "--store", store, "export", "rdf", "--format", "nq"], stdout=out, check=True)
    quads = sum(1 for _ in open(nq, encoding="utf-8"))
    ox_store = work / f"oxigraph-{n}"
    ox_seconds, ox_rss, _ = run(["oxigraph", "load", "--location", ox_store, "--file", nq])
    row = {
        "docs": n, "quads": quads,
        "ingest_s": seconds, "ingest_qps": quads / seconds, "ingest_rss": ingest_rss,
        "ox_load_s": ox_seconds, "ox_qps": quads / ox_seconds, "ox_rss": ox_rss,
        "store_mb": size_mb(store, leave_out=(str(store / "search"),)),
        "search_mb": size_mb(store / "search"), "ox_store_mb": size_mb(ox_store),
        "stats": stats.splitlines()[:3],
    }
    server = subprocess.Popen(
        [BIN, "--store", store, "serve", "--bind", f"127.0.0.1:{PORT}", "--data", "/nonexistent"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        row["start_s"] = wait_for(f"http://127.0.0.1:{PORT}/health")
        base = f"http://127.0.0.1:{PORT}"
        first_doc = sorted(p.stem for p in docs.glob("*.txt"))[0]
        row["pages"] = {}
        row["focus"] = busiest_unit(base)
        for name, path in pages(first_doc, row["focus"]).items():
            first, status, length = fetch(base + path)
            later = [fetch(base + path)[0] for _ in range(REPEAT)]
            row["pages"][name] = {
                "status": status, "bytes": length, "first_ms": first * 1e3,
                "p50_ms": percentile(later, 50) * 1e3, "p99_ms": percentile(later, 99) * 1e3,
            }
        ox = subprocess.Popen(
            ["oxigraph", "serve-read-only", "--location", ox_store, "--bind", f"127.0.0.1:{OX_PORT}",
             "--union-default-graph"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_for(f"http://127.0.0.1:{OX_PORT}/")
            row["sparql"] = {}
            for qname, query in QUERIES.items():
                encoded = urllib.parse.quote(query)
                for c in (1, 8, 64):
                    ours = wrk(f"http://127.0.0.1:{PORT}/sparql?query={encoded}", c)
                    fresh = wrk(f"http://127.0.0.1:{PORT}/sparql?query={encoded}", c, unique=True)
                    theirs = wrk(f"http://127.0.0.1:{OX_PORT}/query?query={encoded}", c, unique=True)
                    row["sparql"][f"{qname} c{c}"] = (ours, fresh, theirs)
        finally:
            ox.send_signal(signal.SIGTERM)
            ox.wait()
        row["serve_rss"] = rss_mb(server.pid)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait()
    return row


def report(rows):
    print("| docs | quads | ingest s | quads/s | oxigraph load s | quads/s | ratio | ingest RSS MB | store MB | oxigraph MB | ratio | search index MB | start s | serve RSS MB |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['docs']:,} | {r['quads']:,} | {r['ingest_s']:.1f} | {r['ingest_qps']:,.0f} | {r['ox_load_s']:.1f} | "
              f"{r['ox_qps']:,.0f} | {r['ingest_qps'] / r['ox_qps']:.2f} | {r['ingest_rss']:.0f} | {r['store_mb']:.0f} | "
              f"{r['ox_store_mb']:.0f} | {r['store_mb'] / r['ox_store_mb']:.2f} | {r['search_mb']:.0f} | {r['start_s']:.2f} | {r['serve_rss']:.0f} |")
    print()
    names = list(rows[0]["pages"])
    print("| page | " + " | ".join(f"{r['docs']:,} docs: first / p50 / p99 ms" for r in rows) + " |")
    print("|---|" + "---|" * len(rows))
    for name in names:
        cells = []
        for r in rows:
            p = r["pages"][name]
            cells.append(f"{p['first_ms']:.0f} / {p['p50_ms']:.1f} / {p['p99_ms']:.1f} ({p['status']}, {p['bytes'] / 1e3:.0f} kB)")
        print(f"| `{name}` | " + " | ".join(cells) + " |")
    print()
    print("| /sparql req/s: ours (result cache) · ours, every query new / oxigraph serve-read-only = ratio | " + " | ".join(f"{r['docs']:,} docs" for r in rows) + " |")
    print("|---|" + "---|" * len(rows))
    for key in rows[0]["sparql"]:
        cells = []
        for r in rows:
            ours, fresh, theirs = r["sparql"][key]
            cells.append(f"{ours:,.0f} · {fresh:,.0f} / {theirs:,.0f} = {fresh / theirs if theirs else 0:.2f}")
        print(f"| {key} | " + " | ".join(cells) + " |")


def main():
    if not BIN.exists():
        sys.exit(f"{BIN} missing: cargo build --release --workspace --bins")
    work = Path(tempfile.mkdtemp(prefix="policykg-bench-"))
    rows = []
    try:
        for n in SIZES:
            row = bench(n, work)
            rows.append(row)
            print(json.dumps(row, ensure_ascii=False), file=sys.stderr)
        report(rows)
    finally:
        if not os.environ.get("KEEP"):
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

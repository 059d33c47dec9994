#!/usr/bin/env python3
"""Turns one bench/run.sh result directory (JMH JSON files, memory.json, meta.txt, commands.txt)
into the Markdown summary: p50/p99/p99.9 and allocation per benchmark and parameters, Créneau's
speed as a ratio to each baseline, query p99 under ingest against idle, ingest rates, memory, and
the README targets met or missed. Standard library only.

    python3 bench/summarise.py bench/results/quick-20261123T120000Z > summary.md
"""
import glob
import json
import os
import sys

QUERY = "RegulatorQueryBenchmark"
PARAM_ORDER = ["size", "place", "modality", "mt", "window"]


def fmt_us(v):
    if v is None:
        return "–"
    return f"{v:,.1f}" if v < 1000 else f"{v:,.0f}"


def fmt_size(n):
    n = int(n)
    return f"{n // 1_000_000}M" if n % 1_000_000 == 0 else f"{n:,}"


def load(result_dir):
    runs = []
    for path in sorted(glob.glob(os.path.join(result_dir, "*.json"))):
        if os.path.basename(path) == "memory.json":
            continue
        with open(path) as f:
            try:
                runs.extend(json.load(f))
            except json.JSONDecodeError:
                pass
    memory = []
    mem_path = os.path.join(result_dir, "memory.json")
    if os.path.exists(mem_path):
        with open(mem_path) as f:
            memory = [json.loads(line) for line in f if line.strip()]
    meta = {}
    meta_path = os.path.join(result_dir, "meta.txt")
    if os.path.exists(meta_path):
        with open(meta_path) as f:
            for line in f:
                if ":" in line:
                    k, v = line.split(":", 1)
                    meta[k.strip()] = v.strip()
    commands = []
    cmd_path = os.path.join(result_dir, "commands.txt")
    if os.path.exists(cmd_path):
        with open(cmd_path) as f:
            commands = [line.strip() for line in f if line.strip()]
    return runs, memory, meta, commands


def pct(metric, p):
    return (metric.get("scorePercentiles") or {}).get(p)


def alloc(run):
    m = run.get("secondaryMetrics", {}).get("gc.alloc.rate.norm")
    return None if m is None else m["score"]


def method(run):
    return run["benchmark"].rsplit(".", 1)[1]


def klass(run):
    return run["benchmark"].rsplit(".", 2)[1]


def key(params):
    return tuple((k, params.get(k)) for k in PARAM_ORDER if k in params)


def main(result_dir):
    runs, memory, meta, commands = load(result_dir)
    out = []
    w = out.append
    w(f"# Créneau benchmarks: `{meta.get('command', '?')}`")
    w("")
    w(f"- date: {meta.get('date', '?')}; commit `{meta.get('commit', '?')}`")
    w(f"- machine: {meta.get('cpu', '?')}, `nproc` = {meta.get('nproc', '?')}, {meta.get('memory', '?')}")
    w(f"- JDK: {meta.get('jdk', '?')} ({meta.get('jdk-vm', '?')})")
    w(f"- load before: `{meta.get('load-before', '?')}`")
    w(f"- load after: `{meta.get('load-after', '?')}`")
    w("- other builds may have shared the 2 cores: read ratios first, absolute times second")
    w("")
    w("Exact commands (from the repository root):")
    w("")
    w("```")
    w("mvn -B -q -pl bench -am -Dmaven.test.skip=true package")
    out.extend(commands)
    w("```")
    w("")

    # ---- query latency
    query = [r for r in runs if klass(r) == QUERY]
    table = {}
    if query:
        w("## Regulator query latency (µs, `Mode.SampleTime`, `-prof gc`)")
        w("")
        w("| impl | size | place | modality | MT | window | p50 | p99 | p99.9 | alloc B/op | samples |")
        w("| --- | --- | --- | --- | --- | --- | ---: | ---: | ---: | ---: | ---: |")
        for r in sorted(query, key=lambda r: (key(r["params"]), method(r))):
            p = r["params"]
            m = r["primaryMetric"]
            row = (pct(m, "50.0"), pct(m, "99.0"), pct(m, "99.9"), alloc(r))
            table[(method(r), key(p))] = row
            a = "–" if row[3] is None else f"{row[3]:,.1f}"
            w(f"| {method(r)} | {fmt_size(p['size'])} | {p['place']} | {p['modality']} | {p['mt']} | {p['window']} | "
              f"{fmt_us(row[0])} | {fmt_us(row[1])} | {fmt_us(row[2])} | {a} | {samples(r)} |")
        w("")
        ratios = []
        for (impl, k), row in sorted(table.items()):
            if impl == "creneau":
                continue
            c = table.get(("creneau", k))
            if c and c[0] and c[1]:
                ratios.append((impl, k, row[0] / c[0], row[1] / c[1], (row[2] / c[2]) if c[2] and row[2] else None))
        if ratios:
            w("### Créneau's speed as a ratio to each baseline (baseline time / Créneau time; same data, same queries)")
            w("")
            w("| baseline | size | place | modality | MT | window | × at p50 | × at p99 | × at p99.9 |")
            w("| --- | --- | --- | --- | --- | --- | ---: | ---: | ---: |")
            for impl, k, r50, r99, r999 in ratios:
                d = dict(k)
                w(f"| {impl} | {fmt_size(d['size'])} | {d['place']} | {d['modality']} | {d['mt']} | {d['window']} | "
                  f"{r50:,.1f} | {r99:,.1f} | {'–' if r999 is None else f'{r999:,.1f}'} |")
            w("")

    # ---- concurrent ingest
    conc = [r for r in runs if klass(r) == "ConcurrentIngestBenchmark"]
    conc_ratio = []
    if conc:
        w("## Query latency while a vendor snapshot is applied (µs)")
        w("")
        w("| size | place | run | p50 | p99 | p99.9 | alloc B/op |")
        w("| --- | --- | --- | ---: | ---: | ---: | ---: |")
        by = {}
        for r in conc:
            p = r["params"]
            g = method(r)
            sec = r.get("secondaryMetrics", {})
            m = sec.get("query") if g == "underIngest" and "query" in sec else r["primaryMetric"]
            label = "query under ingest (alloc: both threads)" if g == "underIngest" else "query idle"
            row = (pct(m, "50.0"), pct(m, "99.0"), pct(m, "99.9"))
            by[(p["size"], p["place"], g)] = row
            a = alloc(r)
            w(f"| {fmt_size(p['size'])} | {p['place']} | {label} | {fmt_us(row[0])} | {fmt_us(row[1])} | "
              f"{fmt_us(row[2])} | {'–' if a is None else f'{a:,.1f}'} |")
            if g == "underIngest" and "writer" in sec:
                wm = sec["writer"]
                w(f"| {fmt_size(p['size'])} | {p['place']} | writer (one whole snapshot application) | "
                  f"{fmt_us(pct(wm, '50.0'))} | {fmt_us(pct(wm, '99.0'))} | {fmt_us(pct(wm, '99.9'))} | |")
        w("")
        for (size, place, g), row in sorted(by.items()):
            if g == "underIngest" and (size, place, "idle") in by and by[(size, place, "idle")][1]:
                conc_ratio.append((size, place, row[1] / by[(size, place, "idle")][1]))
        for size, place, ratio in conc_ratio:
            w(f"- {fmt_size(size)} slots, {place}: p99 under ingest / p99 idle = **{ratio:.2f}**")
        w("")

    # ---- ingest
    ing = [r for r in runs if klass(r) == "IngestBenchmark"]
    rates = {}
    if ing:
        w("## Ingest")
        w("")
        w("| operation | size | slots/s | operations/s | alloc B/op |")
        w("| --- | --- | ---: | ---: | ---: |")
        for r in sorted(ing, key=lambda r: (method(r), int(r.get("params", {}).get("size", 0)))):
            slots = r.get("secondaryMetrics", {}).get("slots", {}).get("score")
            size = r.get("params", {}).get("size")
            rates[(method(r), size)] = (slots, r["primaryMetric"]["score"])
            a = alloc(r)
            w(f"| {method(r)} | {fmt_size(size) if size else 'France Doctolib snapshot'} | "
              f"{'–' if slots is None else f'{slots:,.0f}'} | {r['primaryMetric']['score']:,.3f} | "
              f"{'–' if a is None else f'{a:,.0f}'} |")
        w("")
        w("`parseSnapshot`/`applySnapshot`/`parseAndApply` count the snapshot's slots as received (all "
          "visibilities; about 56% pass the SAS rules); `reload` counts parsed records put in a new index.")
        w("")

    # ---- memory
    if memory:
        w("## Memory")
        w("")
        w("| impl | size | practitioners | off-heap B/slot | all index structures B/slot | index heap | JVM heap delta | load s |")
        w("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
        for m in memory:
            if m["impl"] == "creneau":
                w(f"| créneau | {fmt_size(m['size'])} | {m['practitioners']:,} | {m['offHeapBytesPerSlot']:.1f} | "
                  f"{m['bytesPerSlot']:.1f} | {m['indexHeapBytes'] / 2**20:,.0f} MiB | "
                  f"{m['jvmHeapDeltaBytes'] / 2**20:,.0f} MiB | {m['loadSeconds']:.1f} |")
            elif m["impl"] == "lucene":
                w(f"| lucene (files in RAM) | {fmt_size(m['size'])} | | – | {m['bytesPerSlot']:.1f} | "
                  f"{m['ramBytes'] / 2**20:,.0f} MiB | {m['jvmHeapDeltaBytes'] / 2**20:,.0f} MiB | {m['loadSeconds']:.1f} |")
            else:
                w(f"| on-heap | {fmt_size(m['size'])} | | – | {m['bytesPerSlot']:.1f} | – | "
                  f"{m['jvmHeapDeltaBytes'] / 2**20:,.0f} MiB | {m['loadSeconds']:.1f} |")
        w("")

    # ---- targets
    w("## README targets")
    w("")
    w("| target | measured | verdict |")
    w("| --- | --- | --- |")

    def creneau_rows(size):
        return [(dict(k), v) for (impl, k), v in table.items() if impl == "creneau" and dict(k)["size"] == size]

    def verdict(ok):
        return "met" if ok else "**missed**"

    # Issue 19's targets: office, 48 h, no MT at 5M and 20M, every place (10 / 50 µs); the 5M
    # variants (home visit, teleconsultation, an MT, 4 h, the night: 20 / 80 µs).
    def plain(k):
        return k["modality"] == "OFFICE" and k["mt"] == "none" and k["window"] == "48h"

    for size in ("5000000", "20000000"):
        for label, pick, p50_t, p99_t in (("office 48 h, no MT", plain, 10, 50),
                                          ("home visit, teleconsultation, MT, 4 h, night",
                                           lambda k: not plain(k), 20, 80)):
            rows = [(k, v) for k, v in creneau_rows(size) if pick(k)]
            if not rows:
                continue
            worst50 = max(v[0] for _, v in rows)
            worst99 = max(v[1] for _, v in rows)
            best50 = min(v[0] for _, v in rows)
            w(f"| {fmt_size(size)} {label}: p50 ≤ {p50_t} µs | {fmt_us(best50)} to {fmt_us(worst50)} µs over "
              f"{len(rows)} scenarios | {verdict(worst50 <= p50_t)} |")
            w(f"| {fmt_size(size)} {label}: p99 ≤ {p99_t} µs | worst {fmt_us(worst99)} µs | "
              f"{verdict(worst99 <= p99_t)} |")
        if not creneau_rows(size):
            w(f"| query latency at {fmt_size(size)} | not run in this mode | – |")
    for impl, target in (("lucene", 100), ("onHeap", 20)):
        rs = [r for r in ratios if r[0] == impl] if query else []
        if rs:
            worst = min(r[2] for r in rs)
            w(f"| ≥ {target}× faster than {impl} at p50 | {worst:,.1f}× to {max(r[2] for r in rs):,.1f}× | "
              f"{verdict(worst >= target)} |")
    for size, place, ratio in conc_ratio:
        w(f"| p99 under ingest within 1.5× of idle ({fmt_size(size)}, {place}) | {ratio:.2f}× | {verdict(ratio <= 1.5)} |")
    mem = [m for m in memory if m["impl"] == "creneau"]
    for m in mem:
        # Issue 19: ≤ 32 B at 5M, ≤ 28 B at 20M, every structure included; other sizes are shown, not judged.
        bound = {5000000: 32, 20000000: 28}.get(int(m["size"]))
        w(f"| {'≤ ' + str(bound) + ' B/slot' if bound else 'B/slot'}, all index structures included "
          f"({fmt_size(m['size'])}) | {m['offHeapBytesPerSlot']:.1f} off-heap, {m['bytesPerSlot']:.1f} all included | "
          f"{verdict(m['bytesPerSlot'] <= bound) if bound else '–'} |")
    direct = []
    for log in sorted(glob.glob(os.path.join(result_dir, "*.log"))):
        with open(log) as f:
            for line in f:
                if "# créneau allocation:" in line:
                    text = line.split("# créneau allocation:", 1)[1].strip()
                    words = text.split()
                    direct.append((int(words[0]), int(words[3]), text))
    if direct:
        worst = max(b / n for b, n, _ in direct)
        clean = sum(1 for b, n, _ in direct if b / n < 1)
        w(f"| 0 B/op per query (direct count, see the note) | {clean} of {len(direct)} scenarios < 1 B/query; "
          f"worst {worst:,.0f} B/query | {verdict(worst < 1)} |")
    reloads = [(s, v[0]) for (mth, s), v in rates.items() if mth == "reload" and v[0]]
    for s, v in sorted(reloads, key=lambda x: int(x[0])):
        w(f"| ingest ≥ 1M slots/s from parsed records ({fmt_size(s)}) | {v:,.0f} slots/s | {verdict(v >= 1e6)} |")
    full = [(s, v) for s, v in reloads if s == "20000000"]
    if full:
        w(f"| full 20M reload < 20 s | {20e6 / full[0][1]:.1f} s | {verdict(20e6 / full[0][1] < 20)} |")
    elif reloads:
        s, v = max(reloads, key=lambda x: int(x[0]))
        w(f"| full 20M reload < 20 s | not run in this mode; {int(s) / v:.1f} s for {fmt_size(s)} | – |")
    w("")
    w("Allocation note: `gc.alloc.rate.norm` divides everything the benchmark thread allocated in an "
      "iteration, JMH's own per-iteration bookkeeping (and in `SampleTime` its sample buffer) included, "
      "by the operations: for operations of tens of microseconds that is a few to tens of B/op even "
      "for code that allocates nothing. Each Créneau fork therefore also counts, in its `@Setup` after "
      "warm-up, the bytes its thread allocates over 4,096 queries with "
      "`ThreadMXBean.getThreadAllocatedBytes` (no JMH code in between):")
    w("")
    for b, n, text in direct:
        w(f"- {text}: {b / n:,.2f} B/query")
    if not direct:
        w("- (no direct count in these logs)")
    print("\n".join(out))


def samples(run):
    hist = run["primaryMetric"].get("rawDataHistogram")
    if not hist:
        return "?"
    n = 0
    for fork in hist:
        for iteration in fork:
            for _, count in iteration:
                n += count
    return f"{n:,}"


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: summarise.py RESULT_DIR")
    main(sys.argv[1])

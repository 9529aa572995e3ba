"""Time River's four seed models on MaliciousURL records, two ways.

Method "original" repeats the original MaxSustainableThroughputCalculator:
whole-loop wall time with parsing inside the timed loop, prediction on the
records just trained on, and "total" as the sum of the two loops.

Method "rivulet" is what `rivulet throughput` measures: records parsed before
timing; per-record timings with perf_counter_ns; training alone on records
[0, n); prediction alone by the trained model on records [n, 2n) (the same
records when the file has fewer than 2n); and predict-then-learn interleaved
on a fresh model over [0, n), timed as it runs (not summed), which also gives
the prequential accuracy.

Writes one JSON array with the same keys as `rivulet throughput --json`.
"""

import argparse
import json
import math
import platform
import sys
import time

import river
from river import ensemble, forest, naive_bayes, tree


def parse_line(line):
    parts = line.split()
    label = parts[0]
    y = label in ("+1", "1")
    x = {}
    for kv in parts[1:]:
        if kv.startswith("qid:"):
            continue
        k, v = kv.split(":", 1)
        x[int(k)] = float(v)
    return x, y


def read_lines(path, n):
    out = []
    with open(path) as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            out.append(line)
            if len(out) == n:
                break
    return out


def hat():
    return tree.HoeffdingAdaptiveTreeClassifier(
        grace_period=100, delta=1e-5, leaf_prediction="nb", nb_threshold=10, seed=0
    )


MODELS = {
    "hat": ("HoeffdingAdaptiveTreeClassifier", hat),
    "srp-hat": ("SRPClassifierHAT", lambda: ensemble.SRPClassifier(model=hat(), seed=42)),
    "srp-nb": (
        "SRPClassifierNaiveBayes",
        lambda: ensemble.SRPClassifier(model=naive_bayes.BernoulliNB(alpha=1), seed=42),
    ),
    # The original did not seed ARF; seed 42 makes the River figure reproducible.
    "arf": ("AdaptiveRandomForestClassifier", lambda: forest.ARFClassifier(leaf_prediction="mc", seed=42)),
}


def percentile(sorted_ms, q):
    if not sorted_ms:
        return 0.0
    k = (len(sorted_ms) - 1) * q
    lo, hi = math.floor(k), math.ceil(k)
    return sorted_ms[lo] + (sorted_ms[hi] - sorted_ms[lo]) * (k - lo)


def row(name, cls, train_ms, predict_ms, total_ms, train_p99, predict_p99, accuracy, method, memory):
    def thr(ms):
        return round(1000.0 / ms) if ms > 0 else 0

    return {
        "model": name,
        "classifier": cls,
        "implementation": "river",
        "river_version": river.__version__,
        "method": method,
        "train_ms_per_record": train_ms,
        "predict_ms_per_record": predict_ms,
        "total_ms_per_record": total_ms,
        "train_p99_ms": train_p99,
        "predict_p99_ms": predict_p99,
        "max_train_throughput": thr(train_ms),
        "max_predict_throughput": thr(predict_ms),
        "max_total_throughput": thr(total_ms),
        "memory_bytes": memory,
        "accuracy": accuracy,
    }


def memory_of(model):
    try:
        return int(model._raw_memory_usage)
    except Exception:  # noqa: BLE001 - memory is informative only
        return 0


def run_original(name, cls, factory, lines, n):
    model = factory()
    t0 = time.time()
    for line in lines[:n]:
        x, y = parse_line(line)
        model.learn_one(x, y)
    train = (time.time() - t0) / n
    t0 = time.time()
    correct = 0
    for line in lines[:n]:
        x, y = parse_line(line)
        correct += model.predict_one(x) == y
    predict = (time.time() - t0) / n
    return row(name, cls, train * 1e3, predict * 1e3, (train + predict) * 1e3, 0.0, 0.0,
               correct / n, "original", memory_of(model))


def run_rivulet(name, cls, factory, records, n):
    train_set = records[:n]
    held_out = records[n : 2 * n] if len(records) >= 2 * n else train_set
    clock = time.perf_counter_ns

    model = factory()
    train_ns = []
    for x, y in train_set:
        t = clock()
        model.learn_one(x, y)
        train_ns.append(clock() - t)

    predict_ns = []
    for x, _ in held_out:
        t = clock()
        model.predict_one(x)
        predict_ns.append(clock() - t)
    memory = memory_of(model)

    fresh = factory()
    total_ns = []
    correct = 0
    for x, y in train_set:
        t = clock()
        p = fresh.predict_one(x)
        fresh.learn_one(x, y)
        total_ns.append(clock() - t)
        correct += p == y

    def ms(v):
        return sorted(x / 1e6 for x in v)

    tr, pr, to = ms(train_ns), ms(predict_ns), ms(total_ns)
    return row(name, cls, sum(tr) / len(tr), sum(pr) / len(pr), sum(to) / len(to),
               percentile(tr, 0.99), percentile(pr, 0.99), correct / len(train_set), "rivulet", memory)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", required=True, help="svmlight file (e.g. ../shared/data/malicious-url/sample-2000.svm)")
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--models", default="hat,srp-hat,srp-nb,arf")
    ap.add_argument("--method", default="both", choices=["rivulet", "original", "both"])
    ap.add_argument("--out", default="-", help="result file (JSON array); - for stdout")
    args = ap.parse_args()

    lines = read_lines(args.data, 2 * args.n)
    if len(lines) < args.n:
        sys.exit(f"{args.data}: only {len(lines)} records, --n is {args.n}")
    records = [parse_line(l) for l in lines]
    rows = []
    for name in args.models.split(","):
        name = name.strip()
        if name not in MODELS:
            sys.exit(f"unknown model {name!r}; known: {', '.join(MODELS)}")
        cls, factory = MODELS[name]
        if args.method in ("rivulet", "both"):
            print(f"river {name}: rivulet method ...", file=sys.stderr, flush=True)
            rows.append(run_rivulet(name, cls, factory, records, args.n))
        if args.method in ("original", "both"):
            print(f"river {name}: original method ...", file=sys.stderr, flush=True)
            rows.append(run_original(name, cls, factory, lines, args.n))
    meta = {"python": platform.python_version(), "machine": platform.machine()}
    for r in rows:
        r.update(meta)
    text = json.dumps(rows, indent=2)
    if args.out == "-":
        print(text)
    else:
        with open(args.out, "w") as f:
            f.write(text + "\n")
        print(f"wrote {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()

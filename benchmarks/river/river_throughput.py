"""Time River's four seed models on MaliciousURL records, two ways.

Method "original" repeats the original MaxSustainableThroughputCalculator:
whole-loop wall time with parsing inside the timed loop, prediction on the
records just trained on, and "total" as the sum of the two loops. (File I/O
is not timed: the lines are read first, as `rivulet throughput` does.)

Method "rivulet" is what `rivulet throughput` measures: records parsed before
timing; per-record timings with perf_counter_ns; training alone on records
[0, n); prediction alone by the trained model on records [n, 2n) (the same
records when the file has fewer than 2n); and predict-then-learn interleaved
on a fresh model over [0, n), timed as it runs (not summed), which also gives
the prequential accuracy.

Both methods also record the thread CPU time of each loop (time.thread_time_ns),
which does not grow when other processes take the core away. The cyclic
garbage collector is run (untimed) before each loop, as rivulet runs Go's.

Writes one JSON array with the same keys as `rivulet throughput --json`.
"""

import argparse
import gc
import json
import math
import platform
import sys
import time

import river
from river import ensemble, forest, linear_model, naive_bayes, tree


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
    # The original's four, with its hyper-parameters.
    "hat": ("HoeffdingAdaptiveTreeClassifier", hat),
    "srp-hat": ("SRPClassifierHAT", lambda: ensemble.SRPClassifier(model=hat(), seed=42)),
    "srp-nb": (
        "SRPClassifierNaiveBayes",
        lambda: ensemble.SRPClassifier(model=naive_bayes.BernoulliNB(alpha=1), seed=42),
    ),
    # The original did not seed ARF; seed 42 makes the River figure reproducible.
    "arf": ("AdaptiveRandomForestClassifier", lambda: forest.ARFClassifier(leaf_prediction="mc", seed=42)),
    # Extra rows, River's defaults.
    "ht": ("HoeffdingTreeClassifier", lambda: tree.HoeffdingTreeClassifier()),
    "gaussian-nb": ("GaussianNB", lambda: naive_bayes.GaussianNB()),
    "bernoulli-nb": ("BernoulliNB", lambda: naive_bayes.BernoulliNB()),
    "logistic-regression": ("LogisticRegression", lambda: linear_model.LogisticRegression()),
}


def percentile(sorted_ms, q):
    """numpy.percentile's default (linear interpolation), as rivulet's."""
    if not sorted_ms:
        return 0.0
    k = (len(sorted_ms) - 1) * q
    lo, hi = math.floor(k), math.ceil(k)
    return sorted_ms[lo] + (sorted_ms[hi] - sorted_ms[lo]) * (k - lo)


def thr(ms):
    return round(1000.0 / ms) if ms > 0 else 0


def summary(prefix, samples_ns):
    """Mean, p50, p99 and max in ms of per-record samples."""
    v = sorted(x / 1e6 for x in samples_ns)
    return {
        f"{prefix}_ms_per_record": sum(v) / len(v) if v else 0.0,
        f"{prefix}_p50_ms": percentile(v, 0.50),
        f"{prefix}_p99_ms": percentile(v, 0.99),
        f"{prefix}_max_ms": v[-1] if v else 0.0,
    }


def row(name, cls, method, n, held_out, reps, stats, cpu_ms, accuracy, memory):
    r = {
        "model": name,
        "classifier": cls,
        "implementation": "river",
        "method": method,
        "n": n,
        "held_out": held_out,
    }
    for prefix in ("train", "predict", "total"):
        r[f"{prefix}_ms_per_record"] = stats[f"{prefix}_ms_per_record"]
    for prefix in ("train", "predict", "total"):
        r[f"{prefix}_cpu_ms_per_record"] = cpu_ms[prefix]
    for prefix in ("train", "predict", "total"):
        for q in ("p50", "p99", "max"):
            r[f"{prefix}_{q}_ms"] = stats.get(f"{prefix}_{q}_ms", 0.0)
    r.update(
        {
            "max_train_throughput": thr(r["train_ms_per_record"]),
            "max_predict_throughput": thr(r["predict_ms_per_record"]),
            "max_total_throughput": thr(r["total_ms_per_record"]),
            "consumers": 0,
            "memory_bytes": memory,
            "accuracy": accuracy,
            "warmup": 0,
            "repetitions": reps,
            "river_version": river.__version__,
        }
    )
    return r


def memory_of(model):
    try:
        return int(model._raw_memory_usage)
    except Exception:  # noqa: BLE001 - memory is informative only
        return 0


def run_original(name, cls, factory, lines, n, reps):
    train_s = predict_s = 0.0
    cpu = {"train": 0, "predict": 0}
    correct = 0
    memory = 0
    for rep in range(reps):
        model = factory()
        gc.collect()
        c0 = time.thread_time_ns()
        t0 = time.time()
        for line in lines[:n]:
            x, y = parse_line(line)
            model.learn_one(x, y)
        train_s += time.time() - t0
        cpu["train"] += time.thread_time_ns() - c0
        gc.collect()
        c0 = time.thread_time_ns()
        t0 = time.time()
        for line in lines[:n]:
            x, y = parse_line(line)
            correct += model.predict_one(x) == y
        predict_s += time.time() - t0
        cpu["predict"] += time.thread_time_ns() - c0
        if rep == 0:
            memory = memory_of(model)
    per = n * reps
    stats = {
        "train_ms_per_record": train_s * 1e3 / per,
        "predict_ms_per_record": predict_s * 1e3 / per,
        "total_ms_per_record": (train_s + predict_s) * 1e3 / per,
    }
    cpu_ms = {
        "train": cpu["train"] / 1e6 / per,
        "predict": cpu["predict"] / 1e6 / per,
        "total": (cpu["train"] + cpu["predict"]) / 1e6 / per,
    }
    return row(name, cls, "original", n, False, reps, stats, cpu_ms, correct / per, memory)


def run_rivulet(name, cls, factory, records, n, reps):
    train_set = records[:n]
    held_out = records[n : 2 * n] if len(records) >= 2 * n else train_set
    clock = time.perf_counter_ns
    train_ns, predict_ns, total_ns = [], [], []
    cpu = {"train": 0, "predict": 0, "total": 0}
    correct = 0
    memory = 0
    for rep in range(reps):
        model = factory()
        gc.collect()
        c0 = time.thread_time_ns()
        for x, y in train_set:
            t = clock()
            model.learn_one(x, y)
            train_ns.append(clock() - t)
        cpu["train"] += time.thread_time_ns() - c0

        gc.collect()
        c0 = time.thread_time_ns()
        for x, _ in held_out:
            t = clock()
            model.predict_one(x)
            predict_ns.append(clock() - t)
        cpu["predict"] += time.thread_time_ns() - c0
        if rep == 0:
            memory = memory_of(model)

        fresh = factory()
        gc.collect()
        c0 = time.thread_time_ns()
        for x, y in train_set:
            t = clock()
            p = fresh.predict_one(x)
            fresh.learn_one(x, y)
            total_ns.append(clock() - t)
            correct += p == y
        cpu["total"] += time.thread_time_ns() - c0

    stats = {}
    stats.update(summary("train", train_ns))
    stats.update(summary("predict", predict_ns))
    stats.update(summary("total", total_ns))
    cpu_ms = {
        "train": cpu["train"] / 1e6 / len(train_ns),
        "predict": cpu["predict"] / 1e6 / len(predict_ns),
        "total": cpu["total"] / 1e6 / len(total_ns),
    }
    held = len(records) >= 2 * n
    return row(name, cls, "rivulet", n, held, reps, stats, cpu_ms, correct / (n * reps), memory)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", required=True, help="svmlight file (e.g. ../shared/data/malicious-url/sample-2000.svm)")
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--models", default="hat,srp-hat,srp-nb,arf", help="comma-separated; known: " + ",".join(MODELS))
    ap.add_argument("--method", default="both", choices=["rivulet", "original", "both"])
    ap.add_argument("--repetitions", type=int, default=1, help="timed repetitions, fresh models each (samples pooled)")
    ap.add_argument("--out", default="-", help="result file (JSON array); - for stdout")
    args = ap.parse_args()
    if args.n < 1 or args.repetitions < 1:
        sys.exit("--n and --repetitions must be at least 1")

    lines = read_lines(args.data, 2 * args.n)
    if len(lines) < args.n:
        sys.exit(f"{args.data}: only {len(lines)} records, --n is {args.n}")
    records = [parse_line(l) for l in lines]
    names = [s.strip() for s in args.models.split(",") if s.strip()]
    for name in names:
        if name not in MODELS:
            sys.exit(f"unknown model {name!r}; known: {', '.join(MODELS)}")
    rows = []
    for name in names:
        cls, factory = MODELS[name]
        if args.method in ("rivulet", "both"):
            t0 = time.time()
            print(f"river {name}: rivulet method ...", end="", file=sys.stderr, flush=True)
            rows.append(run_rivulet(name, cls, factory, records, args.n, args.repetitions))
            print(f" {time.time() - t0:.1f} s", file=sys.stderr, flush=True)
        if args.method in ("original", "both"):
            t0 = time.time()
            print(f"river {name}: original method ...", end="", file=sys.stderr, flush=True)
            rows.append(run_original(name, cls, factory, lines, args.n, args.repetitions))
            print(f" {time.time() - t0:.1f} s", file=sys.stderr, flush=True)
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

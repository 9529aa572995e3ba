"""Regenerates the River 0.26.1 fixtures and golden predictions of lib/tree.

Run with River 0.26.1 (the project's scratch venv):

    /tmp/rivervenv/bin/python lib/tree/testdata/gen_fixtures.py

It writes the data streams as gzipped CSV (floats in Python's shortest
round-trip repr, so Go parses the exact same doubles) and golden.txt: one
block per model configuration with River's prequential accuracy, the whole
predicted-label sequence and a few full predict_proba_one outputs.
Tests never run Python; they read these files.
"""

import gzip
import io
import os
import sys

from river import metrics, tree
from river.datasets import synth

HERE = os.path.dirname(os.path.abspath(__file__))


def write_csv(name, header, rows):
    # mtime=0 keeps the files byte-identical across regenerations.
    raw = gzip.GzipFile(os.path.join(HERE, name), "wb", compresslevel=9, mtime=0)
    with io.TextIOWrapper(raw, encoding="ascii") as f:
        f.write(",".join(header) + "\n")
        for r in rows:
            f.write(",".join(repr(v) if isinstance(v, float) else str(int(v)) for v in r) + "\n")


def agrawal(n):
    # The features do not depend on the classification function (no class
    # balancing, no perturbation), so one stream carries the labels of all ten.
    names = ["salary", "commission", "age", "elevel", "car", "zipcode", "hvalue", "hyears", "loan"]
    gens = [iter(synth.Agrawal(classification_function=f, seed=42)) for f in range(10)]
    rows = []
    for _ in range(n):
        xs = [next(g) for g in gens]
        x0 = xs[0][0]
        for x, _y in xs:
            assert x == x0
        rows.append([x0[k] for k in names] + [int(y) for _x, y in xs])
    return names + ["f%d" % f for f in range(10)], rows


def sea_drift(n):
    s = synth.ConceptDriftStream(
        stream=synth.SEA(seed=42, variant=0),
        drift_stream=synth.SEA(seed=42, variant=1),
        seed=1,
        position=500,
        width=50,
    )
    rows = [[x[0], x[1], x[2], int(y)] for x, y in s.take(n)]
    return ["0", "1", "2", "y"], rows


def rbf(n):
    g = synth.RandomRBF(seed_model=7, seed_sample=7, n_classes=4, n_features=6, n_centroids=20)
    rows = [[x[i] for i in range(6)] + [y] for x, y in g.take(n)]
    return [str(i) for i in range(6)] + ["y"], rows


def led(n):
    g = synth.LED(seed=7, noise_percentage=0.1, irrelevant_features=False)
    rows = [[x[i] for i in range(7)] + [y] for x, y in g.take(n)]
    return [str(i) for i in range(7)] + ["y"], rows


def read(name):
    with gzip.open(os.path.join(HERE, name), "rt") as f:
        header = f.readline().strip().split(",")
        rows = [line.strip().split(",") for line in f]
    return header, rows


def stream(name, n_features, label_col, rows_limit, int_cols=(), key_int=False):
    header, rows = read(name)
    keys = header[:n_features]
    out = []
    for r in rows[:rows_limit]:
        x = {}
        for i, k in enumerate(keys):
            v = r[i]
            kk = int(k) if key_int else k
            x[kk] = int(v) if k in int_cols else float(v)
        out.append((x, int(r[label_col])))
    return out


AGRAWAL_INT = ("commission_int",)  # placeholder; see agrawal_stream


def agrawal_stream(rows_limit, label="f0", switch_at=None, label2=None):
    header, rows = read("agrawal.csv.gz")
    keys = header[:9]
    out = []
    for t, r in enumerate(rows[:rows_limit]):
        x = {}
        for i, k in enumerate(keys):
            v = r[i]
            # River yields ints for the randint features and for commission 0.
            x[k] = float(v) if ("." in v or "e" in v) else int(v)
        lab = label if switch_at is None or t < switch_at else label2
        out.append((x, int(r[header.index(lab)])))
    return out


def run(model, data, bool_labels=False):
    metric = metrics.Accuracy()
    preds = []
    probas = []
    for t, (x, y) in enumerate(data):
        yy = bool(y) if bool_labels else y
        p = model.predict_proba_one(x)
        yp = model.predict_one(x)
        if yp is not None:
            metric.update(yy, yp)
        preds.append("-" if yp is None else str(int(yp)))
        if t % 250 == 0 or t == len(data) - 1:
            probas.append((t, {int(k): v for k, v in p.items()}))
        model.learn_one(x, yy)
    return metric, "".join(preds), probas


CONFIGS = [
    # name, model class, dataset, rows, kwargs
    ("ht_doctest", "ht", "agrawal", 1000, dict(grace_period=100, delta=1e-5, nominal_attributes=["elevel", "car", "zipcode"])),
    ("ht_default", "ht", "agrawal", 5000, dict(nominal_attributes=["elevel", "car", "zipcode"])),
    ("ht_numeric", "ht", "agrawal", 5000, dict(grace_period=100, delta=1e-5)),
    ("ht_gini", "ht", "agrawal", 5000, dict(grace_period=100, delta=1e-5, split_criterion="gini", nominal_attributes=["elevel", "car", "zipcode"])),
    ("ht_hellinger", "ht", "agrawal", 5000, dict(grace_period=100, delta=1e-5, split_criterion="hellinger", nominal_attributes=["elevel", "car", "zipcode"])),
    ("ht_mc", "ht", "agrawal", 5000, dict(grace_period=50, delta=1e-4, leaf_prediction="mc", nominal_attributes=["elevel", "car", "zipcode"])),
    ("ht_mc_poor", "ht", "agrawal", 5000, dict(grace_period=50, delta=1e-3, leaf_prediction="mc", remove_poor_attrs=True, nominal_attributes=["elevel", "car", "zipcode"])),
    ("ht_nb", "ht", "agrawal", 5000, dict(grace_period=50, delta=1e-4, leaf_prediction="nb", nb_threshold=30, nominal_attributes=["elevel", "car", "zipcode"])),
    ("ht_binary", "ht", "agrawal", 5000, dict(grace_period=100, delta=1e-5, binary_split=True, nominal_attributes=["elevel", "car", "zipcode"])),
    ("ht_depth2", "ht", "agrawal", 5000, dict(grace_period=50, delta=1e-3, max_depth=2, nominal_attributes=["elevel", "car", "zipcode"])),
    ("ht_f2_tau", "ht", "agrawal_f2", 5000, dict(grace_period=50, delta=1e-3, tau=0.1, merit_preprune=False, nominal_attributes=["elevel", "car", "zipcode"])),
    ("ht_f5_poor", "ht", "agrawal_f5", 5000, dict(grace_period=60, delta=1e-4, remove_poor_attrs=True, n_splits=5, nominal_attributes=["elevel", "car", "zipcode"])),
    ("ht_f7_share", "ht", "agrawal_f7", 5000, dict(grace_period=40, delta=1e-2, max_share_to_split=0.9, min_branch_fraction=0.05, nominal_attributes=["elevel", "car", "zipcode"])),
    ("ht_projected", "ht", "agrawal_projected", 3000, dict(grace_period=50, delta=1e-3, nominal_attributes=["elevel", "car"])),
    ("hat_projected", "hat", "agrawal_projected", 3000, dict(grace_period=50, delta=1e-3, nominal_attributes=["elevel", "car"], seed=6)),
    ("ht_rbf", "ht", "rbf", 5000, dict(grace_period=50, delta=1e-2, tau=0.1)),
    ("ht_rbf_gini_mc", "ht", "rbf", 5000, dict(grace_period=50, delta=1e-4, split_criterion="gini", leaf_prediction="mc")),
    ("ht_led", "ht", "led", 5000, dict(grace_period=50, delta=1e-2, tau=0.2, nominal_attributes=[0, 1, 2, 3, 4, 5, 6])),
    ("ht_led_binary", "ht", "led", 5000, dict(grace_period=50, delta=1e-2, tau=0.2, binary_split=True, nominal_attributes=[0, 1, 2, 3, 4, 5, 6])),
    ("hat_doctest", "hat", "sea", 1000, dict(grace_period=100, delta=1e-5, leaf_prediction="nb", nb_threshold=10, seed=0)),
    ("hat_default", "hat", "sea", 5000, dict(seed=1)),
    ("hat_sea_mc", "hat", "sea", 5000, dict(grace_period=50, delta=1e-3, leaf_prediction="mc", seed=3)),
    ("hat_sea_gini_nostrap", "hat", "sea", 5000, dict(grace_period=50, delta=1e-3, split_criterion="gini", bootstrap_sampling=False, seed=3)),
    ("hat_agrawal_drift", "hat", "agrawal_drift", 5000, dict(grace_period=50, delta=1e-3, drift_window_threshold=100, nominal_attributes=["elevel", "car", "zipcode"], seed=5)),
    ("hat_agrawal_drift_binary", "hat", "agrawal_drift", 5000, dict(grace_period=50, delta=1e-3, binary_split=True, switch_significance=0.1, nominal_attributes=["elevel", "car", "zipcode"], seed=11)),
    ("hat_agrawal_depth", "hat", "agrawal_drift", 5000, dict(grace_period=50, delta=1e-3, max_depth=3, drift_window_threshold=50, seed=2)),
    ("hat_agrawal_switch", "hat", "agrawal_drift", 5000, dict(grace_period=400, delta=1e-3, drift_window_threshold=30, nominal_attributes=["elevel", "car", "zipcode"], seed=2)),
    ("hat_rbf", "hat", "rbf", 5000, dict(grace_period=50, delta=1e-2, tau=0.1, seed=9)),
    ("hat_led", "hat", "led", 5000, dict(grace_period=50, delta=1e-2, tau=0.2, leaf_prediction="nb", nominal_attributes=[0, 1, 2, 3, 4, 5, 6], seed=4)),
]


def dataset(name, rows):
    if name == "agrawal":
        return agrawal_stream(rows), False
    if name == "agrawal_projected":
        # SRP trains its members on x restricted to a feature subspace.
        keep = ["salary", "age", "elevel", "car", "hvalue", "loan"]
        return [({k: x[k] for k in keep}, y) for x, y in agrawal_stream(rows)], False
    if name.startswith("agrawal_f"):
        return agrawal_stream(rows, label=name[len("agrawal_"):]), False
    if name == "agrawal_drift":
        # Abrupt drift: function 0 for the first 2000 records, function 2 after.
        return agrawal_stream(rows, label="f0", switch_at=2000, label2="f2"), False
    if name == "sea":
        return stream("sea.csv.gz", 3, 3, rows, key_int=True), True
    if name == "rbf":
        return stream("rbf.csv.gz", 6, 6, rows, key_int=True), False
    if name == "led":
        return stream("led.csv.gz", 7, 7, rows, int_cols=[str(i) for i in range(7)], key_int=True), False
    raise ValueError(name)


def fmt_param(v):
    if isinstance(v, list):
        return ",".join(str(i) for i in v)
    if isinstance(v, bool):
        return "true" if v else "false"
    return repr(v)


def main():
    write_csv("agrawal.csv.gz", *agrawal(5000))
    write_csv("sea.csv.gz", *sea_drift(5000))
    write_csv("rbf.csv.gz", *rbf(5000))
    write_csv("led.csv.gz", *led(5000))
    with open(os.path.join(HERE, "golden.txt"), "w") as out:
        out.write("# River 0.26.1 prequential runs (predict_one, then learn_one); generated by gen_fixtures.py\n")
        for name, kind, ds, rows, kw in CONFIGS:
            data, bool_labels = dataset(ds, rows)
            kw = dict(kw)
            n_splits = kw.pop("n_splits", None)
            if n_splits is not None:
                kw["splitter"] = tree.splitter.GaussianSplitter(n_splits=n_splits)
            cls = tree.HoeffdingTreeClassifier if kind == "ht" else tree.HoeffdingAdaptiveTreeClassifier
            model = cls(**kw)
            metric, preds, probas = run(model, data, bool_labels)
            params = dict(kw)
            params.pop("splitter", None)
            if n_splits is not None:
                params["n_splits"] = n_splits
            out.write("config %s %s %s %d %s\n" % (name, kind, ds, rows, " ".join("%s=%s" % (k, fmt_param(v)) for k, v in params.items())))
            out.write("accuracy %r %s\n" % (metric.get(), str(metric)))
            summ = model.summary
            out.write("summary %s\n" % " ".join("%s=%s" % (k, v) for k, v in summ.items()))
            out.write("preds %s\n" % preds)
            for t, p in probas:
                out.write("proba %d %s\n" % (t, " ".join("%d:%r" % (k, v) for k, v in sorted(p.items()))))
            out.write("end\n")
            print(name, metric, summ, file=sys.stderr)
        arf_trees(out)
        malicious(out)


# River's ARF base learner: a Hoeffding tree whose leaves observe
# rng.sample(sorted(x.keys()), max_features) features, drawn on their first
# update from a generator shared with the forest. Weighted runs draw each
# record's weight from a second generator with poisson(6), as ARF does.
ARF_TREES = [
    ("arftree_agrawal", "agrawal", 5000, dict(max_features=3, grace_period=50, delta=0.01, nominal_attributes=["elevel", "car", "zipcode"]), 7, None),
    ("arftree_agrawal_w", "agrawal", 5000, dict(max_features=3, grace_period=50, delta=0.01, leaf_prediction="mc", nominal_attributes=["elevel", "car", "zipcode"]), 8, 9),
    ("arftree_sea_w", "sea", 5000, dict(max_features=2, grace_period=50, delta=0.01, leaf_prediction="nb"), 3, 4),
]


def arf_trees(out):
    import random

    from river.forest.adaptive_random_forest import BaseTreeClassifier
    from river.utils.random import poisson

    for name, ds, rows, kw, rng_seed, weight_seed in ARF_TREES:
        data, bool_labels = dataset(ds, rows)
        model = BaseTreeClassifier(rng=random.Random(rng_seed), **kw)
        wrng = random.Random(weight_seed) if weight_seed is not None else None
        metric = metrics.Accuracy()
        preds = []
        probas = []
        for t, (x, y) in enumerate(data):
            yy = bool(y) if bool_labels else y
            p = model.predict_proba_one(x)
            yp = model.predict_one(x)
            if yp is not None:
                metric.update(yy, yp)
            preds.append("-" if yp is None else str(int(yp)))
            if t % 250 == 0 or t == len(data) - 1:
                probas.append((t, {int(k): v for k, v in p.items()}))
            w = 1.0 if wrng is None else poisson(6, wrng)
            if w > 0:
                model.learn_one(x, yy, w=w)
        params = dict(kw)
        params["rng_seed"] = rng_seed
        if weight_seed is not None:
            params["weight_seed"] = weight_seed
        out.write("config %s arftree %s %d %s\n" % (name, ds, rows, " ".join("%s=%s" % (k, fmt_param(v)) for k, v in params.items())))
        out.write("accuracy %r %s\n" % (metric.get(), str(metric)))
        out.write("summary %s\n" % " ".join("%s=%s" % (k, v) for k, v in model.summary.items()))
        out.write("preds %s\n" % "".join(preds))
        for t, p in probas:
            out.write("proba %d %s\n" % (t, " ".join("%d:%r" % (k, v) for k, v in sorted(p.items()))))
        out.write("end\n")
        print(name, metric, model.summary, file=sys.stderr)


MALICIOUS = os.path.join(HERE, "..", "..", "..", "..", "shared", "data", "malicious-url", "sample-2000.svm")


def malicious(out):
    # The records themselves stay outside the repository; only River's
    # predictions on them are recorded.
    if not os.path.exists(MALICIOUS):
        print("skipping MaliciousURL goldens: %s is absent" % MALICIOUS, file=sys.stderr)
        return
    from river import stream as rstream

    data = list(rstream.iter_libsvm(MALICIOUS, target_type=int))
    runs = [
        ("hat_malicious_seed", "hat", dict(grace_period=100, delta=1e-5, leaf_prediction="nb", nb_threshold=10, seed=0)),
        ("ht_malicious_default", "ht", dict()),
    ]
    for name, kind, kw in runs:
        cls = tree.HoeffdingTreeClassifier if kind == "ht" else tree.HoeffdingAdaptiveTreeClassifier
        model = cls(**kw)
        metric, preds, probas = run(model, data)
        out.write("config %s %s malicious %d %s\n" % (name, kind, len(data), " ".join("%s=%s" % (k, fmt_param(v)) for k, v in kw.items())))
        out.write("accuracy %r %s\n" % (metric.get(), str(metric)))
        out.write("summary %s\n" % " ".join("%s=%s" % (k, v) for k, v in model.summary.items()))
        out.write("preds %s\n" % preds)
        for t, p in probas:
            out.write("proba %d %s\n" % (t, " ".join("%d:%r" % (k, v) for k, v in sorted(p.items()))))
        out.write("end\n")
        print(name, metric, model.summary, file=sys.stderr)


if __name__ == "__main__":
    main()

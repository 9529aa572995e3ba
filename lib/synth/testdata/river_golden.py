"""Writes ../golden_river_test.go: records of River 0.26.1's synthetic
generators, used as golden values by the Go tests.

Run with the River venv:

    /tmp/rivervenv/bin/python lib/synth/testdata/river_golden.py

(about a minute; gofmt, if on PATH, formats the output.)

Every case is a River call; the Go test builds the same generator through
synth.New with the same River parameter names. For each case the file
holds the first rows (floats as repr, which Go parses to the same bits),
the label counts over N rows, and SHA-256 digests over those N rows:
"exact" hashes every feature's IEEE-754 bits (little endian) followed by
the label as an int64; "labels" hashes only the labels; "rounded" hashes
the features formatted with '%.12e' (see rbf.go for why RandomRBF needs
it).
"""
import hashlib
import os
import shutil
import struct
import subprocess
import sys

import river
from river.datasets import synth

N = 10_000
ROWS = 20


def case(name, params, make, rows=ROWS, n=N, drift=None):
    return dict(name=name, params=params, make=make, rows=rows, n=n, drift=drift)


def agrawal(**kw):
    return lambda: synth.Agrawal(**kw)


CASES = [
    # River's doctest: seed 42, function 0.
    case("agrawal", dict(seed=42, classification_function=0), agrawal(seed=42, classification_function=0)),
    case("agrawal", dict(seed=7, classification_function=3), agrawal(seed=7, classification_function=3)),
    case("agrawal", dict(seed=42, classification_function=9, balance_classes=True),
         agrawal(seed=42, classification_function=9, balance_classes=True)),
    case("agrawal", dict(seed=1, classification_function=4, perturbation=0.2),
         agrawal(seed=1, classification_function=4, perturbation=0.2)),
    case("agrawal", dict(seed=3, classification_function=6, perturbation=0.05, balance_classes=True),
         agrawal(seed=3, classification_function=6, perturbation=0.05, balance_classes=True)),
]
for f in (1, 2, 5, 7, 8):
    CASES.append(case("agrawal", dict(seed=11, classification_function=f),
                      agrawal(seed=11, classification_function=f), rows=3))
CASES += [
    # River's doctest: SEA(variant=0, seed=42).
    case("sea", dict(seed=42, variant=0), lambda: synth.SEA(seed=42, variant=0)),
    case("sea", dict(seed=7, variant=3, noise=0.1), lambda: synth.SEA(seed=7, variant=3, noise=0.1)),
    case("sea", dict(seed=5, variant=1), lambda: synth.SEA(seed=5, variant=1), rows=3),
    case("sea", dict(seed=5, variant=2, noise=0.3), lambda: synth.SEA(seed=5, variant=2, noise=0.3), rows=3),
    # River's doctest: Hyperplane(seed=42, n_features=2).
    case("hyperplane", dict(seed=42, n_features=2), lambda: synth.Hyperplane(seed=42, n_features=2)),
    case("hyperplane", dict(seed=42), lambda: synth.Hyperplane(seed=42)),
    case("hyperplane", dict(seed=7, n_features=4, n_drift_features=3, mag_change=0.1, noise_percentage=0.1, sigma=0.2),
         lambda: synth.Hyperplane(seed=7, n_features=4, n_drift_features=3, mag_change=0.1,
                                  noise_percentage=0.1, sigma=0.2)),
    # River's doctest.
    case("rbf", dict(seed_model=42, seed_sample=42, n_classes=4, n_features=4, n_centroids=20),
         lambda: synth.RandomRBF(seed_model=42, seed_sample=42, n_classes=4, n_features=4, n_centroids=20)),
    case("rbf", dict(seed_model=1, seed_sample=2), lambda: synth.RandomRBF(seed_model=1, seed_sample=2)),
    # River's doctest.
    case("rbf-drift", dict(seed_model=42, seed_sample=42, n_classes=4, n_features=4, n_centroids=20,
                           change_speed=0.87, n_drift_centroids=10),
         lambda: synth.RandomRBFDrift(seed_model=42, seed_sample=42, n_classes=4, n_features=4,
                                      n_centroids=20, change_speed=0.87, n_drift_centroids=10)),
    case("rbf-drift", dict(seed_model=3, seed_sample=4, change_speed=0.01, n_drift_centroids=10),
         lambda: synth.RandomRBFDrift(seed_model=3, seed_sample=4, change_speed=0.01, n_drift_centroids=10)),
    # River's doctest.
    case("led", dict(seed=112, noise_percentage=0.28), lambda: synth.LED(seed=112, noise_percentage=0.28)),
    case("led", dict(seed=42, noise_percentage=0.1, irrelevant_features=True),
         lambda: synth.LED(seed=42, noise_percentage=0.1, irrelevant_features=True)),
    # River's doctest.
    case("led-drift", dict(seed=112, noise_percentage=0.28, irrelevant_features=True, n_drift_features=4),
         lambda: synth.LEDDrift(seed=112, noise_percentage=0.28, irrelevant_features=True, n_drift_features=4)),
    # More drift features than segments: River's swap loop overwrites
    # earlier swaps, so some positions keep their -1 placeholder.
    case("led-drift", dict(seed=5, noise_percentage=0.1, irrelevant_features=True, n_drift_features=10),
         lambda: synth.LEDDrift(seed=5, noise_percentage=0.1, irrelevant_features=True, n_drift_features=10)),
    case("led-drift", dict(seed=5, noise_percentage=0.1, n_drift_features=3),
         lambda: synth.LEDDrift(seed=5, noise_percentage=0.1, n_drift_features=3), rows=3),
    # River's doctest.
    case("stagger", dict(classification_function=2, seed=112),
         lambda: synth.STAGGER(classification_function=2, seed=112)),
    case("stagger", dict(classification_function=0, seed=42, balance_classes=True),
         lambda: synth.STAGGER(classification_function=0, seed=42, balance_classes=True)),
    case("stagger", dict(classification_function=1, seed=7), lambda: synth.STAGGER(classification_function=1, seed=7),
         rows=3),
    # ConceptDriftStream: SEA variant 0 -> SEA variant 1 (River's doctest
    # streams) with the drift at 500 over a width of 50.
    case("concept-drift", dict(seed=1, position=500, width=50),
         lambda: synth.ConceptDriftStream(stream=synth.SEA(seed=42, variant=0),
                                          drift_stream=synth.SEA(seed=42, variant=1),
                                          seed=1, position=500, width=50),
         n=1000, drift=(("sea", dict(seed=42, variant=0)), ("sea", dict(seed=42, variant=1)))),
    case("concept-drift", dict(seed=1, position=500, width=50),
         lambda: synth.ConceptDriftStream(stream=synth.SEA(seed=42, variant=0),
                                          drift_stream=synth.SEA(seed=43, variant=1),
                                          seed=1, position=500, width=50),
         rows=3, n=1000, drift=(("sea", dict(seed=42, variant=0)), ("sea", dict(seed=43, variant=1)))),
    # The default streams: Agrawal(seed) -> Agrawal(seed, function 2).
    case("concept-drift", dict(seed=7), lambda: synth.ConceptDriftStream(seed=7), rows=3),
    # alpha=80 gives width int(1/tan(80°)) = 0, raised to 1: an abrupt
    # switch. (With position 300 and width 1, River's math.exp overflows on
    # the first record: see conceptdrift.go.)
    case("concept-drift", dict(seed=3, position=100, alpha=80.0),
         lambda: synth.ConceptDriftStream(stream=synth.SEA(seed=42, variant=0),
                                          drift_stream=synth.STAGGER(seed=9, classification_function=1),
                                          seed=3, position=100, alpha=80.0),
         rows=3, n=1000, drift=(("sea", dict(seed=42, variant=0)),
                                ("stagger", dict(seed=9, classification_function=1)))),
]


def go_float(v):
    r = repr(float(v))
    return r


def go_value(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return repr(v)
    return str(v)


def go_params(params):
    return "[]string{" + ", ".join('"%s=%s"' % (k, go_value(v)) for k, v in params.items()) + "}"


def run(c):
    ds = c["make"]()
    exact = hashlib.sha256()
    labels = hashlib.sha256()
    rounded = hashlib.sha256()
    rows = []
    counts = {}
    for i, (x, y) in enumerate(ds.take(c["n"])):
        vals = [float(v) for v in x.values()]
        y = int(y)
        exact.update(struct.pack("<%dd" % len(vals), *vals))
        exact.update(struct.pack("<q", y))
        labels.update(struct.pack("<q", y))
        rounded.update((" ".join("%.12e" % v for v in vals) + "\n").encode())
        counts[y] = counts.get(y, 0) + 1
        if i < c["rows"]:
            rows.append((vals, y, list(x.keys())))
    return rows, counts, exact.hexdigest(), labels.hexdigest(), rounded.hexdigest()


def drift_case():
    """Agrawal.generate_drift and STAGGER.generate_drift between records."""
    out = []
    for name, make, params in (
        ("agrawal", lambda: synth.Agrawal(seed=42, classification_function=0), dict(seed=42, classification_function=0)),
        ("stagger", lambda: synth.STAGGER(seed=42, classification_function=0), dict(seed=42, classification_function=0)),
    ):
        ds = make()
        it = iter(ds)
        h = hashlib.sha256()
        functions = []
        for block in range(5):
            for _ in range(200):
                x, y = next(it)
                vals = [float(v) for v in x.values()]
                h.update(struct.pack("<%dd" % len(vals), *vals))
                h.update(struct.pack("<q", int(y)))
            ds.generate_drift()
            functions.append(ds.classification_function)
        out.append((name, params, functions, h.hexdigest()))
    return out


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    out = []
    w = out.append
    w("// Code generated by testdata/river_golden.py from River %s on CPython %s; DO NOT EDIT."
      % (river.__version__, sys.version.split()[0]))
    w("")
    w("package synth")
    w("")
    w("var riverCases = []riverCase{")
    for c in CASES:
        rows, counts, exact, labels, rounded = run(c)
        w("\t{")
        w('\t\tname:   "%s",' % c["name"])
        w("\t\tparams: %s," % go_params(c["params"]))
        if c["drift"]:
            (sn, sp), (dn, dp) = c["drift"]
            w('\t\tstream: "%s", streamParams: %s,' % (sn, go_params(sp)))
            w('\t\tdrift: "%s", driftParams: %s,' % (dn, go_params(dp)))
        w("\t\tkeys: []string{%s}," % ", ".join('"%s"' % k for k in rows[0][2]))
        w("\t\trows: [][]float64{")
        for vals, _, _ in rows:
            w("\t\t\t{%s}," % ", ".join(go_float(v) for v in vals))
        w("\t\t},")
        w("\t\tlabels: []int{%s}," % ", ".join(str(y) for _, y, _ in rows))
        w("\t\tn:      %d," % c["n"])
        k = max(counts) + 1
        w("\t\tcounts: []int{%s}," % ", ".join(str(counts.get(i, 0)) for i in range(k)))
        w('\t\texact:   "%s",' % exact)
        w('\t\tlabelsHash: "%s",' % labels)
        w('\t\trounded: "%s",' % rounded)
        w("\t},")
    w("}")
    w("")
    w("var riverDriftCases = []riverDriftCase{")
    for name, params, functions, digest in drift_case():
        w('\t{name: "%s", params: %s, functions: []int{%s}, exact: "%s"},'
          % (name, go_params(params), ", ".join(map(str, functions)), digest))
    w("}")
    path = os.path.join(here, "..", "golden_river_test.go")
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")
    if shutil.which("gofmt"):
        subprocess.run(["gofmt", "-w", path], check=True)


if __name__ == "__main__":
    main()

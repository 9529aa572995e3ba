"""River 0.26.1 reference accuracies for lib/forest and lib/ensemble's long
comparison tests (ARF and SRP on 100k records of four synthetic streams).

    /tmp/rivervenv/bin/python lib/forest/testdata/river_100k.py [arf|srp|srp-w] [n]

Prints one line per (model, stream) with the prequential accuracy
(predict_one then learn_one) at 1k, 10k, 50k and n records, and the time.
The Go tests hard-code these numbers.
"""
import sys
import time

from river import ensemble, forest, metrics, tree
from river.datasets import synth

which = sys.argv[1] if len(sys.argv) > 1 else "arf"
n = int(sys.argv[2]) if len(sys.argv) > 2 else 100_000

streams = {
    "agrawal": lambda: synth.Agrawal(classification_function=0, seed=42),
    "sea": lambda: synth.SEA(variant=0, seed=42),
    "hyperplane": lambda: synth.Hyperplane(seed=42),
    "rbf": lambda: synth.RandomRBF(seed_model=42, seed_sample=42),
}
models = {
    "arf": lambda: forest.ARFClassifier(seed=42),
    "arf-mc": lambda: forest.ARFClassifier(seed=42, leaf_prediction="mc"),
    "srp": lambda: ensemble.SRPClassifier(seed=42),
}
only = sys.argv[3].split(",") if len(sys.argv) > 3 else list(streams)
for name in only:
    m = models[which]()
    acc = metrics.Accuracy()
    checkpoints = {1000, 10_000, 50_000, n}
    out = []
    t = time.time()
    for i, (x, y) in enumerate(streams[name]().take(n), 1):
        p = m.predict_one(x)
        acc.update(y, p)
        m.learn_one(x, y)
        if i in checkpoints:
            out.append("%d:%.6f" % (i, acc.get()))
    dt = time.time() - t
    extra = ""
    if hasattr(m, "n_drifts_detected") and which.startswith("arf"):
        extra = " warnings=%d drifts=%d" % (m.n_warnings_detected(), m.n_drifts_detected())
    print(which, name, " ".join(out), "seconds=%.1f" % dt, "rec/s=%.0f" % (n / dt) + extra, flush=True)

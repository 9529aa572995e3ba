# Golden fixtures for lib/stream's numpy-text codec, printed by numpy itself.
# Regenerate (numpy 2.x) from the repository root:
#   python lib/stream/testdata/linear_numpy_fixtures.py > lib/stream/testdata/linear_numpy.json
import json
import re
import sys
import numpy as np

rng = np.random.RandomState(2023)
cases = []

def add(name, arr, legacy=False, sep=','):
    arr = np.asarray(arr, dtype=np.float64)
    if legacy:
        with np.printoptions(legacy='1.13'):
            text = np.array2string(arr, separator=sep)
    else:
        text = np.array2string(arr, separator=sep)
    cases.append({
        "name": name,
        "legacy": legacy,
        "sep": sep,
        "values": [repr(float(v)) for v in arr],
        "text": text,
        # what Python's float() reads back from each printed element
        "parsed": [repr(float(t)) for t in re.split(r"[\s,\[\]]+", text) if t],
    })

def record(counter, n=10, m=8, scale=1.0):
    # the original sender: np.concatenate((counter, y, x)), y = B x + w
    B = rng.normal(0, 1, size=(m, n)) * scale
    x = rng.rand(n)
    w = rng.normal(0, 1, size=m) * 0.1
    y = B @ x + w
    return np.concatenate(([counter], y, x))

# plain (positional) style: small counters, moderate values
for c in range(0, 12):
    add("plain_%d" % c, record(c))
# scientific style: large counters switch numpy to e notation
for c in [1000, 12345, 999999, 1000000, 2**31 + 7]:
    add("sci_%d" % c, record(c))
# other shapes: wraps on several lines, one line, a single value
add("plain_wide", record(3, n=30, m=12))
add("sci_wide", record(123456, n=25, m=5))
add("single", [0.5])
add("short", [1., 2., 3.])
add("empty_like_zero", [0.0, 0.0, 0.0])
# numerically awkward values
add("ties", [0.001953125, 0.5, 1.00000000500000, 2.675, 0.125, 7.0])
add("negative_zero", [-0.0, 1.5, -2.25])
add("carry", [9.999999999, 0.99999999996, 1.0, 5.0])
add("tiny", [1e-5, 0.5, 3.0])
add("tiny_sci", [1.5e-300, 2.0, -3.0e-310, 5e-324])
add("huge", [1e8, 1.0, 123456789.123])
add("big_exp", [1e100, -2.5e-100, 3.0])
add("near_cutoff", [99999999.99, 0.5, 67108864.123456789, 1000.0])
add("tie_pos", [0.001953125, 0.5])
add("tie_sci", [6.103515625e-05, 1.0])
add("tie_pos2", [0.001953125 * 3, 0.5, 2.0**-9 * 5])
add("positional_large", [99999999.99, 50000000.5, 70000000.25, 67108864.123456789])
add("positional_2p26", [67108863.99999999, 67108864.00000001, 33554432.123456789])
add("ratio_just_below", [1.0, 999.0])
add("ratio_just_above", [1.0, 1000.5])
add("min_exactly", [0.0001, 0.5])
add("nonfinite", [float('nan'), 1.5, float('-inf'), float('inf'), -2.0])
add("nonfinite_sci", [float('nan'), 1.5e10, -2.0])
add("all_nan", [float('nan'), float('nan')])
add("ints_as_floats", [1.0, 20.0, 300.0])
add("long_frac", [1/3, 2/3, 1/7, -1/9])
for k in range(25):
    v = rng.standard_normal(int(rng.randint(1, 40))) * 10.0 ** rng.randint(-6, 9, size=1)
    add("random_%d" % k, v)
# legacy numpy 1.13 printing (the style of old recorded outputs) and the
# default separator, for the tolerant parser only
add("legacy_plain", record(0), legacy=True)
add("legacy_sci", record(4242), legacy=True)
add("space_separated", record(5), sep=' ')
add("space_separated_sci", record(50000), sep=' ')

# one case per line keeps the fixture small and diffs readable
sys.stdout.write('{"numpy": %s, "cases": [\n' % json.dumps(np.__version__))
sys.stdout.write(",\n".join(json.dumps(c) for c in cases))
sys.stdout.write("\n]}\n")

"""Goldens for the tabular data utilities (Unroll.Dataset.StratifiedSplit, Unroll.Standardizer), from scikit-learn.

Run with Debian's interpreter (python3-sklearn 1.2.1):  /usr/bin/python3 tools/reference/tabular.py
Writes tests/Unroll.Runtime.Tests/Goldens/tabular.json.
"""
import json
import math
import os

import numpy as np
import sklearn
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA = os.path.join(ROOT, "samples", "Tabular", "data")
OUT = os.path.join(ROOT, "tests", "Unroll.Runtime.Tests", "Goldens", "tabular.json")


def load(name):
    # The same parse as sklearn.datasets.load_iris & co: header, then features and an integer label per row.
    with open(os.path.join(DATA, name)) as f:
        rows = [line.strip().split(",") for line in f if line.strip()]
    n, k = int(rows[0][0]), int(rows[0][1])
    x = np.array([[float(v) for v in r[:k]] for r in rows[1:]], dtype=np.float64)
    y = np.array([int(r[k]) for r in rows[1:]], dtype=np.int64)
    assert x.shape == (n, k)
    return x, y


def has_tie(y, test_fraction):
    # sklearn's _approximate_mode breaks ties among equal remainders at random; Unroll gives them to the lowest class.
    # Only tie-free cases make a deterministic golden.
    counts = np.bincount(y)
    n_test = math.ceil(test_fraction * len(y))
    continuous = counts / counts.sum() * n_test
    remainder = continuous - np.floor(continuous)
    need = int(n_test - np.floor(continuous).sum())
    if need == 0:
        return False
    ordered = np.sort(remainder)[::-1]
    return ordered[need - 1] == ordered[need] if need < len(ordered) else False


splits = []
for name in ["iris.csv", "wine_data.csv", "breast_cancer.csv"]:
    x, y = load(name)
    for fraction in [0.1, 0.2, 0.25, 0.3, 0.33]:
        if has_tie(y, fraction):
            continue
        classes = int(y.max()) + 1
        counts = set()
        for seed in range(5):
            _, _, y_train, y_test = train_test_split(x, y, test_size=fraction, stratify=y, random_state=seed)
            counts.add((tuple(np.bincount(y_train, minlength=classes)), tuple(np.bincount(y_test, minlength=classes))))
        assert len(counts) == 1, (name, fraction, counts)  # the per-class counts do not depend on the seed
        train_counts, test_counts = counts.pop()
        splits.append({"file": name, "test_fraction": fraction,
                       "train_per_class": [int(c) for c in train_counts], "test_per_class": [int(c) for c in test_counts]})

scalers = []
for name in ["iris.csv", "wine_data.csv", "breast_cancer.csv"]:
    x, _ = load(name)
    # Unroll reads float32 features; scale the same float32 values, in float64.
    x = x.astype(np.float32).astype(np.float64)
    scaler = StandardScaler().fit(x)
    scalers.append({"file": name, "mean": scaler.mean_.tolist(), "scale": scaler.scale_.tolist(),
                    "first_row_transformed": scaler.transform(x[:1])[0].tolist()})

with open(OUT, "w") as f:
    json.dump({"sklearn": sklearn.__version__, "stratified_splits": splits, "standard_scaler": scalers}, f, indent=1)
print(f"wrote {OUT}: {len(splits)} splits, {len(scalers)} scalers")

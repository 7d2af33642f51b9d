"""Goldens for the metrics: scikit-learn's values on seeded fixtures.

Run with Debian's scikit-learn (apt-get install -y python3-sklearn): /usr/bin/python3 tools/reference/metrics.py
Writes tests/Unroll.Runtime.Tests/Goldens/metrics.json:
- "classes": 4 classes, 300 rows of scores (some classes rarely predicted) and labels; a confusion matrix, precision, recall, F1 and
  support per class, macro and weighted averages (zero_division=0), accuracy, top-2 and top-3 accuracy;
- "absent": the same with one class that neither occurs nor is predicted, which sklearn leaves out of the averages;
- "regression": 200 rows of 3 outputs; MAE, MSE, RMSE, R2 (uniform average);
- "binary": 250 scores with ties and 0/1 labels; ROC AUC.
"""
import numpy as np
from sklearn import metrics

from golden import write_golden


def f32(a):
    return np.asarray(a, dtype=np.float32)


def classes_case(rng, classes, present):
    rows = 300
    labels = rng.choice(present, size=rows, p=None)
    scores = f32(rng.normal(size=(rows, classes)))
    scores[np.arange(rows), labels] += f32(rng.uniform(0, 2.0, size=rows))  # mostly right, not always
    absent = [c for c in range(classes) if c not in present]
    scores[:, absent] -= 10  # never predicted
    predicted = scores.argmax(1)
    all_labels = list(range(classes))
    p, r, f, s = metrics.precision_recall_fscore_support(labels, predicted, labels=all_labels, zero_division=0)
    out = {
        "classes": classes, "scores": scores.reshape(-1).tolist(), "labels": labels.tolist(),
        "confusion": metrics.confusion_matrix(labels, predicted, labels=all_labels).reshape(-1).tolist(),
        "accuracy": float(metrics.accuracy_score(labels, predicted)),
        "precision": p.tolist(), "recall": r.tolist(), "f1": f.tolist(), "support": s.tolist(),
    }
    for avg in ("macro", "weighted"):
        p, r, f, _ = metrics.precision_recall_fscore_support(labels, predicted, average=avg, zero_division=0)
        out[avg] = [float(p), float(r), float(f)]
    for k in (2, 3):
        out[f"top{k}"] = float(metrics.top_k_accuracy_score(labels, scores, k=k, labels=all_labels))
    return out


def main():
    rng = np.random.default_rng(5)
    result = {"classes": classes_case(rng, 4, [0, 1, 2, 3]), "absent": classes_case(rng, 5, [0, 1, 3, 4])}

    actual = f32(rng.normal(size=(200, 3)) * [1, 5, 0.1] + [0, 10, -3])
    predicted = f32(actual + rng.normal(size=(200, 3)) * [0.5, 2, 0.05])
    result["regression"] = {
        "outputs": 3, "actual": actual.reshape(-1).tolist(), "predicted": predicted.reshape(-1).tolist(),
        "mae": float(metrics.mean_absolute_error(actual.astype(np.float64), predicted.astype(np.float64))),
        "mse": float(metrics.mean_squared_error(actual.astype(np.float64), predicted.astype(np.float64))),
        "rmse": float(np.sqrt(metrics.mean_squared_error(actual.astype(np.float64), predicted.astype(np.float64)))),
        "r2": float(metrics.r2_score(actual.astype(np.float64), predicted.astype(np.float64))),
    }

    labels = rng.integers(0, 2, size=250)
    scores = f32(np.round(rng.normal(size=250) + labels * 0.8, 1))  # rounded: many ties
    result["binary"] = {"scores": [float(v) for v in scores], "labels": labels.tolist(), "auc": float(metrics.roc_auc_score(labels, scores))}
    write_golden("metrics.json", result)


if __name__ == "__main__":
    main()

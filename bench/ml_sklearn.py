"""scikit-learn side of `npm run bench:ml`.

Usage: python3 ml_sklearn.py CONFIG.json
CONFIG names one task ("kmeans_serve", "tree" or "telco") and the binary files the
TypeScript bench wrote; this fits the same model on the same data, split and
initial centres and prints one JSON object with timings (fit only) and
scores. The bench calls it once per task, right after its own fits, so both
sides are timed under similar machine load.
"""
import json
import os
import sys
import time

os.environ.setdefault("OMP_NUM_THREADS", "2")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "2")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import sklearn  # noqa: E402
from sklearn.cluster import KMeans  # noqa: E402
from sklearn.metrics import accuracy_score, f1_score, precision_score, recall_score, roc_auc_score  # noqa: E402
from sklearn.model_selection import train_test_split  # noqa: E402
from sklearn.tree import DecisionTreeClassifier  # noqa: E402
from threadpoolctl import threadpool_limits  # noqa: E402


def kmeans_serve(cfg, threads):
    """Loads the data once, then fits once per "fit" line on stdin so the bench
    can alternate our fits with scikit-learn's under the same machine load."""
    x = np.fromfile(cfg["x"], dtype=np.float64).reshape(cfg["n"], cfg["d"])
    init = np.fromfile(cfg["init"], dtype=np.float64).reshape(cfg["k"], cfg["d"])
    print(json.dumps({"ready": True, "sklearn_version": sklearn.__version__}), flush=True)
    for line in sys.stdin:
        if line.strip() != "fit":
            break
        with threadpool_limits(threads):
            t, c = time.perf_counter(), time.process_time()
            km = KMeans(n_clusters=cfg["k"], init=init, n_init=1, algorithm="lloyd", tol=1e-4, max_iter=300).fit(x)
            elapsed, cpu = time.perf_counter() - t, time.process_time() - c
        print(json.dumps({"time_s": elapsed, "cpu_s": cpu, "inertia": float(km.inertia_), "iterations": int(km.n_iter_)}), flush=True)


def tree_scores(y_true, pred, proba):
    return {
        "accuracy": accuracy_score(y_true, pred),
        "precision": precision_score(y_true, pred, zero_division=0),
        "recall": recall_score(y_true, pred, zero_division=0),
        "f1": f1_score(y_true, pred, zero_division=0),
        "auc": roc_auc_score(y_true, proba),
    }


def load_xy(cfg):
    x = np.fromfile(cfg["x"], dtype=np.float32).reshape(cfg["n"], cfg["p"])
    y = np.fromfile(cfg["y"], dtype=np.uint8)
    train = np.fromfile(cfg["train"], dtype=np.uint32).astype(np.int64)
    test = np.fromfile(cfg["test"], dtype=np.uint32).astype(np.int64)
    return x, y, train, test


def tree(cfg):
    x, y, train, test = load_xy(cfg)
    xtr, ytr = x[train], y[train]
    clf = DecisionTreeClassifier(max_depth=cfg["depth"], criterion="gini", random_state=0)
    t, c = time.perf_counter(), time.process_time()
    clf.fit(xtr, ytr)
    fit_s, cpu_s = time.perf_counter() - t, time.process_time() - c
    out = tree_scores(y[test], clf.predict(x[test]), clf.predict_proba(x[test])[:, 1])
    out.update({"fit_s": fit_s, "cpu_s": cpu_s, "nodes": int(clf.tree_.node_count)})
    return out


def telco(cfg):
    x, y, train, test = load_xy(cfg)
    # Reference encoding, done independently with pandas, to prove both sides see the same features.
    df = pd.read_csv(cfg["csv"]).drop(columns=["customerID"])
    df["TotalCharges"] = pd.to_numeric(df["TotalCharges"], errors="coerce").fillna(0)
    label = (df.pop("Churn") == "Yes").astype(np.uint8).to_numpy()
    ref = pd.get_dummies(df).astype(np.float32)
    match = ref.shape == x.shape and bool(np.allclose(ref.to_numpy(), x)) and bool((label == y).all())
    out = {"features": int(ref.shape[1]), "features_match": match, "columns": list(ref.columns)}
    times = []
    for _ in range(5):
        clf = DecisionTreeClassifier(max_depth=8, criterion="gini", random_state=0)
        t = time.perf_counter()
        clf.fit(x[train], y[train])
        times.append(time.perf_counter() - t)
    out["fit_s"] = sorted(times)[len(times) // 2]
    out["same_split"] = tree_scores(y[test], clf.predict(x[test]), clf.predict_proba(x[test])[:, 1])
    # The reference numbers come from sklearn's own 80/20 split (random_state=42);
    # splits 0..19 measure how far apart the two trees are beyond one lucky or unlucky split.
    idx = np.arange(len(y))
    out["splits"] = []
    for rs in [42] + list(range(20)):
        tr, te = train_test_split(idx, test_size=0.2, random_state=rs)
        clf_rs = DecisionTreeClassifier(max_depth=8, criterion="gini", random_state=0).fit(x[tr], y[tr])
        scores = tree_scores(y[te], clf_rs.predict(x[te]), clf_rs.predict_proba(x[te])[:, 1])
        out["splits"].append({"random_state": rs, "test": te.tolist(), **scores})
    return out


def main():
    cfg = json.load(open(sys.argv[1]))
    threads = cfg.get("threads", 2)
    if cfg["task"] == "kmeans_serve":
        kmeans_serve(cfg["job"], threads)
        return
    result = {"sklearn_version": sklearn.__version__, "threads": threads}
    with threadpool_limits(threads):
        if cfg["task"] == "tree":
            result.update(tree(cfg["job"]))
        else:
            result.update(telco(cfg["job"]))
    print(json.dumps(result))


if __name__ == "__main__":
    main()

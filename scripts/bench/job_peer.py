"""Peer for scripts/bench/job: the whole job as a scikit-learn user writes it.

  make PATH ROWS FEATURES CLASSES SEED   writes a CSV of integer "pixels" (0–255) and a label column
  sklearn PATH HIDDEN EPOCHS BATCH LR    reads the CSV with pandas, scales, fits MLPClassifier;
                                         prints {"seconds": wall time of the whole script's work}
"""
import json
import sys
import time

import numpy as np


def make(path, rows, features, classes, seed):
    rng = np.random.default_rng(seed)
    means = rng.uniform(40, 215, (classes, features))
    labels = rng.integers(0, classes, rows)
    pixels = np.clip(means[labels] + rng.normal(0, 40, (rows, features)), 0, 255).astype(np.int64)
    with open(path, "w") as out:
        out.write(",".join([f"p{i}" for i in range(features)] + ["label"]) + "\n")
        for start in range(0, rows, 2000):
            block = np.column_stack([pixels[start:start + 2000], labels[start:start + 2000]])
            out.write("\n".join(",".join(map(str, row)) for row in block.tolist()) + "\n")


def sklearn_job(path, hidden, epochs, batch, lr):
    import warnings
    import pandas as pd
    from sklearn.neural_network import MLPClassifier
    from sklearn.preprocessing import StandardScaler
    start = time.perf_counter()
    frame = pd.read_csv(path)
    x = frame.drop(columns=["label"]).to_numpy(dtype=np.float32)
    y = frame["label"].to_numpy()
    x = StandardScaler().fit_transform(x).astype(np.float32)
    model = MLPClassifier(hidden_layer_sizes=(hidden,), activation="relu", solver="adam", alpha=0.0, batch_size=batch,
                          learning_rate_init=lr, max_iter=epochs, shuffle=True, random_state=1, tol=0.0, n_iter_no_change=10 ** 6)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model.fit(x, y)
    return time.perf_counter() - start


if __name__ == "__main__":
    if sys.argv[1] == "make":
        make(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6]))
    else:
        seconds = sklearn_job(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), float(sys.argv[6]))
        print(json.dumps({"seconds": seconds}))

"""Logistic regression on a digits CSV, recorded through `xj run` with the xj client.

    PYTHONPATH=python xj run --param C=0.5 --input data/digits.csv \
        --code python/examples -- python3 python/examples/digits_logistic.py data/digits.csv
"""

import csv
import sys

import xj
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler


def load(path):
    with open(path, newline="") as handle:
        rows = list(csv.reader(handle))
    header, body = rows[0], rows[1:]
    label = header.index("target")
    features = [[float(value) for index, value in enumerate(row) if index != label] for row in body]
    targets = [int(float(row[label])) for row in body]
    return features, targets


def main():
    params = xj.params({"C": 1.0, "max_iter": 200, "seed": 0})
    features, targets = load(sys.argv[1])
    x_train, x_val, y_train, y_val = train_test_split(features, targets, test_size=0.2, stratify=targets, random_state=params["seed"])
    model = make_pipeline(StandardScaler(), LogisticRegression(C=params["C"], max_iter=params["max_iter"]))
    model.fit(x_train, y_train)
    xj.log_sklearn(model.named_steps["logisticregression"])
    xj.log_metrics({"train_accuracy": model.score(x_train, y_train), "val_accuracy": model.score(x_val, y_val)})
    print("val_accuracy %.4f" % model.score(x_val, y_val))


if __name__ == "__main__":
    main()

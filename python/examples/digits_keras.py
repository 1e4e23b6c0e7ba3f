"""A small Keras network on a digits CSV, recorded through `xj run` with xj's Keras callback.

    KERAS_BACKEND=torch PYTHONPATH=python xj run --param epochs=2 --input data/digits.csv \
        -- python3 python/examples/digits_keras.py data/digits.csv
"""

import csv
import sys

import numpy

import keras
import xj


def load(path):
    with open(path, newline="") as handle:
        rows = list(csv.reader(handle))
    header, body = rows[0], rows[1:]
    label = header.index("target")
    features = numpy.array([[float(value) for index, value in enumerate(row) if index != label] for row in body], dtype="float32") / 16.0
    targets = numpy.array([int(float(row[label])) for row in body])
    return features, targets


def main():
    params = xj.params({"epochs": 2, "hidden": 32, "seed": 0})
    keras.utils.set_random_seed(int(params["seed"]))
    features, targets = load(sys.argv[1])
    model = keras.Sequential([keras.Input(shape=(features.shape[1],)), keras.layers.Dense(int(params["hidden"]), activation="relu"),
                              keras.layers.Dense(10, activation="softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(features, targets, validation_split=0.2, epochs=int(params["epochs"]), batch_size=64, verbose=0, callbacks=[xj.KerasCallback()])
    xj.log_params({"optimizer": "adam", "batch_size": 64})


if __name__ == "__main__":
    main()

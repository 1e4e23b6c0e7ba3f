"""Recording, for programs run by `xj run`: read the parameters, record metrics and curves.

Standard library only (``pip install ./python``, or add the ``python`` folder to PYTHONPATH)::

    import xj
    params = xj.params({"C": 1.0})          # the --param values, over these defaults
    xj.log_metric("accuracy", 0.97)          # a final metric -> results/metrics.json
    xj.log_metric("loss", 0.31, step=3)      # a point of a curve -> results/curves.json
    xj.log_sklearn(estimator)                # get_params() as reported params; class -> results/output/sklearn.json
    model.fit(x, y, callbacks=[xj.KerasCallback()])   # epoch metrics, when Keras is installed

Outside `xj run` (no XJ_OUTPUT in the environment) nothing is written; the first call says so once
on stderr, and ``params()`` returns the defaults.
"""

import json
import math
import os
import sys

__all__ = ["params", "log_metric", "log_metrics", "log_params", "log_sklearn", "log_file", "active", "KerasCallback"]

_metrics = {}
_reported = {}
_curves = {}  # name -> {step: value}
_warned = False


def active():
    """Whether this program runs under `xj run` (XJ_OUTPUT is set and is a folder)."""
    folder = os.environ.get("XJ_OUTPUT")
    return bool(folder) and os.path.isdir(folder)


def _inactive():
    global _warned
    if not active():
        if not _warned:
            print("xj: not running under `xj run` (XJ_OUTPUT is not set): metrics are not recorded", file=sys.stderr)
            _warned = True
        return True
    return False


def params(defaults=None):
    """The parameters given with `xj run --param key=value`, laid over ``defaults``."""
    merged = dict(defaults or {})
    path = os.environ.get("XJ_PARAMS")
    if not path:
        _inactive()
        return merged
    with open(path, encoding="utf-8") as handle:
        merged.update(json.load(handle))
    return merged


def _number(name, value):
    if not isinstance(name, str) or not name:
        raise ValueError("xj: a metric name must be a non-empty string, got %r" % (name,))
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError("xj: metric %r must be a number, got %r" % (name, value)) from None
    if not math.isfinite(number):
        raise ValueError("xj: metric %r must be finite, got %r" % (name, value))
    return number


def _write(name, value):
    folder = os.environ["XJ_OUTPUT"]
    temporary = os.path.join(folder, "." + name + ".tmp")
    with open(temporary, "w", encoding="utf-8") as handle:
        json.dump(value, handle, sort_keys=True)
    os.replace(temporary, os.path.join(folder, name))  # a killed program never leaves half a file


def _flush_curves():
    steps = sorted({step for series in _curves.values() for step in series})
    table = {"epoch": steps}
    for name, series in _curves.items():
        table[name] = [series.get(step) for step in steps]
    _write("curves.json", table)


def log_metric(name, value, step=None):
    """Record a metric. Without ``step`` it is a final value (the last one logged wins); with
    ``step`` it is a point of the curve ``name`` (and the latest value also becomes the final one)."""
    number = _number(name, value)
    if _inactive():
        return
    _metrics[name] = number
    _write("metrics.json", _metrics)
    if step is not None:
        if name == "epoch":
            raise ValueError("xj: `epoch` is the step column of curves.json; name the metric otherwise")
        _curves.setdefault(name, {})[int(step)] = number
        _flush_curves()


def log_metrics(values, step=None):
    """Record several metrics at once (a dict of name -> number)."""
    for name, value in dict(values).items():
        log_metric(name, value, step=step)


def log_file(name, data):
    """Save text or bytes as a result file (results/output/NAME)."""
    if _inactive():
        return
    if os.path.basename(name) != name or name in ("", ".", "..", "metrics.json", "curves.json", "params.json"):
        raise ValueError("xj: %r is not a plain file name for the output folder" % (name,))
    mode = "wb" if isinstance(data, (bytes, bytearray)) else "w"
    with open(os.path.join(os.environ["XJ_OUTPUT"], name), mode) as handle:
        handle.write(data)


def _plain(value):
    """A JSON-safe version of an estimator parameter (nested estimators become their class name)."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if hasattr(value, "get_params"):
        return type(value).__module__ + "." + type(value).__qualname__
    return repr(value)


def log_params(values):
    """Report parameters the program used that were not given with ``--param`` (defaults, derived
    values): written to params.json in the output folder and recorded as results/params.json.
    They show as the experiment's parameters in ``xj runs`` and ``Journal.runs()``; the run key
    stays what ``--param``, the inputs and the code made it (given values always win)."""
    if _inactive():
        return
    for name, value in dict(values).items():
        if not isinstance(name, str) or not name:
            raise ValueError("xj: a parameter name must be a non-empty string, got %r" % (name,))
        _reported[name] = _plain(value)
    _write("params.json", _reported)


def log_sklearn(estimator):
    """Record a scikit-learn estimator: get_params(deep=False) as reported parameters (see
    ``log_params``; those given with ``--param`` keep their given values) and its class and
    parameters in output/sklearn.json."""
    if _inactive():
        return
    plain = {key: _plain(value) for key, value in estimator.get_params(deep=False).items()}
    record = {"class": type(estimator).__module__ + "." + type(estimator).__qualname__, "params": plain}
    log_file("sklearn.json", json.dumps(record, sort_keys=True, indent=1) + "\n")
    log_params({key: value for key, value in plain.items() if value is None or isinstance(value, (bool, int, float, str))})


def _keras():
    """Keras, imported on first use (importing it costs seconds, and most programs never need it)."""
    try:
        import keras  # Keras 3 (any backend: torch, jax, tensorflow; KERAS_BACKEND chooses)
        return keras
    except ImportError:
        pass
    try:
        from tensorflow import keras  # Keras 2 inside TensorFlow
        return keras
    except ImportError:
        raise ImportError("xj.KerasCallback needs Keras (pip install keras, with KERAS_BACKEND=torch for PyTorch)") from None


def KerasCallback():
    """A Keras callback that logs every epoch's metrics (loss, val_loss, accuracy, val_accuracy, …)
    as curves, step = epoch number; the last epoch's values are also the final metrics. Keras's
    ``loss`` and ``accuracy`` are recorded as ``train_loss`` and ``train_accuracy``, the names xj's
    trainer uses, so ``xj plot`` and ``xj report`` draw training beside validation::

        model.fit(x, y, validation_split=0.2, epochs=5, callbacks=[xj.KerasCallback()])
    """
    keras = _keras()
    renamed = {"loss": "train_loss", "accuracy": "train_accuracy"}

    class XJCallback(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            values = {}
            for name, value in (logs or {}).items():
                try:
                    values[renamed.get(name, name)] = float(value)
                except (TypeError, ValueError):
                    continue  # a learning-rate schedule object or another non-number
            log_metrics(values, step=epoch + 1)

    return XJCallback()

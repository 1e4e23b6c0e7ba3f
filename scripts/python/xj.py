"""Client for programs run by `xj run`: read the parameters, record metrics and curves.

Standard library only. Add this folder to PYTHONPATH and ``import xj``::

    import xj
    params = xj.params({"C": 1.0})          # the --param values, over these defaults
    xj.log_metric("accuracy", 0.97)          # a final metric -> results/metrics.json
    xj.log_metric("loss", 0.31, step=3)      # a point of a curve -> results/curves.json
    xj.log_sklearn(estimator)                # class and get_params() -> results/output/sklearn.json
    model.fit(x, y, callbacks=[xj.KerasCallback()])   # epoch metrics, when Keras is installed

Outside `xj run` (no XJ_OUTPUT in the environment) nothing is written; the first call says so once
on stderr, and ``params()`` returns the defaults.
"""

import json
import math
import os
import sys

__all__ = ["params", "log_metric", "log_metrics", "log_sklearn", "log_file", "active", "KerasCallback"]

_metrics = {}
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
    if os.path.basename(name) != name or name in ("", ".", "..", "metrics.json", "curves.json"):
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


def log_sklearn(estimator):
    """Record a scikit-learn estimator: its class and get_params(deep=False) -> output/sklearn.json."""
    if _inactive():
        return
    record = {
        "class": type(estimator).__module__ + "." + type(estimator).__qualname__,
        "params": {key: _plain(value) for key, value in estimator.get_params(deep=False).items()},
    }
    log_file("sklearn.json", json.dumps(record, sort_keys=True, indent=1) + "\n")


try:  # Keras is optional: without it, KerasCallback exists but says what is missing when used.
    try:
        from tensorflow import keras as _keras
    except ImportError:
        import keras as _keras
    _CallbackBase = _keras.callbacks.Callback
except Exception:  # ImportError, or a broken installation
    _keras = None
    _CallbackBase = object


class KerasCallback(_CallbackBase):
    """Logs every epoch's metrics (loss, val_loss, accuracy, …) as curves, step = epoch number."""

    def __init__(self):
        if _keras is None:
            raise ImportError("xj.KerasCallback needs Keras (pip install keras or tensorflow)")
        super().__init__()

    def on_epoch_end(self, epoch, logs=None):
        log_metrics({name: value for name, value in (logs or {}).items()}, step=epoch + 1)

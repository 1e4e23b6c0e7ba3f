"""xj's Python client.

Recording, inside a program run by ``xj run`` (standard library only)::

    import xj
    params = xj.params({"C": 1.0})          # the --param values, over these defaults
    xj.log_metric("val_accuracy", 0.97)      # a final metric -> results/metrics.json
    xj.log_metric("val_loss", 0.31, step=3)  # a point of a curve -> results/curves.json
    xj.log_sklearn(estimator)                # the estimator's parameters, reported
    model.fit(x, y, callbacks=[xj.KerasCallback()])

Reading a journal (runs the ``xj`` binary: ``$XJ_BIN``, else ``xj`` on PATH)::

    journal = xj.Journal()
    journal.runs(where="C > 0.1")            # a pandas DataFrame when pandas is installed
    journal.experiment("3f2a91c")            # params, metrics, curves, weights
    journal.verdict("hypothesis/dropout-helps")
"""

from .journal import Journal, XJError
from .recording import KerasCallback, active, log_file, log_metric, log_metrics, log_params, log_sklearn, params

__version__ = "0.3.0"
__all__ = ["Journal", "XJError", "KerasCallback", "active", "log_file", "log_metric", "log_metrics", "log_params", "log_sklearn", "params"]

"""Reading a journal from Python: the experiment table, one experiment, a verdict.

Every call runs the ``xj`` binary with ``--json``, so this module never re-implements the journal's
format. The binary is ``$XJ_BIN`` when set, else ``xj`` on ``PATH``.
"""

import io
import json
import os
import shutil
import subprocess

__all__ = ["Journal", "XJError"]


class XJError(RuntimeError):
    """A failed ``xj`` command: ``str(error)`` is its one-line message (``xj: error: …``)."""

    def __init__(self, message, status):
        super().__init__(message)
        self.status = status


def _binary():
    configured = os.environ.get("XJ_BIN")
    if configured:
        if not (os.path.isfile(configured) and os.access(configured, os.X_OK)):
            raise FileNotFoundError("XJ_BIN=%s is not an executable file" % configured)
        return configured
    found = shutil.which("xj")
    if not found:
        raise FileNotFoundError("no `xj` on PATH; install it or set XJ_BIN to its path")
    return found


def _locate(path):
    """The folder holding ``.journal``: ``path`` or its nearest parent with one (as the CLI finds it)."""
    folder = os.path.abspath(path)
    if os.path.basename(folder) == ".journal" and os.path.isfile(os.path.join(folder, "HEAD")):
        return os.path.dirname(folder)
    while True:
        if os.path.isfile(os.path.join(folder, ".journal", "HEAD")):
            return folder
        parent = os.path.dirname(folder)
        if parent == folder:
            raise FileNotFoundError("not inside a journal (no .journal in %s or any parent folder); run `xj init` first" % os.path.abspath(path))
        folder = parent


class Journal:
    """A journal on disk, found from ``path`` as the ``xj`` command finds it::

        journal = xj.Journal()                       # the journal of this folder or a parent
        table = journal.runs(where="C > 0.1")        # a pandas DataFrame (list of dicts without pandas)
        run = journal.experiment(table.index[0])     # params, metrics, curves, weights
        journal.verdict("hypothesis/dropout-helps")  # the verdict, judged without recording it
    """

    def __init__(self, path="."):
        self.root = _locate(path)
        self.path = os.path.join(self.root, ".journal")

    def __repr__(self):
        return "xj.Journal(%r)" % self.root

    def _run(self, *arguments, binary_output=False):
        completed = subprocess.run([_binary(), "--journal", self.path, *arguments], cwd=self.root,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        if completed.returncode != 0:
            message = completed.stderr.decode("utf-8", "replace").strip().splitlines()
            raise XJError(message[0] if message else "xj exited with status %d" % completed.returncode, completed.returncode)
        return completed.stdout if binary_output else json.loads(completed.stdout.decode("utf-8"))

    def runs(self, where=None, on=None, all=False, sort=None, limit=None, dataframe=True):
        """The experiment table (``xj runs --json``): one row per experiment.

        ``where`` and ``sort`` take ``xj runs``' language (``"lr < 0.05 and status = ok"``,
        ``"-val_accuracy,lr"``); ``on`` names a line of inquiry, ``all=True`` lists every line.
        With pandas installed (and ``dataframe``), a DataFrame indexed by experiment id with one
        column per parameter and per metric (``params.NAME``/``metrics.NAME`` when a name is both)
        and the columns ``run_key``, ``date``, ``lines``, ``dataset``, ``model``, ``status``,
        ``checks``, ``tags``, ``note``; else a list of dicts as ``xj runs --json`` prints them.
        """
        arguments = ["runs", "--json"]
        if where is not None:
            arguments += ["--where", where]
        if on is not None:
            arguments += ["--on", on]
        if all:
            arguments.append("--all")
        if sort is not None:
            arguments.append("--sort=" + sort)
        if limit is not None:
            arguments += ["-n", str(int(limit))]
        rows = self._run(*arguments)
        if not dataframe:
            return rows
        try:
            import pandas
        except ImportError:
            return rows
        param_names = sorted({key for row in rows for key in row["params"]})
        metric_names = sorted({key for row in rows for key in row["metrics"]})
        both = set(param_names) & set(metric_names)
        records = []
        for row in rows:
            record = {"run_key": row["run_key"], "date": pandas.to_datetime(row["date"]) if row.get("date") else None,
                      "lines": row["lines"], "dataset": row["dataset"], "model": row["model"], "status": row["status"],
                      "checks": row["checks"], "tags": row["tags"], "note": row["note"]}
            for name in param_names:
                value = row["params"].get(name)
                record[("params." + name) if name in both else name] = tuple(value) if isinstance(value, list) else value
            for name in metric_names:
                record[("metrics." + name) if name in both else name] = row["metrics"].get(name)
            records.append(record)
        columns = (["run_key", "date", "lines", "dataset", "model"]
                   + [("params." + name) if name in both else name for name in param_names]
                   + [("metrics." + name) if name in both else name for name in metric_names]
                   + ["status", "checks", "tags", "note"])
        index = pandas.Index([row["experiment"] for row in rows], name="experiment")
        return pandas.DataFrame(records, index=index, columns=columns)

    def experiment(self, experiment):
        """One experiment (an id or a prefix of at least 4 hex digits): a dict with ``id``,
        ``run_key``, ``params``, ``metrics``, ``curves`` (name -> list, one value per step; as numpy
        arrays when numpy is installed), ``run`` (run.json), ``checks``, and ``weights`` (the
        trained weights as a numpy array for the built-in trainer, None otherwise)."""
        shown = self._run("show", str(experiment), "--json")
        if shown.get("kind") != "experiment":
            raise XJError("%s is a %s, not an experiment" % (experiment, shown.get("kind", "record")), 1)
        result = {key: shown.get(key) for key in ("id", "run_key", "params", "metrics", "curves", "run", "checks", "command", "dataset")}
        try:
            import numpy
        except ImportError:
            numpy = None
        if numpy is not None:
            result["curves"] = {name: numpy.array([numpy.nan if value is None else value for value in values], dtype=float)
                                for name, values in (shown.get("curves") or {}).items() if isinstance(values, list)}
        result["weights"] = None
        if shown.get("weights"):
            data = self._run("cat", shown["id"], "results/weights.npy", binary_output=True)
            result["weights"] = numpy.load(io.BytesIO(data)) if numpy is not None else data
        return result

    def verdict(self, branch=None, alpha=None):
        """The verdict on a hypothesis line (default: the current line), judged without recording it
        (``xj verdict --dry-run --json``): a dict with the status and, per prediction, its test."""
        arguments = ["verdict", "--dry-run", "--json"]
        if branch is not None:
            arguments += ["--on", branch]
        if alpha is not None:
            arguments += ["--alpha", repr(float(alpha))]
        return self._run(*arguments)

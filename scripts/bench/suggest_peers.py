"""The runs of scripts/bench/suggest: every condition through the xj binary, Optuna in-process."""
import json, math, os, platform, re, statistics, subprocess, sys, tempfile, time

XJ, REPS, EPOCHS = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
# XJ_BENCH_METHODS and XJ_BENCH_SETS (comma lists) run a part of the bench while trying a change; the
# table in Performance.md is written only by a whole run.
METHODS = os.environ.get("XJ_BENCH_METHODS", "tpe,warm,similar,optuna").split(",")
SETS = os.environ.get("XJ_BENCH_SETS", "digits,wine,breast-cancer").split(",")
# XJ_BENCH_FIRST_SEED (default 100) starts the repetitions' seeds elsewhere, to check a finding on fresh ones.
FIRST_SEED = int(os.environ.get("XJ_BENCH_FIRST_SEED", "100"))
# A run with any of these is a part or a check, and leaves Performance.md alone.
PARTIAL = any(name in os.environ for name in ("XJ_BENCH_METHODS", "XJ_BENCH_SETS", "XJ_BENCH_FIRST_SEED"))
PROJECT = os.path.normpath(os.path.join(os.path.dirname(__file__), "..", ".."))
SPACE = ["lr=1e-4:1e-1:log", "hidden=16:256:log", "dropout=0:0.6", "weight_decay=0:0.001"]
FIXED = [f"epochs={EPOCHS}", "batch_size=64"]
ENV = dict(os.environ, OPENBLAS_NUM_THREADS="1")


def xj(folder, *args):
    command = [XJ, "init", folder] if args == ("init",) else [XJ, *args] if args == ("--version",) else [XJ, "--journal", folder, *args]
    result = subprocess.run(command, capture_output=True, text=True, env=ENV)
    if result.returncode != 0:
        sys.exit(f"xj {' '.join(args)}: {result.stderr.strip()}")
    return result.stdout


def datasets(folder):
    from sklearn.datasets import load_breast_cancer, load_wine
    paths = {"digits": os.path.join(PROJECT, "data", "digits.csv")}
    for name, loader in (("wine", load_wine), ("breast-cancer", load_breast_cancer)):
        data = loader()
        path = os.path.join(folder, name + ".csv")
        with open(path, "w") as f:
            f.write(",".join([f"f{i}" for i in range(data.data.shape[1])] + ["target"]) + "\n")
            for row, target in zip(data.data, data.target):
                f.write(",".join(repr(float(v)) for v in row) + f",{int(target)}\n")
        paths[name] = path
    return paths


def journal(paths):
    folder = tempfile.mkdtemp(prefix="xj-bench-suggest-")
    xj(folder, "init")
    for name, path in paths.items():
        xj(folder, "add", path, "--name", name, "--label", "target")
    xj(folder, "commit", "-m", "data")
    return folder


def losses_in_order(folder, dataset):
    """val_loss of every run on `dataset`, in the order they were started."""
    runs = []
    for entry in json.loads(xj(folder, "runs", "--all", "--json")):
        if True:
            shown = json.loads(xj(folder, "show", entry["experiment"], "--json"))
            if shown["dataset"] and shown["params"].get("epochs") == EPOCHS:
                runs.append((shown["run"]["started"], shown["dataset"], shown["metrics"].get("val_loss", float("inf"))))
    ids = {json.loads(xj(folder, "show", dataset, "--json"))["id"]}
    return [loss for started, data, loss in sorted(runs) if data in ids]


CACHE = os.path.join(PROJECT, ".build-bench", "suggest-random.json")


def cached_random_search(folder, dataset, trials, seed):
    """Random search's losses, kept between runs of the bench (they depend only on the trainer and the
    seed, and a trainer change shows in the key): XJ_BENCH_FRESH=1 runs them again."""
    cache = json.load(open(CACHE)) if os.path.exists(CACHE) and not os.environ.get("XJ_BENCH_FRESH") else {}
    key = f"{xj(folder, '--version').strip()} {dataset} {trials} {seed} {EPOCHS}"
    if key not in cache:
        cache[key] = random_search(folder, dataset, trials, seed)
        json.dump(cache, open(CACHE, "w"))
    return cache[key]


def random_search(folder, dataset, trials, seed, space=SPACE):
    """The losses of `xj grid --random` over `space`, in the order of its plan."""
    plan = json.loads(xj(folder, "grid", "--data", dataset, "--model", "mlp", "--random", str(trials), "--seed", str(seed), *space, *FIXED, "--dry-run", "--json"))
    result = json.loads(xj(folder, "grid", "--data", dataset, "--model", "mlp", "--random", str(trials), "--seed", str(seed), "--jobs", "2", *space, *FIXED, "--json"))
    loss = {p["run_key"]: p.get("val_loss", float("inf")) for p in result["points"]}
    return [loss[p["run_key"]] for p in plan]


def optuna_search(dataset_folder, dataset, trials, seed):
    import optuna
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    losses = []
    def objective(trial):
        params = {"lr": trial.suggest_float("lr", 1e-4, 1e-1, log=True), "hidden": trial.suggest_int("hidden", 16, 256, log=True),
                  "dropout": trial.suggest_float("dropout", 0, 0.6), "weight_decay": trial.suggest_float("weight_decay", 0, 0.001)}
        out = json.loads(xj(dataset_folder, "train", "--data", dataset, "--model", "mlp", *[f"{k}={v}" for k, v in params.items()], *FIXED, "--json"))
        loss = out["metrics"]["val_loss"] if "metrics" in out else float("inf")
        losses.append(loss)
        return loss
    optuna.create_study(sampler=optuna.samplers.TPESampler(seed=seed)).optimize(objective, n_trials=trials)
    return losses


def write_section(marker, table):
    """`table` into Docs/Performance.md between `<!-- marker:start -->` and `<!-- marker:end -->` (appended
    with them when absent)."""
    path = os.path.join(PROJECT, "Docs", "Performance.md")
    text = open(path).read()
    block = f"<!-- {marker}:start -->\n{table}\n<!-- {marker}:end -->"
    pattern = rf"<!-- {marker}:start -->.*?<!-- {marker}:end -->"
    text = re.sub(pattern, lambda _: block, text, flags=re.S) if f"<!-- {marker}:start -->" in text else text + "\n" + block + "\n"
    open(path, "w").write(text)


def cpu_model():
    return next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.processor())


def best_after(losses, n):
    return min(losses[:n]) if losses[:n] else float("nan")


def trials_to_reach(losses, threshold):
    for index, loss in enumerate(losses):
        if loss <= threshold:
            return index + 1
    return None


def median_interval(values):
    """A distribution-free 95 % interval of the median: the order statistics x(j) and x(n+1-j) for the
    largest j whose binomial coverage is still at least 95 % (for 10 values, the 2nd and 9th)."""
    n, ordered, j = len(values), sorted(values), 1
    while j + 1 <= n // 2 and sum(math.comb(n, k) for k in range(j + 1, n - j)) / 2 ** n >= 0.95:
        j += 1
    return ordered[j - 1], ordered[n - j]


def trials_text(count):
    return f"{count:g}" if count <= 40 else "> 40"


def main():
    started = time.time()
    work = tempfile.mkdtemp(prefix="xj-bench-suggest-data-")
    paths = datasets(work)
    rows = []
    for dataset in [name for name in paths if name in SETS]:
        results = {"random": [], "tpe": [], "warm": [], "similar": [], "optuna": []}
        reached = {k: [] for k in results}
        for rep in range(REPS):
            seed = FIRST_SEED + rep
            folder = journal(paths)
            rand = cached_random_search(folder, dataset, 100, seed)
            threshold = min(rand)
            tpe = warm = similar = optuna_losses = []
            # Each method starts from a journal of its own, so none learns from another's runs.
            if "tpe" in METHODS:
                tpe_folder = journal(paths)
                xj(tpe_folder, "grid", "--data", dataset, "--model", "mlp", "--suggest", "40", "--seed", str(seed), *SPACE, *FIXED)
                tpe = losses_in_order(tpe_folder, dataset)
            # Warm start: a 50-run prior study in a fresh journal, then 40 suggested trials.
            if "warm" in METHODS:
                warm_folder = journal(paths)
                random_search(warm_folder, dataset, 50, 1000 + seed)
                xj(warm_folder, "grid", "--data", dataset, "--model", "mlp", "--suggest", "90", "--seed", str(seed), *SPACE, *FIXED)
                warm = losses_in_order(warm_folder, dataset)[50:]
            # From similar: the other data sets' random searches in the journal, then 40 trials here.
            if "similar" in METHODS:
                similar_folder = journal(paths)
                for other in paths:
                    if other != dataset:
                        random_search(similar_folder, other, 30, 2000 + seed)
                for _ in range(10):
                    xj(similar_folder, "suggest", "--data", dataset, "--model", "mlp", "--from-similar", "2", "--seed", str(seed), "--run", *SPACE, *FIXED)
                xj(similar_folder, "grid", "--data", dataset, "--model", "mlp", "--suggest", "40", "--seed", str(seed), *SPACE, *FIXED)
                similar = losses_in_order(similar_folder, dataset)
            if "optuna" in METHODS:
                optuna_losses = optuna_search(journal(paths), dataset, 40, seed)
            for name, losses in (("random", rand), ("tpe", tpe), ("warm", warm), ("similar", similar), ("optuna", optuna_losses)):
                results[name].append(losses)
                reached[name].append(trials_to_reach(losses, threshold))
            print(f"{dataset} rep {rep + 1}/{REPS}: random best-of-100 {threshold:.4f}; trials to reach it: " +
                  ", ".join(f"{k} {reached[k][-1]}" for k in results if k != "random") + f" ({time.time() - started:.0f} s)", file=sys.stderr, flush=True)
        for name in [k for k in results if k == "random" or k in METHODS]:
            medians = [statistics.median(best_after(l, n) for l in results[name]) for n in (10, 20, 40)]
            hit = [r for r in reached[name] if r is not None]
            # Not reached within 40 counts as 41; the upper median, so half the runs failing reads "> 40".
            counts = [r if r is not None else 41 for r in reached[name]]
            rows.append((dataset, name, medians, statistics.median_high(counts), median_interval(counts), len(hit)))
    cpu = cpu_model()
    lines = [f"Measured {time.strftime('%Y-%m-%d')} by `scripts/bench/suggest {REPS} {EPOCHS}` on: {os.cpu_count()} cores, {cpu}; {REPS} repetitions, "
             f"MLP {EPOCHS} epochs over {' '.join(SPACE)}; {time.time() - started:.0f} s.", "",
             "| data set | method | median best val_loss after 10 / 20 / 40 trials | median trials to reach random's best-of-100 (95 % interval) | repetitions that reached it |",
             "|---|---|---|---|---|"]
    names = {"random": "random search (`--random`)", "tpe": "`--suggest`", "warm": "`--suggest` after a 50-run prior", "similar": "`--from-similar 2`", "optuna": "Optuna TPE"}
    for dataset, name, medians, median_reach, (low, high), hits in rows:
        reach = "—" if name == "random" else f"{trials_text(median_reach)} ({trials_text(low)} … {trials_text(high)})"
        lines.append(f"| {dataset} | {names[name]} | {medians[0]:.4f} / {medians[1]:.4f} / {medians[2]:.4f} | {reach} | {hits}/{REPS} |")
    table = "\n".join(lines)
    print(table)
    if PARTIAL:
        return
    write_section("suggest", table)


if __name__ == "__main__":
    main()

"""Where random search's best-of-100 lies (scripts/bench/suggest_landscape): pools the repetitions'
random searches, finds the region of the space where a random trial most often reaches the threshold,
and runs random search inside that region alone, as a reference that knows the landscape in advance."""
import json, os, sys, tempfile, time
import suggest_peers as bench  # reads the same arguments: xj, repetitions, epochs

LR = [(1e-4, 1e-3), (1e-3, 1e-2), (1e-2, 3e-2), (3e-2, 1e-1)]
HIDDEN = [(16, 19), (20, 31), (32, 63), (64, 127), (128, 256)]
DROPOUT = [(0, 0.3), (0.3, 0.6)]


def landscape(folder, dataset):
    """(seed, threshold, [(loss, params)]) of every repetition's 100 random trials."""
    out = []
    for rep in range(bench.REPS):
        seed = bench.FIRST_SEED + rep
        losses = bench.cached_random_search(folder, dataset, 100, seed)
        plan = json.loads(bench.xj(folder, "grid", "--data", dataset, "--model", "mlp", "--random", "100", "--seed", str(seed), *bench.SPACE, *bench.FIXED, "--dry-run", "--json"))
        out.append((seed, min(losses), [(loss, point["params"]) for point, loss in zip(plan, losses)]))
    return out


def region_chance(reps, inside):
    """How often a trial inside the region reaches the best-of-100 of another repetition (its own would
    count the threshold itself), and how many of the pooled trials fall inside."""
    hits = total = 0
    for seed, _, runs in reps:
        for loss, params in runs:
            if inside(params):
                for other, threshold, _ in reps:
                    if other != seed:
                        total += 1
                        hits += loss <= threshold
    return (hits / total if total else 0.0), total // max(len(reps) - 1, 1)


def main():
    started = time.time()
    work = tempfile.mkdtemp(prefix="xj-bench-landscape-data-")
    paths = bench.datasets(work)
    rows = []
    for dataset in [name for name in paths if name in bench.SETS]:
        folder = bench.journal(paths)
        reps = landscape(folder, dataset)
        overall, _ = region_chance(reps, lambda p: True)
        regions = []
        for lr in LR:
            for hidden in HIDDEN:
                for dropout in DROPOUT:
                    inside = lambda p, lr=lr, hidden=hidden, dropout=dropout: lr[0] <= p["lr"] < lr[1] and hidden[0] <= p["hidden"] <= hidden[1] and dropout[0] <= p["dropout"] < dropout[1]
                    rate, count = region_chance(reps, inside)
                    if count >= 20:
                        regions.append((rate, count, lr, hidden, dropout))
        rate, count, lr, hidden, dropout = max(regions)
        # Random search confined to that region, each repetition against its own threshold.
        space = [f"lr={lr[0]}:{lr[1]}:log", f"hidden={hidden[0]}:{hidden[1]}:log", f"dropout={dropout[0]}:{dropout[1]}", "weight_decay=0:0.001"]
        reached = [bench.trials_to_reach(bench.random_search(folder, dataset, 40, seed, space), threshold) for seed, threshold, _ in reps]
        within = lambda n: sum(1 for r in reached if r is not None and r <= n)
        region = f"lr {lr[0]:g}–{lr[1]:g}, hidden {hidden[0]}–{hidden[1]}, dropout {dropout[0]:g}–{dropout[1]:g}"
        rows.append(f"| {dataset} | {100 * overall:.1f} % | {region} ({count} of {100 * bench.REPS} trials) | {100 * rate:.1f} % | "
                    f"{within(15)}/{len(reps)} | {within(40)}/{len(reps)} |")
        print(rows[-1], file=sys.stderr, flush=True)
    cpu = bench.cpu_model()
    lines = [f"Measured {time.strftime('%Y-%m-%d')} by `scripts/bench/suggest_landscape {bench.REPS} {bench.EPOCHS}` on {os.cpu_count()} cores, {cpu}: "
             f"{bench.REPS} repetitions' random searches of 100 trials pooled; {time.time() - started:.0f} s.", "",
             "| data set | a random trial reaches another repetition's best-of-100 | the region where it most often does | there | random search in that region: reached within 15 trials | within 40 |",
             "|---|---|---|---|---|---|", *rows]
    table = "\n".join(lines)
    print(table)
    if bench.PARTIAL:
        return
    bench.write_section("landscape", table)


if __name__ == "__main__":
    main()

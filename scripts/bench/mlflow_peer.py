"""MLflow peer for scripts/bench/rerun: N runs with the same 17 parameters as xj's runs in a local
SQLite store, then `search_runs` for one run's full parameter set, timed warm (in process)."""
import json, sys, time

import mlflow
from mlflow.tracking import MlflowClient

command, store, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
mlflow.set_tracking_uri(f"sqlite:///{store}")
params = {"activation": "relu", "batch_size": "32", "dropout": "0", "epochs": "20", "hidden": "[128]", "impute": "none", "init": "he",
          "lr": "0.001", "mc_samples": "0", "model": "mlp", "normalize": "standard", "optimizer": "adam", "patience": "0",
          "split_seed": "0", "val_fraction": "0.2", "weight_decay": "0"}
if command == "fill":
    client = MlflowClient()
    experiment = client.create_experiment("bench")
    for seed in range(count):
        run = client.create_run(experiment)
        client.log_batch(run.info.run_id, params=[mlflow.entities.Param(k, v) for k, v in {**params, "seed": str(seed)}.items()],
                         metrics=[mlflow.entities.Metric("val_loss", 0.1, 0, 0)])
    sys.exit(0)
wanted = {**params, "seed": str(count // 2)}
query = " and ".join(f"params.{k} = '{v}'" for k, v in wanted.items())
start = time.perf_counter()
found = mlflow.search_runs(experiment_names=["bench"], filter_string=query)
first = time.perf_counter() - start
times = []
for _ in range(5):
    start = time.perf_counter()
    mlflow.search_runs(experiment_names=["bench"], filter_string=query)
    times.append(time.perf_counter() - start)
print(json.dumps({"found": len(found), "first": first, "warm": sorted(times)[2]}))

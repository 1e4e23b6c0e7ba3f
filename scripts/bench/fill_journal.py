"""Writes N recorded runs into an xj journal in one commit on main, through `git fast-import`
(the journal is a git repository, so this is writing through the store). Each run has the
complete resolved parameter set of `xj train --data digits --model mlp seed=<i>`, so the run keys
are exactly those xj computes, and `xj train ... seed=<i>` finds them.
Usage: fill_journal.py JOURNAL DATASET_TREE_ID N"""
import hashlib, subprocess, sys

journal, dataset, count = sys.argv[1], sys.argv[2], int(sys.argv[3])


def canonical_params(seed):
    return ('{"activation":"relu","batch_size":32,"dropout":0,"epochs":20,"hidden":[128],"impute":"none","init":"he",'
            '"lr":0.001,"mc_samples":0,"model":"mlp","normalize":"standard","optimizer":"adam","patience":0,'
            f'"seed":{seed},"split_seed":0,"val_fraction":0.2,"weight_decay":0}}').encode()


def object_id(kind, body):
    return hashlib.sha1(f"{kind} {len(body)}\0".encode() + body).digest()


def tree(entries):
    # entries: (name, is_tree, raw id); git sorts a tree's name as if it ended in "/".
    body = b""
    for name, is_tree, raw in sorted(entries, key=lambda e: e[0] + ("/" if e[1] else "")):
        body += (b"40000 " if is_tree else b"100644 ") + name.encode() + b"\0" + raw
    return object_id("tree", body)


trainer = b'{"name":"xj-train","version":1}'
trainer_id = object_id("blob", trainer)
dataset_raw = bytes.fromhex(dataset)
process = subprocess.Popen(["git", "--git-dir", journal, "fast-import", "--quiet"], stdin=subprocess.PIPE)
out = process.stdin
head = subprocess.run(["git", "--git-dir", journal, "rev-parse", "refs/heads/main"], capture_output=True, text=True).stdout.strip()
message = f"{count} recorded runs for the benchmark\n\nRecorded: +{count} experiments".encode()
out.write(b"commit refs/heads/main\ncommitter bench <bench@example.org> 1763800000 +0000\n")
out.write(b"data %d\n%s\n" % (len(message), message))
out.write(f"from {head}\n".encode())


def inline(path, body):
    out.write(b"M 100644 inline %s\ndata %d\n%s\n" % (path.encode(), len(body), body))


for seed in range(count):
    params = canonical_params(seed)
    inputs = tree([("dataset", True, dataset_raw), ("params.json", False, object_id("blob", params)), ("trainer.json", False, trainer_id)])
    loss, accuracy = 0.08 + (seed % 997) * 1e-4, 0.95 + (seed % 389) * 1e-4
    metrics = f'{{"val_accuracy":{accuracy:.4f},"val_loss":{loss:.4f}}}'.encode()
    run = b'{"started":"2026-11-20T10:00:00.000Z","status":"ok"}'
    results = tree([("metrics.json", False, object_id("blob", metrics))])
    experiment = tree([("inputs", True, inputs), ("results", True, results), ("run.json", False, object_id("blob", run))])
    key, exp = inputs.hex(), experiment.hex()
    base = f"experiments/{key[:2]}/{key}/{exp}"
    out.write(f"M 040000 {dataset} {base}/inputs/dataset\n".encode())
    inline(base + "/inputs/params.json", params)
    inline(base + "/inputs/trainer.json", trainer)
    inline(base + "/results/metrics.json", metrics)
    inline(base + "/run.json", run)
out.write(b"done\n")
out.close()
sys.exit(process.wait())

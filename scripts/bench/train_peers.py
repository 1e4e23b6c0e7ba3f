"""Peers for scripts/bench/train: the synthetic data set, scikit-learn's MLPClassifier, a plain
numpy MLP and PyTorch (CPU wheel) with the same shapes (in-hidden-out, relu, softmax cross-entropy,
adam, batch, epochs)."""
import json, sys, time

import numpy as np


def make(path, rows, features, classes, seed):
    rng = np.random.default_rng(seed)
    means = rng.normal(0, 1, (classes, features)).astype(np.float32)
    labels = rng.integers(0, classes, rows)
    x = means[labels] + rng.normal(0, 2.0, (rows, features)).astype(np.float32)
    np.save(path, np.column_stack([x, labels.astype(np.float32)]).astype(np.float32))


def load(path):
    data = np.load(path)
    return np.ascontiguousarray(data[:, :-1]), data[:, -1].astype(np.int64)


def numpy_mlp(x, y, hidden, epochs, batch, lr, seed):
    rng = np.random.default_rng(seed)
    n, d = x.shape
    k = int(y.max()) + 1
    x = (x - x.mean(0)) / (x.std(0) + 1e-12)
    x = x.astype(np.float32)
    lim1, lim2 = np.sqrt(6 / d), np.sqrt(6 / (hidden + k))
    params = [rng.uniform(-lim1, lim1, (d, hidden)).astype(np.float32), np.zeros(hidden, np.float32),
              rng.uniform(-lim2, lim2, (hidden, k)).astype(np.float32), np.zeros(k, np.float32)]
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    t = 0
    start = time.perf_counter()
    for _ in range(epochs):
        order = rng.permutation(n)
        for i in range(0, n, batch):
            idx = order[i:i + batch]
            xb, yb = x[idx], y[idx]
            h = np.maximum(xb @ params[0] + params[1], 0)
            z = h @ params[2] + params[3]
            z -= z.max(1, keepdims=True)
            p = np.exp(z)
            p /= p.sum(1, keepdims=True)
            p[np.arange(len(idx)), yb] -= 1
            g = p / len(idx)
            grads = [None, None, h.T @ g, g.sum(0)]
            dh = (g @ params[2].T) * (h > 0)
            grads[0], grads[1] = xb.T @ dh, dh.sum(0)
            t += 1
            for j, (w, gr) in enumerate(zip(params, grads)):
                m[j] = 0.9 * m[j] + 0.1 * gr
                v[j] = 0.999 * v[j] + 0.001 * gr * gr
                w -= lr * (m[j] / (1 - 0.9 ** t)) / (np.sqrt(v[j] / (1 - 0.999 ** t)) + 1e-8)
    return time.perf_counter() - start


def sklearn_mlp(x, y, hidden, epochs, batch, lr, seed):
    import warnings
    from sklearn.neural_network import MLPClassifier
    from sklearn.preprocessing import StandardScaler
    x = StandardScaler().fit_transform(x).astype(np.float32)
    model = MLPClassifier(hidden_layer_sizes=(hidden,), activation="relu", solver="adam", alpha=0.0, batch_size=batch,
                          learning_rate_init=lr, max_iter=epochs, shuffle=True, random_state=seed, tol=0.0, n_iter_no_change=10 ** 6)
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model.fit(x, y)
    seconds = time.perf_counter() - start
    return seconds, float(model.score(x, y))


def torch_mlp(x, y, hidden, epochs, batch, lr, seed, threads):
    """The same MLP in PyTorch (CPU wheel): Linear-ReLU-Linear, cross-entropy, Adam, shuffled batches."""
    import torch
    torch.set_num_threads(threads)
    torch.manual_seed(seed)
    x = (x - x.mean(0)) / (x.std(0) + 1e-12)
    inputs = torch.from_numpy(np.ascontiguousarray(x, dtype=np.float32))
    labels = torch.from_numpy(y)
    model = torch.nn.Sequential(torch.nn.Linear(x.shape[1], hidden), torch.nn.ReLU(), torch.nn.Linear(hidden, int(y.max()) + 1))
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    loss_function = torch.nn.CrossEntropyLoss()
    n = len(y)
    start = time.perf_counter()
    for _ in range(epochs):
        order = torch.randperm(n)
        for i in range(0, n, batch):
            index = order[i:i + batch]
            optimizer.zero_grad(set_to_none=True)
            loss = loss_function(model(inputs[index]), labels[index])
            loss.backward()
            optimizer.step()
    return time.perf_counter() - start


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "make":
        make(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6]))
    else:
        path, hidden, epochs, batch, lr = sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), float(sys.argv[6])
        x, y = load(path)
        if command == "numpy":
            print(json.dumps({"seconds": numpy_mlp(x, y, hidden, epochs, batch, lr, 0), "samples": len(y) * epochs}))
        elif command == "torch":
            threads = int(sys.argv[7])
            print(json.dumps({"seconds": torch_mlp(x, y, hidden, epochs, batch, lr, 0, threads), "samples": len(y) * epochs}))
        else:
            seconds, accuracy = sklearn_mlp(x, y, hidden, epochs, batch, lr, 0)
            print(json.dumps({"seconds": seconds, "samples": len(y) * epochs, "train_accuracy": accuracy}))

"""PyTorch's CPU nn.LSTM on the shapes of xj's language-model benchmark: an embedding of the 65
characters, a stack of nn.LSTM layers, a linear softmax layer; Adam, gradient-norm clipping at 5,
truncated backpropagation through time with the state carried (detached) between batches, the text cut
into `batch` contiguous streams as xj does. Prints {"tokens_per_second": …, "batches": …} as JSON.
Usage: lstm_peer.py TEXT HIDDEN LAYERS SEQ_LEN BATCH BATCHES THREADS"""
import json
import sys
import time

import torch


def main():
    path, hidden, layers, steps, batch, batches, threads = sys.argv[1], *map(int, sys.argv[2:8])
    torch.set_num_threads(threads)
    torch.manual_seed(1)
    text = open(path, encoding="utf-8").read()
    vocabulary = sorted(set(text))
    index = {c: i for i, c in enumerate(vocabulary)}
    data = torch.tensor([index[c] for c in text], dtype=torch.long)
    stream = (len(data) - 1) // batch
    inputs = data[: batch * stream].view(batch, stream)
    targets = data[1 : batch * stream + 1].view(batch, stream)

    class Model(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.embed = torch.nn.Embedding(len(vocabulary), hidden)
            self.lstm = torch.nn.LSTM(hidden, hidden, layers)
            self.out = torch.nn.Linear(hidden, len(vocabulary))

        def forward(self, x, state):
            y, state = self.lstm(self.embed(x), state)
            return self.out(y), state

    model = Model()
    optimizer = torch.optim.Adam(model.parameters(), lr=0.002)
    loss_function = torch.nn.CrossEntropyLoss()
    state = None

    def step(k):
        nonlocal state
        x = inputs[:, k * steps : (k + 1) * steps].t().contiguous()
        y = targets[:, k * steps : (k + 1) * steps].t().contiguous()
        if state is not None:
            state = tuple(s.detach() for s in state)
        logits, state = model(x, state)
        loss = loss_function(logits.view(-1, len(vocabulary)), y.view(-1))
        optimizer.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 5.0)
        optimizer.step()

    for k in range(3):  # warm-up
        step(k)
    start = time.perf_counter()
    for k in range(3, 3 + batches):
        step(k)
    seconds = time.perf_counter() - start
    print(json.dumps({"tokens_per_second": batches * batch * steps / seconds, "batches": batches}))


main()

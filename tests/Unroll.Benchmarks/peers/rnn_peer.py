"""PyTorch peer of the recurrent text workloads (WORKLOADS.md), matching RecurrentWorkloadBenchmarks.cs:
  rnn-text:  Embedding(3360, 100) -> RNN(50, tanh) -> Linear(5), softmax cross-entropy, batch 64 of 30 tokens;
  lstm-text: Embedding(10000, 128) -> LSTM(128) -> Linear(1), sigmoid binary cross-entropy, batch 32 of 80 tokens;
  gru-text:  Embedding(10000, 128) -> GRU(128) (PyTorch's GRU is Keras' reset_after) -> Linear(1), sigmoid BCE, batch 32.
The classifier reads the last step's hidden state. Adam(lr 1e-3, eps 1e-7 as Keras and Unroll); token ids random in
[1, vocabulary), no padding, so both sides do the same work. Prints microseconds per call (median of rounds after
warm-up) and GFLOP/s (2 x multiply-adds of the input projection, the recurrent product and the dense layer; train
counts 3x forward) for train, infer1 and inferB at 1 and 2 threads.
Run: env -u OPENBLAS_CORETYPE /usr/bin/python3 tests/Unroll.Benchmarks/peers/rnn_peer.py [rnn-text lstm-text gru-text]
       [--jsonl] [--threads 1,2] [--scale 1]
With --jsonl it prints one JSON line per measurement instead of the table (system, workload, phase, threads, us,
gflops: the format peers/compare.py reads)."""
import argparse
import json
import statistics
import time
import torch

# name: (cell, vocabulary, embedding, units, gates, outputs, steps, batch, timed calls for train / infer1 / inferB)
WORKLOADS = {
    "rnn-text": (torch.nn.RNN, 3360, 100, 50, 1, 5, 30, 64, (50, 500, 200)),
    "lstm-text": (torch.nn.LSTM, 10000, 128, 128, 4, 1, 80, 32, (5, 50, 10)),
    "gru-text": (torch.nn.GRU, 10000, 128, 128, 3, 1, 80, 32, (5, 50, 10)),
}


class TextClassifier(torch.nn.Module):
    def __init__(self, cell, vocabulary, embedding, units, outputs):
        super().__init__()
        self.embed = torch.nn.Embedding(vocabulary, embedding)
        self.rnn = cell(embedding, units, batch_first=True)
        self.output = torch.nn.Linear(units, outputs)

    def forward(self, tokens):
        sequence, _ = self.rnn(self.embed(tokens))
        return self.output(sequence[:, -1])


def median_us(fn, calls, rounds=11, warmup=2):
    for _ in range(warmup):
        for _ in range(calls):
            fn()
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(calls):
            fn()
        samples.append((time.perf_counter() - start) / calls * 1e6)
    return statistics.median(samples)


def build_model(name):
    """The workload's network (logits; the softmax or sigmoid is in the loss or applied at inference)."""
    cell, vocabulary, embedding, units, gates, outputs, steps, batch, calls = WORKLOADS[name]
    return TextClassifier(cell, vocabulary, embedding, units, outputs)


def run(name, thread_counts=(1, 2), jsonl=False, scale=1.0):
    cell, vocabulary, embedding, units, gates, outputs, steps, batch, calls = WORKLOADS[name]
    forward_flops = 2 * (steps * embedding * gates * units + steps * units * gates * units + units * outputs)
    torch.manual_seed(0)
    model = build_model(name)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
    tokens = torch.randint(1, vocabulary, (batch, steps))
    tokens1 = tokens[:1].clone()
    if outputs == 1:
        targets = torch.randint(0, 2, (batch, 1)).float()
        loss_of = lambda logits: torch.nn.functional.binary_cross_entropy_with_logits(logits, targets)
        activate = torch.sigmoid
    else:
        targets = torch.randint(0, outputs, (batch,))
        loss_of = lambda logits: torch.nn.functional.cross_entropy(logits, targets)
        activate = lambda logits: torch.softmax(logits, dim=1)

    def train():
        opt.zero_grad(set_to_none=True)
        loss = loss_of(model(tokens))
        loss.backward()
        opt.step()

    def infer(inp):
        with torch.inference_mode():
            return activate(model(inp))

    for threads in thread_counts:
        torch.set_num_threads(threads)
        for phase, fn, flops, n in (
            ("train", train, 3 * batch * forward_flops, calls[0]),
            ("infer1", lambda: infer(tokens1), forward_flops, calls[1]),
            ("inferB", lambda: infer(tokens), batch * forward_flops, calls[2]),
        ):
            us = median_us(fn, max(1, int(n * scale)))
            if jsonl:
                print(json.dumps(dict(system="pytorch", workload=name, phase=phase, threads=threads, us=round(us, 2),
                                      gflops=round(flops / us / 1e3, 3))), flush=True)
                continue
            print(f"{name:>9} {threads:>7} {phase:>6} {us:>10.1f} {flops / us / 1e3:>8.2f}", flush=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("workloads", nargs="*", help=f"any of {', '.join(WORKLOADS)} (default: all)")
    parser.add_argument("--jsonl", action="store_true", help="print JSON lines instead of the table")
    parser.add_argument("--threads", default="1,2", help="comma-separated thread counts (default 1,2)")
    parser.add_argument("--scale", type=float, default=1.0, help="multiplies the calls per round (for a quick check)")
    args = parser.parse_args()
    thread_counts = [int(t) for t in args.threads.split(",")]
    for name in args.workloads:
        if name not in WORKLOADS:
            parser.error(f"unknown workload {name!r}; known: {', '.join(WORKLOADS)}")
    if not args.jsonl:
        print(f"torch {torch.__version__}, {torch.__config__.parallel_info().splitlines()[0]}")
        print(f"{'workload':>9} {'threads':>7} {'phase':>6} {'us/call':>10} {'GFLOP/s':>8}")
    for name in args.workloads or WORKLOADS:
        run(name, thread_counts, args.jsonl, args.scale)


if __name__ == "__main__":
    main()

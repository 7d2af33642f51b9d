"""PyTorch peer of the `mlp` workload (WORKLOADS.md): Dense 784->128 ReLU, 128->64 ReLU, 64->10 softmax,
sparse categorical cross-entropy, Adam(lr 1e-3), batch 64. Prints microseconds per call (median of rounds
after warm-up) and GFLOP/s for train, infer1 and inferB at 1 and 2 threads.
Run: /usr/bin/python3 tests/Unroll.Benchmarks/peers/mlp_peer.py [--jsonl] [--threads 1,2] [--scale 1]
With --jsonl it prints one JSON line per measurement instead of the table (system, workload, phase, threads, us,
gflops: the format peers/compare.py reads)."""
import argparse
import json
import statistics
import time
import torch

B = 64
FORWARD_FLOPS_PER_SAMPLE = 2 * (784 * 128 + 128 * 64 + 64 * 10)


def median_us(fn, calls, rounds=15, warmup=3):
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


def build_model():
    """The mlp workload's network (logits; the softmax is in the loss or applied at inference)."""
    return torch.nn.Sequential(torch.nn.Linear(784, 128), torch.nn.ReLU(), torch.nn.Linear(128, 64), torch.nn.ReLU(),
                               torch.nn.Linear(64, 10))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--jsonl", action="store_true", help="print JSON lines instead of the table")
    parser.add_argument("--threads", default="1,2", help="comma-separated thread counts (default 1,2)")
    parser.add_argument("--scale", type=float, default=1.0, help="multiplies the calls per round (for a quick check)")
    args = parser.parse_args()
    torch.manual_seed(0)
    model = build_model()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
    x = torch.randn(B, 784)
    y = torch.randint(0, 10, (B,))
    x1 = x[:1].clone()

    def train():
        opt.zero_grad(set_to_none=True)
        loss = torch.nn.functional.cross_entropy(model(x), y)
        loss.backward()
        opt.step()

    def infer(inp):
        with torch.inference_mode():
            return torch.softmax(model(inp), dim=1)

    if not args.jsonl:
        print(f"torch {torch.__version__}, {torch.__config__.parallel_info().splitlines()[0]}")
        print(f"{'threads':>7} {'phase':>6} {'us/call':>10} {'GFLOP/s':>8}")
    for threads in map(int, args.threads.split(",")):
        torch.set_num_threads(threads)
        for phase, fn, flops, calls in (
            ("train", train, 3 * B * FORWARD_FLOPS_PER_SAMPLE, 50),
            ("infer1", lambda: infer(x1), FORWARD_FLOPS_PER_SAMPLE, 500),
            ("inferB", lambda: infer(x), B * FORWARD_FLOPS_PER_SAMPLE, 200),
        ):
            us = median_us(fn, max(1, int(calls * args.scale)))
            if args.jsonl:
                print(json.dumps(dict(system="pytorch", workload="mlp", phase=phase, threads=threads, us=round(us, 2),
                                      gflops=round(flops / us / 1e3, 3))), flush=True)
            else:
                print(f"{threads:>7} {phase:>6} {us:>10.1f} {flops / us / 1e3:>8.2f}")


if __name__ == "__main__":
    main()

"""Peer timing for tests/Unroll.Benchmarks: torch.matmul (float32, one thread) at the benchmark's sizes.

Run with /usr/bin/python3 (Debian PyTorch 1.13). Debian's torch calls whatever libblas.so.3 the loader finds; the
default on this machine is the reference (netlib) BLAS, so point it at OpenBLAS without installing anything:
    cd /tmp && apt-get download libopenblas0-pthread && dpkg-deb -x libopenblas0-pthread_*.deb /tmp/openblas
    LD_LIBRARY_PATH=/tmp/openblas/usr/lib/x86_64-linux-gnu/openblas-pthread /usr/bin/python3 tools/reference/gemm_peer.py
The script prints which BLAS library it actually loaded. Prints a markdown table of
time per call and GFLOP/s = 2*n^3 / time for C = A·B (NN), A·Bᵀ (NT) and Aᵀ·B (TN) on square n x n matrices,
best of several repeats (like BenchmarkDotNet's minimum, less sensitive to the other processes on a shared machine).
Usage: /usr/bin/python3 tools/reference/gemm_peer.py [sizes...]
"""
import os
import sys
import time

os.environ["OPENBLAS_NUM_THREADS"] = "1"  # OpenBLAS's own pool; torch.set_num_threads only sets OpenMP's
import torch  # noqa: E402

torch.set_num_threads(1)
SIZES = [int(s) for s in sys.argv[1:]] or [64, 128, 256, 512, 1024]


def best_time(fn, flops):
    reps = max(3, int(3e8 / flops))  # ~0.3 GFLOP per measurement
    for _ in range(3):
        fn()
    best = float("inf")
    for _ in range(7):
        t0 = time.perf_counter()
        for _ in range(reps):
            fn()
        best = min(best, (time.perf_counter() - t0) / reps)
    return best


def loaded_blas():
    with open("/proc/self/maps") as maps:
        libs = {line.split()[-1] for line in maps if "blas" in line.lower()}
    return ", ".join(sorted(libs)) or "none found"


def main():
    torch.manual_seed(0)
    torch.matmul(torch.ones(8, 8), torch.ones(8, 8))  # make sure the BLAS is loaded before reporting it
    print(f"torch {torch.__version__}, threads {torch.get_num_threads()}, BLAS loaded: {loaded_blas()}")
    print()
    print("| layout | n | time (us) | GFLOP/s |")
    print("| --- | ---: | ---: | ---: |")
    for layout in ("NN", "NT", "TN"):
        for n in SIZES:
            a = torch.rand(n, n, dtype=torch.float32)
            b = torch.rand(n, n, dtype=torch.float32)
            c = torch.empty(n, n, dtype=torch.float32)
            lhs = a.t() if layout == "TN" else a
            rhs = b.t() if layout == "NT" else b
            flops = 2.0 * n ** 3
            t = best_time(lambda: torch.matmul(lhs, rhs, out=c), flops)
            print(f"| {layout} | {n} | {t * 1e6:.1f} | {flops / t / 1e9:.1f} |")


if __name__ == "__main__":
    main()

"""PyTorch peer of samples/Gan: the same dense GAN, data and protocol, to compare time per epoch and the classifier's verdict.

Generator 100 -> 256 -> 512 -> 784 (leaky ReLU 0.2, tanh out); discriminator 784 -> 512 -> 256 -> 1 (leaky ReLU 0.2, sigmoid);
Adam(2e-4, betas (0.5, 0.999)); batch 64 real + 64 generated in one discriminator batch; the generator trained through the
discriminator, which is not stepped. Judge: 784 -> 256 ReLU -> dropout 0.2 -> 10, Adam 1e-3, 5 epochs of batch 128; it labels 1,000
generated images. Pixels in [-1, 1].

Run (Debian's torch with OpenBLAS, see tests/Unroll.Benchmarks/README.md; samples/fetch-data.sh fetches the data):
  LD_LIBRARY_PATH=/tmp/openblas/usr/lib/x86_64-linux-gnu/openblas-pthread OPENBLAS_CORETYPE=SkylakeX \\
    /usr/bin/python3 samples/peers/gan_peer.py [epochs] [threads]
"""
import gzip
import os
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".data", "fashion-mnist")


def load(prefix):
    with gzip.open(os.path.join(DATA, prefix + "-images-idx3-ubyte.gz")) as f:
        images = torch.frombuffer(bytearray(f.read()[16:]), dtype=torch.uint8).float().reshape(-1, 784) / 127.5 - 1
    with gzip.open(os.path.join(DATA, prefix + "-labels-idx1-ubyte.gz")) as f:
        labels = torch.frombuffer(bytearray(f.read()[8:]), dtype=torch.uint8).long()
    return images, labels


def main():
    epochs = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    threads = int(sys.argv[2]) if len(sys.argv) > 2 else 2
    torch.set_num_threads(threads)
    torch.manual_seed(1)
    train_x, train_y = load("train")
    test_x, test_y = load("t10k")
    torch.ones(2, 2) @ torch.ones(2, 2)  # loads the BLAS
    with open("/proc/self/maps") as f:
        blas = sorted({line.split()[-1] for line in f if "blas" in line.lower() and "/" in line})
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, BLAS: {', '.join(blas) or 'none found'}")

    judge = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Dropout(0.2), nn.Linear(256, 10))
    opt = torch.optim.Adam(judge.parameters(), 1e-3, eps=1e-7)
    start = time.perf_counter()
    for _ in range(5):
        order = torch.randperm(len(train_x))
        for i in range(0, len(order), 128):
            idx = order[i:i + 128]
            opt.zero_grad()
            F.cross_entropy(judge(train_x[idx]), train_y[idx]).backward()
            opt.step()
    judge.eval()
    with torch.no_grad():
        accuracy = (judge(test_x).argmax(1) == test_y).float().mean().item()
    print(f"classifier: test accuracy {accuracy:.4f} ({time.perf_counter() - start:.1f} s)")

    lrelu = lambda: nn.LeakyReLU(0.2)
    generator = nn.Sequential(nn.Linear(100, 256), lrelu(), nn.Linear(256, 512), lrelu(), nn.Linear(512, 784), nn.Tanh())
    discriminator = nn.Sequential(nn.Linear(784, 512), lrelu(), nn.Linear(512, 256), lrelu(), nn.Linear(256, 1), nn.Sigmoid())
    opt_g = torch.optim.Adam(generator.parameters(), 2e-4, betas=(0.5, 0.999), eps=1e-7)
    opt_d = torch.optim.Adam(discriminator.parameters(), 2e-4, betas=(0.5, 0.999), eps=1e-7)
    labels = torch.cat([torch.ones(64, 1), torch.zeros(64, 1)])
    ones = torch.ones(64, 1)
    for epoch in range(1, epochs + 1):
        start = time.perf_counter()
        order = torch.randperm(len(train_x))
        d_sum = g_sum = 0.0
        steps = len(order) // 64
        for s in range(steps):
            real = train_x[order[s * 64:(s + 1) * 64]]
            with torch.no_grad():
                fake = generator(torch.randn(64, 100))
            opt_d.zero_grad()
            d_loss = F.binary_cross_entropy(discriminator(torch.cat([real, fake])), labels)
            d_loss.backward()
            opt_d.step()
            opt_g.zero_grad()
            g_loss = F.binary_cross_entropy(discriminator(generator(torch.randn(64, 100))), ones)
            g_loss.backward()
            opt_g.step()
            d_sum += d_loss.item()
            g_sum += g_loss.item()
        print(f"  epoch {epoch:2}: D loss {d_sum / steps:.4f}  G loss {g_sum / steps:.4f}  ({time.perf_counter() - start:.1f} s)", flush=True)

    with torch.no_grad():
        p = F.softmax(judge(generator(torch.randn(1000, 100))), 1)
    confident = (p.max(1).values >= 0.9).float().mean().item()
    histogram = torch.bincount(p.argmax(1), minlength=10).tolist()
    print(f"1000 generated images: {confident:.3f} with confidence >= 0.9; histogram {histogram}; "
          f"{sum(h >= 20 for h in histogram)} of 10 classes at >= 2 %")


if __name__ == "__main__":
    main()

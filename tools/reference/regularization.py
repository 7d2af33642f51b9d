"""Goldens for src/Runtime/Kernels/Regularization.cs and GradientClipping.cs.

Run with /usr/bin/python3 (PyTorch 1.13). Writes tests/Unroll.Runtime.Tests/Goldens/regularization.json.
Inputs are float32 values; the L1/L2 penalty and its gradient come from autograd in float64, the clipping
from torch.nn.utils.clip_grad_norm_ / clip_grad_value_ on float32 gradients (what a float32 model clips).
"""
import torch

from golden import floats, write_golden

N = 19

torch.manual_seed(4242)


def l1l2(l1, l2):
    w = torch.randn(N).to(torch.float32)
    w[3] = 0.0  # |w| has gradient sign(0) = 0 in PyTorch
    w64 = w.to(torch.float64).clone().requires_grad_(True)
    penalty = l1 * w64.abs().sum() + l2 * (w64 * w64).sum()
    penalty.backward()
    return {"l1": l1, "l2": l2, "weights": floats(w), "penalty": float(penalty), "grad": floats(w64.grad)}


def clip_norm(scale, max_norm):
    g = (torch.randn(N) * scale).to(torch.float32)
    p = torch.nn.Parameter(torch.zeros(N))
    p.grad = g.clone()
    norm = torch.nn.utils.clip_grad_norm_([p], max_norm)
    return {"max_norm": max_norm, "gradients": floats(g), "norm": float(norm), "clipped": floats(p.grad)}


def clip_value(clip):
    g = (torch.randn(N) * 2.0).to(torch.float32)
    g[0] = clip  # exactly on the bound
    p = torch.nn.Parameter(torch.zeros(N))
    p.grad = g.clone()
    torch.nn.utils.clip_grad_value_([p], clip)
    return {"clip": clip, "gradients": floats(g), "clipped": floats(p.grad)}


def main():
    golden = {
        "l1l2": [l1l2(0.01, 0.02), l1l2(0.0, 0.5), l1l2(0.3, 0.0)],
        # norms well above, and below, max_norm: the second must leave the gradients unchanged
        "clip_norm": [clip_norm(3.0, 1.0), clip_norm(0.1, 5.0), clip_norm(10.0, 2.5)],
        "clip_value": [clip_value(0.5), clip_value(1.5)],
    }
    write_golden("regularization.json", golden)


if __name__ == "__main__":
    main()

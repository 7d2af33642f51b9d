"""Goldens for the kernels of the merge, reshaping and pooling layers in their general forms, beyond what the whole-model goldens
(functional_models.py) reach: Dot contracting an inner axis of rank-2 samples, L2 normalization along a middle axis, Concatenate
along a middle axis, Permute between time-major and batch-major layouts, and masked global pooling with ties.

Run with Debian's PyTorch: /usr/bin/python3 tools/reference/merging.py
Writes tests/Unroll.Runtime.Tests/Goldens/merging.json. Each case has its inputs, an upstream gradient dy, the output and the
gradient of each input (autograd of sum(y * dy)).
"""
import torch

from golden import floats, write_golden

torch.manual_seed(31)
torch.set_default_dtype(torch.float64)


def f32(t):
    return t.float().double()


def leaf(*shape):
    return f32(torch.randn(*shape)).requires_grad_(True)


def grads(y, inputs):
    dy = f32(torch.randn(*y.shape))
    g = torch.autograd.grad((y * dy).sum(), inputs)
    return dy, g


def dot_case(name, a_shape, b_shape, equation):
    a, b = leaf(*a_shape), leaf(*b_shape)
    y = torch.einsum(equation, a, b)
    dy, (da, db) = grads(y, [a, b])
    return {"name": name, "a": floats(a), "b": floats(b), "y": floats(y), "dy": floats(dy), "da": floats(da), "db": floats(db)}


def normalize_case():
    # (rows, size, after) = (3, 4, 2): normalized along the middle axis, Keras l2_normalize: x / sqrt(max(sum x^2, 1e-12)).
    x = leaf(3, 4, 2)
    y = x / torch.sqrt(torch.clamp((x * x).sum(dim=1, keepdim=True), min=1e-12))
    dy, (dx,) = grads(y, [x])
    return {"name": "l2_normalize_middle", "x": floats(x), "y": floats(y), "dy": floats(dy), "dx": floats(dx)}


def concatenate_case():
    # Samples (2, 3) and (2, 1) joined along their first axis (Keras axis 1) into (2, 4)... per sample (B = 2): outer = B * 2.
    a, b = leaf(2, 2, 3), leaf(2, 2, 1)
    y = torch.cat([a, b], dim=2)
    dy, (da, db) = grads(y, [a, b])
    return {"name": "concatenate_inner", "a": floats(a), "b": floats(b), "y": floats(y), "dy": floats(dy), "da": floats(da), "db": floats(db)}


def permute_case():
    # A sequence of 3 steps of (4, 5) per sample, batch 2, stored time-major (3, 2, 4, 5); Keras Permute((3, 1, 2)) moves the
    # time axis to the middle: (5, 3, 4) per sample, stored batch-major.
    x = leaf(2, 3, 4, 5)                      # batch-major logical view
    y = x.permute(0, 3, 1, 2)                 # (B, 5, 3, 4)
    dy, (dx,) = grads(y, [x])
    return {"name": "permute_time_to_middle",
            "x_time_major": floats(x.permute(1, 0, 2, 3)), "y": floats(y), "dy": floats(dy), "dx_time_major": floats(dx.permute(1, 0, 2, 3))}


def pooling_case():
    # (steps 4, batch 3, features 2), masks with padding and a sample of padding only; the max has a tie at steps 1 and 2.
    x = f32(torch.randn(4, 3, 2))
    x[1, 0, 0] = x[2, 0, 0] = 5.0
    x = x.requires_grad_(True)
    mask = torch.tensor([[1.0, 1.0, 0.0], [1.0, 0.0, 0.0], [1.0, 1.0, 0.0], [0.0, 1.0, 0.0]])
    m = mask.unsqueeze(2)
    count = mask.sum(dim=0).clamp(min=1).unsqueeze(1)
    mean = (x * m).sum(dim=0) / count
    filled = x.masked_fill(m == 0, float("-inf"))
    best = filled.max(dim=0)
    peak = torch.where(torch.isinf(best.values), torch.zeros_like(best.values), best.values)
    dmean = f32(torch.randn(3, 2))
    dpeak = f32(torch.randn(3, 2))
    dx_mean, = torch.autograd.grad((mean * dmean).sum(), [x])
    # The max's gradient goes to the first step holding it (PyTorch's max(dim) picks one index; ours is the first).
    dx_peak = torch.zeros_like(x)
    for b in range(3):
        for f in range(2):
            steps = [t for t in range(4) if mask[t, b] == 1]
            if not steps:
                continue
            top = max(x[t, b, f].item() for t in steps)
            first = next(t for t in steps if x[t, b, f].item() == top)
            dx_peak[first, b, f] += dpeak[b, f]
    return {"name": "masked_pooling", "x": floats(x), "mask": floats(mask), "mean": floats(mean), "peak": floats(peak),
            "dmean": floats(dmean), "dpeak": floats(dpeak), "dx_mean": floats(dx_mean), "dx_peak": floats(dx_peak)}


if __name__ == "__main__":
    cases = [
        dot_case("dot_last_axis", (2, 3, 4), (2, 5, 4), "bik,bjk->bij"),   # Keras Dot(axes=2) on (3, 4) and (5, 4)
        dot_case("dot_first_axis", (2, 4, 3), (2, 4, 2), "bki,bkj->bij"),  # Keras Dot(axes=1) on (4, 3) and (4, 2)
        normalize_case(),
        concatenate_case(),
        permute_case(),
        pooling_case(),
    ]
    write_golden("merging.json", {"cases": cases})

"""Goldens for src/Runtime/Kernels/Dense.cs: nn.Linear forward output and autograd gradients.

Run with /usr/bin/python3 (PyTorch 1.13). Writes tests/Unroll.Runtime.Tests/Goldens/dense.json.
Inputs, weights and the upstream gradient are float32 values (so C# and PyTorch start from exactly the same
numbers); the layer then runs in float64 through nn.Linear and autograd, so the golden is PyTorch's own
definition with no float32 rounding of its own. Cases: batch 4, 7 -> 5 features, with and without bias.
"""
import torch
import torch.nn as nn

from golden import floats, write_golden

BATCH, IN, OUT = 4, 7, 5


def case(bias, seed):
    torch.manual_seed(seed)
    layer = nn.Linear(IN, OUT, bias=bias)  # PyTorch's own init: weight (OUT, IN), uniform(+-1/sqrt(IN))
    x = torch.randn(BATCH, IN).to(torch.float32)
    dy = torch.randn(BATCH, OUT).to(torch.float32)
    w32 = layer.weight.detach().to(torch.float32)
    b32 = layer.bias.detach().to(torch.float32) if bias else None

    layer = layer.to(torch.float64)
    x64 = x.to(torch.float64).clone().requires_grad_(True)
    y = layer(x64)
    y.backward(dy.to(torch.float64))

    out = {
        "batch": BATCH, "in_features": IN, "out_features": OUT,
        "x": floats(x), "weight": floats(w32), "bias": floats(b32) if bias else [],
        "dy": floats(dy),
        "y": floats(y), "dx": floats(x64.grad), "dweight": floats(layer.weight.grad),
        "dbias": floats(layer.bias.grad) if bias else [],
    }
    return out


def main():
    data = {"with_bias": case(True, 1234), "no_bias": case(False, 5678)}
    write_golden("dense.json", data)


if __name__ == "__main__":
    main()

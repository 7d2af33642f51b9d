"""Goldens for src/Runtime/Kernels/Activations.cs: forward outputs and input gradients of every activation.

Run with /usr/bin/python3 (PyTorch 1.13). Writes tests/Unroll.Runtime.Tests/Goldens/activations.json.
Inputs are float32 values (so C# and PyTorch start from exactly the same numbers); the math then runs in
float64 through torch.nn.functional and autograd, with a random upstream gradient dy, so the golden is the
exact derivative of PyTorch's own definition.
"""
import torch
import torch.nn.functional as F

from golden import floats, write_golden

ROWS, COLS = 4, 7  # 7 units: not a multiple of any SIMD width, so vector loops and their tails both run

torch.manual_seed(20240601)
x = (torch.randn(ROWS, COLS) * 2.0).to(torch.float32)
# Points where the piecewise definitions switch branches, and magnitudes that saturate the smooth ones.
x[0, 0] = 0.0
x[0, 1] = 1e-4
x[0, 2] = -1e-4
x[1, 3] = 12.0
x[1, 4] = -12.0
x[2, 5] = 30.0
x[3, 6] = -30.0
dy = torch.randn(ROWS, COLS).to(torch.float32)

# Softmax gets its own input: a plain row, rows whose logits are far beyond exp's float range (only a
# max-subtracting implementation survives them), a constant row and a row with one dominant logit.
softmax_x = (torch.randn(5, 6) * 3.0).to(torch.float32)
softmax_x[1] = torch.tensor([1000.0, 1001.0, 999.5, 1000.25, 998.0, 1002.0])
softmax_x[2] = torch.tensor([-1000.0, -1001.0, -999.5, -1000.25, -998.0, -1002.0])
softmax_x[3] = 0.75
softmax_x[4] = torch.tensor([50.0, -50.0, 0.0, 10.0, -10.0, 49.0])
softmax_dy = torch.randn(5, 6).to(torch.float32)
# Rows wider than Softmax_Forward's short-row path (at most 32 columns): the per-row vector path, also with huge logits.
softmax_wide_x = (torch.randn(3, 40) * 3.0).to(torch.float32)
softmax_wide_x[1] += 1000.0
softmax_wide_dy = torch.randn(3, 40).to(torch.float32)

# PReLU slopes, one per unit (nn.PReLU(num_parameters=COLS)), including a negative and a zero slope.
prelu_alpha = torch.tensor([0.25, 0.1, -0.3, 0.0, 0.5, 1.5, 0.05], dtype=torch.float32)


def run(fn, inp, upstream):
    """Forward y = fn(inp) and dx = d(sum(y * upstream))/d(inp) in float64."""
    x64 = inp.to(torch.float64).clone().requires_grad_(True)
    y = fn(x64)
    y.backward(upstream.to(torch.float64))
    return {"y": floats(y), "dx": floats(x64.grad)}


def prelu():
    x64 = x.to(torch.float64).clone().requires_grad_(True)
    a64 = prelu_alpha.to(torch.float64).clone().requires_grad_(True)
    y = F.prelu(x64, a64)
    y.backward(dy.to(torch.float64))
    return {"alpha": floats(prelu_alpha), "y": floats(y), "dx": floats(x64.grad), "dalpha": floats(a64.grad)}


def main():
    softmax = run(lambda t: F.softmax(t, dim=1), softmax_x, softmax_dy)
    softmax.update({"rows": 5, "cols": 6, "x": floats(softmax_x), "dy": floats(softmax_dy)})
    softmax_wide = run(lambda t: F.softmax(t, dim=1), softmax_wide_x, softmax_wide_dy)
    softmax_wide.update({"rows": 3, "cols": 40, "x": floats(softmax_wide_x), "dy": floats(softmax_wide_dy)})
    erf_x = torch.tensor([-6.0, -3.5, -2.0, -1.0, -0.5, -0.25, -1e-3, 0.0, 1e-8, 1e-3, 0.1, 0.3, 0.4999, 0.5,
                          0.75, 0.84375, 1.0, 1.25, 1.5, 2.0, 2.5, 2.9, 3.0, 4.0, 5.0, 6.0], dtype=torch.float64)
    golden = {
        "rows": ROWS,
        "cols": COLS,
        "x": floats(x),
        "dy": floats(dy),
        "sigmoid": run(torch.sigmoid, x, dy),
        "tanh": run(torch.tanh, x, dy),
        "relu": run(F.relu, x, dy),
        "leaky_relu": {"alpha": 0.2, **run(lambda t: F.leaky_relu(t, 0.2), x, dy)},
        "elu": {"alpha": 1.0, **run(lambda t: F.elu(t, 1.0), x, dy)},
        "elu_alpha_0_3": {"alpha": 0.3, **run(lambda t: F.elu(t, 0.3), x, dy)},
        "prelu": prelu(),
        "selu": run(F.selu, x, dy),
        "gelu": run(F.gelu, x, dy),  # approximate='none': the exact erf form
        "softmax": softmax,
        "softmax_wide": softmax_wide,
        # float64 erf on points around the branch switches of the C# implementation.
        "erf": {"x": floats(erf_x), "y": floats(torch.erf(erf_x)), "erfc": floats(torch.erfc(erf_x))},
    }
    write_golden("activations.json", golden)


if __name__ == "__main__":
    main()

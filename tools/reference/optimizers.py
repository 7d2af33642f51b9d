"""Goldens for src/Runtime/Kernels/Optimizers.cs: three steps of each torch.optim optimizer.

Run with /usr/bin/python3 (PyTorch 1.13). Writes tests/Unroll.Runtime.Tests/Goldens/optimizers.json.
The initial parameters and the three gradient vectors are float32 values (so C# and PyTorch start from
exactly the same numbers); the optimizers then run in float64 so the golden is the exact math.
"""
import torch

from golden import write_golden

N = 23  # not a multiple of any SIMD width, so the C# kernels exercise both the vector loop and the tail
STEPS = 3

torch.manual_seed(1234)
initial = torch.randn(N, dtype=torch.float32)
gradients = [torch.randn(N, dtype=torch.float32) * s for s in (1.0, 0.5, 2.0)]
# A zero gradient component checks the eps path (0 / (0 + eps)) of the adaptive optimizers.
gradients[0][5] = 0.0
gradients[1][5] = 0.0
gradients[2][5] = 0.0

# name -> (constructor, hyperparameters recorded for the C# side, learning rate for each step)
CASES = [
    ("sgd", lambda ps, lr: torch.optim.SGD(ps, lr=lr), {}, [0.1, 0.1, 0.1]),
    ("momentum", lambda ps, lr: torch.optim.SGD(ps, lr=lr, momentum=0.9), {"momentum": 0.9}, [0.1, 0.1, 0.1]),
    ("nesterov", lambda ps, lr: torch.optim.SGD(ps, lr=lr, momentum=0.9, nesterov=True), {"momentum": 0.9},
     [0.1, 0.1, 0.1]),
    ("adagrad", lambda ps, lr: torch.optim.Adagrad(ps, lr=lr, initial_accumulator_value=0.1, eps=1e-7),
     {"initial_accumulator": 0.1, "epsilon": 1e-7}, [0.1, 0.1, 0.1]),
    ("rmsprop", lambda ps, lr: torch.optim.RMSprop(ps, lr=lr, alpha=0.9, eps=1e-7),
     {"rho": 0.9, "epsilon": 1e-7}, [0.01, 0.01, 0.01]),
    ("adam", lambda ps, lr: torch.optim.Adam(ps, lr=lr, eps=1e-7),
     {"beta1": 0.9, "beta2": 0.999, "epsilon": 1e-7}, [0.01, 0.01, 0.01]),
    # The learning rate is a plain argument of the C# kernels; changing it between steps must match PyTorch
    # changing param_group["lr"] (what a scheduler does).
    ("adam_lr_schedule", lambda ps, lr: torch.optim.Adam(ps, lr=lr, betas=(0.8, 0.99), eps=1e-7),
     {"beta1": 0.8, "beta2": 0.99, "epsilon": 1e-7}, [0.1, 0.01, 0.05]),
    ("adamw", lambda ps, lr: torch.optim.AdamW(ps, lr=lr, weight_decay=0.004, eps=1e-7),
     {"beta1": 0.9, "beta2": 0.999, "epsilon": 1e-7, "weight_decay": 0.004}, [0.1, 0.1, 0.1]),
]


def run(make, lrs):
    p = torch.nn.Parameter(initial.to(torch.float64).clone())
    opt = make([p], lrs[0])
    after = []
    for step in range(STEPS):
        for group in opt.param_groups:
            group["lr"] = lrs[step]
        p.grad = gradients[step].to(torch.float64).clone()
        opt.step()
        after.append([float(x) for x in p.detach()])
    return after


def main():
    cases = []
    for name, make, hyper, lrs in CASES:
        cases.append({"name": name, "learning_rates": lrs, **hyper, "parameters_after_step": run(make, lrs)})
    golden = {
        "torch_version": torch.__version__,
        "initial": [float(x) for x in initial],
        "gradients": [[float(x) for x in g] for g in gradients],
        "cases": cases,
    }
    write_golden("optimizers.json", golden)


if __name__ == "__main__":
    main()

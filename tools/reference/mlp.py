"""Goldens for whole generated models: a 3-layer MLP's loss, every gradient, and its parameters after three
optimizer steps, for two configurations. Run with Debian's PyTorch: /usr/bin/python3 tools/reference/mlp.py
Writes tests/Unroll.Models.Tests/Goldens/mlp.json."""
import os

import torch

from golden import ROOT, floats, write_golden

torch.manual_seed(1234)
torch.set_default_dtype(torch.float64)


def case(name, layers, activations, loss_name, batch, optimizer, steps=3):
    sizes = [layers[0]] + layers[1:]
    linears = [torch.nn.Linear(sizes[i], sizes[i + 1]) for i in range(len(sizes) - 1)]
    # float32-representable starting values, so C# starts from exactly the same numbers
    with torch.no_grad():
        for lin in linears:
            lin.weight.copy_(lin.weight.float().double())
            lin.bias.copy_((torch.randn_like(lin.bias) * 0.1).float().double())
    x = torch.randn(batch, sizes[0]).float().double()
    names = ["hidden1", "hidden2", "output"]
    if loss_name == "sparse":
        labels = torch.randint(0, sizes[-1], (batch,))
        targets = None
    else:
        labels = None
        targets = torch.randn(batch, sizes[-1]).float().double()

    def forward(inp):
        h = inp
        for lin, act in zip(linears, activations):
            h = act(lin(h))
        return h

    def loss_fn(out):
        if loss_name == "sparse":
            # the model's output is softmax probabilities; CE on them equals log-softmax CE on the logits
            return torch.nn.functional.nll_loss(torch.log(out), labels)
        return torch.nn.functional.mse_loss(out, targets)

    params = {}
    for n, lin in zip(names, linears):
        params[n + ".weight"] = floats(lin.weight)
        params[n + ".bias"] = floats(lin.bias)

    out = forward(x)
    loss = loss_fn(out)
    grads_w = torch.autograd.grad(loss, [p for lin in linears for p in (lin.weight, lin.bias)])
    grads = {}
    keys = [n + s for n in names for s in (".weight", ".bias")]
    for k, g in zip(keys, grads_w):
        grads[k] = floats(g)

    all_params = [p for lin in linears for p in (lin.weight, lin.bias)]
    opt = optimizer(all_params)
    step_losses = []
    for _ in range(steps):
        opt.zero_grad()
        l = loss_fn(forward(x))
        step_losses.append(float(l))
        l.backward()
        opt.step()
    after = {}
    for n, lin in zip(names, linears):
        after[n + ".weight"] = floats(lin.weight)
        after[n + ".bias"] = floats(lin.bias)

    return {
        "name": name,
        "batch": batch,
        "inputs": floats(x),
        "labels": [int(v) for v in labels.tolist()] if labels is not None else None,
        "targets": floats(targets) if targets is not None else None,
        "outputs": floats(out),
        "loss": float(loss),
        "parameters": params,
        "gradients": grads,
        "step_losses": step_losses,
        "after_steps": after,
    }


cases = [
    case("tanh_relu_softmax_sparse_adam", [5, 7, 6, 4],
         [torch.tanh, torch.relu, lambda z: torch.softmax(z, dim=1)], "sparse", 6,
         lambda p: torch.optim.Adam(p, lr=0.01, eps=1e-7)),
    case("elu_sigmoid_linear_mse_sgd", [3, 8, 5, 2],
         [torch.nn.functional.elu, torch.sigmoid, lambda z: z], "mse", 5,
         lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9)),
]

# The first model's weights as PyTorch would save them (float32, state_dict names), for the Load test.
import numpy as np
from safetensors_interop import serialize  # noqa: E402

shapes = {"hidden1.weight": [7, 5], "hidden1.bias": [7], "hidden2.weight": [6, 7], "hidden2.bias": [6],
          "output.weight": [4, 6], "output.bias": [4]}
tensors = [(name, "F32", shapes[name], np.asarray(values, dtype="<f4").tobytes()) for name, values in cases[0]["parameters"].items()]
torch_file = os.path.join(ROOT, "tests", "Unroll.Models.Tests", "Goldens", "torch_mlp.safetensors")
with open(torch_file, "wb") as f:
    f.write(serialize(tensors, {"format": "pt"}))

write_golden("mlp.json", {"generator": "tools/reference/mlp.py", "torch": torch.__version__, "cases": cases},
             project="Unroll.Models.Tests")

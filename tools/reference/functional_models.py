"""Goldens for functional models: several inputs and outputs, merges, shared layers, reshaping, and a chained pair.

Run with Debian's PyTorch: /usr/bin/python3 tools/reference/functional_models.py
Writes tests/Unroll.Models.Tests/Goldens/functional.json with five cases, each matching a model in
tests/Unroll.Models.Tests/FunctionalModels.cs:

- "two_inputs_two_outputs": token ids and float features in; a class (softmax, sparse cross-entropy) and two values (linear,
  MSE with weight 0.5) out; a masked mean over the embedded words, one Dense shared by the features and the pooled words (its
  gradient is the sum of both uses), Add, Concatenate, fan-out, Reshape/Flatten, RepeatVector into an LSTM. Every output, each
  loss and the weighted total, every parameter gradient and the features' gradient; the gradients when backward starts from
  given output gradients instead of the losses; the parameters after three Adam steps.
- "gan": a generator trained through a frozen discriminator: the generator's gradients, the gradient of the generated samples,
  and the generator's parameters after one Adam step (lr 2e-4, beta1 0.5), the discriminator unchanged.
- "merges": Subtract, a three-way Multiply, Average, three-way Maximum, Minimum, Dot (normalized: cosine) and Dot, Permute
  (keeping and moving the time axis), masked GlobalMaxPooling1D, Reshape, Flatten and a four-way Concatenate; SGD, one step.
- "masked_merge": two masked token sequences added; the merged mask (a step is padding in either) steers a SimpleRNN.
- "overlapping_outputs": outputs whose floats or gradients overlap: a Reshape of another output, a softmax layer over another
  output, a Flatten of the input; the weighted total's gradients and the input's.

Everything is float64 from float32 starting values; masks follow Keras mask_zero (a sample of padding only pools to zeros).
"""
import torch
import torch.nn.functional as F

from golden import floats, write_golden

torch.set_default_dtype(torch.float64)


def f32(t):
    """Rounds to float32 values, so C# starts from exactly the same numbers."""
    return t.float().double()


def param(*shape, scale=0.5):
    return f32((torch.rand(*shape) * 2 - 1) * scale).requires_grad_(True)


def lstm(x, p, units):
    """x (B, T, In) -> the last h (B, units); PyTorch's gate order, one bias (= bias_ih + bias_hh)."""
    batch = x.shape[0]
    h = torch.zeros(batch, units)
    c = torch.zeros(batch, units)
    for t in range(x.shape[1]):
        g = x[:, t] @ p["weight_ih"].T + p["bias"] + h @ p["weight_hh"].T
        i, f, gg, o = g.chunk(4, dim=1)
        c = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(gg)
        h = torch.sigmoid(o) * torch.tanh(c)
    return h


def self_check():
    """The loop is nn.LSTM; the masked mean is Keras' GlobalAveragePooling1D with a mask."""
    module = torch.nn.LSTM(4, 5, batch_first=True)
    x = torch.randn(3, 6, 4)
    p = {"weight_ih": module.weight_ih_l0, "weight_hh": module.weight_hh_l0, "bias": module.bias_ih_l0 + module.bias_hh_l0}
    _, (h, _) = module(x)
    assert torch.allclose(lstm(x, p, 5), h[0], atol=1e-12)


def masked_mean(x, mask):
    """x (B, T, F), mask (B, T) of 0/1: the mean over the steps that are not padding, zeros for a sample of padding only."""
    m = mask.unsqueeze(2)
    count = mask.sum(dim=1, keepdim=True)
    return (x * m).sum(dim=1) / count.clamp(min=1)


def masked_max(x, mask):
    """x (B, T, F): the maximum over the steps that are not padding, zeros for a sample of padding only."""
    filled = x.masked_fill(mask.unsqueeze(2) == 0, float("-inf"))
    best = filled.max(dim=1).values
    return torch.where(torch.isinf(best), torch.zeros_like(best), best)


def l2_normalize(x):
    """Keras l2_normalize along the last axis: x / sqrt(max(sum x^2, 1e-12))."""
    return x / torch.sqrt(torch.clamp((x * x).sum(dim=-1, keepdim=True), min=1e-12))


def case_two_inputs_two_outputs():
    torch.manual_seed(7)
    words = torch.tensor([
        [3, 7, 1, 11, 4, 9],   # full
        [5, 2, 8, 0, 0, 0],    # right padding
        [0, 0, 6, 10, 3, 1],   # left padding
        [2, 0, 9, 0, 7, 0],    # holes
        [0, 0, 0, 0, 0, 0],    # padding only: the mean is zeros
    ])
    batch = words.shape[0]
    stats = f32(torch.randn(batch, 4))
    labels = torch.tensor([0, 2, 1, 2, 0])
    targets = f32(torch.randn(batch, 2))
    params = {
        "embed.weight": param(12, 4),
        "stats_code.weight": param(4, 4), "stats_code.bias": param(4, scale=0.2),
        "kind.weight": param(3, 8), "kind.bias": param(3, scale=0.2),
        "decoder.weight_ih": param(20, 8), "decoder.weight_hh": param(20, 5), "decoder.bias": param(20, scale=0.2),
        "value.weight": param(2, 5), "value.bias": param(2, scale=0.2),
    }
    names = list(params)
    stats_leaf = stats.clone().requires_grad_(True)

    def forward(features):
        embedded = params["embed.weight"][words]                              # (B, 6, 4)
        mean = masked_mean(embedded, (words != 0).double())                   # (B, 4)
        code = lambda x: torch.tanh(x @ params["stats_code.weight"].T + params["stats_code.bias"])
        total = code(features) + code(mean)                                   # Add of the shared layer's two uses
        joined = torch.cat([total, mean], dim=1)                              # (B, 8)
        flat = joined.reshape(batch, 2, 4).reshape(batch, 8)                  # Reshape, Flatten
        kind = torch.softmax(flat @ params["kind.weight"].T + params["kind.bias"], dim=1)
        repeated = joined.unsqueeze(1).repeat(1, 3, 1)                        # RepeatVector(3)
        decoded = lstm(repeated, {k: params["decoder." + k] for k in ("weight_ih", "weight_hh", "bias")}, 5)
        value = decoded @ params["value.weight"].T + params["value.bias"]
        return kind, value

    def losses(kind, value):
        kind_loss = F.nll_loss(torch.log(kind), labels)
        value_loss = F.mse_loss(value, targets)
        return kind_loss, value_loss, kind_loss + 0.5 * value_loss

    kind, value = forward(stats_leaf)
    kind_loss, value_loss, total = losses(kind, value)
    grads = torch.autograd.grad(total, [params[n] for n in names] + [stats_leaf])
    result = {
        "name": "two_inputs_two_outputs",
        "words": [int(v) for v in words.reshape(-1).tolist()],
        "stats": floats(stats),
        "labels": [int(v) for v in labels.tolist()],
        "targets": floats(targets),
        "parameters": {n: floats(params[n]) for n in names},
        "kind": floats(kind),
        "value": floats(value),
        "kind_loss": float(kind_loss),
        "value_loss": float(value_loss),
        "loss": float(total),
        "gradients": {n: floats(g) for n, g in zip(names, grads[:-1])},
        "stats_gradient": floats(grads[-1]),
    }

    # Backward from given output gradients: d(sum(kind * gk) + sum(value * gv)).
    kind_gradient = f32(torch.randn(batch, 3))
    value_gradient = f32(torch.randn(batch, 2))
    kind, value = forward(stats_leaf)
    seeded = torch.autograd.grad((kind * kind_gradient).sum() + (value * value_gradient).sum(), [params[n] for n in names] + [stats_leaf])
    result["kind_gradient"] = floats(kind_gradient)
    result["value_gradient"] = floats(value_gradient)
    result["seeded_gradients"] = {n: floats(g) for n, g in zip(names, seeded[:-1])}
    result["seeded_stats_gradient"] = floats(seeded[-1])

    opt = torch.optim.Adam([params[n] for n in names], lr=0.01, eps=1e-7)
    step_losses = []
    for _ in range(3):
        opt.zero_grad()
        _, _, l = losses(*forward(stats))
        step_losses.append(float(l))
        l.backward()
        opt.step()
    result["step_losses"] = step_losses
    result["after_steps"] = {n: floats(params[n]) for n in names}
    return result


def case_gan():
    torch.manual_seed(8)
    batch = 6
    noise = f32(torch.randn(batch, 3))
    generator = {"hidden.weight": param(6, 3), "hidden.bias": param(6, scale=0.2), "sample.weight": param(4, 6), "sample.bias": param(4, scale=0.2)}
    discriminator = {"hidden.weight": param(5, 4), "hidden.bias": param(5, scale=0.2), "real.weight": param(1, 5), "real.bias": param(1, scale=0.2)}
    names = list(generator)

    def generate(z):
        h = F.leaky_relu(z @ generator["hidden.weight"].T + generator["hidden.bias"], 0.2)
        return torch.tanh(h @ generator["sample.weight"].T + generator["sample.bias"])

    def discriminate(x):
        h = F.leaky_relu(x @ discriminator["hidden.weight"].T + discriminator["hidden.bias"], 0.2)
        return torch.sigmoid(h @ discriminator["real.weight"].T + discriminator["real.bias"])

    result = {
        "name": "gan",
        "noise": floats(noise),
        "generator": {n: floats(p) for n, p in generator.items()},
        "discriminator": {n: floats(p) for n, p in discriminator.items()},
    }
    # The generator's step: its samples labelled real, through the discriminator, whose weights stay as they are.
    samples = generate(noise)
    samples_leaf = samples.detach().clone().requires_grad_(True)
    realness = discriminate(samples_leaf)
    loss = F.binary_cross_entropy(realness, torch.ones(batch, 1))
    samples_gradient, = torch.autograd.grad(loss, [samples_leaf])
    grads = torch.autograd.grad(samples, [generator[n] for n in names], grad_outputs=samples_gradient)
    full = torch.autograd.grad(F.binary_cross_entropy(discriminate(generate(noise)), torch.ones(batch, 1)), [generator[n] for n in names])
    for a, b in zip(grads, full):
        assert torch.allclose(a, b, atol=1e-12)
    result.update({
        "samples": floats(samples),
        "realness": floats(realness),
        "loss": float(loss),
        "samples_gradient": floats(samples_gradient),
        "gradients": {n: floats(g) for n, g in zip(names, grads)},
    })
    opt = torch.optim.Adam([generator[n] for n in names], lr=0.0002, betas=(0.5, 0.999), eps=1e-7)
    opt.zero_grad()
    F.binary_cross_entropy(discriminate(generate(noise)), torch.ones(batch, 1)).backward()
    opt.step()
    result["after_step"] = {n: floats(generator[n]) for n in names}
    return result


def case_merges():
    torch.manual_seed(9)
    batch = 4
    a = f32(torch.randn(batch, 4))
    b = f32(torch.randn(batch, 4))
    words = torch.tensor([
        [3, 7, 1, 8, 4],
        [5, 2, 0, 0, 0],
        [0, 6, 0, 2, 1],
        [0, 0, 0, 0, 0],   # padding only: the maximum is zeros
    ])
    targets = f32(torch.randn(batch, 2))
    params = {"c.weight": param(4, 4), "c.bias": param(4, scale=0.2), "embed.weight": param(9, 3),
              "out.weight": param(2, 9), "out.bias": param(2, scale=0.2)}
    names = list(params)
    a_leaf = a.clone().requires_grad_(True)
    b_leaf = b.clone().requires_grad_(True)

    def forward(x, y):
        c = torch.tanh(x @ params["c.weight"].T + params["c.bias"])
        difference = x - y
        product = x * y * c
        mean = (difference + product) / 2
        largest = torch.stack([x, c, mean]).max(dim=0).values
        smallest = torch.stack([y, largest]).min(dim=0).values
        cosine = (l2_normalize(smallest) * l2_normalize(c)).sum(dim=1, keepdim=True)
        inner = (largest * y).sum(dim=1, keepdim=True)
        embedded = params["embed.weight"][words]                          # (B, 5, 3); Permute(1, 2) keeps it as it is
        peak = masked_max(embedded, (words != 0).double())                # (B, 3)
        row = peak.reshape(batch, 3, 1).permute(0, 2, 1).reshape(batch, 3)
        joined = torch.cat([cosine, inner, row, smallest], dim=1)          # (B, 9)
        return joined @ params["out.weight"].T + params["out.bias"]

    out = forward(a_leaf, b_leaf)
    loss = F.mse_loss(out, targets)
    grads = torch.autograd.grad(loss, [params[n] for n in names] + [a_leaf, b_leaf])
    result = {
        "name": "merges",
        "a": floats(a), "b": floats(b),
        "words": [int(v) for v in words.reshape(-1).tolist()],
        "targets": floats(targets),
        "parameters": {n: floats(params[n]) for n in names},
        "outputs": floats(out),
        "loss": float(loss),
        "gradients": {n: floats(g) for n, g in zip(names, grads[:-2])},
        "a_gradient": floats(grads[-2]),
        "b_gradient": floats(grads[-1]),
    }
    opt = torch.optim.SGD([params[n] for n in names], lr=0.1)
    opt.zero_grad()
    F.mse_loss(forward(a, b), targets).backward()
    opt.step()
    result["after_step"] = {n: floats(params[n]) for n in names}
    return result


def case_masked_merge():
    """Two token sequences of one length, each embedded with MaskZero, added: a step is padding when it is padding in either (Keras
    ANDs the masks of merged inputs), so a SimpleRNN after the Add carries its state through such steps and they get no gradient."""
    torch.manual_seed(10)
    first = torch.tensor([[3, 1, 4, 1, 5], [2, 6, 0, 0, 0], [0, 7, 1, 8, 2]])
    second = torch.tensor([[9, 2, 6, 0, 3], [5, 3, 5, 8, 9], [7, 0, 9, 3, 2]])
    targets = f32(torch.randn(3, 1))
    params = {"first_embed.weight": param(10, 4), "second_embed.weight": param(10, 4),
              "rnn.weight_ih": param(3, 4), "rnn.weight_hh": param(3, 3), "rnn.bias": param(3, scale=0.2),
              "out.weight": param(1, 3), "out.bias": param(1, scale=0.2)}
    names = list(params)

    def forward():
        x = params["first_embed.weight"][first] + params["second_embed.weight"][second]   # (B, T, 4)
        mask = ((first != 0) & (second != 0)).double()                                      # (B, T)
        h = torch.zeros(3, 3)
        for t in range(5):
            hn = torch.tanh(x[:, t] @ params["rnn.weight_ih"].T + params["rnn.bias"] + h @ params["rnn.weight_hh"].T)
            m = mask[:, t].unsqueeze(1)
            h = m * hn + (1 - m) * h
        return h @ params["out.weight"].T + params["out.bias"]

    out = forward()
    loss = F.mse_loss(out, targets)
    grads = torch.autograd.grad(loss, [params[n] for n in names])
    return {"name": "masked_merge", "first": [int(v) for v in first.reshape(-1).tolist()], "second": [int(v) for v in second.reshape(-1).tolist()],
            "targets": floats(targets), "parameters": {n: floats(params[n]) for n in names}, "outputs": floats(out), "loss": float(loss),
            "gradients": {n: floats(g) for n, g in zip(names, grads)}}


def case_overlapping_outputs():
    """Outputs that share floats or gradients: Logits (MSE, weight 0.5) and Grid, a Reshape of it (MSE); Probs, a softmax layer
    over Score (categorical cross-entropy on soft targets) while Score is an output too (MSE); Echo, a Flatten of the input (MSE,
    weight 2). Each output's loss adds its own gradient to what it shares."""
    torch.manual_seed(11)
    batch = 3
    x = f32(torch.randn(batch, 4))
    targets = {"logits": f32(torch.randn(batch, 6)), "grid": f32(torch.randn(batch, 2, 3)), "score": f32(torch.randn(batch, 3)),
               "probs": f32(torch.softmax(torch.randn(batch, 3), dim=1)), "echo": f32(torch.randn(batch, 4))}
    params = {"logits.weight": param(6, 4), "logits.bias": param(6, scale=0.2), "score.weight": param(3, 4), "score.bias": param(3, scale=0.2)}
    names = list(params)
    x_leaf = x.clone().requires_grad_(True)
    logits = x_leaf @ params["logits.weight"].T + params["logits.bias"]
    score = x_leaf @ params["score.weight"].T + params["score.bias"]
    outputs = {"logits": logits, "grid": logits.reshape(batch, 2, 3), "score": score, "probs": torch.softmax(score, dim=1), "echo": x_leaf.reshape(batch, 4)}
    losses = {"logits": F.mse_loss(outputs["logits"], targets["logits"]), "grid": F.mse_loss(outputs["grid"], targets["grid"]),
              "score": F.mse_loss(outputs["score"], targets["score"]),
              "probs": -(targets["probs"] * torch.log(outputs["probs"])).sum(dim=1).mean(),
              "echo": F.mse_loss(outputs["echo"], targets["echo"])}
    weights = {"logits": 0.5, "grid": 1.0, "score": 1.0, "probs": 1.0, "echo": 2.0}
    total = sum(weights[k] * losses[k] for k in losses)
    grads = torch.autograd.grad(total, [params[n] for n in names] + [x_leaf])
    return {"name": "overlapping_outputs", "x": floats(x), "targets": {k: floats(v) for k, v in targets.items()},
            "parameters": {n: floats(params[n]) for n in names}, "outputs": {k: floats(v) for k, v in outputs.items()},
            "losses": {k: float(v) for k, v in losses.items()}, "loss": float(total),
            "gradients": {n: floats(g) for n, g in zip(names, grads[:-1])}, "x_gradient": floats(grads[-1])}


if __name__ == "__main__":
    self_check()
    write_golden("functional.json", {"cases": [case_two_inputs_two_outputs(), case_gan(), case_merges(), case_masked_merge(),
                                             case_overlapping_outputs()]},
                 project="Unroll.Models.Tests")

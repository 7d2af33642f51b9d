"""Goldens for src/Runtime/Kernels/Losses.cs: the mean loss and its gradient for every loss.

Run with /usr/bin/python3 (PyTorch 1.13). Writes tests/Unroll.Runtime.Tests/Goldens/losses.json.
Inputs are float32 values (so C# and PyTorch start from exactly the same numbers); the math runs in float64.
Each gradient is autograd's d(loss)/d(input), where "input" is what the C# kernel differentiates against:
the predictions, the probabilities, or for the fused kernels (sigmoid/softmax + cross-entropy) the logits
that produced the probabilities.
"""
import torch
import torch.nn.functional as F

from golden import floats, write_golden

EPS = 1e-7  # Keras backend epsilon, the clamp of the probability-based cross-entropies
ROWS, COLS = 4, 7
CLASS_ROWS, CLASSES = 5, 6

torch.manual_seed(7031)


def f32(t):
    return t.to(torch.float32)


def grad_of(loss_fn, inp):
    """(loss, d loss / d inp) for a float32 input, computed in float64."""
    x = inp.to(torch.float64).clone().requires_grad_(True)
    loss = loss_fn(x)
    loss.backward()
    return float(loss), floats(x.grad)


def regression():
    pred = f32(torch.randn(ROWS, COLS) * 1.5)
    target = f32(torch.randn(ROWS, COLS))
    target[0, 0] = pred[0, 0]  # a zero residual: L1's gradient uses sign(0) = 0
    # Residuals of exactly +-0.5 and +-1 sit on the Huber branch switch for delta 0.5 and 1.
    target[1, 1] = pred[1, 1] - 0.5
    target[1, 2] = pred[1, 2] + 1.0
    target[2, 3] = pred[2, 3] + 3.0  # far in the linear part for both deltas
    pred, target = f32(pred), f32(target)
    t64 = target.to(torch.float64)
    out = {"pred": floats(pred), "target": floats(target)}
    cases = {
        "mse": lambda p: F.mse_loss(p, t64),
        "mae": lambda p: F.l1_loss(p, t64),
        "huber_1": lambda p: F.huber_loss(p, t64, delta=1.0),
        "huber_0_5": lambda p: F.huber_loss(p, t64, delta=0.5),
    }
    for name, fn in cases.items():
        loss, grad = grad_of(fn, pred)
        out[name] = {"loss": loss, "grad": grad}
    return out


def clamped_bce(p, t):
    pc = torch.clamp(p, EPS, 1 - EPS)
    return -(t * torch.log(pc) + (1 - t) * torch.log(1 - pc)).mean()


def binary():
    logits = f32(torch.randn(ROWS, COLS) * 3.0)
    logits[0, 0] = 0.0
    logits[0, 1] = 40.0   # sigmoid rounds to 1 in float32: the clamp and the stable logits form matter
    logits[0, 2] = -40.0
    logits[3, 6] = 17.0
    target = f32(torch.rand(ROWS, COLS))  # soft targets
    target[1] = f32(torch.randint(0, 2, (COLS,)))  # and hard ones
    target[0, 1] = 0.0  # confidently wrong on the saturated logits
    target[0, 2] = 1.0
    t64 = target.to(torch.float64)
    probs = f32(torch.sigmoid(logits.to(torch.float64)))
    # Probabilities that hit the clamp: exact 0 and 1, and values within 1e-7 of them.
    probs_clamped = probs.clone()
    probs_clamped[2, 0] = 0.0
    probs_clamped[2, 1] = 1.0
    probs_clamped[2, 2] = 3e-8
    probs_clamped[2, 3] = 0.99999994  # largest float32 below 1
    out = {"logits": floats(logits), "target": floats(target), "probabilities": floats(probs),
           "clamped_probabilities": floats(probs_clamped)}
    loss, grad = grad_of(lambda p: clamped_bce(p, t64), probs_clamped)
    out["bce"] = {"loss": loss, "grad": grad}
    loss, grad = grad_of(lambda z: F.binary_cross_entropy_with_logits(z, t64), logits)
    out["bce_with_logits"] = {"loss": loss, "grad": grad}
    # Fused sigmoid + BCE: the loss the kernel reports is the clamped BCE of the sigmoid outputs it is given;
    # the gradient is the true derivative of sigmoid-then-BCE with respect to the logits. It is taken through
    # BCEWithLogits, the same function written stably: autograd through torch.sigmoid then
    # F.binary_cross_entropy gives 0 at logit 40, where sigmoid rounds to 1 even in float64.
    loss = float(clamped_bce(probs.to(torch.float64), t64))
    _, grad = grad_of(lambda z: F.binary_cross_entropy_with_logits(z, t64), logits)
    out["sigmoid_bce"] = {"loss": loss, "grad": grad}
    return out


def categorical():
    logits = f32(torch.randn(CLASS_ROWS, CLASSES) * 2.0)
    logits[1] = torch.tensor([1000.0, 1001.0, 999.5, 1000.25, 998.0, 1002.0])  # needs max-subtraction
    logits[2] = torch.tensor([-20.0, 0.0, -1.0, 0.5, -3.0, 0.0])  # class 0 gets p < 1e-7: the CE clamp bites
    logits[4] = torch.tensor([-1000.0, -1001.0, -999.5, -1000.25, -998.0, -1002.0])
    soft = f32(torch.softmax(torch.randn(CLASS_ROWS, CLASSES), dim=1))
    soft[0] = torch.tensor([0.0, 0.0, 1.0, 0.0, 0.0, 0.0])  # one-hot row
    soft[2] = torch.tensor([0.7, 0.0, 0.1, 0.0, 0.2, 0.0])  # weight on the clamped class
    soft[3] = soft[3] * 0.5  # targets summing to 0.5: the fused gradient is p * sum(y) - y, not p - y
    labels = torch.tensor([2, 5, 0, 3, 1])
    soft64 = soft.to(torch.float64)
    probs = f32(torch.softmax(logits.to(torch.float64), dim=1))

    def clamped_ce(p, y):
        return -(y * torch.log(torch.clamp(p, min=EPS))).sum() / CLASS_ROWS

    def sparse_clamped_ce(p):
        return -torch.log(torch.clamp(p[torch.arange(CLASS_ROWS), labels], min=EPS)).sum() / CLASS_ROWS

    out = {"rows": CLASS_ROWS, "cols": CLASSES, "logits": floats(logits), "probabilities": floats(probs),
           "target": floats(soft), "labels": [int(v) for v in labels]}
    loss, grad = grad_of(lambda p: clamped_ce(p, soft64), probs)
    out["categorical"] = {"loss": loss, "grad": grad}
    loss = float(clamped_ce(probs.to(torch.float64), soft64))
    _, grad = grad_of(lambda z: -(soft64 * F.log_softmax(z, dim=1)).sum() / CLASS_ROWS, logits)
    out["softmax_ce"] = {"loss": loss, "grad": grad}
    loss, grad = grad_of(lambda z: -(soft64 * F.log_softmax(z, dim=1)).sum() / CLASS_ROWS, logits)
    out["softmax_ce_with_logits"] = {"loss": loss, "grad": grad}
    loss, grad = grad_of(sparse_clamped_ce, probs)
    out["sparse_categorical"] = {"loss": loss, "grad": grad}
    loss = float(sparse_clamped_ce(probs.to(torch.float64)))
    _, grad = grad_of(lambda z: F.cross_entropy(z, labels), logits)
    out["sparse_softmax_ce"] = {"loss": loss, "grad": grad}
    loss, grad = grad_of(lambda z: F.cross_entropy(z, labels), logits)
    out["sparse_softmax_ce_with_logits"] = {"loss": loss, "grad": grad}
    return out


def hinge():
    pred = f32(torch.randn(ROWS, COLS) * 1.5)
    target = f32(torch.randint(0, 2, (ROWS, COLS)))  # Keras-style 0/1 labels ...
    target[3] = f32(torch.randint(0, 2, (COLS,)) * 2 - 1)  # ... and already-signed -1/+1 labels
    target[0, 0], pred[0, 0] = 1.0, 1.0  # margin exactly 0: torch.clamp passes the gradient at the bound
    target[0, 1], pred[0, 1] = 0.0, -1.0
    signed = torch.where(target == 0, -1.0, target.to(torch.float64))
    loss, grad = grad_of(lambda p: torch.clamp(1 - signed * p, min=0).mean(), pred)
    return {"pred": floats(pred), "target": floats(target), "loss": loss, "grad": grad}


def weighted(golden):
    """Every loss again with one weight per row (Keras sample_weight, PyTorch (w * loss(reduction="none")).mean()): each row's
    loss is multiplied by its weight and the sum divided by the number of elements (rows for the cross-entropies). Built from
    the inputs above, so their values do not move; the weights include 0 and a weight above 1."""
    def t(values, shape):
        return torch.tensor(values, dtype=torch.float32).reshape(shape)

    def w_of(rows):
        return torch.tensor([0.5, 0.0, 2.5, 1.0, 1.75][:rows], dtype=torch.float64)

    reg = golden["regression"]
    pred, target = t(reg["pred"], (ROWS, COLS)), t(reg["target"], (ROWS, COLS)).to(torch.float64)
    w = w_of(ROWS)[:, None]
    reg["weights"] = floats(w_of(ROWS))
    for name, fn in {
        "mse": lambda p: (w * F.mse_loss(p, target, reduction="none")).mean(),
        "mae": lambda p: (w * F.l1_loss(p, target, reduction="none")).mean(),
        "huber_1": lambda p: (w * F.huber_loss(p, target, delta=1.0, reduction="none")).mean(),
        "huber_0_5": lambda p: (w * F.huber_loss(p, target, delta=0.5, reduction="none")).mean(),
    }.items():
        loss, grad = grad_of(fn, pred)
        reg[name + "_weighted"] = {"loss": loss, "grad": grad}

    b = golden["binary"]
    b["weights"] = floats(w_of(ROWS))
    bt = t(b["target"], (ROWS, COLS)).to(torch.float64)

    def clamped_bce_rows(p):
        pc = torch.clamp(p, EPS, 1 - EPS)
        return -(bt * torch.log(pc) + (1 - bt) * torch.log(1 - pc))

    loss, grad = grad_of(lambda p: (w * clamped_bce_rows(p)).mean(), t(b["clamped_probabilities"], (ROWS, COLS)))
    b["bce_weighted"] = {"loss": loss, "grad": grad}
    logits = t(b["logits"], (ROWS, COLS))
    loss, grad = grad_of(lambda z: (w * F.binary_cross_entropy_with_logits(z, bt, reduction="none")).mean(), logits)
    b["bce_with_logits_weighted"] = {"loss": loss, "grad": grad}
    loss = float((w * clamped_bce_rows(t(b["probabilities"], (ROWS, COLS)).to(torch.float64))).mean())
    b["sigmoid_bce_weighted"] = {"loss": loss, "grad": grad}

    c = golden["categorical"]
    cw = w_of(CLASS_ROWS)
    c["weights"] = floats(cw)
    soft = t(c["target"], (CLASS_ROWS, CLASSES)).to(torch.float64)
    labels = torch.tensor(c["labels"])
    probs = t(c["probabilities"], (CLASS_ROWS, CLASSES))
    logits = t(c["logits"], (CLASS_ROWS, CLASSES))

    def ce_rows(p):
        return -(soft * torch.log(torch.clamp(p, min=EPS))).sum(dim=1)

    def sparse_rows(p):
        return -torch.log(torch.clamp(p[torch.arange(CLASS_ROWS), labels], min=EPS))

    loss, grad = grad_of(lambda p: (cw * ce_rows(p)).sum() / CLASS_ROWS, probs)
    c["categorical_weighted"] = {"loss": loss, "grad": grad}
    loss, grad = grad_of(lambda z: (cw * -(soft * F.log_softmax(z, dim=1)).sum(dim=1)).sum() / CLASS_ROWS, logits)
    c["softmax_ce_with_logits_weighted"] = {"loss": loss, "grad": grad}
    c["softmax_ce_weighted"] = {"loss": float((cw * ce_rows(probs.to(torch.float64))).sum() / CLASS_ROWS), "grad": grad}
    loss, grad = grad_of(lambda p: (cw * sparse_rows(p)).sum() / CLASS_ROWS, probs)
    c["sparse_categorical_weighted"] = {"loss": loss, "grad": grad}
    loss, grad = grad_of(lambda z: (cw * F.cross_entropy(z, labels, reduction="none")).sum() / CLASS_ROWS, logits)
    c["sparse_softmax_ce_with_logits_weighted"] = {"loss": loss, "grad": grad}
    c["sparse_softmax_ce_weighted"] = {"loss": float((cw * sparse_rows(probs.to(torch.float64))).sum() / CLASS_ROWS), "grad": grad}

    h = golden["hinge"]
    h["weights"] = floats(w_of(ROWS))
    ht = t(h["target"], (ROWS, COLS)).to(torch.float64)
    signed = torch.where(ht == 0, -1.0, ht)
    loss, grad = grad_of(lambda p: (w * torch.clamp(1 - signed * p, min=0)).mean(), t(h["pred"], (ROWS, COLS)))
    h["weighted"] = {"loss": loss, "grad": grad}


def main():
    golden = {"regression": regression(), "binary": binary(), "categorical": categorical(), "hinge": hinge()}
    weighted(golden)
    write_golden("losses.json", golden)


if __name__ == "__main__":
    main()

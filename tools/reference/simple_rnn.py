"""Goldens for src/Runtime/Kernels/SimpleRnn.cs: nn.RNN (tanh / relu) forward states and BPTT gradients.

Run with /usr/bin/python3 (PyTorch 1.13). Writes tests/Unroll.Runtime.Tests/Goldens/simple_rnn.json.

Inputs, weights, masks and upstream gradients are float32 values; torch computes in float64. Sequences are
time-major [steps, batch, features] (nn.RNN batch_first=False), weights in nn.RNN layout. Our kernel takes ONE bias;
here it is given to nn.RNN as bias_ih with bias_hh set to zero, so the golden dbias is the gradient of bias_ih
(which equals that of bias_hh and of bias_ih + bias_hh).

Every case is computed by an explicit float64 loop with autograd, the kernel's definition:
    hm = h_prev * recurrent_mask;  h_new = act(x_t W_ih^T + b + hm W_hh^T)
    h = m * h_new + (1 - m) * h_prev;  y_t = m * h_new     (m = mask[t, b], 1 when there is no mask)
visiting t = steps-1 .. 0 when reverse, with y[t] aligned to input time. Where PyTorch has the same thing built in
(nn.RNN without masks, its bidirectional reverse half, packed sequences for right padding) the script asserts that
the loop agrees with it to 1e-12, so the goldens are PyTorch's own results.
Loss = sum(y * dy) + sum(h_final * dh_final); dy or dh_final may be absent (empty in the JSON).
"""
import torch
import torch.nn as nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

from golden import floats, write_golden

STEPS, BATCH, IN, UNITS = 11, 3, 5, 4


def f32(t):
    return t.to(torch.float32)


def loop(x, wih, whh, b, h0, mask, rmask, relu, reverse):
    act = torch.relu if relu else torch.tanh
    steps = x.shape[0]
    h = h0
    ys = [None] * steps
    for t in (reversed(range(steps)) if reverse else range(steps)):
        hm = h * rmask if rmask is not None else h
        pre = x[t] @ wih.T + hm @ whh.T
        if b is not None:
            pre = pre + b
        h_new = act(pre)
        if mask is not None:
            m = mask[t].unsqueeze(1)
            ys[t] = m * h_new
            h = m * h_new + (1 - m) * h
        else:
            ys[t] = h_new
            h = h_new
    return torch.stack(ys), h


def torch_module(x, wih, whh, b, h0, dy, dh_final, relu, reverse, lengths=None):
    """The same quantities from nn.RNN (its reverse half of bidirectional=True when reverse), optionally on a packed
    right-padded sequence. Weights are copied in and their gradients read from the module's parameters
    (nn.RNN keeps flat weight buffers, so functional_call does not reach it in torch 1.13)."""
    rnn = nn.RNN(IN, UNITS, nonlinearity="relu" if relu else "tanh", bias=b is not None,
                 bidirectional=reverse).to(torch.float64)
    suffix = "_reverse" if reverse else ""
    with torch.no_grad():
        getattr(rnn, "weight_ih_l0" + suffix).copy_(wih)
        getattr(rnn, "weight_hh_l0" + suffix).copy_(whh)
        if b is not None:
            getattr(rnn, "bias_ih_l0" + suffix).copy_(b)
            getattr(rnn, "bias_hh_l0" + suffix).zero_()
    x64 = x.to(torch.float64).clone().requires_grad_(True)
    h064 = h0.to(torch.float64).clone().requires_grad_(True)
    hx = torch.stack([torch.zeros_like(h064), h064]) if reverse else h064.unsqueeze(0)
    inp = x64 if lengths is None else pack_padded_sequence(x64, lengths, enforce_sorted=False)
    y, hn = rnn(inp, hx)
    if lengths is not None:
        y, _ = pad_packed_sequence(y, total_length=STEPS)
    d = 1 if reverse else 0
    y, hf = y[:, :, d * UNITS:(d + 1) * UNITS], hn[d]
    loss = torch.zeros((), dtype=torch.float64)
    if dy is not None:
        loss = loss + (y * dy.to(torch.float64)).sum()
    if dh_final is not None:
        loss = loss + (hf * dh_final.to(torch.float64)).sum()
    loss.backward()
    p = lambda name: getattr(rnn, name + suffix).grad
    return (y.detach(), hf.detach(), x64.grad, p("weight_ih_l0"), p("weight_hh_l0"),
            p("bias_ih_l0") if b is not None else None, h064.grad)


def right_padded(lengths):
    mask = torch.zeros(STEPS, BATCH)
    for b, n in enumerate(lengths):
        mask[:n, b] = 1
    return mask


def grads(fn, x, wih, whh, b, h0, dy, dh_final):
    """Runs fn on fresh float64 leaves and returns (y, h_final, dx, dwih, dwhh, dbias, dh0)."""
    leaves = [t.to(torch.float64).clone().requires_grad_(True) if t is not None else None for t in (x, wih, whh, b, h0)]
    y, hf = fn(*leaves)
    loss = torch.zeros((), dtype=torch.float64)
    if dy is not None:
        loss = loss + (y * dy.to(torch.float64)).sum()
    if dh_final is not None:
        loss = loss + (hf * dh_final.to(torch.float64)).sum()
    loss.backward()
    g = [t.grad if t is not None and t.grad is not None else (torch.zeros_like(t) if t is not None else None)
         for t in leaves]
    return (y.detach(), hf.detach(), *g)


def assert_same(a, b, what):
    for i, (u, v) in enumerate(zip(a, b)):
        if u is None and v is None:
            continue
        err = (u - v).abs().max().item()
        assert err < 1e-12, f"{what}: output {i} differs from PyTorch by {err}"


checked = []


def case(seed, relu=False, reverse=False, bias=True, initial=False, mask="none", recurrent=False,
         with_dy=True, with_dh_final=True):
    torch.manual_seed(seed)
    bound = 1 / UNITS ** 0.5  # nn.RNN's own init range
    x = f32(torch.randn(STEPS, BATCH, IN))
    wih = f32(torch.empty(UNITS, IN).uniform_(-bound, bound))
    whh = f32(torch.empty(UNITS, UNITS).uniform_(-bound, bound))
    b = f32(torch.empty(UNITS).uniform_(-bound, bound)) if bias else None
    h0 = f32(torch.randn(BATCH, UNITS)) if initial else torch.zeros(BATCH, UNITS)
    lengths = None
    if mask == "right":
        lengths = [7, STEPS, 4]
        m = right_padded(lengths)
    elif mask == "mixed":  # left padding, a gap in the middle, a fully real row
        m = torch.ones(STEPS, BATCH)
        m[:3, 0] = 0
        m[4:6, 1] = 0
        m[STEPS - 1, 1] = 0
    else:
        m = None
    rmask = f32((torch.rand(BATCH, UNITS) >= 0.5).to(torch.float32) * 2.0) if recurrent else None
    dy = f32(torch.randn(STEPS, BATCH, UNITS)) if with_dy else None
    dh_final = f32(torch.randn(BATCH, UNITS)) if with_dh_final else None

    m64 = m.to(torch.float64) if m is not None else None
    r64 = rmask.to(torch.float64) if rmask is not None else None
    result = grads(lambda *a: loop(*a, m64, r64, relu, reverse), x, wih, whh, b, h0, dy, dh_final)

    # Cross-checks against PyTorch's own recurrent modules: plain and reverse runs, and right padding as packed
    # sequences (pad_packed_sequence gives constant 0 at padded steps, as our y, so dy there reaches nothing in either).
    if rmask is None and mask in ("none", "right"):
        ref = torch_module(x, wih, whh, b, h0, dy, dh_final, relu, reverse, lengths)
        assert_same(result, ref, f"nn.RNN reverse={reverse} packed={lengths is not None}")
        checked.append(seed)

    y, hf, dx, dwih, dwhh, db, dh0 = result
    return {
        "steps": STEPS, "batch": BATCH, "in_features": IN, "units": UNITS, "relu": relu, "reverse": reverse,
        "x": floats(x), "weight_ih": floats(wih), "weight_hh": floats(whh), "bias": floats(b) if bias else [],
        "mask": floats(m) if m is not None else [], "recurrent_mask": floats(rmask) if recurrent else [],
        "h0": floats(h0), "dy": floats(dy) if with_dy else [], "dh_final": floats(dh_final) if with_dh_final else [],
        "y": floats(y), "h_final": floats(hf), "dx": floats(dx), "dweight_ih": floats(dwih),
        "dweight_hh": floats(dwhh), "dbias": floats(db) if bias else [], "dh0": floats(dh0),
    }


def main():
    data = {
        "tanh": case(101),
        "relu": case(102, relu=True),
        "dy_only": case(103, with_dh_final=False),
        "dh_final_only": case(104, with_dy=False),
        "no_bias": case(105, bias=False),
        "initial_state": case(106, initial=True),
        "mask_right": case(107, mask="right", initial=True),
        "mask_mixed": case(108, mask="mixed", relu=True),
        "reverse": case(109, reverse=True, initial=True),
        "reverse_mask_right": case(110, reverse=True, mask="right", initial=True),
        "recurrent_mask": case(111, recurrent=True),
        "recurrent_mask_reverse_masked": case(112, recurrent=True, reverse=True, mask="mixed", initial=True),
    }
    print(f"{len(checked)} of {len(data)} cases also checked against nn.RNN")
    write_golden("simple_rnn.json", data)


if __name__ == "__main__":
    main()

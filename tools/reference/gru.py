"""Goldens for src/Runtime/Kernels/Gru.cs: nn.GRU (= Keras GRU reset_after=True) forward states and autograd gradients.

Run with /usr/bin/python3 (PyTorch 1.13). Writes tests/Unroll.Runtime.Tests/Goldens/gru.json.
Inputs, weights, masks, the initial state and the upstream gradients are float32 values (so C# and PyTorch start from
exactly the same numbers); everything then runs in float64. Layout is the kernel's: time-major x [steps, batch, in],
weights in PyTorch layout with gate blocks (r, z, n).

Cases without a step mask or recurrent mask come from nn.GRU itself (the reverse case from the reverse direction of a
bidirectional nn.GRU). Masked and recurrent-dropout cases come from an explicit loop over the GRU cell equations in
torch ops; the script first asserts that this loop equals nn.GRU without masks (both directions) and, for a
right-padded mask, equals nn.GRU on a packed sequence (pack_padded_sequence), values and gradients.

Loss = sum(y * dy) + sum(h_final * dh_final), so the gradients are those a kernel receives from upstream dy / dhFinal.
An empty list in the golden means "not given" (no dy, no dhFinal, no mask, no recurrent mask, no bias).
"""
import torch
import torch.nn as nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

from golden import floats, write_golden

STEPS, BATCH, IN, UNITS = 11, 3, 5, 4
F64 = torch.float64


def gru_loop(x, h0, wih, whh, bih, bhh, mask, rmask, reverse):
    """The GRU cell step by step. mask [steps, batch] (1 real, 0 padded): a padded step keeps h and outputs 0.
    rmask [batch, units] multiplies h_prev inside the recurrent product only (Keras recurrent_dropout)."""
    u = h0.shape[1]
    h = h0
    ys = [None] * x.shape[0]
    order = range(x.shape[0] - 1, -1, -1) if reverse else range(x.shape[0])
    for t in order:
        gi = x[t] @ wih.T
        if bih is not None:
            gi = gi + bih
        hm = h * rmask if rmask is not None else h
        gh = hm @ whh.T
        if bhh is not None:
            gh = gh + bhh
        r = torch.sigmoid(gi[:, :u] + gh[:, :u])
        z = torch.sigmoid(gi[:, u:2 * u] + gh[:, u:2 * u])
        n = torch.tanh(gi[:, 2 * u:] + r * gh[:, 2 * u:])
        h_new = (1 - z) * n + z * h
        if mask is not None:
            m = mask[t].unsqueeze(1)
            h_new = m * h_new + (1 - m) * h
            ys[t] = m * h_new
        else:
            ys[t] = h_new
        h = h_new
    return torch.stack(ys), h


def random_params(seed, bias=True):
    torch.manual_seed(seed)
    gru = nn.GRU(IN, UNITS, bias=bias)  # PyTorch's own init: uniform(+-1/sqrt(units))
    p = {
        "wih": gru.weight_ih_l0.detach().to(torch.float32),
        "whh": gru.weight_hh_l0.detach().to(torch.float32),
        "bih": gru.bias_ih_l0.detach().to(torch.float32) if bias else None,
        "bhh": gru.bias_hh_l0.detach().to(torch.float32) if bias else None,
    }
    p["x"] = torch.randn(STEPS, BATCH, IN).to(torch.float32)
    p["dy"] = torch.randn(STEPS, BATCH, UNITS).to(torch.float32)
    p["dhf"] = torch.randn(BATCH, UNITS).to(torch.float32)
    p["h0"] = (0.5 * torch.randn(BATCH, UNITS)).to(torch.float32)
    keep = torch.bernoulli(torch.full((BATCH, UNITS), 0.7))
    p["rmask"] = (keep.to(torch.float32) / torch.tensor(0.7, dtype=torch.float32)).to(torch.float32)
    return p


def leaves(p):
    """float64 leaf tensors that require grad, from the float32 values."""
    out = {k: (v.to(F64).clone().requires_grad_(True) if v is not None else None)
           for k, v in p.items() if k in ("x", "wih", "whh", "bih", "bhh", "h0")}
    return out


def loss_of(y, h, dy, dhf):
    loss = torch.zeros((), dtype=F64)
    if dy is not None:
        loss = loss + (y * dy.to(F64)).sum()
    if dhf is not None:
        loss = loss + (h * dhf.to(F64)).sum()
    return loss


def run_module(p, dy, dhf, reverse):
    """nn.GRU (reverse: the reverse direction of a bidirectional nn.GRU) with the given float32 values."""
    v = leaves(p)
    bias = v["bih"] is not None
    gru = nn.GRU(IN, UNITS, bias=bias, bidirectional=reverse).to(F64)
    suffix = "_l0_reverse" if reverse else "_l0"
    with torch.no_grad():
        for name, key in (("weight_ih", "wih"), ("weight_hh", "whh"), ("bias_ih", "bih"), ("bias_hh", "bhh")):
            if v[key] is not None:
                getattr(gru, name + suffix).copy_(v[key])
    params = {key: getattr(gru, name + suffix) for name, key in
              (("weight_ih", "wih"), ("weight_hh", "whh"), ("bias_ih", "bih"), ("bias_hh", "bhh")) if v[key] is not None}
    if reverse:
        h0 = torch.stack([torch.zeros(BATCH, UNITS, dtype=F64), v["h0"]])
        out, hn = gru(v["x"], h0)
        y, h = out[:, :, UNITS:], hn[1]
    else:
        out, hn = gru(v["x"], v["h0"].unsqueeze(0))
        y, h = out, hn[0]
    loss_of(y, h, dy, dhf).backward()
    grads = {k: params[k].grad for k in params}
    grads["x"], grads["h0"] = v["x"].grad, v["h0"].grad
    return y, h, grads


def run_loop(p, dy, dhf, mask, rmask, reverse):
    v = leaves(p)
    y, h = gru_loop(v["x"], v["h0"], v["wih"], v["whh"], v["bih"], v["bhh"],
                    mask.to(F64) if mask is not None else None,
                    rmask.to(F64) if rmask is not None else None, reverse)
    loss_of(y, h, dy, dhf).backward()
    grads = {k: v[k].grad for k in v if v[k] is not None}
    return y, h, grads


def assert_same(a, b, what):
    ya, ha, ga = a
    yb, hb, gb = b
    assert torch.allclose(ya, yb, atol=1e-12, rtol=1e-10), what + " y"
    assert torch.allclose(ha, hb, atol=1e-12, rtol=1e-10), what + " h"
    for k in ga:
        assert torch.allclose(ga[k], gb[k], atol=1e-12, rtol=1e-10), what + " d" + k


def check_loop_against_torch():
    p = random_params(99)
    for reverse in (False, True):
        assert_same(run_loop(p, p["dy"], p["dhf"], None, None, reverse), run_module(p, p["dy"], p["dhf"], reverse),
                    f"loop vs nn.GRU reverse={reverse}")
    # Right padding: the masked loop equals nn.GRU on a packed sequence (zeros in y past each length).
    lengths = [STEPS, 7, 4]
    mask = torch.zeros(STEPS, BATCH, dtype=torch.float32)
    for b, n in enumerate(lengths):
        mask[:n, b] = 1
    loop = run_loop(p, p["dy"], p["dhf"], mask, None, False)
    v = leaves(p)
    gru = nn.GRU(IN, UNITS).to(F64)
    with torch.no_grad():
        gru.weight_ih_l0.copy_(v["wih"]); gru.weight_hh_l0.copy_(v["whh"])
        gru.bias_ih_l0.copy_(v["bih"]); gru.bias_hh_l0.copy_(v["bhh"])
    packed = pack_padded_sequence(v["x"], torch.tensor(lengths), enforce_sorted=False)
    out, hn = gru(packed, v["h0"].unsqueeze(0))
    y, _ = pad_packed_sequence(out, total_length=STEPS)
    h = hn[0]
    loss_of(y, h, p["dy"], p["dhf"]).backward()
    grads = {"x": v["x"].grad, "h0": v["h0"].grad, "wih": gru.weight_ih_l0.grad, "whh": gru.weight_hh_l0.grad,
             "bih": gru.bias_ih_l0.grad, "bhh": gru.bias_hh_l0.grad}
    assert_same(loop, (y, h, grads), "masked loop vs packed nn.GRU")
    print("loop == nn.GRU (both directions) and == packed nn.GRU for right padding")


def mixed_mask():
    """Sample 0 all real, sample 1 right-padded, sample 2 left-padded with a hole in the middle."""
    m = torch.ones(STEPS, BATCH, dtype=torch.float32)
    m[7:, 1] = 0
    m[:3, 2] = 0
    m[6, 2] = 0
    return m


def random_mask(seed):
    """About a quarter of the (step, sample) pairs padded, sample 0 all real unless it is the only one: for sizes mixed_mask does not fit."""
    g = torch.Generator().manual_seed(seed)
    m = (torch.rand(STEPS, BATCH, generator=g) >= 0.25).float()
    if BATCH > 1:
        m[:, 0] = 1
    return m


def check_loop_against_module(seed, size):
    """The float64 loop equals nn.GRU at the current sizes, in both directions (unmasked: nn.GRU has no mask)."""
    p = random_params(seed)
    for reverse in (False, True):
        assert_same(run_loop(p, p["dy"], p["dhf"], None, None, reverse), run_module(p, p["dy"], p["dhf"], reverse),
                    f"loop vs nn.GRU at {size}, reverse={reverse}")


def case(seed, *, dy=True, dhf=True, h0=True, mask=False, rmask=False, reverse=False, bias=True, module=None):
    p = random_params(seed, bias)
    if not h0:
        p["h0"] = torch.zeros(BATCH, UNITS, dtype=torch.float32)
    dy_t = p["dy"] if dy else None
    dhf_t = p["dhf"] if dhf else None
    mask_t = (mixed_mask() if BATCH == 3 else random_mask(seed + 1000)) if mask else None
    rmask_t = p["rmask"] if rmask else None
    if module:
        y, h, g = run_module(p, dy_t, dhf_t, reverse)
    else:
        y, h, g = run_loop(p, dy_t, dhf_t, mask_t, rmask_t, reverse)
    empty = []
    return {
        "steps": STEPS, "batch": BATCH, "in_features": IN, "units": UNITS, "reverse": reverse,
        "x": floats(p["x"]), "weight_ih": floats(p["wih"]), "weight_hh": floats(p["whh"]),
        "bias_ih": floats(p["bih"]) if bias else empty, "bias_hh": floats(p["bhh"]) if bias else empty,
        "mask": floats(mask_t) if mask else empty, "recurrent_mask": floats(rmask_t) if rmask else empty,
        "h0": floats(p["h0"]), "dy": floats(dy_t) if dy else empty, "dh_final": floats(dhf_t) if dhf else empty,
        "y": floats(y), "h_final": floats(h), "dx": floats(g["x"]),
        "dweight_ih": floats(g["wih"]), "dweight_hh": floats(g["whh"]),
        "dbias_ih": floats(g["bih"]) if bias else empty, "dbias_hh": floats(g["bhh"]) if bias else empty,
        "dh0": floats(g["h0"]),
    }


def main():
    global STEPS, BATCH, IN, UNITS
    check_loop_against_torch()
    data = {
        "plain": case(1, dhf=False, h0=False, module=True),
        "dhfinal_only": case(2, dy=False, h0=False, module=True),
        "initial_state": case(3, module=True),
        "no_bias": case(4, bias=False, module=True),
        "reverse": case(5, reverse=True, module=True),
        "masked": case(6, mask=True),
        "reverse_masked": case(7, mask=True, reverse=True),
        "recurrent_mask": case(8, rmask=True),
        "recurrent_mask_reverse_masked": case(9, mask=True, rmask=True, reverse=True),
    }
    # One case large enough for the kernels' packed paths (m*n*k above 64^3 for both the input and the recurrent product, at least
    # four rows): steps that project their own rows and split across threads by rows. The loop is checked against nn.GRU at this size.
    STEPS, BATCH, IN, UNITS = 5, 24, 64, 72
    check_loop_against_module(97, "the packed size")
    data["packed_recurrent_mask_reverse_masked"] = case(10, mask=True, rmask=True, reverse=True)
    # A case whose steps run on one thread (a batch of one, the recurrent product a GEMV) and whose input product is large enough to be
    # projected in chunks of steps (43 steps each here, the last chunk 14), one chunk ahead of the steps that read it.
    STEPS, BATCH, IN, UNITS = 100, 1, 64, 32
    check_loop_against_module(98, "the chunked size")
    data["chunked_recurrent_mask_reverse_masked"] = case(12, mask=True, rmask=True, reverse=True)
    write_golden("gru.json", data)


if __name__ == "__main__":
    main()

"""Goldens for src/Runtime/Kernels/Lstm.cs: LSTM forward outputs and autograd gradients.

Run with /usr/bin/python3 (PyTorch 1.13). Writes tests/Unroll.Runtime.Tests/Goldens/lstm.json.

Inputs, weights, states and upstream gradients are float32 values (so C# and PyTorch start from exactly the same
numbers); the layer then runs in float64, so the golden is PyTorch's own definition with no float32 rounding.

Layout matches the kernel contract: sequences time-major [steps, batch, features] (nn.LSTM's default
batch_first=False), weights in nn.LSTM layout (weight_ih_l0 [4*units, in], weight_hh_l0 [4*units, units], gate
blocks i, f, g, o), mask [steps, batch], recurrent mask [batch, units].

Bias: the kernel has ONE bias, which equals PyTorch's bias_ih + bias_hh. The script gives torch bias_ih = our bias
and bias_hh = 0, so both sides add exactly the same numbers.

Where nn.LSTM can express a case, the golden comes from nn.LSTM itself (plain, initial state, no bias, gradient
through dy only / final state only / both, reverse = the reverse half of nn.LSTM(bidirectional=True)). Masking
and recurrent dropout have no nn.LSTM equivalent in general, so those goldens come from an explicit float64 loop
(h = m*h_new + (1-m)*h_prev, c likewise, y = m*h; recurrent mask multiplied into h_prev before the Whh product
only). The script asserts that this loop equals nn.LSTM on every nn.LSTM case, and that for a right-padded mask
it equals pack_padded_sequence + nn.LSTM (outputs, final states and all gradients).

Every case: x, weight_ih, weight_hh, bias, mask, recurrent_mask, h0, c0, dy, dh_final, dc_final (inputs; empty
list = not given) and y, h_final, c_final, dx, dweight_ih, dweight_hh, dbias, dh0, dc0 (expected; dh0/dc0 are
always the gradients of the initial state, zero initial state included).
"""
import torch
import torch.nn as nn

from golden import floats, write_golden

STEPS, BATCH, IN, UNITS = 11, 3, 5, 4
D = torch.float64


def f32(t):
    return t.to(torch.float32)


def make_inputs(seed, bias=True, h0=False, dy=True, final=True, mask=None, rmask=False):
    g = torch.Generator().manual_seed(seed)
    k = UNITS ** -0.5  # nn.LSTM's own init range
    p = {
        "x": f32(torch.randn(STEPS, BATCH, IN, generator=g)),
        "weight_ih": f32((torch.rand(4 * UNITS, IN, generator=g) * 2 - 1) * k),
        "weight_hh": f32((torch.rand(4 * UNITS, UNITS, generator=g) * 2 - 1) * k),
        "bias": f32((torch.rand(4 * UNITS, generator=g) * 2 - 1) * k) if bias else None,
        "h0": f32(torch.randn(BATCH, UNITS, generator=g)) if h0 else None,
        "c0": f32(torch.randn(BATCH, UNITS, generator=g)) if h0 else None,
        "dy": f32(torch.randn(STEPS, BATCH, UNITS, generator=g)) if dy else None,
        "dh_final": f32(torch.randn(BATCH, UNITS, generator=g)) if final else None,
        "dc_final": f32(torch.randn(BATCH, UNITS, generator=g)) if final else None,
        "mask": f32(mask) if mask is not None else None,
        "recurrent_mask": None,
    }
    if rmask:
        keep = torch.rand(BATCH, UNITS, generator=g) >= 0.3
        p["recurrent_mask"] = f32(keep.to(D) / 0.7)
    return p


def leaf(t, shape=None):
    """A float64 leaf that requires grad: the given float32 values, or zeros of `shape`."""
    v = torch.zeros(shape, dtype=D) if t is None else t.to(D)
    return v.clone().requires_grad_(True)


def loss_of(p, y, hT, cT):
    loss = torch.zeros((), dtype=D)
    if p["dy"] is not None:
        loss = loss + (y * p["dy"].to(D)).sum()
    if p["dh_final"] is not None:
        loss = loss + (hT * p["dh_final"].to(D)).sum() + (cT * p["dc_final"].to(D)).sum()
    return loss


def run_loop(p, reverse):
    """The explicit loop: the kernel contract written out in torch ops (float64, autograd)."""
    x, wih, whh = leaf(p["x"]), leaf(p["weight_ih"]), leaf(p["weight_hh"])
    b = leaf(p["bias"], (4 * UNITS,))
    h0, c0 = leaf(p["h0"], (BATCH, UNITS)), leaf(p["c0"], (BATCH, UNITS))
    mask = p["mask"].to(D) if p["mask"] is not None else torch.ones(STEPS, BATCH, dtype=D)
    rmask = p["recurrent_mask"].to(D) if p["recurrent_mask"] is not None else torch.ones(BATCH, UNITS, dtype=D)
    h, c = h0, c0
    ys = [None] * STEPS
    order = range(STEPS - 1, -1, -1) if reverse else range(STEPS)
    for t in order:
        z = x[t] @ wih.T + b + (h * rmask) @ whh.T
        i, f, gg, o = z.split(UNITS, dim=1)
        i, f, gg, o = torch.sigmoid(i), torch.sigmoid(f), torch.tanh(gg), torch.sigmoid(o)
        c_new = f * c + i * gg
        h_new = o * torch.tanh(c_new)
        m = mask[t].unsqueeze(1)
        h = m * h_new + (1 - m) * h
        c = m * c_new + (1 - m) * c
        ys[t] = m * h
    y = torch.stack(ys)
    loss_of(p, y, h, c).backward()
    return {"y": y, "h_final": h, "c_final": c, "dx": x.grad, "dweight_ih": wih.grad, "dweight_hh": whh.grad,
            "dbias": b.grad if p["bias"] is not None else None, "dh0": h0.grad, "dc0": c0.grad}


def run_torch(p, reverse):
    """nn.LSTM (the reverse half of a bidirectional one when reverse), bias_ih = our bias, bias_hh = 0."""
    lstm = nn.LSTM(IN, UNITS, bias=p["bias"] is not None, bidirectional=reverse).to(D)
    sfx = "_l0_reverse" if reverse else "_l0"
    with torch.no_grad():
        getattr(lstm, "weight_ih" + sfx).copy_(p["weight_ih"].to(D))
        getattr(lstm, "weight_hh" + sfx).copy_(p["weight_hh"].to(D))
        if p["bias"] is not None:
            getattr(lstm, "bias_ih" + sfx).copy_(p["bias"].to(D))
            getattr(lstm, "bias_hh" + sfx).zero_()
    x = leaf(p["x"])
    h0, c0 = leaf(p["h0"], (BATCH, UNITS)), leaf(p["c0"], (BATCH, UNITS))
    dirs = 2 if reverse else 1
    # The forward half of a bidirectional LSTM gets a zero state; only the reverse half's enters the loss.
    h0_all = torch.cat([torch.zeros(1, BATCH, UNITS, dtype=D), h0.unsqueeze(0)]) if reverse else h0.unsqueeze(0)
    c0_all = torch.cat([torch.zeros(1, BATCH, UNITS, dtype=D), c0.unsqueeze(0)]) if reverse else c0.unsqueeze(0)
    out, (hn, cn) = lstm(x, (h0_all, c0_all))
    y = out[:, :, UNITS:] if reverse else out
    hT, cT = hn[dirs - 1], cn[dirs - 1]
    loss_of(p, y, hT, cT).backward()
    grad = lambda name: getattr(lstm, name + sfx).grad
    return {"y": y, "h_final": hT, "c_final": cT, "dx": x.grad, "dweight_ih": grad("weight_ih"),
            "dweight_hh": grad("weight_hh"), "dbias": grad("bias_ih") if p["bias"] is not None else None,
            "dh0": h0.grad, "dc0": c0.grad}


def run_packed(p, lengths):
    """pack_padded_sequence + nn.LSTM for a right-padded batch (the mask's equivalent for right padding)."""
    lstm = nn.LSTM(IN, UNITS).to(D)
    with torch.no_grad():
        lstm.weight_ih_l0.copy_(p["weight_ih"].to(D))
        lstm.weight_hh_l0.copy_(p["weight_hh"].to(D))
        lstm.bias_ih_l0.copy_(p["bias"].to(D))
        lstm.bias_hh_l0.zero_()
    x = leaf(p["x"])
    h0, c0 = leaf(p["h0"], (BATCH, UNITS)), leaf(p["c0"], (BATCH, UNITS))
    packed = nn.utils.rnn.pack_padded_sequence(x, torch.tensor(lengths), enforce_sorted=False)
    out, (hn, cn) = lstm(packed, (h0.unsqueeze(0), c0.unsqueeze(0)))
    y, _ = nn.utils.rnn.pad_packed_sequence(out, total_length=STEPS)
    loss_of(p, y, hn[0], cn[0]).backward()
    return {"y": y, "h_final": hn[0], "c_final": cn[0], "dx": x.grad, "dweight_ih": lstm.weight_ih_l0.grad,
            "dweight_hh": lstm.weight_hh_l0.grad, "dbias": lstm.bias_ih_l0.grad, "dh0": h0.grad, "dc0": c0.grad}


def assert_same(a, b, what):
    for k in a:
        if a[k] is None and b[k] is None:
            continue
        assert torch.allclose(a[k], b[k], rtol=1e-10, atol=1e-12), f"{what}: {k} differs"


def right_padded(lengths):
    m = torch.zeros(STEPS, BATCH)
    for s, n in enumerate(lengths):
        m[:n, s] = 1
    return m


def mixed_mask():
    """Sample 0 full, sample 1 right-padded (7 real steps), sample 2 left-padded with a hole in the middle."""
    m = torch.ones(STEPS, BATCH)
    m[7:, 1] = 0
    m[:3, 2] = 0
    m[6, 2] = 0
    return m


def case(p, reverse, source):
    loop = run_loop(p, reverse)
    if source == "torch":
        ref = run_torch(p, reverse)
        assert_same(loop, ref, "loop vs nn.LSTM")
    else:
        ref = loop
    out = {"steps": STEPS, "batch": BATCH, "in_features": IN, "units": UNITS, "reverse": reverse, "source": source}
    for k in ["x", "weight_ih", "weight_hh", "bias", "mask", "recurrent_mask", "h0", "c0", "dy", "dh_final",
              "dc_final"]:
        out[k] = floats(p[k]) if p[k] is not None else []
    for k in ["y", "h_final", "c_final", "dx", "dweight_ih", "dweight_hh", "dbias", "dh0", "dc0"]:
        out[k] = floats(ref[k]) if ref[k] is not None else []
    return out


def main():
    global STEPS, BATCH, IN, UNITS
    # The mask loop equals packed nn.LSTM for right padding (with and without an initial state).
    lengths = [STEPS, 7, 4]
    for seed, h0 in [(90, False), (91, True)]:
        p = make_inputs(seed, h0=h0, mask=right_padded(lengths))
        assert_same(run_loop(p, False), run_packed(p, lengths), "loop vs packed nn.LSTM")

    data = {
        "plain": case(make_inputs(1, final=False), False, "torch"),
        "final_only": case(make_inputs(2, dy=False), False, "torch"),
        "dy_and_final": case(make_inputs(3), False, "torch"),
        "no_bias": case(make_inputs(4, bias=False), False, "torch"),
        "initial_state": case(make_inputs(5, h0=True), False, "torch"),
        "reverse": case(make_inputs(6, h0=True), True, "torch"),
        "masked": case(make_inputs(7, h0=True, mask=mixed_mask()), False, "loop"),
        "masked_reverse": case(make_inputs(8, h0=True, mask=mixed_mask()), True, "loop"),
        "recurrent_mask": case(make_inputs(9, h0=True, rmask=True), False, "loop"),
        "recurrent_mask_masked_reverse": case(make_inputs(10, h0=True, mask=mixed_mask(), rmask=True), True, "loop"),
    }
    # One case large enough for the kernels' packed paths (m*n*k above 64^3 for both the input and the recurrent product, at least
    # four rows): steps that project their own rows and split across threads by rows. The loop is checked against nn.LSTM at this size.
    STEPS, BATCH, IN, UNITS = 5, 20, 56, 64
    p = make_inputs(11, h0=True)
    assert_same(run_loop(p, True), run_torch(p, True), "loop vs nn.LSTM at the packed size")
    g = torch.Generator().manual_seed(12)
    mask = (torch.rand(STEPS, BATCH, generator=g) >= 0.25).float()
    mask[:, 0] = 1
    data["packed_masked_reverse"] = case(make_inputs(13, h0=True, mask=mask, rmask=True), True, "loop")
    # A case whose steps run on one thread (a batch of one, the recurrent product a GEMV) and whose input product is large enough to be
    # projected in chunks of steps (33 steps each here, the last chunk 14), one chunk ahead of the steps that read it.
    STEPS, BATCH, IN, UNITS = 80, 1, 64, 32
    p = make_inputs(14, h0=True)
    assert_same(run_loop(p, True), run_torch(p, True), "loop vs nn.LSTM at the chunked size")
    mask = torch.ones(STEPS, BATCH)
    mask[:4, 0] = 0
    mask[37, 0] = 0
    data["chunked_masked_reverse"] = case(make_inputs(15, h0=True, mask=mask, rmask=True), True, "loop")
    write_golden("lstm.json", data)


if __name__ == "__main__":
    main()

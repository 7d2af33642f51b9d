"""Goldens for whole generated sequence models: outputs, loss, the gradient of every tensor and the parameters after
three optimizer steps, for three models that between them cover Embedding with padding masks (right padding, left
padding, a hole), a bidirectional LSTM, stacked layers, a state handed over with InitialState (whose gradient flows
back into the layer that returned it), GoBackwards, TimeDistributed Dense, a GRU with its two biases and merge modes.

Run with Debian's PyTorch: /usr/bin/python3 tools/reference/rnn_models.py
Writes tests/Unroll.Models.Tests/Goldens/rnn_models.json, and tbptt.json: sequence outputs (a loss at every step, padded
steps left out of the mean) and truncated backpropagation through time (windows with their own updates, the state
carried over detached).

The recurrent layers are written as explicit loops over the steps in float64, because masking (a padded step carries
the state through and outputs 0, as Keras mask_zero) has no nn.LSTM equivalent for left padding or holes. The script
first asserts that the loops equal nn.RNN / nn.LSTM / nn.GRU on unmasked input (PyTorch's gate order, our one bias =
PyTorch's bias_ih + bias_hh), and that right padding equals pack_padded_sequence, so the goldens are PyTorch's own
definitions. Sequences are time-major (T, B, F) inside, as in the generated code; inputs are batch-major.
"""
import torch
import torch.nn.functional as F

from golden import floats, write_golden

torch.manual_seed(2024)
torch.set_default_dtype(torch.float64)


def f32(t):
    """Rounds to float32 values, so C# starts from exactly the same numbers."""
    return t.float().double()


def param(*shape, scale=0.4):
    return f32((torch.rand(*shape) * 2 - 1) * scale).requires_grad_(True)


def recurrent(kind, x, mask, p, h0=None, c0=None, reverse=False, relu=False):
    """One direction over x (T, B, In). Returns (y (T, B, U) with 0 at padded steps, final h, final c)."""
    steps, batch, _ = x.shape
    units = p["weight_hh"].shape[1]
    h = h0 if h0 is not None else torch.zeros(batch, units)
    c = c0 if c0 is not None else torch.zeros(batch, units)
    ys = [None] * steps
    for t in (reversed(range(steps)) if reverse else range(steps)):
        m = mask[t].unsqueeze(1) if mask is not None else torch.ones(batch, 1)
        if kind == "simple_rnn":
            z = x[t] @ p["weight_ih"].T + p["bias"] + h @ p["weight_hh"].T
            hn = torch.relu(z) if relu else torch.tanh(z)
        elif kind == "lstm":
            g = x[t] @ p["weight_ih"].T + p["bias"] + h @ p["weight_hh"].T
            i, f, gg, o = g.chunk(4, dim=1)
            cn = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(gg)
            hn = torch.sigmoid(o) * torch.tanh(cn)
            c = m * cn + (1 - m) * c
        else:
            gi = x[t] @ p["weight_ih"].T + p["bias_ih"]
            gh = h @ p["weight_hh"].T + p["bias_hh"]
            ir, iz, inn = gi.chunk(3, dim=1)
            hr, hz, hn_ = gh.chunk(3, dim=1)
            r = torch.sigmoid(ir + hr)
            z = torch.sigmoid(iz + hz)
            n = torch.tanh(inn + r * hn_)
            hn = (1 - z) * n + z * h
        h = m * hn + (1 - m) * h
        ys[t] = m * h
    return torch.stack(ys), h, c


def recurrent_params(kind, inputs, units, suffix=""):
    gates = {"simple_rnn": 1, "lstm": 4, "gru": 3}[kind]
    p = {"weight_ih": param(gates * units, inputs), "weight_hh": param(gates * units, units)}
    if kind == "gru":
        p["bias_ih"] = param(gates * units, scale=0.2)
        p["bias_hh"] = param(gates * units, scale=0.2)
    else:
        p["bias"] = param(gates * units, scale=0.2)
    return {k + suffix: v for k, v in p.items()}


def layer(params, prefix, suffix=""):
    """One direction's tensors of a recurrent layer, by short name: layer(params, "encoder", "_reverse")["weight_ih"]."""
    return {k[len(prefix) + 1:len(k) - len(suffix)]: v for k, v in params.items()
            if k.startswith(prefix + ".") and k.endswith(suffix) and (suffix or not k.endswith("_reverse"))}


def merge(a, b, mode):
    return {"concat": lambda: torch.cat([a, b], dim=-1), "sum": lambda: a + b, "average": lambda: (a + b) / 2, "multiply": lambda: a * b}[mode]()


def self_check():
    """The loops are PyTorch's layers: nn.RNN / nn.LSTM / nn.GRU on unmasked input, and packed sequences on right padding."""
    x = torch.randn(7, 3, 4)
    for kind, module in (("simple_rnn", torch.nn.RNN(4, 5)), ("lstm", torch.nn.LSTM(4, 5)), ("gru", torch.nn.GRU(4, 5))):
        p = {"weight_ih": module.weight_ih_l0, "weight_hh": module.weight_hh_l0}
        if kind == "gru":
            p["bias_ih"], p["bias_hh"] = module.bias_ih_l0, module.bias_hh_l0
        else:
            p["bias"] = module.bias_ih_l0 + module.bias_hh_l0
        y, h, _ = recurrent(kind, x, None, p)
        expected, state = module(x)
        assert torch.allclose(y, expected, atol=1e-12), kind
        lengths = torch.tensor([7, 4, 2])
        mask = (torch.arange(7).unsqueeze(1) < lengths.unsqueeze(0)).double()
        y, h, _ = recurrent(kind, x, mask, p)
        packed, state = module(torch.nn.utils.rnn.pack_padded_sequence(x, lengths))
        unpacked, _ = torch.nn.utils.rnn.pad_packed_sequence(packed, total_length=7)
        assert torch.allclose(y, unpacked, atol=1e-12), kind
        final = state[0] if kind == "lstm" else state
        assert torch.allclose(h, final[0], atol=1e-12), kind


def run_case(name, build, loss_fn, optimizer, steps=3):
    params, forward, inputs = build()
    out = forward(inputs)
    loss = loss_fn(out)
    names = list(params)
    grads = torch.autograd.grad(loss, [params[n] for n in names])
    result = {
        "name": name,
        "parameters": {n: floats(params[n]) for n in names},
        "outputs": floats(out),
        "loss": float(loss),
        "gradients": {n: floats(g) for n, g in zip(names, grads)},
    }
    opt = optimizer([params[n] for n in names])
    losses = []
    for _ in range(steps):
        opt.zero_grad()
        l = loss_fn(forward(inputs))
        losses.append(float(l))
        l.backward()
        opt.step()
    result["step_losses"] = losses
    result["after_steps"] = {n: floats(params[n]) for n in names}
    return result


def case_bilstm_gru():
    """Tokens (Length 12, Vocabulary 20) -> Embedding(6, MaskZero) -> Bidirectional Lstm(5, ReturnSequences) concat -> Gru(4)
    -> Dense(1, sigmoid); binary cross-entropy, Adam(lr 0.01)."""
    tokens = torch.tensor([
        [3, 7, 1, 19, 4, 4, 9, 2, 11, 5, 6, 8],   # full
        [5, 2, 8, 8, 13, 1, 7, 0, 0, 0, 0, 0],    # right padding, 7 tokens
        [0, 0, 0, 12, 3, 17, 6, 2, 9, 1, 14, 4],  # left padding, 9 tokens
        [2, 15, 0, 6, 0, 0, 11, 3, 18, 0, 7, 1],  # holes
    ])
    targets = torch.tensor([[1.0], [0.0], [1.0], [0.0]])
    params = {"embed.weight": param(20, 6, scale=0.5)}
    params.update({"encoder." + k: v for k, v in recurrent_params("lstm", 6, 5).items()})
    params.update({"encoder." + k: v for k, v in recurrent_params("lstm", 6, 5, "_reverse").items()})
    params.update({"pool." + k: v for k, v in recurrent_params("gru", 10, 4).items()})
    params["output.weight"] = param(1, 4)
    params["output.bias"] = param(1, scale=0.2)


    def forward(tok):
        x = params["embed.weight"][tok].transpose(0, 1)  # (T, B, 6)
        mask = (tok != 0).double().T
        yf, _, _ = recurrent("lstm", x, mask, layer(params, "encoder"))
        yr, _, _ = recurrent("lstm", x, mask, layer(params, "encoder", "_reverse"), reverse=True)
        seq = merge(yf, yr, "concat")
        _, h, _ = recurrent("gru", seq, mask, layer(params, "pool"))
        return torch.sigmoid(h @ params["output.weight"].T + params["output.bias"])

    def build():
        return params, forward, tokens

    result = run_case("bilstm_gru_bce_adam", build, lambda out: F.binary_cross_entropy(out, targets),
                      lambda p: torch.optim.Adam(p, lr=0.01, eps=1e-7))
    result["tokens"] = [int(v) for v in tokens.reshape(-1).tolist()]
    result["targets"] = floats(targets)
    return result


def case_stacked_simple_rnn():
    """Floats (Length 10, Features 3) -> TimeDistributed Dense(6, tanh) -> SimpleRnn(4, ReturnSequences, ReturnState)
    -> SimpleRnn(4, relu, GoBackwards, InitialState = First) -> Dense(3, softmax); sparse categorical cross-entropy,
    SGD with momentum 0.9 (lr 0.1)."""
    batch = 5
    inputs = f32(torch.randn(batch, 10, 3))
    labels = torch.tensor([0, 2, 1, 2, 0])
    params = {"project.weight": param(6, 3), "project.bias": param(6, scale=0.2)}
    params.update({"first." + k: v for k, v in recurrent_params("simple_rnn", 6, 4).items()})
    params.update({"second." + k: v for k, v in recurrent_params("simple_rnn", 4, 4).items()})
    params["output.weight"] = param(3, 4)
    params["output.bias"] = param(3, scale=0.2)


    def forward(x):
        x = x.transpose(0, 1)  # (T, B, 3)
        projected = torch.tanh(x @ params["project.weight"].T + params["project.bias"])
        y1, h1, _ = recurrent("simple_rnn", projected, None, layer(params, "first"))
        _, h2, _ = recurrent("simple_rnn", y1, None, layer(params, "second"), h0=h1, reverse=True, relu=True)
        return torch.softmax(h2 @ params["output.weight"].T + params["output.bias"], dim=1)

    result = run_case("td_dense_stacked_simple_rnn_handover_sparse_momentum", lambda: (params, forward, inputs),
                      lambda out: F.nll_loss(torch.log(out), labels), lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9))
    result["inputs"] = floats(inputs)
    result["labels"] = [int(v) for v in labels.tolist()]
    return result


def case_lstm_handover_bigru():
    """Floats (Length 11, Features 2) -> Lstm(5, ReturnSequences, ReturnState) -> Lstm(5, ReturnSequences, InitialState = A)
    -> Bidirectional(Average) Gru(4) -> Dense(2); mean squared error, RMSprop(lr 0.01, rho 0.9, eps 1e-7)."""
    batch = 4
    inputs = f32(torch.randn(batch, 11, 2))
    targets = f32(torch.randn(batch, 2))
    params = {}
    params.update({"a." + k: v for k, v in recurrent_params("lstm", 2, 5).items()})
    params.update({"b." + k: v for k, v in recurrent_params("lstm", 5, 5).items()})
    params.update({"c." + k: v for k, v in recurrent_params("gru", 5, 4).items()})
    params.update({"c." + k: v for k, v in recurrent_params("gru", 5, 4, "_reverse").items()})
    params["output.weight"] = param(2, 4)
    params["output.bias"] = param(2, scale=0.2)


    def forward(x):
        x = x.transpose(0, 1)
        ya, ha, ca = recurrent("lstm", x, None, layer(params, "a"))
        yb, _, _ = recurrent("lstm", ya, None, layer(params, "b"), h0=ha, c0=ca)
        _, hf, _ = recurrent("gru", yb, None, layer(params, "c"))
        _, hr, _ = recurrent("gru", yb, None, layer(params, "c", "_reverse"), reverse=True)
        h = merge(hf, hr, "average")
        return h @ params["output.weight"].T + params["output.bias"]

    result = run_case("lstm_handover_bigru_average_mse_rmsprop", lambda: (params, forward, inputs),
                      lambda out: F.mse_loss(out, targets), lambda p: torch.optim.RMSprop(p, lr=0.01, alpha=0.9, eps=1e-7))
    result["inputs"] = floats(inputs)
    result["targets"] = floats(targets)
    return result


class isolated:
    """Runs a case on its own seed and restores the global generator afterwards, so adding a case leaves the others' numbers alone."""

    def __init__(self, seed):
        self.seed = seed

    def __enter__(self):
        self.state = torch.get_rng_state()
        torch.manual_seed(self.seed)

    def __exit__(self, *exc):
        torch.set_rng_state(self.state)


def case_masked_bidirectional_simple_rnn():
    """Tokens (Length 11, Vocabulary 12) -> Embedding(5, MaskZero) -> Bidirectional(Multiply) SimpleRnn(4, relu, ReturnSequences)
    -> SimpleRnn(3) -> Dense(2, softmax); sparse categorical cross-entropy, Adagrad(lr 0.05, initial accumulator 0.1)."""
    with isolated(11):
        tokens = torch.tensor([
            [4, 9, 1, 11, 3, 3, 7, 2, 10, 5, 6],
            [0, 0, 0, 0, 8, 2, 9, 1, 4, 4, 7],   # left padding
            [6, 2, 0, 5, 0, 0, 10, 3, 1, 0, 0],  # holes and right padding
        ])
        labels = torch.tensor([1, 0, 1])
        params = {"embed.weight": param(12, 5, scale=0.5)}
        params.update({"both." + k: v for k, v in recurrent_params("simple_rnn", 5, 4).items()})
        params.update({"both." + k: v for k, v in recurrent_params("simple_rnn", 5, 4, "_reverse").items()})
        params.update({"top." + k: v for k, v in recurrent_params("simple_rnn", 4, 3).items()})
        params["output.weight"] = param(2, 3)
        params["output.bias"] = param(2, scale=0.2)


        def forward(tok):
            x = params["embed.weight"][tok].transpose(0, 1)
            mask = (tok != 0).double().T
            yf, _, _ = recurrent("simple_rnn", x, mask, layer(params, "both"), relu=True)
            yr, _, _ = recurrent("simple_rnn", x, mask, layer(params, "both", "_reverse"), reverse=True, relu=True)
            _, h, _ = recurrent("simple_rnn", merge(yf, yr, "multiply"), mask, layer(params, "top"))
            return torch.softmax(h @ params["output.weight"].T + params["output.bias"], dim=1)

        def adagrad(ps):
            return torch.optim.Adagrad(ps, lr=0.05, initial_accumulator_value=0.1, eps=1e-7)

        result = run_case("masked_bidirectional_simple_rnn_multiply_sparse_adagrad", lambda: (params, forward, tokens),
                          lambda out: F.nll_loss(torch.log(out), labels), adagrad)
        result["tokens"] = [int(v) for v in tokens.reshape(-1).tolist()]
        result["labels"] = [int(v) for v in labels.tolist()]
        return result


def main():
    self_check()
    cases = [case_bilstm_gru(), case_stacked_simple_rnn(), case_lstm_handover_bigru(), case_masked_bidirectional_simple_rnn()]
    write_golden("rnn_models.json", {"generator": "tools/reference/rnn_models.py", "torch": torch.__version__, "cases": cases},
                 project="Unroll.Models.Tests")



def tbptt_case(name, build, loss_fn, optimizer, window, steps_total, train_steps=2):
    """Full-sequence outputs, loss and gradients (Forward + Backward), then `train_steps` TrainSteps under truncated BPTT:
    windows of `window` steps, each with its own forward, loss, backward and optimizer update; the recurrent state carries
    over detached (no gradient across a window's start). Records each TrainStep's mean window loss and the parameters after."""
    params, forward, inputs, targets = build()
    names = list(params)
    out, _ = forward(inputs, 0, steps_total, None)
    loss = loss_fn(out, targets, 0, steps_total, inputs)
    grads = torch.autograd.grad(loss, [params[n] for n in names])
    result = {
        "name": name,
        "window": window,
        "parameters": {n: floats(params[n]) for n in names},
        "outputs": floats(out.transpose(0, 1)),  # batch-major (B, T, width), as Forward returns them
        "loss": float(loss),
        "gradients": {n: floats(g) for n, g in zip(names, grads)},
    }
    opt = optimizer([params[n] for n in names])
    step_losses, window_losses = [], []
    for _ in range(train_steps):
        state = None
        losses = []
        for start in range(0, steps_total, window):
            steps = min(window, steps_total - start)
            opt.zero_grad()
            out, state = forward(inputs, start, steps, state)
            l = loss_fn(out, targets, start, steps, inputs)
            losses.append(float(l))
            l.backward()
            opt.step()
            state = tuple(s.detach() for s in state)
        window_losses.append(losses)
        step_losses.append(sum(losses) / len(losses))
    result["step_losses"] = step_losses
    result["window_losses"] = window_losses
    result["after_steps"] = {n: floats(params[n]) for n in names}
    return result


def case_tbptt_lstm():
    """Floats (Length 12, Features 2) -> Lstm(5, ReturnSequences) -> TimeDistributed Dense(3, softmax); a class label per step,
    sparse categorical cross-entropy (mean over every step); Adam(lr 0.01); BpttWindow 5 (windows 5, 5, 2)."""
    batch, total = 3, 12
    inputs = f32(torch.randn(batch, total, 2))
    labels = torch.randint(0, 3, (batch, total))
    params = {"memory." + k: v for k, v in recurrent_params("lstm", 2, 5).items()}
    params["tag.weight"] = param(3, 5)
    params["tag.bias"] = param(3, scale=0.2)
    p = layer(params, "memory")

    def forward(x, start, steps, state):
        xs = x[:, start:start + steps].transpose(0, 1)
        h0, c0 = state if state is not None else (None, None)
        y, h, c = recurrent("lstm", xs, None, p, h0, c0)
        return torch.softmax(y @ params["tag.weight"].T + params["tag.bias"], dim=-1), (h, c)

    def loss_fn(out, y, start, steps, _):
        target = y[:, start:start + steps].T  # (steps, B)
        return F.nll_loss(torch.log(out).reshape(-1, 3), target.reshape(-1))

    result = tbptt_case("tbptt_lstm_sparse_adam", lambda: (params, forward, inputs, labels), loss_fn,
                        lambda ps: torch.optim.Adam(ps, lr=0.01, eps=1e-7), window=5, steps_total=total)
    result["inputs"] = floats(inputs)
    result["labels"] = [int(v) for v in labels.reshape(-1).tolist()]
    return result


def case_tbptt_masked_gru():
    """Tokens (Length 10, Vocabulary 15) -> Embedding(4, MaskZero) -> Gru(5, ReturnSequences) -> TimeDistributed Dense(1, sigmoid);
    a 0/1 target per step, binary cross-entropy averaged over the steps that are not padding; RMSprop(lr 0.01); BpttWindow 4
    (windows 4, 4, 2). Padding on the left, on the right and in a hole, so some windows of some samples are all padding."""
    tokens = torch.tensor([
        [3, 7, 1, 14, 4, 4, 9, 2, 11, 5],
        [0, 0, 0, 0, 0, 0, 6, 2, 9, 1],   # left padding: the first window of this sample is all padding
        [5, 2, 8, 0, 13, 1, 7, 0, 0, 0],  # a hole and right padding: the last window is all padding
    ])
    targets = f32((torch.rand(3, 10, 1) > 0.5).double())
    params = {"embed.weight": param(15, 4, scale=0.5)}
    params.update({"memory." + k: v for k, v in recurrent_params("gru", 4, 5).items()})
    params["tag.weight"] = param(1, 5)
    params["tag.bias"] = param(1, scale=0.2)
    p = layer(params, "memory")

    def forward(tok, start, steps, state):
        window = tok[:, start:start + steps]
        x = params["embed.weight"][window].transpose(0, 1)
        mask = (window != 0).double().T
        h0 = state[0] if state is not None else None
        y, h, _ = recurrent("gru", x, mask, p, h0)
        return torch.sigmoid(y @ params["tag.weight"].T + params["tag.bias"]), (h,)

    def loss_fn(out, y, start, steps, tok):
        mask = (tok[:, start:start + steps] != 0).double().T.unsqueeze(-1)  # (steps, B, 1)
        target = y[:, start:start + steps].transpose(0, 1)
        per_step = F.binary_cross_entropy(out, target, reduction="none")
        return (per_step * mask).sum() / mask.sum()

    result = tbptt_case("tbptt_masked_gru_bce_rmsprop", lambda: (params, forward, tokens, targets), loss_fn,
                        lambda ps: torch.optim.RMSprop(ps, lr=0.01, alpha=0.9, eps=1e-7), window=4, steps_total=10)
    result["tokens"] = [int(v) for v in tokens.reshape(-1).tolist()]
    result["targets"] = floats(targets)
    return result


def case_tbptt_stacked_simple_rnn():
    """Floats (Length 10, Features 2) -> SimpleRnn(4, ReturnSequences) -> SimpleRnn(3, relu, ReturnSequences) -> TimeDistributed
    Dense(1); a value per step, mean squared error; SGD(lr 0.05); BpttWindow 4 (windows 4, 4, 2)."""
    with isolated(12):
        batch, total = 3, 10
        inputs = f32(torch.randn(batch, total, 2))
        targets = f32(torch.randn(batch, total, 1))
        params = {"lower." + k: v for k, v in recurrent_params("simple_rnn", 2, 4).items()}
        params.update({"upper." + k: v for k, v in recurrent_params("simple_rnn", 4, 3).items()})
        params["next.weight"] = param(1, 3)
        params["next.bias"] = param(1, scale=0.2)
        lower, upper = layer(params, "lower"), layer(params, "upper")

        def forward(x, start, steps, state):
            xs = x[:, start:start + steps].transpose(0, 1)
            h1, h2 = state if state is not None else (None, None)
            y1, h1, _ = recurrent("simple_rnn", xs, None, lower, h1)
            y2, h2, _ = recurrent("simple_rnn", y1, None, upper, h2, relu=True)
            return y2 @ params["next.weight"].T + params["next.bias"], (h1, h2)

        def loss_fn(out, y, start, steps, _):
            return F.mse_loss(out, y[:, start:start + steps].transpose(0, 1))

        result = tbptt_case("tbptt_stacked_simple_rnn_mse_sgd", lambda: (params, forward, inputs, targets), loss_fn,
                            lambda ps: torch.optim.SGD(ps, lr=0.05), window=4, steps_total=total)
        result["inputs"] = floats(inputs)
        result["targets"] = floats(targets)
        return result


def main_tbptt():
    cases = [case_tbptt_lstm(), case_tbptt_masked_gru(), case_tbptt_stacked_simple_rnn()]
    write_golden("tbptt.json", {"generator": "tools/reference/rnn_models.py", "torch": torch.__version__, "cases": cases},
                 project="Unroll.Models.Tests")


if __name__ == "__main__":
    main()
    main_tbptt()

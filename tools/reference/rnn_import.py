"""Fixtures for importing PyTorch recurrent state_dicts (ModelFile.Load's PyTorch names).

Run with Debian's PyTorch: /usr/bin/python3 tools/reference/rnn_import.py
Writes, under tests/Unroll.Models.Tests/Goldens/:
  torch_text.safetensors    state_dict of TextModel: nn.Embedding(16, 6) -> nn.LSTM(6, 5, bidirectional) -> nn.GRU(10, 4)
                            -> nn.Linear(4, 3), exactly as PyTorch names it (embed.weight, encoder.weight_ih_l0,
                            encoder.bias_ih_l0_reverse, pool.bias_hh_l0, output.weight, ...);
  torch_rnn.safetensors     state_dict of SeriesModel: nn.RNN(3, 5) -> nn.Linear(5, 2);
  rnn_import.json           the fixed inputs and PyTorch's outputs for both (float32 weights, computed in float64).
The C# twins are tests/Unroll.Models.Tests/ImportModels.cs. Token ids have no 0: Unroll's MaskZero and PyTorch's
packed sequences are not part of this comparison, only the tensor names and the summed LSTM / RNN bias.
The safetensors files are written with the serializer of safetensors_interop.py (Debian ships no `safetensors`).
"""
import os

import numpy as np
import torch
import torch.nn as nn

from golden import ROOT, floats, write_golden
from safetensors_interop import serialize

GOLDENS = os.path.join(ROOT, "tests", "Unroll.Models.Tests", "Goldens")


class TextModel(nn.Module):
    """Tokens (7 steps, vocabulary 16) -> Embedding(6) -> bidirectional LSTM(5), every step -> GRU(4), last step -> Linear(3)."""

    def __init__(self):
        super().__init__()
        self.embed = nn.Embedding(16, 6)
        self.encoder = nn.LSTM(6, 5, batch_first=True, bidirectional=True)
        self.pool = nn.GRU(10, 4, batch_first=True)
        self.output = nn.Linear(4, 3)

    def forward(self, tokens):
        sequence, _ = self.encoder(self.embed(tokens))
        _, h = self.pool(sequence)
        return self.output(h[0])


class SeriesModel(nn.Module):
    """Floats (6 steps, 3 features) -> RNN(5, tanh), last step -> Linear(2)."""

    def __init__(self):
        super().__init__()
        self.rnn = nn.RNN(3, 5, batch_first=True)
        self.output = nn.Linear(5, 2)

    def forward(self, x):
        _, h = self.rnn(x)
        return self.output(h[0])


def save_state_dict(module, name):
    """Writes module.state_dict() as float32 safetensors, as safetensors.torch.save_file(..., {"format": "pt"}) would."""
    entries = [(key, "F32", list(t.shape), t.detach().to(torch.float32).numpy().astype("<f4").tobytes())
               for key, t in module.state_dict().items()]
    with open(os.path.join(GOLDENS, name), "wb") as f:
        f.write(serialize(entries, {"format": "pt"}))
    return sorted(module.state_dict())


def main():
    torch.manual_seed(31)
    text = TextModel()
    series = SeriesModel()
    # PyTorch initialises biases uniformly in +-1/sqrt(units); widen them so a bias_hh dropped on import could not pass.
    with torch.no_grad():
        for module in (text.encoder, text.pool, series.rnn):
            for name, p in module.named_parameters():
                if name.startswith("bias"):
                    p.uniform_(-0.8, 0.8)
    text_keys = save_state_dict(text, "torch_text.safetensors")
    series_keys = save_state_dict(series, "torch_rnn.safetensors")

    tokens = torch.tensor([[3, 7, 1, 15, 4, 4, 9],
                           [5, 2, 8, 8, 13, 1, 7],
                           [12, 3, 11, 6, 2, 9, 14]])
    values = torch.randn(4, 6, 3).to(torch.float32)
    with torch.no_grad():
        text_out = text.double()(tokens)
        series_out = series.double()(values.double())

    write_golden("rnn_import.json", {
        "generator": "tools/reference/rnn_import.py", "torch": torch.__version__,
        "text": {"file": "torch_text.safetensors", "keys": text_keys,
                 "tokens": [int(v) for v in tokens.reshape(-1).tolist()], "outputs": floats(text_out)},
        "series": {"file": "torch_rnn.safetensors", "keys": series_keys,
                   "inputs": floats(values), "outputs": floats(series_out)},
    }, project="Unroll.Models.Tests")


if __name__ == "__main__":
    main()

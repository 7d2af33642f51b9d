"""Goldens for src/Runtime/Kernels/Embedding.cs: nn.Embedding lookup, its weight gradient, and the mask_zero mask.

Run with /usr/bin/python3 (PyTorch 1.13). Writes tests/Unroll.Runtime.Tests/Goldens/embedding.json.
Tokens are batch-major [batch, steps] (as the user holds them, with 0 as padding and repeated ids so gradient rows
accumulate); the kernel's output and dy are time-major [steps, batch, dimension], so here y = emb(tokens).transpose(0, 1).
The table and dy are float32 values; torch computes in float64. No padding_idx: token 0's row is trained like any other
(Keras Embedding with mask_zero=True does the same; masked steps simply receive no gradient from a masked RNN).
"""
import torch
import torch.nn as nn

from golden import floats, write_golden

BATCH, STEPS, VOCAB, DIM = 3, 6, 7, 4


def main():
    torch.manual_seed(2024)
    tokens = torch.tensor([[3, 1, 4, 1, 5, 0],
                           [0, 0, 2, 6, 2, 2],
                           [6, 5, 3, 3, 0, 0]], dtype=torch.long)
    assert tokens.shape == (BATCH, STEPS)
    table = torch.randn(VOCAB, DIM).to(torch.float32)
    dy = torch.randn(STEPS, BATCH, DIM).to(torch.float32)

    emb = nn.Embedding(VOCAB, DIM).to(torch.float64)
    with torch.no_grad():
        emb.weight.copy_(table.to(torch.float64))
    y = emb(tokens).transpose(0, 1)
    y.backward(dy.to(torch.float64))
    mask = (tokens != 0).T.to(torch.float32)

    data = {
        "batch": BATCH, "steps": STEPS, "vocabulary": VOCAB, "dimension": DIM,
        "tokens": [int(v) for v in tokens.reshape(-1).tolist()], "table": floats(table), "dy": floats(dy),
        "y": floats(y), "dtable": floats(emb.weight.grad), "mask": floats(mask),
    }
    write_golden("embedding.json", data)


if __name__ == "__main__":
    main()

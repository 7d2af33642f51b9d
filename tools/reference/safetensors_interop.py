#!/usr/bin/python3
"""safetensors interop fixtures for Unroll.Runtime (PyTorch 1.13 side).

Debian ships no `safetensors` package, so this script writes and reads the format with plain
`struct` + `json`, reproducing what huggingface/safetensors does (safetensors/src/tensor.rs):
  * 8-byte little-endian u64 header length N, N bytes of compact JSON, then the data buffer;
  * JSON: `__metadata__` first (when given), then tensors sorted by descending dtype rank of the Rust
    `Dtype` enum and then by name (byte order of UTF-8 == code-point order of Python strings);
    each tensor is {"dtype", "shape", "data_offsets"} in that key order, serde_json escaping
    (only '"', '\\' and control characters; non-ASCII stays raw UTF-8);
  * header padded with spaces to a multiple of 8 bytes.
The Rust library keeps metadata in a HashMap, so with several metadata keys its order is not
deterministic; here (and in the C# writer) metadata keys are sorted.

Outputs, under tests/Unroll.Runtime.Tests/Goldens/safetensors/:
  reference.json / reference.safetensors / reference_nometa.safetensors
      an F32 tensor set (NaN with payload, -0, subnormals, infinities, an empty tensor, a scalar,
      names needing JSON escapes) that the C# writer must reproduce byte for byte;
  torch_written.safetensors / torch_written.json
      a tiny nn.Sequential(Linear(4,3), ReLU, Linear(3,2)) state_dict renamed to hidden.*/output.*,
      plus F64, F16 and BF16 tensors, and a JSON dump of the same values;
  interop_check.txt
      the report of verifying unroll_written.safetensors (written by the C# ModelFile.Save through the
      test SafeTensorsInteropTests.UnrollWrittenFixtureMatchesModelFileSave) with torch.

Run: /usr/bin/python3 tools/reference/safetensors_interop.py
"""
import hashlib
import json
import math
import struct
import sys
from pathlib import Path

import torch
import torch.nn as nn

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "tests" / "Unroll.Runtime.Tests" / "Goldens" / "safetensors"

# Rust `Dtype` enum order (the writer sorts by it, descending), with element sizes.
DTYPE_RANK = ["BOOL", "U8", "I8", "I16", "U16", "F16", "BF16", "I32", "U32", "F32", "F64", "I64", "U64"]
DTYPE_SIZE = {"BOOL": 1, "U8": 1, "I8": 1, "I16": 2, "U16": 2, "F16": 2, "BF16": 2,
              "I32": 4, "U32": 4, "F32": 4, "F64": 8, "I64": 8, "U64": 8}
TORCH_DTYPE = {torch.float32: "F32", torch.float64: "F64", torch.float16: "F16", torch.bfloat16: "BF16",
               torch.int64: "I64", torch.int32: "I32", torch.int16: "I16", torch.int8: "I8",
               torch.uint8: "U8", torch.bool: "BOOL"}
FROM_DTYPE = {v: k for k, v in TORCH_DTYPE.items()}
MAX_HEADER = 100_000_000
MODEL_METADATA = {"format": "pt", "model": "TinyMlp", "producer": "Unroll"}


def serialize(entries, metadata=None):
    """entries: list of (name, dtype, shape, raw little-endian bytes). Returns the file bytes."""
    entries = sorted(entries, key=lambda e: e[0].encode("utf-8"))
    entries = sorted(entries, key=lambda e: DTYPE_RANK.index(e[1]), reverse=True)  # stable: name order within a dtype
    header = {}
    if metadata is not None:
        header["__metadata__"] = {k: metadata[k] for k in sorted(metadata, key=lambda k: k.encode("utf-8"))}
    offset = 0
    for name, dtype, shape, raw in entries:
        assert len(raw) == math.prod(shape) * DTYPE_SIZE[dtype], name
        assert name not in header, f"duplicate tensor {name}"
        header[name] = {"dtype": dtype, "shape": list(shape), "data_offsets": [offset, offset + len(raw)]}
        offset += len(raw)
    text = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    return struct.pack("<Q", len(text)) + text + b"".join(e[3] for e in entries)


def deserialize(data):
    """Strict reader: returns (metadata, {name: torch tensor}) or raises AssertionError."""
    assert len(data) >= 8, "shorter than the length prefix"
    (n,) = struct.unpack("<Q", data[:8])
    assert n <= MAX_HEADER and n <= len(data) - 8, f"bad header length {n}"
    header = json.loads(data[8:8 + n].decode("utf-8"), object_pairs_hook=_no_duplicates)
    assert isinstance(header, dict)
    metadata = header.pop("__metadata__", None)
    assert metadata is None or all(isinstance(k, str) and isinstance(v, str) for k, v in metadata.items())
    buffer = data[8 + n:]
    expected_start = 0
    tensors = {}
    for name, info in sorted(header.items(), key=lambda kv: tuple(kv[1]["data_offsets"])):
        assert set(info) == {"dtype", "shape", "data_offsets"}, name
        begin, end = info["data_offsets"]
        assert begin == expected_start and end >= begin, f"{name}: offsets {begin},{end}, expected start {expected_start}"
        assert all(isinstance(d, int) and d >= 0 for d in info["shape"]), name
        assert end - begin == math.prod(info["shape"]) * DTYPE_SIZE[info["dtype"]], name
        expected_start = end
        dtype = FROM_DTYPE[info["dtype"]]
        raw = bytearray(buffer[begin:end])
        t = torch.frombuffer(raw, dtype=dtype) if raw else torch.empty(0, dtype=dtype)
        tensors[name] = t.reshape(info["shape"])
    assert expected_start == len(buffer), f"buffer is {len(buffer)} bytes, tensors cover {expected_start}"
    return metadata, tensors


def _no_duplicates(pairs):
    keys = [k for k, _ in pairs]
    assert len(keys) == len(set(keys)), f"duplicate keys {keys}"
    return dict(pairs)


def raw_bytes(t):
    t = t.contiguous()
    if t.dtype == torch.bfloat16:  # numpy has no bfloat16
        return t.view(torch.int16).numpy().astype("<i2").tobytes()
    return t.numpy().astype(t.numpy().dtype.newbyteorder("<")).tobytes()


def f32_bits(values):
    return torch.tensor(values, dtype=torch.float32).view(torch.int32).tolist()


def reference_set():
    """F32 tensors with awkward values and names; bits are uint32 patterns so NaN payloads survive JSON."""
    torch.manual_seed(1)
    u = lambda i: struct.unpack("<I", struct.pack("<i", i))[0]
    special = [0x7FC00000, 0x7FA00001, 0xFFC00000, 0x80000000, 0x00000000, 0x00000001, 0x007FFFFF,
               0x80000001, 0x7F800000, 0xFF800000, 0x7F7FFFFF, 0x00800000, 0x3F800000, 0xBF800000]
    tensors = [  # deliberately not in sorted order
        ("special.values", [2, 7], special),
        ("b.weight", [3, 2], [u(b) for b in f32_bits(torch.randn(6).tolist())]),
        ("a.bias", [3], [u(b) for b in f32_bits(torch.randn(3).tolist())]),
        ("scalar", [], [u(b) for b in f32_bits([0.1])]),
        ("empty", [2, 0], []),
        ("z\u00e9\"quote\\back\ttab\u0001", [1, 2], [u(b) for b in f32_bits([1.5, -2.25])]),
        ("\u00fcber.\u65e5\u672c", [2], [u(b) for b in f32_bits([3.0, 4.0])]),
    ]
    return tensors


def write_reference():
    tensors = reference_set()
    entries = [(name, "F32", shape, struct.pack(f"<{len(bits)}I", *bits)) for name, shape, bits in tensors]
    (OUT / "reference.safetensors").write_bytes(serialize(entries, MODEL_METADATA))
    (OUT / "reference_nometa.safetensors").write_bytes(serialize(entries, None))
    doc = {"metadata": MODEL_METADATA,
           "tensors": [{"name": n, "shape": s, "bits": b} for n, s, b in tensors]}
    (OUT / "reference.json").write_text(json.dumps(doc, indent=1, ensure_ascii=True) + "\n")
    return tensors


def tiny_mlp():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.Linear(3, 2))


RENAME = {"0.weight": "hidden.weight", "0.bias": "hidden.bias", "2.weight": "output.weight", "2.bias": "output.bias"}


def write_torch_file():
    model = tiny_mlp()
    tensors = {RENAME[k]: v.detach().clone() for k, v in model.state_dict().items()}
    torch.manual_seed(2)
    tensors["extra.f64"] = torch.randn(2, 3, dtype=torch.float64)
    tensors["extra.f16"] = torch.tensor([0.5, -1.0, 65504.0, 6.0e-8, -0.0], dtype=torch.float16)
    tensors["extra.bf16"] = torch.tensor([1.0, -3.140625, 1.0e-39, 3.0e38], dtype=torch.bfloat16)
    entries = [(k, TORCH_DTYPE[v.dtype], list(v.shape), raw_bytes(v)) for k, v in tensors.items()]
    data = serialize(entries, {"format": "pt"})
    (OUT / "torch_written.safetensors").write_bytes(data)
    doc = {"metadata": {"format": "pt"},
           "tensors": {k: {"dtype": TORCH_DTYPE[v.dtype], "shape": list(v.shape),
                           "values": [float(x) for x in v.double().flatten().tolist()]}
                       for k, v in tensors.items()}}
    (OUT / "torch_written.json").write_text(json.dumps(doc, indent=1) + "\n")
    # The file must read back with our own strict reader as the same torch tensors.
    _, back = deserialize(data)
    for k, v in tensors.items():
        assert back[k].dtype == v.dtype and torch.equal(back[k], v), k
    return model


def verify_unroll_written(model, reference):
    path = OUT / "unroll_written.safetensors"
    if not path.exists():
        print(f"{path.name} not found: run the C# test SafeTensorsInteropTests.UnrollWrittenFixtureMatchesModelFileSave, "
              "accept its .received file, then rerun this script")
        return False
    data = path.read_bytes()
    lines = [f"file {path.name} sha256 {hashlib.sha256(data).hexdigest()} ({len(data)} bytes)"]
    metadata, tensors = deserialize(data)
    assert metadata == MODEL_METADATA, metadata
    lines.append(f"OK metadata {json.dumps(metadata, sort_keys=True)}")

    expected = {RENAME[k]: v.detach() for k, v in model.state_dict().items()}
    name, shape, bits = next(t for t in reference if t[0] == "special.values")
    expected[name] = torch.tensor(struct.unpack(f"<{len(bits)}i", struct.pack(f"<{len(bits)}I", *bits)),
                                  dtype=torch.int32).view(torch.float32).reshape(shape)
    assert sorted(tensors) == sorted(expected), (sorted(tensors), sorted(expected))
    for k, v in expected.items():
        got = tensors[k]
        assert got.dtype == torch.float32 and list(got.shape) == list(v.shape), (k, got.dtype, got.shape)
        assert torch.equal(got.view(torch.int32), v.contiguous().view(torch.int32)), k  # bit-exact, NaN payloads too
        lines.append(f"OK {k} float32 {list(v.shape)} bit-identical")

    # Load the C#-written weights into a fresh torch model and check it computes the same function.
    fresh = nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.Linear(3, 2))
    back = {src: tensors[dst] for src, dst in RENAME.items()}
    fresh.load_state_dict(back, strict=True)
    x = torch.linspace(-2, 2, 20).reshape(5, 4)
    assert torch.equal(fresh(x), model(x))
    lines.append("OK load_state_dict into nn.Sequential(Linear(4,3), ReLU, Linear(3,2)): forward identical")
    lines.append("OK")
    report = "\n".join(lines) + "\n"
    (OUT / "interop_check.txt").write_text(report)
    print(report, end="")
    return True


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    reference = write_reference()
    model = write_torch_file()
    print(f"wrote fixtures to {OUT.relative_to(ROOT)} (torch {torch.__version__})")
    return 0 if verify_unroll_written(model, reference) else 1


if __name__ == "__main__":
    sys.exit(main())

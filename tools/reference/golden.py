"""What every reference script shares: tensors to JSON lists, and writing a golden file into a test project's
Goldens folder (indent 1, trailing newline), so regenerated files diff cleanly."""
import json
import os

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))


def floats(t):
    """A tensor's values, flattened row-major, as Python floats (JSON numbers)."""
    return [float(v) for v in t.detach().reshape(-1).tolist()]


def write_golden(name, data, project="Unroll.Runtime.Tests"):
    """Writes tests/<project>/Goldens/<name> and returns its path."""
    path = os.path.join(ROOT, "tests", project, "Goldens", name)
    with open(path, "w") as f:
        json.dump(data, f, indent=1)
        f.write("\n")
    print("wrote", path)
    return path

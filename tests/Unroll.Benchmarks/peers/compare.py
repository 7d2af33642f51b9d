"""Runs Unroll and its peers (PyTorch, TorchSharp, ONNX Runtime) on the workloads of WORKLOADS.md (mlp, rnn-text,
lstm-text, gru-text) on this machine, in one interleaved run, and prints one markdown table of microseconds per call
and the ratio best peer / Unroll (> 1: Unroll is faster).

  /usr/bin/python3 tests/Unroll.Benchmarks/peers/compare.py            # builds, exports, runs two passes
  ... compare.py --scale 0.2 --workloads mlp rnn-text                   # a quick check of the harness

What it does:
1. Builds (one at a time, Release) tests/Unroll.Benchmarks, peers/TorchSharpPeer (whose build marks the GLIBCXX_3.4.32
   requirement of libLibTorchSharp.so weak in its output copy, see weaken_glibcxx.py) and peers/OrtPeer; exports the
   ONNX models (export_onnx.py) into peers/onnx/ when they are missing or older than the scripts that define them.
2. Points Debian's torch at OpenBLAS (libopenblas0-pthread: the system's copy if installed, else the package is
   fetched with `apt-get download` and unpacked under peers/.openblas/, nothing installed), and picks OpenBLAS's kernels
   for this CPU: on an AVX-512 CPU that OpenBLAS 0.3.21 does not recognise it would fall back to old SSE3 or AVX2 ones,
   so OPENBLAS_CORETYPE=SkylakeX is set for the PyTorch commands only (override with --openblas-coretype).
3. Runs every (workload, system, thread count) as its own process, in the order A B C D for each workload, then
   the exact reverse (D C B A, last workload first) for every second pass (two passes by default; --passes 4 gives each
   system four draws of the host's minute): Unroll once per pass, at its default thread count (all cores,
   Parallelism.ThreadCount), PyTorch, TorchSharp and ONNX Runtime (inference only) at 1 and 2 threads. PyTorch at t threads runs with
   torch.set_num_threads(t) and OPENBLAS_NUM_THREADS=t (otherwise OpenBLAS starts its own pthreads besides OpenMP's).
   Each process times each phase as the median of 11 rounds after 2 warm-up rounds and prints JSON lines.
4. For each system, workload and phase, keeps the fastest of its medians over the passes and thread counts (so a
   system is reported at its best thread count, on its least disturbed pass), and prints the table. The raw lines
   and the table are also written to peers/results/<time>.jsonl and .md.
"""
import argparse
import datetime
import json
import os
import platform
import shutil
import subprocess
import sys
import time

PEERS = os.path.dirname(os.path.abspath(__file__))
BENCH = os.path.dirname(PEERS)
REPO = os.path.dirname(os.path.dirname(BENCH))
WORKLOADS = ["mlp", "rnn-text", "lstm-text", "gru-text"]
PHASES = ["train", "infer1", "inferB"]
SYSTEMS = ["unroll", "pytorch", "torchsharp", "ort"]
TITLES = {"unroll": "Unroll", "pytorch": "PyTorch", "torchsharp": "TorchSharp", "ort": "ORT"}
TORCH_PYTHON = "/usr/bin/python3"  # Debian's python3-torch 1.13
AVX512_CORES = {"SkylakeX", "Cooperlake", "SapphireRapids"}


def log(message):
    print(message, file=sys.stderr, flush=True)


def run(cmd, env=None, cwd=REPO, capture=True, timeout=None):
    result = subprocess.run(cmd, cwd=cwd, env=env, text=True, capture_output=capture, timeout=timeout)
    if result.returncode != 0:
        sys.exit(f"compare: `{' '.join(cmd)}` failed ({result.returncode}):\n{result.stdout or ''}{result.stderr or ''}")
    return result


def machine():
    info = {}
    try:
        for line in subprocess.run(["lscpu"], capture_output=True, text=True).stdout.splitlines():
            key, _, value = line.partition(":")
            info[key.strip()] = value.strip()
    except OSError:
        pass
    flags = set(info.get("Flags", "").split())
    mem_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    dotnet = subprocess.run(["dotnet", "--version"], capture_output=True, text=True).stdout.strip()
    lines = [
        f"CPU: {info.get('Model name', platform.processor())} ({info.get('Vendor ID', '?')}, family "
        f"{info.get('CPU family', '?')} model {info.get('Model', '?')}), {os.cpu_count()} logical CPUs "
        f"({info.get('Core(s) per socket', '?')} cores per socket x {info.get('Socket(s)', '?')} sockets, "
        f"{info.get('Thread(s) per core', '?')} thread(s) per core), "
        f"{'AVX-512' if 'avx512f' in flags else 'AVX2' if 'avx2' in flags else 'no AVX2'}"
        f"{', hypervisor ' + info['Hypervisor vendor'] if 'Hypervisor vendor' in info else ''}",
        f"Memory: {mem_gb:.0f} GiB; kernel {platform.release()}; .NET SDK {dotnet}",
    ]
    return lines, flags


def load_average():
    return "load average {:.2f} {:.2f} {:.2f}".format(*os.getloadavg())


# ---------------------------------------------------------------------------------------------------------- building

def build(args):
    for project in ("tests/Unroll.Benchmarks", "tests/Unroll.Benchmarks/peers/TorchSharpPeer",
                    "tests/Unroll.Benchmarks/peers/OrtPeer"):
        log(f"compare: dotnet build -c Release {project}")
        out = run(["dotnet", "build", "-c", "Release", "--nologo", "-v", "q", project]).stdout
        for line in out.splitlines():
            if "weaken_glibcxx" in line:
                log("  " + line.strip())


def export_onnx(force):
    onnx = os.path.join(PEERS, "onnx")
    sources = [os.path.join(PEERS, f) for f in ("export_onnx.py", "mlp_peer.py", "rnn_peer.py")]
    newest_source = max(os.path.getmtime(s) for s in sources)
    files = [os.path.join(onnx, f"{w}-b{b}.{ext}") for w, b in
             (("mlp", 1), ("mlp", 64), ("rnn-text", 1), ("rnn-text", 64), ("lstm-text", 1), ("lstm-text", 32),
              ("gru-text", 1), ("gru-text", 32)) for ext in ("onnx", "json")]
    if force or not all(os.path.exists(f) and os.path.getmtime(f) >= newest_source for f in files):
        log("compare: exporting the ONNX models (export_onnx.py)")
        run([TORCH_PYTHON, os.path.join(PEERS, "export_onnx.py"), "--out", onnx], capture=True)
    return onnx


# ---------------------------------------------------------------------------------------------------------- OpenBLAS

def openblas_dir():
    """A directory holding OpenBLAS's libblas.so.3 (pthread build), for LD_LIBRARY_PATH."""
    system = "/usr/lib/x86_64-linux-gnu/openblas-pthread"
    if os.path.exists(os.path.join(system, "libblas.so.3")):
        return system
    local = os.path.join(PEERS, ".openblas")
    unpacked = os.path.join(local, "usr/lib/x86_64-linux-gnu/openblas-pthread")
    if not os.path.exists(os.path.join(unpacked, "libblas.so.3")):
        log("compare: libopenblas0-pthread is not installed; fetching it with apt-get download into peers/.openblas/")
        os.makedirs(local, exist_ok=True)
        run(["apt-get", "download", "libopenblas0-pthread"], cwd=local)
        debs = [f for f in os.listdir(local) if f.startswith("libopenblas0-pthread") and f.endswith(".deb")]
        if not debs:
            sys.exit("compare: apt-get download libopenblas0-pthread gave no package (run apt-get update first)")
        run(["dpkg-deb", "-x", os.path.join(local, sorted(debs)[-1]), local])
    return unpacked


def torch_env(lib_dir, coretype, threads=None):
    env = {k: v for k, v in os.environ.items() if k not in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")}
    env["LD_LIBRARY_PATH"] = lib_dir + (":" + env["LD_LIBRARY_PATH"] if env.get("LD_LIBRARY_PATH") else "")
    if coretype:
        env["OPENBLAS_CORETYPE"] = coretype
    if threads:
        env["OPENBLAS_NUM_THREADS"] = str(threads)
    return env


PROBE = r"""
import ctypes, torch
torch.ones(64, 64) @ torch.ones(64, 64)
blas = sorted({l.split()[-1] for l in open('/proc/self/maps') if 'blas' in l.lower() and '.so' in l})
core = ''
for path in blas:
    try:
        lib = ctypes.CDLL(path); lib.openblas_get_corename.restype = ctypes.c_char_p
        core = lib.openblas_get_corename().decode(); break
    except (OSError, AttributeError):
        pass
print(torch.__version__); print(core); print(' '.join(blas))
"""


def probe_torch(env):
    out = run([TORCH_PYTHON, "-c", PROBE], env=env).stdout.splitlines()
    return out[0], out[1], out[2] if len(out) > 2 else ""


def choose_coretype(lib_dir, flags, forced):
    """OPENBLAS_CORETYPE for the PyTorch commands: the user's, else SkylakeX when this is an AVX-512 CPU that
    OpenBLAS does not drive with AVX-512 kernels on its own, else Haswell for an AVX2 CPU it treats as older."""
    if forced is not None:
        return forced or None
    version, core, _ = probe_torch(torch_env(lib_dir, None))
    avx512 = {"avx512f", "avx512bw", "avx512dq", "avx512vl", "avx512cd"} <= flags
    if avx512 and core not in AVX512_CORES:
        return "SkylakeX"
    if not avx512 and "avx2" in flags and "fma" in flags and core in ("Prescott", "Core2", "Penryn", "Dunnington",
                                                                      "Nehalem", "Sandybridge", "Atom", ""):
        return "Haswell"
    return None


# ---------------------------------------------------------------------------------------------------------- running

def command(system, workload, threads, args, onnx, lib_dir, coretype):
    scale = ["--scale", str(args.scale)] if args.scale != 1 else []
    dll = lambda project, name: os.path.join(BENCH, project, "bin/Release/net10.0", name + ".dll")
    if system == "unroll":
        return ["dotnet", dll(".", "Unroll.Benchmarks"), "--peer-format", workload] + scale, None
    if system == "pytorch":
        script = "mlp_peer.py" if workload == "mlp" else "rnn_peer.py"
        cmd = [TORCH_PYTHON, os.path.join(PEERS, script)] + ([] if workload == "mlp" else [workload])
        return cmd + ["--jsonl", "--threads", str(threads)] + scale, torch_env(lib_dir, coretype, threads)
    if system == "torchsharp":
        return ["dotnet", dll("peers/TorchSharpPeer", "TorchSharpPeer"), workload, "--threads", str(threads)] + scale, None
    return ["dotnet", dll("peers/OrtPeer", "OrtPeer"), "--models", onnx, workload, "--threads", str(threads)] + scale, None


def measure(system, workload, threads, args, onnx, lib_dir, coretype, versions):
    cmd, env = command(system, workload, threads, args, onnx, lib_dir, coretype)
    started = time.time()
    try:
        result = run(cmd, env=env, timeout=args.timeout)
    except subprocess.TimeoutExpired:
        log(f"  {system:>10} {workload:>9} {threads}t  stopped after {args.timeout} s: no measurement ({load_average()})")
        return None
    rows = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    if not rows:
        sys.exit(f"compare: {' '.join(cmd)} printed no measurement:\n{result.stdout}{result.stderr}")
    first = result.stderr.strip().splitlines()[:1]
    if first and system in ("torchsharp", "ort"):
        versions[system] = first[0].split(", models in")[0]
    log(f"  {system:>10} {workload:>9} {threads}t  {time.time() - started:5.1f} s  "
        + "  ".join(f"{r['phase']} {r['us']:.1f}" for r in rows) + f"  ({load_average()})")
    return rows


def fmt_us(us):
    return f"{us:,.0f}" if us >= 100 else f"{us:.1f}"


def table(best, workloads, systems):
    peers = [s for s in systems if s != "unroll"]
    head = ["workload", "phase"] + [f"{TITLES[s]} µs" for s in systems] + ["best peer", "ratio"]
    lines = ["| " + " | ".join(head) + " |", "| " + " | ".join(["---", "---"] + ["---:"] * (len(head) - 2)) + " |"]
    for w in workloads:
        for p in PHASES:
            cells = [w, p]
            for s in systems:
                r = best.get((s, w, p))
                cells.append("—" if r is None else fmt_us(r["us"]) + ("" if s == "unroll" else f" ({r['threads']}t)"))
            candidates = [(best[(s, w, p)]["us"], s) for s in peers if (s, w, p) in best]
            unroll = best.get(("unroll", w, p))
            if candidates and unroll:
                us, s = min(candidates)
                cells += [TITLES[s], f"{us / unroll['us']:.2f}"]
            else:
                cells += ["—", "—"]
            lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__.split("\n\n", 1)[1])
    parser.add_argument("--workloads", nargs="+", default=WORKLOADS, choices=WORKLOADS)
    parser.add_argument("--systems", nargs="+", default=SYSTEMS, choices=SYSTEMS)
    parser.add_argument("--threads", default="1,2", help="peer thread counts (default 1,2; Unroll runs at its default, Parallelism.ThreadCount = all cores)")
    parser.add_argument("--passes", type=int, default=2, help="passes, alternately forward and reversed (default 2)")
    parser.add_argument("--scale", type=float, default=1.0, help="multiplies every peer's calls per round (quick check)")
    parser.add_argument("--timeout", type=float, default=1200,
                        help="seconds one process may run before it is stopped and its measurements left out (default "
                             "1200: on a loaded machine a peer at 2 threads can spin for a very long time)")
    parser.add_argument("--skip-build", action="store_true", help="use the existing builds and ONNX files")
    parser.add_argument("--openblas-coretype", default=None,
                        help="OPENBLAS_CORETYPE for PyTorch ('' for OpenBLAS's own choice; default: see above)")
    args = parser.parse_args()
    thread_counts = [int(t) for t in args.threads.split(",")]
    args.systems = [s for s in SYSTEMS if s in args.systems]  # always run, and tabulate, in the order A B C D

    started = datetime.datetime.now()
    machine_lines, flags = machine()
    for line in machine_lines:
        log(line)

    if not args.skip_build:
        build(args)
    onnx = export_onnx(False) if "ort" in args.systems and not args.skip_build else os.path.join(PEERS, "onnx")
    lib_dir = openblas_dir() if "pytorch" in args.systems else None
    coretype = choose_coretype(lib_dir, flags, args.openblas_coretype) if lib_dir else None
    versions = {"unroll": "Unroll (this tree), default thread count (all cores)"}
    if lib_dir:
        torch_version, core, blas = probe_torch(torch_env(lib_dir, coretype))
        versions["pytorch"] = (f"PyTorch {torch_version} on {blas or 'no BLAS library found'}, OpenBLAS kernels {core or '?'}"
                               f" (OPENBLAS_CORETYPE={coretype or 'unset'})")

    order = [(w, s) for w in args.workloads for s in args.systems]
    rows, stopped = [], []
    for n in range(args.passes):
        log(f"compare: pass {n + 1} of {args.passes} ({'forward' if n % 2 == 0 else 'reversed'}; {load_average()})")
        for w, s in (order if n % 2 == 0 else order[::-1]):
            for t in ([1] if s == "unroll" else (thread_counts if n % 2 == 0 else thread_counts[::-1])):
                measured = measure(s, w, t, args, onnx, lib_dir, coretype, versions)
                if measured is None:
                    stopped.append(f"{TITLES[s]} {w} {t}t (pass {n + 1})")
                for r in measured or []:
                    r["pass"] = n + 1
                    r["load1"] = round(os.getloadavg()[0], 2)
                    rows.append(r)

    best = {}
    for r in rows:
        key = (r["system"], r["workload"], r["phase"])
        if key not in best or r["us"] < best[key]["us"]:
            best[key] = r

    ended = datetime.datetime.now()
    report = [f"Machine: {machine_lines[0]}", machine_lines[1],
              f"Run: {started:%Y-%m-%d %H:%M}-{ended:%H:%M}, {args.passes} passes (interleaved "
              f"{' '.join(TITLES[s] for s in args.systems)} per workload, then reversed), peer threads "
              f"{args.threads}, scale {args.scale:g}; {load_average()} at the end",
              ""]
    report += [f"- {TITLES[s]}: {versions[s]}" for s in args.systems if s in versions]
    report += ["", "Microseconds per call, lower is better: each cell is the fastest, over passes and thread counts "
                   "(the peers' best count in brackets), of the median of 11 timed rounds after 2 warm-up rounds. "
                   "ratio = best peer / Unroll (> 1: Unroll is faster). ORT is inference only.", "",
               table(best, args.workloads, args.systems), ""]
    if any(r.get("alloc_bytes_per_call") for r in rows if r["system"] == "unroll"):
        report.append("Unroll allocated bytes per call (nonzero only): " + ", ".join(
            f"{r['workload']} {r['phase']} {r['alloc_bytes_per_call']}" for r in rows
            if r["system"] == "unroll" and r.get("alloc_bytes_per_call")))
    if stopped:
        report.append(f"Stopped after {args.timeout:g} s, no measurement: " + ", ".join(stopped))
    text = "\n".join(report)
    print(text)

    results = os.path.join(PEERS, "results")
    os.makedirs(results, exist_ok=True)
    stem = os.path.join(results, f"{started:%Y%m%d-%H%M%S}")
    with open(stem + ".jsonl", "w") as f:
        for r in rows:
            f.write(json.dumps(r) + "\n")
    with open(stem + ".md", "w") as f:
        f.write(text + "\n")
    log(f"compare: raw measurements in {stem}.jsonl, the table in {stem}.md")


if __name__ == "__main__":
    main()

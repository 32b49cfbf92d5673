#!/usr/bin/env python3
"""Joins Tutti's JMH results with the peer's into bench/results/latest.json and latest.md.

ratio = Tutti time / peer time (for GEMM: peer GFLOPS / Tutti GFLOPS; for memory: Tutti MB / peer MB), so below
1 means Tutti is faster (or smaller).
"""
import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess


MODEL_ORDER = ("mlp", "cnn", "multimodal", "transformer")


def jmh_rows(path):
    """{(benchmark short name, params): microseconds per op}"""
    with open(path) as f:
        data = json.load(f)
    rows = {}
    for r in data:
        name = r["benchmark"].rsplit(".", 2)
        short = name[-2] + "." + name[-1]
        params = r.get("params", {})
        # The median of the measured iterations (all forks), the statistic the peer scripts report
        # over their timed repeats; JMH's own score is the mean, which one disturbed second moves.
        metric = r["primaryMetric"]
        score = metric.get("scorePercentiles", {}).get("50.0", metric["score"])
        unit = r["primaryMetric"]["scoreUnit"]
        us = score * {"us/op": 1, "ns/op": 1e-3, "ms/op": 1e3, "s/op": 1e6}[unit]
        rows[(short, tuple(sorted(params.items())))] = us
    return rows, data[0]["jdkVersion"] if data else "?", data[0].get("vmName", "") if data else ""


def timed(label, tutti_value, peer_value, unit):
    return {"workload": label, "tutti": round(tutti_value, 3), "peer": round(peer_value, 3), "unit": unit,
            "ratio": round(tutti_value / peer_value, 3)}


def conv_and_op_rows(tutti, train):
    """Convolutions and reductions: JMH keys against torch_train_bench.py's conv and ops sections."""
    rows = []
    for shape, r in train.get("conv", {}).items():
        for part in ("forward", "backward"):
            key = ("ConvBenchmark." + part, (("shape", shape),))
            if key in tutti:
                rows.append(timed(f"conv2d 3x3 {part} b64 {shape} vs torch", tutti[key] / 1e3, r[part + "_ms"], "ms"))
    for name, peer_us in train.get("ops", {}).items():
        key = ("ReductionBenchmark." + name, ())
        if key in tutti:
            rows.append(timed(f"{name} (float32 [1024, 1024]) vs torch", tutti[key], peer_us, "us"))
    return rows


def training_round_rows(tutti_files, peer_files):
    """Training steps measured in rounds (each a JMH fork of Tutti's step, then the peer's): per model
    the median over rounds on each side. Prints every round's ratio, to show the spread. A Tutti file
    train-tutti-<round>[-<model>].json is paired with the peer's file of the same round and model."""
    rounds = []
    peer_by_name = {os.path.basename(pf): pf for pf in peer_files}
    for tf in sorted(tutti_files, key=round_number):
        pf = peer_by_name.get(os.path.basename(tf).replace("train-tutti-", "train-peer-", 1))
        if pf is None or not (os.path.exists(tf) and os.path.exists(pf)):
            continue
        with open(pf) as f:
            peer = json.load(f).get("train", {})
        rounds.append((jmh_rows(tf)[0], peer))
    rows = []
    models = []
    for _, peer in rounds:
        models += [m for m in peer if m not in models]
    # The order (mlp, cnn, multimodal, transformer), whatever order the files came in.
    models.sort(key=lambda m: MODEL_ORDER.index(m) if m in MODEL_ORDER else len(MODEL_ORDER))
    for model in models:
        key = ("TrainStepBenchmark.step", (("model", model),))
        pairs = [(t[key] / 1e3, p[model]["step_ms"]) for t, p in rounds if key in t and model in p]
        if not pairs:
            continue
        print("train step %s, %d rounds (Tutti ms / torch ms = ratio): %s" % (model, len(pairs), "; ".join(
            "%.2f / %.2f = %.2f" % (t, p, t / p) for t, p in pairs)))
        rows.append(timed(f"train step {model} vs torch (median of {len(pairs)} interleaved rounds)",
                          statistics.median(t for t, _ in pairs), statistics.median(p for _, p in pairs), "ms"))
    return rows


def round_number(path):
    digits = "".join(c for c in os.path.basename(path) if c.isdigit())
    return int(digits) if digits else 0


def memory_rows(probe, peer_memory):
    """The multimodal step's peak memory: resident sets against each other, and the heap against
    what the step adds to torch's resident set after `import torch`."""
    peer = peer_memory.get(probe.get("model", "multimodal"))
    if not peer:
        return []
    limit = "-Xmx%dm" % round(probe["max_heap_mb"])
    rows = [timed(f"{probe['model']} step peak RSS ({limit}) vs torch peak RSS", probe["peak_rss_mb"],
                  peer["peak_rss_mb"], "MB")]
    peer_growth = peer["peak_rss_mb"] - peer.get("rss_after_import_mb", 0)
    if peer_growth > 0:
        rows.append(timed(f"{probe['model']} step peak heap ({limit}, sum of pool peaks) vs torch RSS growth after import",
                          probe["peak_heap_mb"], peer_growth, "MB"))
        if "live_after_gc_max_mb" in probe:
            rows.append(timed(f"{probe['model']} step largest heap left by a GC ({limit}) vs torch RSS growth after import",
                              probe["live_after_gc_max_mb"], peer_growth, "MB"))
    return rows


def machine():
    cpu = platform.processor() or ""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--jmh", required=True)
    p.add_argument("--torch", help="torch_bench.py JSON (gemm section)")
    p.add_argument("--numpy", help="numpy_elementwise.py JSON")
    p.add_argument("--torch-train", help="torch_train_bench.py JSON (train, conv, ops, memory sections)")
    p.add_argument("--tutti-memory", help="MemoryProbe JSON")
    p.add_argument("--out-dir", required=True)
    p.add_argument("--train-rounds-tutti", nargs="*", default=[], help="TrainStepBenchmark JMH JSON, one per round")
    p.add_argument("--train-rounds-peer", nargs="*", default=[], help="torch_train_bench.py JSON (train), one per round")
    args = p.parse_args()

    tutti, jdk, vm = jmh_rows(args.jmh)
    for f in args.train_rounds_tutti:
        if jdk == "?" and os.path.exists(f):
            _, jdk, vm = jmh_rows(f)
    out = []
    peer_names = []
    if args.torch and os.path.exists(args.torch):
        with open(args.torch) as f:
            torch = json.load(f)
        peer_names.append("numpy %s (OpenBLAS) / torch %s" % (torch.get("meta", {}).get("numpy", "?"),
                                                            torch.get("meta", {}).get("torch", "?")))
        for row in torch.get("gemm", []):
            n = row["n"]
            key = ("GemmBenchmark.gemm", (("n", str(n)),))
            if key not in tutti:
                continue
            flops = 2.0 * n ** 3
            t_gflops = flops / (tutti[key] * 1e-6) / 1e9
            for peer, col in (("numpy.dot", "numpy_gflops"), ("torch.mm", "torch_gflops")):
                if col in row:
                    out.append({"workload": f"sgemm n={n} vs {peer}", "tutti": round(t_gflops, 2),
                                "peer": round(row[col], 2), "unit": "GFLOPS",
                                "ratio": round(row[col] / t_gflops, 3)})
        overhead = torch.get("overhead", {})
        pairs = (("add16 recorded by autograd (forward) vs torch", "AutogradOverheadBenchmark.add16Recorded", 1,
                  "add16_autograd_fwd_us"),
                 ("add16 without autograd vs torch", "ElementwiseBenchmark.add16", 1, "add16_nograd_us"),
                 ("add16 autograd forward+backward, per op, vs torch", "AutogradOverheadBenchmark.chain100AddsForwardBackward",
                  100, "add16_autograd_fwd_plus_bwd_us"))
        for label, bench, per, col in pairs:
            key = (bench, ())
            if key in tutti and col in overhead:
                t_us = tutti[key] / per
                out.append({"workload": label, "tutti": round(t_us, 3), "peer": round(overhead[col], 3),
                            "unit": "us", "ratio": round(t_us / overhead[col], 3)})
    train = None
    if args.torch_train and os.path.exists(args.torch_train):
        with open(args.torch_train) as f:
            train = json.load(f)
        peer_names.append("torch %s (training, conv, ops, memory)" % train.get("meta", {}).get("torch", "?"))
        out.extend(conv_and_op_rows(tutti, train))
    out.extend(training_round_rows(args.train_rounds_tutti, args.train_rounds_peer))
    if train is not None and args.tutti_memory and os.path.exists(args.tutti_memory):
        with open(args.tutti_memory) as f:
            out.extend(memory_rows(json.load(f), train.get("memory", {})))
    if args.numpy and os.path.exists(args.numpy):
        with open(args.numpy) as f:
            npy = json.load(f)
        peer_names.append("numpy %s" % npy.get("numpy", "?"))
        for name, peer_us in npy["rows"].items():
            key = ("ElementwiseBenchmark." + name, ())
            if key in tutti:
                out.append({"workload": f"{name} (float32) vs numpy", "tutti": round(tutti[key], 3),
                            "peer": round(peer_us, 3), "unit": "us", "ratio": round(tutti[key] / peer_us, 3)})
    # The OpenCL backend (PoCL, a CPU driver here) against Tutti's own CPU backend, same sizes.
    for (bench, params), us in sorted(tutti.items()):
        if bench != "OpenClGemmBenchmark.gemm":
            continue
        n = int(dict(params)["n"])
        cpu = tutti.get(("GemmBenchmark.gemm", params))
        ocl_gflops = 2.0 * n ** 3 / (us * 1e-6) / 1e9
        if cpu is not None:
            cpu_gflops = 2.0 * n ** 3 / (cpu * 1e-6) / 1e9
            out.append({"workload": f"sgemm n={n} OpenCL (PoCL) vs Tutti simd CPU backend", "tutti": round(ocl_gflops, 2),
                        "peer": round(cpu_gflops, 2), "unit": "GFLOPS", "ratio": round(cpu_gflops / ocl_gflops, 3)})
    result = {"date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
              "machine": machine(), "jdk": f"{jdk} {vm}".strip(), "peer": "; ".join(peer_names), "rows": out}
    os.makedirs(args.out_dir, exist_ok=True)
    for name, text in (("latest.json", json.dumps(result, indent=2) + "\n"), ("latest.md", markdown(result))):
        tmp = os.path.join(args.out_dir, name + ".tmp")
        with open(tmp, "w") as f:
            f.write(text)
        os.replace(tmp, os.path.join(args.out_dir, name))
    print(markdown(result))


def markdown(r):
    lines = [f"Measured {r['date']} on {r['machine']}; JDK {r['jdk']}; peer: {r['peer']}.", "",
             "ratio = Tutti / peer (time or memory; GEMM: peer GFLOPS / Tutti GFLOPS); below 1 means Tutti is faster or smaller.", "",
             "| workload | Tutti | peer | unit | ratio |", "| --- | ---: | ---: | --- | ---: |"]
    for row in r["rows"]:
        lines.append(f"| {row['workload']} | {row['tutti']} | {row['peer']} | {row['unit']} | {row['ratio']} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""The PyTorch side of bench/compare for the training-step, convolution, softmax/reduction and
memory rows: the same models and the same work as TrainStepBenchmark, ConvBenchmark,
ReductionBenchmark and MemoryProbe on the Tutti side.

Times are the median of --repeats timed repeats after warm-up, each repeat running the call enough
times to last --min-time seconds; float32, --threads threads (2 by default). Memory is the peak
resident set (VmHWM) of a fresh Python process per model that imports torch, builds the model
and runs --memory-steps training steps.

Usage: torch_train_bench.py [--sections train,conv,ops,memory] [--quick] [--out FILE]
Run it with the PyTorch 2.13 wheel venv's python (../../shared/peers/run.sh wheel creates it). With
Debian's python3-torch build it sets OMP_WAIT_POLICY=PASSIVE itself: otherwise that build's OpenMP
workers spin against OpenBLAS's threads on two cores and its steps are 10-30x slower, which would
flatter Tutti.
"""
import argparse
import importlib.util
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time

MODELS = ("mlp", "cnn", "multimodal", "transformer")
CONV_SHAPES = ("1x28x28-32", "32x14x14-64", "1x40x100-32", "32x20x50-64")


def parse_args():
    p = argparse.ArgumentParser()
    p.add_argument("--sections", default="train,conv,ops,memory")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--models", default=",".join(MODELS), help="training steps to time, comma-separated")
    p.add_argument("--repeats", type=int, default=7)
    p.add_argument("--min-time", type=float, default=0.5)
    p.add_argument("--quick", action="store_true", help="3 repeats of 0.2 s: a smoke run")
    p.add_argument("--memory-steps", type=int, default=10)
    p.add_argument("--memory-child", metavar="MODEL", help=argparse.SUPPRESS)
    p.add_argument("--out", default="torch_train_results.json")
    a = p.parse_args()
    if a.quick:
        a.repeats, a.min_time, a.memory_steps = 3, 0.2, 5
    return a


def debian_torch():
    """True when `import torch` would load Debian's python3-torch (found without importing it)."""
    spec = importlib.util.find_spec("torch")
    return spec is not None and spec.origin is not None and spec.origin.startswith("/usr/lib/python3/")


ARGS = parse_args()
# These must be in the environment before torch (and its OpenMP runtime) loads. MKL_NUM_THREADS is
# deliberately left alone: setting it made the wheel's convolution training step 3-10x slower here.
for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
    os.environ.setdefault(var, str(ARGS.threads))
if debian_torch():
    os.environ["OMP_WAIT_POLICY"] = "PASSIVE"

import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

torch.set_num_threads(ARGS.threads)


# ----------------------------------------------------------------------------- the models

def trunk():
    """conv3x3 32 (pad 1), ReLU, maxpool 2, conv3x3 64 (pad 1), ReLU, maxpool 2, flatten."""
    return nn.Sequential(nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten())


def flat_size(h, w):
    return 64 * (h // 2 // 2) * (w // 2 // 2)


class Single(nn.Module):
    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, x):
        return self.net(x)


class Multimodal(nn.Module):
    def __init__(self):
        super().__init__()
        self.img = trunk()
        self.img_fc = nn.Linear(flat_size(28, 28), 128)
        self.aud = trunk()
        self.aud_fc = nn.Linear(flat_size(40, 100), 128)
        self.head = nn.Linear(256, 10)

    def forward(self, img, aud):
        fi = F.relu(self.img_fc(self.img(img)))
        fa = F.relu(self.aud_fc(self.aud(aud)))
        return self.head(torch.cat([fi, fa], dim=1))


class Transformer(nn.Module):
    def __init__(self):
        super().__init__()
        self.layer = nn.TransformerEncoderLayer(d_model=128, nhead=4, dim_feedforward=256, dropout=0.0,
                                                batch_first=True)
        self.head = nn.Linear(128, 10)

    def forward(self, x):
        return self.head(self.layer(x).mean(dim=1))


def build(name):
    """(model, inputs, batch) of a reference model, as TrainingStep.of builds it in Java."""
    if name == "mlp":
        return Single(nn.Sequential(nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 256), nn.ReLU(),
                                    nn.Linear(256, 10))), [torch.randn(128, 784)], 128
    if name == "cnn":
        return Single(nn.Sequential(trunk(), nn.Linear(flat_size(28, 28), 10))), [torch.randn(64, 1, 28, 28)], 64
    if name == "multimodal":
        return Multimodal(), [torch.randn(64, 1, 28, 28), torch.randn(64, 1, 40, 100)], 64
    if name == "transformer":
        return Transformer(), [torch.randn(32, 32, 128)], 32
    raise ValueError(f"unknown model {name!r}; expected one of {MODELS}")


def training_step(name):
    torch.manual_seed(0)
    model, inputs, batch = build(name)
    model.train()
    target = torch.randint(0, 10, (batch,))
    opt = torch.optim.SGD(model.parameters(), lr=0.01)

    def step():
        opt.zero_grad(set_to_none=True)
        loss = F.cross_entropy(model(*inputs), target)
        loss.backward()
        opt.step()

    return step, sum(p.numel() for p in model.parameters())


# ----------------------------------------------------------------------------- timing

def median_seconds(fn, warmup=3):
    for _ in range(warmup):
        fn()
    n = 1
    while True:
        t0 = time.perf_counter()
        for _ in range(n):
            fn()
        dt = time.perf_counter() - t0
        if dt >= ARGS.min_time:
            break
        n = max(n * 2, int(n * ARGS.min_time / max(dt, 1e-9) * 1.2))
    samples = []
    for _ in range(ARGS.repeats):
        t0 = time.perf_counter()
        for _ in range(n):
            fn()
        samples.append((time.perf_counter() - t0) / n)
    return statistics.median(samples)


def train_section():
    out = {}
    for name in ARGS.models.split(","):
        step, params = training_step(name)
        for _ in range(5):
            step()
        ms = median_seconds(step) * 1e3
        out[name] = {"step_ms": ms, "params": params}
        print(f"  train {name:12s} {ms:9.3f} ms   params {params}", flush=True)
    return out


def conv_section():
    out = {}
    for shape in CONV_SHAPES:
        c, h, w, o = (int(v) for v in shape.replace("-", "x").split("x"))
        x = torch.randn(64, c, h, w)
        weight = torch.randn(o, c, 3, 3) * 0.1
        bias = torch.randn(o)
        grad = torch.randn(64, o, h, w)
        fwd = median_seconds(lambda: F.conv2d(x, weight, bias, padding=1))
        bwd = median_seconds(lambda: torch.ops.aten.convolution_backward(
            grad, x, weight, [o], [1, 1], [1, 1], [1, 1], False, [0, 0], 1, [True, True, True]))
        out[shape] = {"forward_ms": fwd * 1e3, "backward_ms": bwd * 1e3}
        print(f"  conv {shape:12s} forward {fwd * 1e3:8.3f} ms  backward {bwd * 1e3:8.3f} ms", flush=True)
    return out


def ops_section():
    torch.manual_seed(11)
    m = torch.randn(1024, 1024)
    rows = {
        "max1M": lambda: m.max(),
        "sumRows1M": lambda: m.sum(dim=1),
        "sumColumns1M": lambda: m.sum(dim=0),
        "softmaxRows1M": lambda: torch.softmax(m, dim=1),
    }
    out = {}
    for name, fn in rows.items():
        out[name] = median_seconds(fn) * 1e6
        print(f"  op {name:14s} {out[name]:9.2f} us", flush=True)
    return out


def memory_section():
    """Peak RSS of a fresh process per model (so one model's peak does not hide another's)."""
    out = {}
    for name in MODELS:
        cmd = [sys.executable, os.path.abspath(__file__), "--threads", str(ARGS.threads),
               "--memory-steps", str(ARGS.memory_steps), "--memory-child", name]
        res = subprocess.run(cmd, check=True, capture_output=True, text=True, env=os.environ.copy())
        out[name] = json.loads(res.stdout.strip().splitlines()[-1])
        print(f"  memory {name:12s} peak RSS {out[name]['peak_rss_mb']:8.1f} MB "
              f"(after import torch {out[name]['rss_after_import_mb']:.1f} MB)", flush=True)
    return out


def status_mb(field):
    """A kB field of /proc/self/status (VmRSS, VmHWM) in MB."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return -1.0


def memory_child(name):
    after_import = status_mb("VmRSS")
    step, _ = training_step(name)
    for _ in range(ARGS.memory_steps):
        step()
    # VmHWM is this process image's own peak; ru_maxrss would do too, except that Linux carries it
    # over fork and exec, so a child of a big parent reports at least the parent's size.
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"model": name, "steps": ARGS.memory_steps, "peak_rss_mb": status_mb("VmHWM"),
                      "ru_maxrss_mb": peak_kb / 1024, "rss_after_import_mb": after_import}))


def main():
    if ARGS.memory_child:
        memory_child(ARGS.memory_child)
        return
    print(f"torch {torch.__version__}  threads {torch.get_num_threads()}  "
          f"OMP_WAIT_POLICY={os.environ.get('OMP_WAIT_POLICY')}", flush=True)
    res = {"meta": {"torch": torch.__version__, "python": sys.version.split()[0], "python_exe": sys.executable,
                    "threads": torch.get_num_threads(), "repeats": ARGS.repeats, "min_time_s": ARGS.min_time,
                    "omp_wait_policy": os.environ.get("OMP_WAIT_POLICY"), "debian_build": debian_torch(),
                    "platform": platform.platform(), "time": time.strftime("%Y-%m-%dT%H:%M:%S")}}
    sections = {"train": train_section, "conv": conv_section, "ops": ops_section, "memory": memory_section}
    for s in ARGS.sections.split(","):
        res[s] = sections[s]()
    with open(ARGS.out, "w") as f:
        json.dump(res, f, indent=1)
    print(f"wrote {ARGS.out}")


if __name__ == "__main__":
    main()

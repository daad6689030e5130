"""numpy peer for bench/run.ts.

Reads {"policy": {...}, "trials": [{"group", "title", "kind", "args"}]} on stdin,
runs each trial with the same warm-up / repeat / budget policy as the harness,
prints a JSON list of results on stdout. Threads follow OPENBLAS_NUM_THREADS /
OMP_NUM_THREADS set by the caller.
"""
import json
import sys
import time

import numpy as np


def make(kind, args):
    rng = np.random.default_rng(1)
    if kind == "normal":
        n = args["n"]
        return lambda: rng.standard_normal(n, dtype=np.float32)
    if kind == "uniform":
        n = args["n"]
        return lambda: rng.random(n, dtype=np.float32)
    if kind == "glorot_normal_np":
        # What a numpy user writes for Keras' GlorotNormal: truncated normal by resampling.
        fi, fo = args["shape"]
        std = np.sqrt(2.0 / (fi + fo)) / 0.87962566103423978

        def run():
            w = rng.standard_normal((fi, fo), dtype=np.float32)
            bad = np.abs(w) >= 2
            while bad.any():
                w[bad] = rng.standard_normal(int(bad.sum()), dtype=np.float32)
                bad = np.abs(w) >= 2
            return w * np.float32(std)

        return run
    if kind == "matmul":
        m, k, n = args["m"], args["k"], args["n"]
        ta, tb = args.get("ta", False), args.get("tb", False)
        a = rng.standard_normal((k, m) if ta else (m, k), dtype=np.float32)
        b = rng.standard_normal((n, k) if tb else (k, n), dtype=np.float32)
        aa = a.T if ta else a
        bb = b.T if tb else b
        return lambda: aa @ bb
    if kind == "dense_step":
        # forward + backward of relu(x @ W + b), as a numpy user writes it
        b_, i_, o_ = args["batch"], args["in"], args["out"]
        x = rng.random((b_, i_), dtype=np.float32)
        w = rng.standard_normal((i_, o_), dtype=np.float32) * np.float32(np.sqrt(2.0 / i_))
        bias = np.zeros(o_, dtype=np.float32)
        da = rng.standard_normal((b_, o_), dtype=np.float32)

        def run():
            z = x @ w + bias
            a = np.maximum(z, 0)
            dz = da * (z > 0)
            dw = x.T @ dz
            db = dz.sum(axis=0)
            dx = dz @ w.T
            return a, dw, db, dx

        return run
    if kind == "mlp_epoch":
        # One epoch of mini-batch SGD on an MLP with softmax + cross-entropy, written
        # the way a numpy user does: shuffled batches, forward, backward, update.
        sizes, act, batch, n = args["sizes"], args["act"], args["batch"], args["n"]
        x = rng.random((n, sizes[0]), dtype=np.float32)
        labels = rng.integers(0, sizes[-1], n)
        onehot = np.eye(sizes[-1], dtype=np.float32)[labels]
        ws = [rng.standard_normal((a, b), dtype=np.float32) * np.float32(np.sqrt(2.0 / a)) for a, b in zip(sizes[:-1], sizes[1:])]
        bs = [np.zeros(b, dtype=np.float32) for b in sizes[1:]]
        lr = np.float32(0.01)

        def f(z):
            return np.maximum(z, 0) if act == "relu" else np.tanh(z)

        def df(z, a):
            return (z > 0).astype(np.float32) if act == "relu" else 1 - a * a

        def run():
            perm = rng.permutation(n)
            for s in range(0, n, batch):
                idx = perm[s:s + batch]
                h, y = x[idx], onehot[idx]
                zs, hs = [], [h]
                for i, (w, b) in enumerate(zip(ws, bs)):
                    z = hs[-1] @ w + b
                    zs.append(z)
                    if i == len(ws) - 1:
                        e = np.exp(z - z.max(axis=1, keepdims=True))
                        hs.append(e / e.sum(axis=1, keepdims=True))
                    else:
                        hs.append(f(z))
                d = (hs[-1] - y) / np.float32(len(idx))
                for i in range(len(ws) - 1, -1, -1):
                    if i < len(ws) - 1:
                        d = d * df(zs[i], hs[i + 1])
                    gw = hs[i].T @ d
                    gb = d.sum(axis=0)
                    if i > 0:
                        d = d @ ws[i].T
                    ws[i] -= lr * gw
                    bs[i] -= lr * gb

        return run
    raise ValueError("unknown kind " + kind)


def main():
    spec = json.load(sys.stdin)
    pol = spec["policy"]
    out = []
    for t in spec["trials"]:
        fn = make(t["kind"], t["args"])
        for _ in range(pol["warmup"]):
            fn()
        times = []
        start = time.perf_counter()
        while len(times) < pol["repeats"] and (len(times) < 3 or (time.perf_counter() - start) * 1e3 < pol["budgetMs"]):
            t0 = time.perf_counter()
            fn()
            times.append((time.perf_counter() - t0) * 1e3)
        times.sort()
        out.append({"group": t["group"], "title": t["title"], "impl": t["impl"], "unit": t["unit"],
                    "count": t["count"], "median": times[len(times) // 2], "min": times[0], "runs": len(times)})
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()

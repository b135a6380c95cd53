"""Writes src/__fixtures__/gradient-penalty.json: a WGAN-GP gradient penalty and its gradient with
respect to every critic weight, computed by PyTorch in float64 (double backprop through
torch.autograd.grad with create_graph=True), for the TensorFlow.js implementation to match.

Regenerate (from packages/critic): /usr/bin/python3 scripts/make-gp-fixture.py
"""
import json
import os

import numpy as np
import torch
import torch.nn.functional as F

IN, HIDDEN, BATCH, SLOPE, LAMBDA = 3, [4, 3], 6, 0.2, 10.0

rng = np.random.default_rng(20261125)
dims = [IN, *HIDDEN, 1]
# Weights stored as [in, out] (the TF.js layout), biases non-zero so their gradients are tested.
weights = []
for fan_in, fan_out in zip(dims[:-1], dims[1:]):
    weights.append(rng.normal(0.0, 1.4, size=(fan_in, fan_out)))
    weights.append(rng.normal(0.0, 0.3, size=(fan_out,)))
real = rng.normal(0.0, 1.0, size=(BATCH, IN))
fake = rng.normal(0.5, 1.0, size=(BATCH, IN))
epsilon = rng.uniform(0.0, 1.0, size=(BATCH, 1))


def critic(params, u):
    h = u
    pre = []
    for i in range(0, len(params), 2):
        h = h @ params[i] + params[i + 1]
        pre.append(h)
        if i + 2 < len(params):
            h = F.leaky_relu(h, SLOPE)
    return h, pre


def penalty(one_sided):
    params = [torch.tensor(w, dtype=torch.float64, requires_grad=True) for w in weights]
    u = torch.tensor(epsilon * real + (1 - epsilon) * fake, dtype=torch.float64, requires_grad=True)
    scores, pre = critic(params, u)
    (grad_u,) = torch.autograd.grad(scores.sum(), u, create_graph=True)
    norms = grad_u.norm(2, dim=1)
    gap = norms - 1
    term = torch.clamp(gap, min=0) ** 2 if one_sided else gap ** 2
    gp = LAMBDA * term.mean()
    # The output bias does not move grad_u: its gradient is zero (None from autograd).
    grads = torch.autograd.grad(gp, params, allow_unused=True)
    grads = [torch.zeros_like(p) if g is None else g for p, g in zip(params, grads)]
    min_pre = min(float(p.abs().min()) for p in pre[:-1])
    return gp, grads, norms, min_pre


two, two_grads, norms, min_pre = penalty(False)
one, one_grads, _, _ = penalty(True)
n = norms.detach().numpy()
# The one-sided case is only informative when some norms are below 1 and some above.
assert (n < 1).any() and (n > 1).any(), n
# Finite differences in the test step 1e-6; no pre-activation may sit that close to a kink.
assert min_pre > 1e-3, min_pre

fixture = {
    "about": "WGAN-GP penalty and its gradient w.r.t. critic weights, PyTorch float64. "
    "Regenerate: /usr/bin/python3 scripts/make-gp-fixture.py (from packages/critic).",
    "torch": torch.__version__,
    "inputDim": IN,
    "hiddenDims": HIDDEN,
    "leakySlope": SLOPE,
    "lambda": LAMBDA,
    "weights": [w.reshape(-1).tolist() for w in weights],
    "real": real.tolist(),
    "fake": fake.tolist(),
    "epsilon": epsilon.reshape(-1).tolist(),
    "gradientNorms": n.tolist(),
    "twoSided": {"penalty": float(two), "grads": [g.reshape(-1).tolist() for g in two_grads]},
    "oneSided": {"penalty": float(one), "grads": [g.reshape(-1).tolist() for g in one_grads]},
}
here = os.path.dirname(os.path.abspath(__file__))
out = os.path.normpath(os.path.join(here, "..", "src", "__fixtures__", "gradient-penalty.json"))
tmp = out + ".tmp"
with open(tmp, "w") as f:
    json.dump(fixture, f, indent=1)
    f.write("\n")
os.replace(tmp, out)
print(f"wrote {out}: penalty {float(two):.6f}, one-sided {float(one):.6f}, norms {np.round(n, 3)}")

# The WAD-CMSN step of step.mjs in PyTorch on the CPU (same networks, losses, optimisers and
# order of work). Usage: python3 step.py <D_v> <repeats> <same|one-forward> [<terms>]
#   same: the projectors run twice, as in step.mjs (no-grad forward for the critics, then a
#         forward with gradient for the projector update);
#   one-forward: the idiomatic PyTorch variant, one forward reused (detached) by the critics;
#   terms: `default` (the five WAD-CMSN terms) or `triplet-classification` (those and the
#         `triplet` and `classification` terms of @zs-sbir/losses, weight 1 each, their defaults).
# Prints {seconds, samples, torch, threads} as JSON on the last line.
#   python3 step.py check <inputs.json>: the triplet and classification terms of the embeddings,
#   labels and classifier in the file, as JSON (check-losses.mjs compares them with ours).
import json
import pathlib
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / 'lib'))
from torch_timing import report_step_times  # noqa: E402



def triplet_loss(zs, zi, labels, margin=0.2):
    """@zs-sbir/losses' `triplet` with its defaults: batch-hard mining, Euclidean distance,
    cross-modal (sketch anchors against images and back), margin 0.2."""
    n = zs.shape[0]
    z, y = torch.cat([zs, zi]), torch.cat([labels, labels])
    modality = torch.cat([torch.zeros(n), torch.ones(n)])
    sq = (z * z).sum(1, keepdim=True)
    d = torch.sqrt(torch.relu(sq + sq.t() - 2 * z @ z.t()) + 1e-12)
    same = (y[:, None] == y[None, :]).float()
    allowed = 1 - (modality[:, None] == modality[None, :]).float()
    pos, neg = same * allowed, (1 - same) * allowed
    hardest_pos = (d * pos).max(1).values
    hardest_neg = (d + 1e9 * (1 - neg)).min(1).values
    valid = (pos.sum(1) > 0).float() * (neg.sum(1) > 0).float()
    hinge = torch.relu(margin + hardest_pos - hardest_neg)
    return (hinge * valid).sum() / valid.sum().clamp(min=1)


def classification_loss(z_by_modality, labels, classifier):
    """@zs-sbir/losses' `classification`: one linear classifier shared by the modalities, the
    softmax cross-entropy of each summed."""
    return sum(F.cross_entropy(classifier(z), labels) for z in z_by_modality)


if len(sys.argv) > 1 and sys.argv[1] == "check":
    data = json.loads(pathlib.Path(sys.argv[2]).read_text())
    rows, dim = len(data["labels"]), data["d"]
    zs = torch.tensor(data["sketch"]).reshape(rows, dim)
    zi = torch.tensor(data["image"]).reshape(rows, dim)
    y = torch.tensor(data["labels"])
    linear = nn.Linear(dim, data["classes"])
    with torch.no_grad():  # ours is x W + b with W [d, classes]; nn.Linear holds W^T
        linear.weight.copy_(torch.tensor(data["weight"]).reshape(dim, data["classes"]).t())
        linear.bias.copy_(torch.tensor(data["bias"]))
        print(json.dumps({"triplet": triplet_loss(zs, zi, y).item(),
                          "classification": classification_loss([zs, zi], y, linear).item()}))
    sys.exit(0)

dv = int(sys.argv[1]) if len(sys.argv) > 1 else 512
repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 5
mode = sys.argv[3] if len(sys.argv) > 3 else "same"
terms = sys.argv[4] if len(sys.argv) > 4 else "default"
if terms not in ("default", "triplet-classification"):
    sys.exit(f"step.py: terms must be default or triplet-classification, got {terms}")
batch, d, side_dim, classes, n_critic, lam, tau = 128, 64, 300, 100, 5, 10.0, 0.1
torch.manual_seed(0)


def mlp(dims, dropout):
    layers = []
    for i, (a, b) in enumerate(zip(dims[:-1], dims[1:])):
        layers.append(nn.Linear(a, b))
        if i < len(dims) - 2:
            layers.append(nn.LeakyReLU(0.2))
            if dropout:
                layers.append(nn.Dropout(dropout))
    return nn.Sequential(*layers)


h = round((dv + d) / 2)
g_sk, g_im = mlp([dv, h, h, d], 0.5), mlp([dv, h, h, d], 0.5)
f_sk, f_im = mlp([d, h, dv], 0.5), mlp([d, h, dv], 0.5)
enc, dec = mlp([side_dim, d], 0), mlp([d, side_dim], 0)
critics = {m: mlp([d, d // 2, d // 2, 1], 0) for m in ("sketch", "image")}
classifier = nn.Linear(d, classes)  # the classification term's, trained with the projectors
generator_modules = (g_sk, g_im, f_sk, f_im, enc, dec)
if terms == "triplet-classification":
    generator_modules += (classifier,)
for m in generator_modules:
    m.train()
generator_params = [p for m in generator_modules for p in m.parameters()]
g_opt = torch.optim.Adam(generator_params, lr=1e-4, betas=(0.5, 0.999))
c_opts = {k: torch.optim.Adam(c.parameters(), lr=1e-4, betas=(0.5, 0.9)) for k, c in critics.items()}

x_sk, x_im = torch.randn(batch, dv), torch.randn(batch, dv)
side = torch.randn(classes, side_dim)
labels = torch.arange(batch) % classes


def gradient_penalty(critic, real, fake):
    eps = torch.rand(real.shape[0], 1)
    u = (eps * real + (1 - eps) * fake).requires_grad_(True)
    (g,) = torch.autograd.grad(critic(u).sum(), u, create_graph=True)
    return lam * ((g.pow(2).sum(1) + 1e-12).sqrt() - 1).pow(2).mean()


def critic_phase(z):
    out = []
    for name, fake in (("sketch", z["sketch"]), ("image", z["image"])):
        critic, opt, real = critics[name], c_opts[name], z["per_sample"]
        for _ in range(n_critic):
            opt.zero_grad()
            r, f = critic(real), critic(fake)
            w = r.mean() - f.mean()
            loss = -w + gradient_penalty(critic, real, fake)
            loss.backward()
            opt.step()
            out.append((loss.item(), w.item()))
    return out


def project():
    p = enc(side)
    return {"sketch": g_sk(x_sk), "image": g_im(x_im), "prototypes": p, "per_sample": p[labels]}


def generator_loss(z):
    total = 0.0
    for name, x, f in (("sketch", x_sk, f_sk), ("image", x_im, f_im)):
        zm = z[name]
        total = total - critics[name](zm).mean()
        logits = F.normalize(zm, dim=1, eps=1e-6) @ F.normalize(z["prototypes"], dim=1, eps=1e-6).t()
        total = total + F.cross_entropy(logits / tau, labels)
        total = total + 0.1 * F.mse_loss(zm, z["per_sample"])
        total = total + F.l1_loss(f(zm), x)
    total = total + F.mse_loss(dec(z["prototypes"]), side)
    if terms == "triplet-classification":
        total = total + triplet_loss(z["sketch"], z["image"], labels)
        total = total + classification_loss([z["sketch"], z["image"]], labels, classifier)
    return total


def step():
    if mode == "same":
        with torch.no_grad():
            z = project()
        critic_phase(z)
        z = project()
    else:
        z = project()
        critic_phase({k: v.detach() for k, v in z.items()})
    g_opt.zero_grad()
    loss = generator_loss(z)
    loss.backward()
    g_opt.step()
    return loss.item()


report_step_times(step, repeats)

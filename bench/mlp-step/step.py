# One Adam step of an MLP 4096 -> 1024 -> 300 (ReLU, MSE), batch 64, in PyTorch on the CPU.
import pathlib
import sys

import torch

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / 'lib'))
from torch_timing import report_step_times  # noqa: E402

repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 5
torch.manual_seed(0)
model = torch.nn.Sequential(torch.nn.Linear(4096, 1024), torch.nn.ReLU(), torch.nn.Linear(1024, 300))
opt = torch.optim.Adam(model.parameters(), lr=1e-4)
x, y = torch.randn(64, 4096), torch.randn(64, 300)

def step():
    opt.zero_grad()
    loss = torch.nn.functional.mse_loss(model(x), y)
    loss.backward()
    opt.step()
    return loss.item()

report_step_times(step, repeats)

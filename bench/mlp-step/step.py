# One Adam step of an MLP 4096 -> 1024 -> 300 (ReLU, MSE), batch 64, in PyTorch on the CPU.
import json, statistics, sys, time
import torch

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

step()
samples = []
for _ in range(repeats):
    t0 = time.perf_counter()
    step()
    samples.append(time.perf_counter() - t0)
print(json.dumps({"seconds": statistics.median(samples), "samples": samples,
                  "torch": torch.__version__, "threads": torch.get_num_threads()}))

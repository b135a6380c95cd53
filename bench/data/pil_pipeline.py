"""The image pipeline a Python user would write with PIL + numpy (Debian python3-pil, python3-numpy):
decode, convert to RGB, pad-resize to 224 on white (bilinear), ImageNet mean/std, float32 HWC,
batches of 32. Args: list-file processes repeats. Prints {"seconds": median, "images": n} last.
"""
import json
import sys
import time
from multiprocessing import Pool

import numpy as np
from PIL import Image, ImageOps

SIZE = 224
MEAN = np.array([0.485, 0.456, 0.406], dtype=np.float32)
STD = np.array([0.229, 0.224, 0.225], dtype=np.float32)


def load(path):
    im = Image.open(path).convert('RGB')
    im = ImageOps.pad(im, (SIZE, SIZE), method=Image.BILINEAR, color=(255, 255, 255))
    return (np.asarray(im, dtype=np.float32) / 255.0 - MEAN) / STD


def run(paths, processes):
    batches = 0
    if processes == 1:
        for i in range(0, len(paths), 32):
            np.stack([load(p) for p in paths[i:i + 32]])
            batches += 1
    else:
        with Pool(processes) as pool:
            for i in range(0, len(paths), 32):
                np.stack(pool.map(load, paths[i:i + 32]))
                batches += 1
    return batches


def main():
    paths = [p for p in open(sys.argv[1]).read().splitlines() if p]
    processes = int(sys.argv[2])
    repeats = int(sys.argv[3])
    run(paths[:32], processes)
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        run(paths, processes)
        times.append(time.perf_counter() - t0)
    times.sort()
    print(json.dumps({'seconds': times[len(times) // 2], 'images': len(paths)}))


if __name__ == '__main__':
    main()

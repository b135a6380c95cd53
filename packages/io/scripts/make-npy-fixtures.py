"""Writes the .npy fixtures the npy reader/writer tests compare against, using numpy itself.

Regenerate (from packages/io):  /usr/bin/python3 scripts/make-npy-fixtures.py
Output: src/__fixtures__/npy/*.npy and src/__fixtures__/npy/expected.json, which lists for each
file its shape, dtype, fortran order and its values flattened in C order (64-bit integers as
strings so JSON keeps them exact).
"""
import io
import json
import os

import numpy as np
from numpy.lib import format as npformat

OUT = os.path.join(os.path.dirname(__file__), "..", "src", "__fixtures__", "npy")
os.makedirs(OUT, exist_ok=True)
expected = {}


def values_of(arr):
    flat = np.ascontiguousarray(arr).reshape(-1)
    if arr.dtype.kind in "iu" and arr.dtype.itemsize == 8:
        return [str(int(v)) for v in flat]
    if arr.dtype.kind == "b":
        return [int(v) for v in flat]
    return [float(v) if arr.dtype.kind == "f" else int(v) for v in flat]


def save(name, arr, version=None):
    path = os.path.join(OUT, name + ".npy")
    with open(path, "wb") as f:
        npformat.write_array(f, arr, version=version)
    expected[name] = {
        "shape": list(arr.shape),
        "dtype": "bool" if arr.dtype.kind == "b" else arr.dtype.newbyteorder("=").name,
        "fortranOrder": bool(arr.flags.f_contiguous and not arr.flags.c_contiguous),
        "values": values_of(arr),
    }


rng = np.random.default_rng(7)
floats = rng.standard_normal((3, 4))
ints = np.arange(-5, 7).reshape(3, 4)

for order, tag in (("<", "le"), (">", "be")):
    save(f"f4-{tag}", floats.astype(order + "f4"))
    save(f"f8-{tag}", floats.astype(order + "f8"))
    save(f"i2-{tag}", ints.astype(order + "i2"))
    save(f"i4-{tag}", ints.astype(order + "i4"))
    save(f"i8-{tag}", (ints * 3_000_000_000).astype(order + "i8"))
    save(f"u2-{tag}", (ints + 5).astype(order + "u2"))
    save(f"u4-{tag}", (ints + 5).astype(order + "u4"))
    save(f"u8-{tag}", ((ints + 5) * 2**62 // 16).astype(order + "u8"))
save("i1", ints.astype("i1"))
save("u1", (ints + 5).astype("u1"))
save("b1", ints % 3 == 0)
save("v2", floats.astype("<f4"), version=(2, 0))
save("v3", floats.astype("<f8"), version=(3, 0))
save("fortran-2d", np.asfortranarray(floats.astype("<f4")))
save("fortran-3d", np.asfortranarray(np.arange(24, dtype="<i4").reshape(2, 3, 4)))
save("fortran-3d-be", np.asfortranarray(np.arange(24, dtype=">f8").reshape(2, 3, 4) / 7))
save("scalar", np.array(2.5, dtype="<f8"))
save("vector", np.arange(5, dtype="<f4") / 3)
save("empty", np.zeros((0, 3), dtype="<f4"))
save("labels-i8", np.array([0, 3, 2, 24, 1], dtype="<i8"))
save("labels-column", np.array([[4], [1], [0]], dtype="<i4"))
save("labels-big", np.array([1, 2**40], dtype="<i8"))

# What numpy.save writes for arrays our encoder must reproduce byte for byte.
for name, arr in {
    "save-f4": floats.astype("<f4"),
    "save-i4-vector": np.arange(-3, 4, dtype="<i4"),
    "save-i8": (ints * 3_000_000_000).astype("<i8"),
    "save-b1": ints % 2 == 0,
    "save-scalar": np.array(1.25, dtype="<f8"),
    "save-wide": np.ones((123456, 0), dtype="<f8"),
}.items():
    np.save(os.path.join(OUT, name + ".npy"), arr)
    expected[name] = {
        "shape": list(arr.shape),
        "dtype": "bool" if arr.dtype.kind == "b" else arr.dtype.name,
        "fortranOrder": False,
        "values": values_of(arr),
    }

# Files the reader must refuse with a clear error.
np.save(os.path.join(OUT, "object.npy"), np.array([{"a": 1}, None], dtype=object), allow_pickle=True)
np.save(os.path.join(OUT, "structured.npy"), np.zeros(2, dtype=[("x", "<f4"), ("y", "<i4")]))
np.save(os.path.join(OUT, "float16.npy"), np.zeros(3, dtype="<f2"))
with open(os.path.join(OUT, "not-npy.npy"), "wb") as f:
    f.write(b"PK\x03\x04 this is a zip, not an npy file")
buf = io.BytesIO()
np.save(buf, floats.astype("<f8"))
with open(os.path.join(OUT, "truncated.npy"), "wb") as f:
    f.write(buf.getvalue()[:-8])

with open(os.path.join(OUT, "expected.json"), "w") as f:
    json.dump(expected, f, indent=1)
print(f"wrote {len(expected)} fixtures to {os.path.normpath(OUT)}")

#!/usr/bin/python3
"""Writes the class-semantics fixtures in src/__fixtures__/semantics/ with Debian's numpy.

Regenerate with:  /usr/bin/python3 scripts/make-semantic-fixtures.py

- sem-pcyc-dict.npy: np.save(path, {class: float64 vector}), as SEM-PCYC / PCMSN store their
  word2vec / GloVe / fastText / hieremb files;
- dict-float32-be-protocol2.npy: the same kind of dict, big-endian float32 vectors, pickled with
  protocol 2 inside a hand-written .npy header (what Python 2 era files look like);
- dict-protocol5.pkl: a plain pickle (protocol 5) of a dict of float32 arrays;
- word2vec.bin: word2vec binary format (gensim's layout: '<count> <dim>\\n', then word, space,
  float32 little-endian values, newline);
- glove.txt / fasttext.vec: text vectors, the .vec file with its '<count> <dim>' header;
- expected.json: every vector as float64 lists, read back by numpy from the files above.
"""
import json
import os
import pickle
import struct

import numpy as np

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'src', '__fixtures__', 'semantics')


def npy_object(path, obj, protocol):
    payload = pickle.dumps(np.array(obj, dtype=object), protocol=protocol)
    header = "{'descr': '|O', 'fortran_order': False, 'shape': (), }"
    pad = 64 - (10 + len(header) + 1) % 64
    header = header + ' ' * pad + '\n'
    with open(path, 'wb') as fp:
        fp.write(b'\x93NUMPY\x01\x00' + struct.pack('<H', len(header)) + header.encode('latin1'))
        fp.write(payload)


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.RandomState(1234)
    expected = {}

    d64 = {c: rng.randn(6) for c in ['airplane', 'hot_air_balloon', 'car_(sedan)', 'alarm clock']}
    np.save(os.path.join(OUT, 'sem-pcyc-dict.npy'), d64)
    back = np.load(os.path.join(OUT, 'sem-pcyc-dict.npy'), allow_pickle=True).item()
    expected['sem-pcyc-dict.npy'] = {k: v.tolist() for k, v in back.items()}

    d32 = {c: rng.randn(4).astype('>f4') for c in ['cat', 'dog']}
    npy_object(os.path.join(OUT, 'dict-float32-be-protocol2.npy'), d32, 2)
    back = np.load(os.path.join(OUT, 'dict-float32-be-protocol2.npy'), allow_pickle=True).item()
    expected['dict-float32-be-protocol2.npy'] = {k: v.astype(np.float64).tolist() for k, v in back.items()}

    d5 = {c: rng.randn(3).astype(np.float32) for c in ['zebra', 'tree']}
    with open(os.path.join(OUT, 'dict-protocol5.pkl'), 'wb') as fp:
        pickle.dump(d5, fp, protocol=5)
    with open(os.path.join(OUT, 'dict-protocol5.pkl'), 'rb') as fp:
        back = pickle.load(fp)
    expected['dict-protocol5.pkl'] = {k: v.astype(np.float64).tolist() for k, v in back.items()}

    words = ['cat', 'hot_air_balloon', 'café', 'sedan', 'car']
    vecs = rng.randn(len(words), 5).astype(np.float32)
    with open(os.path.join(OUT, 'word2vec.bin'), 'wb') as fp:
        fp.write(f'{len(words)} 5\n'.encode())
        for w, v in zip(words, vecs):
            fp.write(w.encode('utf-8') + b' ' + v.astype('<f4').tobytes() + b'\n')
    expected['word2vec.bin'] = {w: v.astype(np.float64).tolist() for w, v in zip(words, vecs)}

    text = {'the': rng.randn(4), 'alarm': rng.randn(4), 'clock': rng.randn(4), 't-shirt': rng.randn(4)}
    lines = [w + ' ' + ' '.join(repr(float(np.float32(x))) for x in v) for w, v in text.items()]
    with open(os.path.join(OUT, 'glove.txt'), 'w') as fp:
        fp.write('\n'.join(lines) + '\n')
    with open(os.path.join(OUT, 'fasttext.vec'), 'w') as fp:
        fp.write(f'{len(lines)} 4\n' + '\n'.join(lines) + '\n')
    expected['glove.txt'] = {
        w: np.loadtxt([l], dtype=np.float32, usecols=range(1, 5)).astype(np.float64).tolist()
        for w, l in zip(text, lines)
    }

    with open(os.path.join(OUT, 'expected.json'), 'w') as fp:
        json.dump(expected, fp, indent=1)
        fp.write('\n')


if __name__ == '__main__':
    main()

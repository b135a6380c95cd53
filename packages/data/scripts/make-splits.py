#!/usr/bin/python3
"""Writes data/splits/*.json from the source class lists in src/__fixtures__/splits/.

Regenerate with (Debian python3-numpy):  /usr/bin/python3 scripts/make-splits.py

- SEM-PCYC (Dutta & Akata, CVPR 2019, src/utils.py load_files_*_zeroshot): numpy seed 0 over the
  sorted class folders; Sketchy takes 80% train, 10% of the rest as validation, the remainder as
  test; TU-Berlin 88% / 6%. SEM-PCYC tests on validation + test, so both are "unseen" here. Its
  folders use '_' for spaces and rename hot-air_balloon / jack-o-lantern.
- SAKE (Liu et al., ICCV 2019): Sketchy unseen = cname_cid_zero.txt; TU-Berlin unseen = every
  class absent from the seen classes' png_ready_filelist_test.txt.
- Yelamarthi et al. (ECCV 2018): the 21 classes of test_classes_eccv_2018.txt.
"""
import json
import os
import re

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.join(HERE, '..', 'src', '__fixtures__', 'splits')
OUT = os.path.join(HERE, '..', 'data', 'splits')
RENAMES = {'hot-air_balloon': 'hot_air_balloon', 'jack-o-lantern': 'jack_o_lantern'}


def normalise(name):
    lower = name.strip().lower()
    return re.sub(r'[\s_-]+', '_', RENAMES.get(lower, lower))


def read(name):
    with open(os.path.join(SRC, name)) as fp:
        return [line.rstrip('\n') for line in fp if line.strip()]


def sem_pcyc(folders, train_share, val_share):
    classes = sorted(folders)
    np.random.seed(0)
    tr = np.random.choice(classes, int(train_share * len(classes)), replace=False)
    va = np.random.choice(np.setdiff1d(classes, tr), int(val_share * len(classes)), replace=False)
    te = np.setdiff1d(classes, np.union1d(tr, va))
    return sorted(te.tolist() + va.tolist()), sorted(va.tolist())


def write(dataset, name, source, classes, unseen, extra=None):
    classes = sorted(normalise(c) for c in classes)
    unseen = sorted(normalise(c) for c in unseen)
    missing = [c for c in unseen if c not in classes]
    assert not missing, missing
    doc = {
        'name': name,
        'dataset': dataset,
        'source': source,
        'classes': classes,
        'seen': [c for c in classes if c not in unseen],
        'unseen': unseen,
    }
    doc.update(extra or {})
    path = os.path.join(OUT, f'{dataset}-{name}.json')
    with open(path, 'w') as fp:
        json.dump(doc, fp, indent=2)
        fp.write('\n')
    print(f'{path}: {len(doc["seen"])} seen, {len(unseen)} unseen')


def main():
    os.makedirs(OUT, exist_ok=True)
    sketchy = read('sketchy-classes.txt')
    tuberlin = read('tu-berlin-classes.txt')

    sk_folders = [RENAMES.get(c, c) for c in sketchy]
    unseen, va = sem_pcyc(sk_folders, 0.8, 0.1)
    write('sketchy', 'sem-pcyc',
          'SEM-PCYC (Dutta & Akata, CVPR 2019), AnjanDutta/sem-pcyc src/utils.py: numpy seed 0',
          sketchy, unseen, {'upstreamValidation': [normalise(c) for c in va]})
    tu_folders = [c.replace(' ', '_') for c in tuberlin]
    unseen, va = sem_pcyc(tu_folders, 0.88, 0.06)
    write('tu-berlin', 'sem-pcyc',
          'SEM-PCYC (Dutta & Akata, CVPR 2019), AnjanDutta/sem-pcyc src/utils.py: numpy seed 0',
          tuberlin, unseen, {'upstreamValidation': [normalise(c) for c in va]})

    write('sketchy', 'sake',
          'SAKE (Liu et al., ICCV 2019), qliu24/SAKE dataset/Sketchy/zeroshot1/cname_cid_zero.txt',
          sketchy, read('sake-sketchy-zero-classes.txt'))
    seen = set(read('sake-tu-berlin-test-classes.txt'))
    write('tu-berlin', 'sake',
          'SAKE (Liu et al., ICCV 2019), qliu24/SAKE dataset/TUBerlin/zeroshot: the classes '
          'absent from png_ready_filelist_test.txt (220 seen classes)',
          tuberlin, [c for c in tuberlin if c not in seen])

    write('sketchy', 'yelamarthi',
          'Yelamarthi et al., ECCV 2018; AnjanDutta/sem-pcyc test_classes_eccv_2018.txt',
          sketchy, read('yelamarthi-test-classes-eccv-2018.txt'))


if __name__ == '__main__':
    main()

"""Every object of a results file, to compare two files bit for bit (the
tests of processes, threads and designs: the same bits whatever the team)."""
import h5py
import numpy as np


def objects(path):
    """Every object of an HDF5 file: each attribute and each dataset as its type,
    shape and bytes (strings as their text), each dataset's dimension scales by
    name; the time of writing (`created`, of the file and of a batch's scenarios)
    alone left out."""
    found = {}

    def bits(value):
        value = np.asarray(value)
        if value.dtype.kind == "O":  # strings: their text, not where they were in memory
            return repr([v.decode() if isinstance(v, bytes) else v for v in value.flat]) + \
                   repr(value.shape)
        return value.dtype.str.encode() + repr(value.shape).encode() + value.tobytes()

    def scales(dataset):
        return repr([(d.label, [d[i].name for i in range(len(d))]) for d in dataset.dims])

    with h5py.File(path, "r") as f:
        def visit(key, obj):
            for attr, value in obj.attrs.items():
                # object references: file addresses, compared below by name
                if attr in ("DIMENSION_LIST", "REFERENCE_LIST", "created"):
                    continue
                found[key + "@" + attr] = bits(value)
            if isinstance(obj, h5py.Dataset):
                found[key] = bits(obj[()])
                if not h5py.h5ds.is_scale(obj.id):
                    found[key + " scales"] = scales(obj)
            else:
                found[key] = "group"
        visit("/", f)
        f.visititems(visit)
    return found


def differences(a, b):
    """What differs between two files' objects, for a failure message."""
    names = sorted(set(a) ^ set(b)) + sorted(k for k in a if k in b and a[k] != b[k])
    return "%d differences: %s" % (len(names), ", ".join(names[:12]))

#!/usr/bin/env python3
"""Writes the constraints of Cognito's service model, as botocore ships it, to stdout.

Every operation's input shape and every shape it reaches, keeping only what a request is
checked against: type, members, required members, min, max, pattern, enum and whether
the value is sensitive. Documentation, outputs and errors are dropped. The result is
checked in as src/pool/model/cognito-idp.json; tests/store/model_boundaries.rs runs this
script again and fails if the checked-in copy differs from the installed botocore.

Usage: .venv/bin/python scripts/trim-model.py > src/pool/model/cognito-idp.json
"""
import gzip
import json
import os

import botocore

KEPT = ("type", "required", "min", "max", "pattern", "enum", "sensitive")


def load():
    data = os.path.join(os.path.dirname(botocore.__file__), "data", "cognito-idp")
    version = sorted(os.listdir(data))[-1]
    with gzip.open(os.path.join(data, version, "service-2.json.gz")) as f:
        return json.load(f)


def trim(model):
    shapes = model["shapes"]
    kept = {}

    def reach(name):
        if name in kept:
            return
        shape = shapes[name]
        out = {k: shape[k] for k in KEPT if k in shape}
        kept[name] = out
        if "members" in shape:
            out["members"] = {m: s["shape"] for m, s in shape["members"].items()}
            for s in shape["members"].values():
                reach(s["shape"])
        for part in ("member", "key", "value"):
            if part in shape:
                out[part] = shape[part]["shape"]
                reach(shape[part]["shape"])

    operations = {}
    for name, op in sorted(model["operations"].items()):
        if "input" in op:
            operations[name] = op["input"]["shape"]
            reach(op["input"]["shape"])
    return {
        "source": "botocore cognito-idp " + model["metadata"]["apiVersion"],
        "operations": operations,
        "shapes": dict(sorted(kept.items())),
    }


if __name__ == "__main__":
    print(json.dumps(trim(load()), indent=1, sort_keys=False, ensure_ascii=True))

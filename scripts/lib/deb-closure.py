#!/usr/bin/env python3
"""deb-closure.py - the installed Debian packages an install of PACKAGE... would hold.

Usage: deb-closure.py [--essential] PACKAGE...

Prints, one a line and sorted, PACKAGE... plus (with --essential) every installed package
marked Essential (what a Debian base image always has), plus everything they Depend or
Pre-Depend on, recursively, as `apt-get install --no-install-recommends` would pull it:
Recommends and Suggests are left out. An alternative (a | b) is satisfied by its first
installed choice, a virtual package by an installed package that Provides it. Versions are
not compared: the installed ones are what the image gets built from.

Exits 1 naming what is not installed (a wanted package, or a dependency no installed
package satisfies): the image would need it, and this host cannot prove it.
"""

import subprocess
import sys

FIELDS = "${Package}\t${Architecture}\t${db:Status-Abbrev}\t${Essential}\t${Pre-Depends}\t${Depends}\t${Provides}\n"


def installed():
    """name -> (essential, [dependency clauses]); virtual name -> [providing packages]."""
    out = subprocess.run(
        ["dpkg-query", "-W", "-f=" + FIELDS], check=True, capture_output=True, text=True
    ).stdout
    packages, provides = {}, {}
    for line in out.splitlines():
        name, arch, status, essential, pre, dep, prov = line.split("\t")
        if not status.startswith("ii"):
            continue
        if name in packages and arch not in ("amd64", "arm64", "all", native()):
            continue  # a foreign-architecture copy of a package we already have
        clauses = [c.strip() for c in (pre + "," + dep).split(",") if c.strip()]
        packages[name] = (essential == "yes", clauses)
        for p in (x.strip() for x in prov.split(",") if x.strip()):
            provides.setdefault(p.split()[0], []).append(name)
    return packages, provides


def native():
    return subprocess.run(
        ["dpkg", "--print-architecture"], check=True, capture_output=True, text=True
    ).stdout.strip()


def choice(clause, packages, provides):
    """The installed package satisfying `a (>= 1) | b:any`, or None."""
    for alternative in clause.split("|"):
        name = alternative.strip().split()[0].split(":")[0]
        if name in packages:
            return name
        for provider in provides.get(name, []):
            return provider
    return None


def main(argv):
    essential = "--essential" in argv
    wanted = [a for a in argv if a != "--essential"]
    packages, provides = installed()
    missing = [w for w in wanted if w not in packages]
    queue = list(wanted) + ([n for n, (e, _) in packages.items() if e] if essential else [])
    seen = set()
    while queue:
        name = queue.pop()
        if name in seen or name not in packages:
            continue
        seen.add(name)
        for clause in packages[name][1]:
            found = choice(clause, packages, provides)
            if found is None:
                missing.append(f"{clause} (needed by {name})")
            else:
                queue.append(found)
    if missing:
        for m in missing:
            print(f"deb-closure: not installed: {m}", file=sys.stderr)
        return 1
    print("\n".join(sorted(seen)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

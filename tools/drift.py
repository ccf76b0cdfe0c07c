"""Print how the running environment's packages differ from uv.lock: what `make test-latest`
tests beyond the locked suite. Usage: python tools/drift.py uv.lock"""

from __future__ import annotations

import re
import sys
import tomllib
from importlib import metadata
from pathlib import Path


def _name(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def main(lock_file: str) -> None:
    """Print each package whose installed version is not the locked one."""
    lock = tomllib.loads(Path(lock_file).read_text(encoding="utf-8"))
    locked = {_name(p["name"]): p.get("version") for p in lock.get("package", [])}
    installed = {_name(d.metadata["Name"]): d.version for d in metadata.distributions()}
    changed = [(name, locked.get(name), version) for name, version in sorted(installed.items())
               if name in locked and locked[name] is not None and locked[name] != version]
    added = [(name, version) for name, version in sorted(installed.items())
             if name not in locked and name not in {"pip", "setuptools", "wheel"}]
    if not changed and not added:
        print(f"newest allowed versions: the same as {lock_file}")
        return
    print(f"newest allowed versions, beside {lock_file}:")
    for name, old, new in changed:
        print(f"  {name} {old} -> {new}")
    for name, version in added:
        print(f"  {name} {version} (not in the lock)")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "uv.lock")

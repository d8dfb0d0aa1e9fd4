"""Make the secret-key file `make run` uses: `python -m secoop.keyfile var/secret_key`.

A random key, written once (an existing file is kept, so sessions survive a restart), readable by its
owner only (mode 0600), under the git-ignored var/. Needs no Django settings."""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path


def ensure(path: str | os.PathLike) -> Path:
    """Create `path` with a new random key unless it already holds one; return the path."""
    target = Path(path)
    if target.is_file() and target.read_text().strip():
        os.chmod(target, 0o600)
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    target.unlink(missing_ok=True)
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as out:
        out.write(secrets.token_urlsafe(64) + "\n")
    os.chmod(target, 0o600)  # whatever the umask
    return target


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m secoop.keyfile PATH", file=sys.stderr)
        return 2
    print(f"secret key: {ensure(argv[0])}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

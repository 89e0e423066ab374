"""`rules_version`: a hash of the parameters and the formulas, so an answer names the rules it used."""

import hashlib
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).parent
HASHED = ("parameters/**/*.yaml", "variables/*.py", "common.py", "loans.py", "schedule.py", "reforms/*.yaml")


@lru_cache(maxsize=1)
def rules_version() -> str:
    digest = hashlib.sha256()
    for pattern in HASHED:
        for path in sorted(ROOT.glob(pattern)):
            digest.update(str(path.relative_to(ROOT)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]

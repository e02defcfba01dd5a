# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What ansible-test and the other tools need on an offline machine, in one place (used by noxfile.py).

* real_pythons(): the real interpreters python3.9 ... python3.14 as symlinks in one directory
  (build/nox/pythons) that goes first on PATH. pyenv's `python3.X` shims only print "command not
  found" for versions pyenv has not activated, and ansible-test drops PYENV_VERSION, so nox and
  ansible-test must be given the real binaries: $(pyenv root)/versions/3.X.Y/bin/python3.X.
* ensure_venv(): a virtualenv under .venvs/ from its lock file requirements/NAME.txt (scripts/lock.sh
  makes them with uv), rebuilt only when the lock file or the interpreter changes, under a lock
  (two nox sessions may run at once).
* ansible_test_home(): the HOME ansible-test of one ansible-core runs with. ansible-test keeps its
  sanity virtualenvs in ~/.ansible/test/venv, and two ansible-test processes creating the same one
  trip over each other; with a HOME per core the sessions of two cores run side by side (the
  sessions of one core never do: their nox tag `ansible-test-home-CORE` tells scripts/nox_all.py).
* copy_collection(): a fresh copy (not a symlink) of the collection at
  build/nox/<name>/ansible_collections/exotel/trunking, the layout ansible-test and ansible-doc
  need: the files git tracks plus untracked files that are not ignored. The copy gets an empty git
  repository of its own, else ansible-test (and ruff, ansible-lint) would find the enclosing work
  tree, where build/ is ignored, and see no file at all.
* seed_get_pip(): ansible-test bootstraps pip in each virtualenv it creates with a get-pip.py it
  downloads from a host outside the package registries this machine (and CI) can reach, cached as
  ~/.ansible/test/cache/get_pip_<version>.py (in the core's HOME). When that file is missing we write a stand-in for
  every pip version this ansible-test asks for (read from its _internal/python_requirements.py),
  and rewrite an earlier stand-in that names another uv. The stand-in installs pip with the uv of
  .venvs/nox when it is there, else with the interpreter's bundled pip (offline and online alike,
  the configured package index); an already cached real script is left untouched.

Command line (for debugging): python scripts/ansible_test_env.py pythons | copy NAME | seed VENV
"""

from __future__ import annotations

import contextlib
import fcntl
import glob
import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / 'build' / 'nox'
VENVS = ROOT / '.venvs'
COLLECTION_PATH = Path('ansible_collections', 'exotel', 'trunking')
CANDIDATE_PYTHONS = ('3.9', '3.10', '3.11', '3.12', '3.13', '3.14')
EXCLUDED = ('.venvs', 'build', 'tests/output', '.nox')


def _version_key(path: str) -> list[int]:
    return [int(x) if x.isdigit() else 0 for x in re.split(r'[.-]', path.split('/versions/')[-1].split('/')[0])]


def _pyenv_versions() -> Path | None:
    root = None
    with contextlib.suppress(OSError, subprocess.CalledProcessError):
        root = subprocess.run(['pyenv', 'root'], capture_output=True, text=True, check=True).stdout.strip()
    root = root or os.environ.get('PYENV_ROOT')
    if root and Path(root, 'versions').is_dir():
        return Path(root, 'versions')
    return None


def find_python(version: str) -> str | None:
    """The real interpreter of a Python version (not a pyenv shim), or None."""
    candidates = []
    versions = _pyenv_versions()
    if versions:
        candidates = sorted(glob.glob(f'{versions}/{version}.*/bin/python{version}'), key=_version_key)[-1:]
    if not candidates:
        found = shutil.which(f'python{version}')
        if found and '/shims/' not in found:
            candidates = [found]
    for candidate in candidates:
        if subprocess.run([candidate, '-c', 'import sys'], capture_output=True, check=False).returncode == 0:
            return candidate
    return None


def real_pythons() -> Path:
    """build/nox/pythons with a python3.X symlink per installed version; returns the directory."""
    pydir = WORK / 'pythons'
    with _lock('pythons'):
        if not pydir.is_dir() or not any(pydir.iterdir()):
            tmp = WORK / 'pythons.tmp'
            shutil.rmtree(tmp, ignore_errors=True)
            tmp.mkdir(parents=True)
            for version in CANDIDATE_PYTHONS:
                found = find_python(version)
                if found:
                    (tmp / f'python{version}').symlink_to(found)
            shutil.rmtree(pydir, ignore_errors=True)
            tmp.rename(pydir)
    return pydir


def have_python(version: str) -> bool:
    return os.access(real_pythons() / f'python{version}', os.X_OK)


@contextlib.contextmanager
def _lock(name: str):
    WORK.mkdir(parents=True, exist_ok=True)
    with open(WORK / f'.{name}.lock', 'w') as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def ensure_venv(name: str, version: str, lock: Path, log=print) -> Path:
    """.venvs/NAME with Python VERSION and `pip install -r LOCK` (a lock file: every package pinned)."""
    python = real_pythons() / f'python{version}'
    if not python.exists():
        raise RuntimeError(f'Python {version} is needed for .venvs/{name}: install it (pyenv install {version} '
                           f'or apt install python{version}) and make sure python{version} is on PATH')
    venv = VENVS / name
    with _lock(f'venv-{name}'):
        digest = hashlib.sha256()
        digest.update(b'compiled bytecode\n')  # venvs made before bytecode was compiled are made again
        digest.update(Path(ROOT, lock).read_bytes())
        digest.update(subprocess.run([str(python), '-c', 'import sys; print(sys.version)'],
                                     capture_output=True, check=True).stdout)
        want = digest.hexdigest()[:16]
        stamp = venv / '.nox-stamp'
        if stamp.is_file() and stamp.read_text().strip() == want and (venv / 'bin' / 'python').exists():
            return venv
        log(f'.venvs/{name}: installing {lock} with Python {version}')
        shutil.rmtree(venv, ignore_errors=True)
        subprocess.run([str(python), '-m', 'venv', str(venv)], check=True)
        # uv (in .venvs/nox, next to nox's Python) installs a lock file several times faster than pip. Compiled
        # bytecode as pip leaves it: the sessions run with PYTHONDONTWRITEBYTECODE, and without .pyc files every
        # ansible-playbook (and every ansible-test step) compiles ansible-core anew: a third of the e2e tests' CPU.
        uv = Path(sys.executable).parent / 'uv'
        if uv.exists():
            subprocess.run([str(uv), 'pip', 'install', '--quiet', '--compile-bytecode', '--python', str(venv / 'bin' / 'python'),
                            '-r', str(lock)], cwd=ROOT, check=True)
            subprocess.run([str(uv), 'pip', 'check', '--quiet', '--python', str(venv / 'bin' / 'python')], check=True)
        else:
            subprocess.run([str(venv / 'bin' / 'python'), '-m', 'pip', 'install', '--quiet', '--no-warn-script-location',
                            '-r', str(lock)], cwd=ROOT, check=True)
            subprocess.run([str(venv / 'bin' / 'python'), '-m', 'pip', 'check'], check=True)
        stamp.write_text(want + '\n')
    return venv


def list_files() -> list[str]:
    """The collection's files: tracked (and existing) plus untracked files that are not ignored."""
    try:
        out = subprocess.run(['git', '-C', str(ROOT), 'ls-files', '-z', '--cached', '--others', '--exclude-standard'],
                             capture_output=True, check=True).stdout.decode()
        files = [f for f in out.split('\0') if f]
    except (OSError, subprocess.CalledProcessError):
        files = [str(p.relative_to(ROOT)) for p in ROOT.rglob('*') if p.is_file() and '.git' not in p.parts]
    return [f for f in files
            if not any(f == d or f.startswith(d + '/') for d in EXCLUDED)
            and (os.path.lexists(ROOT / f))]


def copy_collection(name: str) -> Path:
    """A fresh copy of the collection at build/nox/NAME/ansible_collections/exotel/trunking."""
    base = WORK / name
    shutil.rmtree(base, ignore_errors=True)
    dest = base / COLLECTION_PATH
    dest.mkdir(parents=True)
    for rel in list_files():
        src, dst = ROOT / rel, dest / rel
        dst.parent.mkdir(parents=True, exist_ok=True)
        if src.is_symlink():
            dst.symlink_to(os.readlink(src))
        else:
            shutil.copy2(src, dst)
    subprocess.run(['git', '-C', str(dest), 'init', '-q'], check=True)
    return dest


GET_PIP_STAND_IN = '''\
# Stand-in for get-pip.py written by exotel.trunking scripts/ansible_test_env.py (the real script
# cannot be downloaded here): install the requested pip (and setuptools/wheel) into this venv with
# the uv below when it is there (a quarter of a second; pip from its wheel takes over 3 s of CPU, and
# make test has ansible-test make about 80 virtualenvs), else with pip from the wheel bundled with
# the interpreter, or via ensurepip when there is none.
import glob
import os
import subprocess
import sys

import ensurepip

UV = %(uv)r
args = [a for a in sys.argv[1:] if a not in ("--no-setuptools", "--no-wheel")]
# ansible-test passes no SSL_CERT_FILE: --system-certs lets uv trust the CAs pip trusts (/etc/ssl).
if os.path.isfile(UV) and subprocess.call([UV, "pip", "install", "--quiet", "--system-certs", "--python", sys.executable]
                                          + [a for a in args if not a.startswith("-")]) == 0:
    sys.exit(0)
bundled = sorted(glob.glob(os.path.join(os.path.dirname(ensurepip.__file__), "_bundled", "pip-*.whl")))
if bundled:
    pip = [sys.executable, os.path.join(bundled[-1], "pip")]
else:
    subprocess.check_call([sys.executable, "-m", "ensurepip", "--default-pip"], stdout=subprocess.DEVNULL)
    pip = [sys.executable, "-m", "pip"]
sys.exit(subprocess.call(pip + ["install", "--upgrade"] + args))
'''


def ansible_test_home(core: str) -> dict[str, str]:
    """The environment of ansible-test for one core: HOME ~/.ansible/test/homes/CORE, pip's cache the usual one.

    Outside the checkout, next to ansible-test's own cache, so that a fresh clone reuses the sanity
    virtualenvs an earlier run made (ansible-test names each by a hash of what it installs).
    """
    home = Path.home() / '.ansible' / 'test' / 'homes' / core
    home.mkdir(parents=True, exist_ok=True)
    cache = os.environ.get('PIP_CACHE_DIR') or str(Path.home() / '.cache' / 'pip')
    return {'HOME': str(home), 'PIP_CACHE_DIR': cache}


def seed_get_pip(venv: Path, home: Path | None = None, log=print) -> None:
    """Write the get-pip stand-in for every pip version the venv's ansible-test asks for (in HOME's cache)."""
    files = glob.glob(f'{venv}/lib/python3*/site-packages/ansible_test/_internal/python_requirements.py')
    if not files:
        raise RuntimeError(f'ansible-test is missing from {venv}')
    cache = (home or Path.home()) / '.ansible' / 'test' / 'cache'
    cache.mkdir(parents=True, exist_ok=True)
    stand_in = GET_PIP_STAND_IN % {'uv': str(Path(sys.executable).parent / 'uv')}  # uv beside nox's Python (.venvs/nox)
    for version in sorted(set(re.findall(r"pip='([0-9.]+)'", Path(files[0]).read_text()))):
        target = cache / f"get_pip_{version.replace('.', '_')}.py"
        cached = target.read_text(errors='replace') if target.exists() else ''
        # Written when missing or empty, or when it is an earlier stand-in (same first line) that differs.
        if not cached or (cached.split('\n', 1)[0] == stand_in.split('\n', 1)[0] and cached != stand_in):
            target.write_text(stand_in)
            log(f'wrote the get-pip stand-in for pip {version}: {target}')


def main(argv: list[str]) -> int:
    if argv[1:2] == ['pythons']:
        print(real_pythons())
    elif argv[1:2] == ['copy'] and len(argv) == 3:
        print(copy_collection(argv[2]))
    elif argv[1:2] == ['seed'] and len(argv) == 3:
        seed_get_pip(Path(argv[2]))
    else:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))

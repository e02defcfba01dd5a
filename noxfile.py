# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The release sessions of exotel.trunking: the one list of checks.

`make test` runs every session tagged `test` through scripts/nox_all.py, which reads this list from
`nox --list --json`; the Makefile's groups (`make sanity`, `make lint`, ...) are tags, and the table
in CONTRIBUTING.md is `scripts/nox_all.py --table` (the changelog session checks it is current).

One session:   .venvs/nox/bin/nox -s sanity-2.21      (after `make nox`, which sets up .venvs/nox)
List them:     .venvs/nox/bin/nox -l                  (or -t TAG: the sessions with a tag)

Two kinds of sessions:
* antsibull-nox's, configured in antsibull-nox.toml: codeqa (ruff check), docs-check (antsibull-docs
  lint), extra-checks (no unwanted files, action groups), ansible-lint. They run in virtualenvs nox
  makes, with the versions locked in requirements/tools.txt.
* this file's: everything that runs ansible-test (antsibull-nox's ansible-test sessions pass
  --docker, and there is no container engine here or in CI: ours run it with --venv / --local) and
  the project's own checks. They share the virtualenvs .venvs/core-2.16 ... .venvs/core-2.21 (Python
  3.12 + one ansible-core each), .venvs/tools (the linters) and .venvs/eda, each from its lock file
  requirements/NAME.txt, made by scripts/ansible_test_env.py, which also copies the collection to the
  ansible_collections/exotel/trunking path ansible-test needs and seeds ansible-test's get-pip.

Every session runs on Python 3.12; the matrix sessions also use the other Pythons a core supports when
they are installed, and name those that are not.
"""

from __future__ import annotations

import concurrent.futures
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nox

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT / 'scripts'))
import ansible_test_env as env  # noqa: E402  pylint: disable=wrong-import-position
import live_config as live  # noqa: E402  pylint: disable=wrong-import-position

# nox finds interpreters on PATH, where pyenv's python3.12 shim fails unless pyenv activates 3.12:
# the real interpreters go first.
os.environ['PATH'] = f"{env.real_pythons()}{os.pathsep}{os.environ.get('PATH', '')}"

PYTHON = '3.12'
# antsibull-nox's sessions (antsibull-nox.toml): the tags they get here (the Makefile's groups and
# `make test`) and what they run, for `nox -l` and CONTRIBUTING.md's table.
ANTSIBULL_NOX = {
    'codeqa': (['test', 'lint'], "antsibull-nox's: ruff check (ruff.toml) of every Python file"),
    'docs-check': (['test', 'lint', 'docs'], "antsibull-nox's: antsibull-docs lint-collection-docs, every collection reference checked"),
    'extra-checks': (['test', 'lint'], ("antsibull-nox's: no unwanted files, no trailing whitespace, the action group: every module "
                                        "in it and extending the _exotel doc fragment except those named in exclusions")),
    'ansible-lint': (['test', 'lint'], "antsibull-nox's: ansible-lint (.ansible-lint)"),
    'lint': ([], "antsibull-nox's group of its lint sessions: runs codeqa (which make test runs itself)"),
}

try:
    import antsibull_nox
except ImportError:  # pragma: no cover - nox without antsibull-nox: only this file's sessions
    antsibull_nox = None
else:
    antsibull_nox.load_antsibull_nox_toml()
    for _name, _func in nox.registry.get().items():
        if _func.python is None:  # on Python 3.12, as .venvs/tools (sphinx, pinned for antsibull-docs, needs it)
            _func.python = PYTHON
        _func.tags, _func.__doc__ = ANTSIBULL_NOX.get(_name, ([], _func.__doc__))

nox.options.error_on_external_run = False
nox.options.reuse_venv = 'no'

# Every ansible-core requires_ansible (meta/runtime.yml) admits, each in .venvs/core-CORE from
# requirements/core-CORE.txt, all on Python 3.12. Integration targets run on the oldest and the newest.
CORES = ('2.16', '2.17', '2.18', '2.19', '2.20', '2.21')
INTEGRATION_CORES = (CORES[0], CORES[-1])
# Integration targets left out on a core because another session runs the same scenarios there: e2e-cutover runs the
# voice_ai_cutover role (check mode, cutover, re-run, failback, refusals, a failed write rolled back) on CORES[-1].
INTEGRATION_EXCLUDE = {CORES[-1]: ('role_voice_ai_cutover',)}
MIN_MODULE_PYTHON = (3, 9)  # tests/config.yml modules.python_requires

os.environ.update(PYTHONDONTWRITEBYTECODE='1', PIP_DISABLE_PIP_VERSION_CHECK='1', ANSIBLE_NOCOLOR='1', NO_COLOR='1')
for _name in ('PYENV_VERSION', 'ANSIBLE_COLLECTIONS_PATH', 'ANSIBLE_COLLECTIONS_PATHS'):
    os.environ.pop(_name, None)


def _path(*venvs: Path) -> str:
    return os.pathsep.join([str(env.real_pythons())] + [str(v / 'bin') for v in venvs] + [os.environ.get('PATH', '')])


def _venv(session: nox.Session, name: str, lock: Path | None = None) -> Path:
    try:
        return env.ensure_venv(name, PYTHON, lock or Path('requirements', f'{name}.txt'), log=session.log)
    except (RuntimeError, subprocess.CalledProcessError) as exc:
        session.error(f'set-up of .venvs/{name}: {exc}')


def core_venv(session: nox.Session, core: str) -> Path:
    return _venv(session, f'core-{core}')


def tools_venv(session: nox.Session) -> Path:
    return _venv(session, 'tools')


def run(session: nox.Session, *args: str, cwd: Path, path: str, reason: str, extra_env: dict | None = None,
        finding: str = r'^(ERROR|FATAL|FAILED)') -> str:
    """Run a command, its output shown and returned; on failure end the session with REASON and the first finding."""
    proc = subprocess.run(list(args), cwd=cwd, env={**os.environ, 'PATH': path, **(extra_env or {})},
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, check=False)
    print(proc.stdout, end='')
    if proc.returncode != 0:
        session.error(f'{reason}: {first_finding(proc.stdout, finding)}')
    return proc.stdout


def first_finding(output: str, pattern: str, count: int = 2) -> str:
    found = [line.strip()[:250] for line in output.splitlines() if re.search(pattern, line)][:count]
    return ' | '.join(found) or (output.strip().splitlines() or ['no output'])[-1][:250]


# --------------------------------------------------------------------------------------------
# ansible-test: sanity (full set, no ignore entries), units, the compile/import matrix, integration.
# sanity, units and matrix run with the core's own HOME (env.ansible_test_home): sessions of two
# cores may run side by side, those of one core never do (tag ansible-test-home-CORE).


def _ansible_test(session: nox.Session, core: str, venv: Path) -> dict:
    """The environment of ansible-test of CORE (its HOME, with the get-pip stand-in seeded)."""
    extra = env.ansible_test_home(core)
    env.seed_get_pip(venv, Path(extra['HOME']), log=session.log)
    return extra


def _sanity(session: nox.Session, core: str, venv: Path | None = None) -> None:
    venv = venv or core_venv(session, core)
    dest = env.copy_collection(f'sanity-{core}')
    ignores = sorted(p.name for p in (dest / 'tests' / 'sanity').glob('ignore-*.txt') if p.read_text().strip())
    if ignores:
        session.error(f'sanity ignore files are not allowed (fix the findings): {" ".join(ignores)}')
    out = run(session, 'ansible-test', 'sanity', '--color', 'no', '--venv', '--python', PYTHON,
              cwd=dest, path=_path(venv), extra_env=_ansible_test(session, core, venv), reason='ansible-test sanity',
              finding=r'^ERROR: ')
    session.log(f'finding count: {out.count("ERROR: ")}')


def _units(session: nox.Session, core: str) -> None:
    venv = core_venv(session, core)
    dest = env.copy_collection(f'units-{core}')
    # --local: pytest runs in .venvs/core-CORE, whose lock holds what ansible-test units needs (requirements/_core.in:
    # pytest, pytest-mock, pytest-xdist, mock and tests/unit/requirements.txt), at the locked versions. --venv made a
    # virtualenv and pip-installed all of it again in every session: 10 s more CPU per core. It makes no virtualenv, so
    # it needs the core's HOME but no get-pip stand-in.
    # One pytest worker: make test runs the sessions side by side, and each extra worker imports everything again
    # (three pytest runs of two workers cost 6 s more CPU per core than three of one).
    out = run(session, 'ansible-test', 'units', '--color', 'no', '--local', '--num-workers', '1', '--python', PYTHON,
              cwd=dest, path=_path(venv), extra_env=env.ansible_test_home(core), reason='ansible-test units',
              finding=r'^(FAILED|ERROR)|[0-9]+ (failed|errors?)')
    if not re.search(r'[0-9]+ passed', out):
        session.error('ansible-test units ran no test')


MATRIX_VERSIONS_CODE = ('from ansible_test._util.target.common.constants import REMOTE_ONLY_PYTHON_VERSIONS as R, '
                        'CONTROLLER_PYTHON_VERSIONS as C; print(" ".join(R + C))')


def _matrix(session: nox.Session, core: str) -> None:
    venv = core_venv(session, core)
    dest = env.copy_collection(f'matrix-{core}')
    extra = _ansible_test(session, core, venv)
    supported = subprocess.run(
        [str(venv / 'bin' / 'python'), '-c', MATRIX_VERSIONS_CODE],
        capture_output=True, text=True, check=True).stdout.split()
    ran, missing, failed = [], [], []
    for version in supported:
        if tuple(int(x) for x in version.split('.')) < MIN_MODULE_PYTHON or version == PYTHON:  # sanity-CORE runs PYTHON's
            continue
        if not env.have_python(version):
            missing.append(version)
            continue
        proc = subprocess.run(['ansible-test', 'sanity', '--color', 'no', '--venv', '--test', 'compile',
                               '--test', 'import', '--python', version], cwd=dest,
                              env={**os.environ, 'PATH': _path(venv), **extra}, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True, check=False)
        print(proc.stdout, end='')
        (failed if proc.returncode else ran).append(version)
        if proc.returncode:
            session.log(f'Python {version}: {first_finding(proc.stdout, "^ERROR: ")}')
    session.log(f'passed on: {ran}; failed on: {failed}; not installed: {missing}')
    if missing:  # scripts/nox_all.py shows this line in the session's summary line
        session.log(f'skipped: Python {" ".join(missing)} (not installed)')
    if failed:
        session.error(f'compile/import failed on Python {" ".join(failed)}')


def _integration(session: nox.Session, core: str) -> None:
    venv = core_venv(session, core)
    env.seed_get_pip(venv, log=session.log)
    dest = env.copy_collection(f'integration-{core}')
    excluded = [arg for target in INTEGRATION_EXCLUDE.get(core, ()) for arg in ('--exclude', target)]
    run(session, 'bash', str(dest / 'scripts' / 'integration.sh'), str(dest), *excluded, cwd=dest, path=_path(venv),
        extra_env={'ANSIBLE_TEST': str(venv / 'bin' / 'ansible-test'), 'PYTHON': str(venv / 'bin' / 'python')},
        reason='scripts/integration.sh', finding=r'^(fatal|FATAL|ERROR): ')


def _register(kind: str, core: str, func, doc: str, tags: list[str]) -> None:
    def _session(session: nox.Session) -> None:
        func(session, core)
    _session.__doc__ = f'ansible-core {core} (Python {PYTHON}): {doc}'
    nox.session(name=f'{kind}-{core}', python=False, tags=tags)(_session)


for _core in CORES:
    _home = f'ansible-test-home-{_core}'
    _register('sanity', _core, _sanity, 'ansible-test sanity --venv, full set; any tests/sanity/ignore-*.txt fails it', ['test', 'sanity', _home])
    _register('units', _core, _units, f'ansible-test units --local in .venvs/core-{_core} (tests/unit); no test run is a failure', ['test', 'units', _home])
for _core in INTEGRATION_CORES:
    _register('matrix', _core, _matrix, f'ansible-test sanity --test compile --test import on every Python 3.9+ the core '
              f'supports but {PYTHON} (sanity-{_core} runs them there) that is installed (the others named as skipped)',
              ['test', 'matrix', f'ansible-test-home-{_core}'])
    _left_out = ''.join(f' but {t} (e2e-cutover runs its scenarios on this core)' for t in INTEGRATION_EXCLUDE.get(_core, ()))
    _register('integration', _core, _integration, f'scripts/integration.sh: the integration targets{_left_out}, ansible-test '
              'integration --local against the emulator', ['test', 'integration'])


def newest_ansible_core(session: nox.Session) -> str:
    """The newest ansible-core on the package index, pre-releases included (`pip index versions --pre`)."""
    proc = subprocess.run([sys.executable, '-m', 'pip', 'index', 'versions', 'ansible-core', '--pre'],
                          capture_output=True, text=True, check=False)
    found = re.search(r'^Available versions: ([^,\s]+)', proc.stdout, re.M)
    if not found:
        session.error(f'pip index versions ansible-core --pre: {(proc.stdout + proc.stderr).strip()[-200:]}')
    return found.group(1)


@nox.session(name='sanity-devel', python=False, tags=['test', 'sanity', 'allowed-fail', 'ansible-test-home-devel'])
def sanity_devel(session: nox.Session) -> None:
    """ansible-test sanity on the newest ansible-core pre-release on PyPI, when newer than the locked cores (allowed to fail)."""
    version = newest_ansible_core(session)
    locked = [re.search(r'^ansible-core==(\S+)', Path(ROOT, 'requirements', f'core-{c}.txt').read_text(), re.M).group(1)
              for c in CORES]
    if version in locked:
        session.skip(f'no ansible-core newer than {locked[-1]} on the package index (its newest is {version})')
    session.log(f'ansible-core {version}')
    lock = env.WORK / 'core-devel.txt'
    pins = Path(ROOT, 'requirements', f'core-{CORES[-1]}.txt').read_text()
    lock.write_text(re.sub(r'^ansible-core==\S+', f'ansible-core=={version}', pins, flags=re.M))
    _sanity(session, 'devel', _venv(session, 'core-devel', lock))


# --------------------------------------------------------------------------------------------
# The project's own checks


def _pytest(session: nox.Session, name: str, *args: str) -> None:
    venv = core_venv(session, CORES[-1])
    dest = env.copy_collection(name)
    proc = subprocess.run([str(venv / 'bin' / 'python'), '-m', 'pytest', '-p', 'no:cacheprovider', '-q', '--durations=10', *args],
                          cwd=dest, env={**os.environ, 'PATH': _path(venv)}, check=False)
    if proc.returncode == 5:
        session.error(f'pytest collected no test in {" ".join(args)}')
    if proc.returncode:
        session.error(f'pytest of {name} failed (exit status {proc.returncode}; see the FAILED lines above)')


# The voice_ai_cutover role's end-to-end tests (each a few minutes: real cutovers, kills, canary steps) run in their own
# session, beside the rest of tests/e2e, so that the two halves run side by side in `make test`.
CUTOVER_E2E = ['tests/e2e/test_voice_ai_cutover.py', 'tests/e2e/test_cutover_crash.py', 'tests/e2e/test_canary_cutover.py',
               'tests/e2e/test_cutover_ownership.py', 'tests/e2e/test_cutover_messages.py']


@nox.session(python=False, tags=['test', 'integration'])
def emulator(session: nox.Session) -> None:
    """pytest of tests/emulator: the emulator's own tests."""
    _pytest(session, 'emulator', 'tests/emulator')


@nox.session(python=False, tags=['test', 'integration', 'long'])
def e2e(session: nox.Session) -> None:
    """pytest of tests/e2e but the cutover role's: ansible-playbook against the emulator (faults, load, redaction, docs examples)."""
    _pytest(session, 'e2e', 'tests/e2e', *(f'--ignore={path}' for path in CUTOVER_E2E))


@nox.session(name='e2e-cutover', python=False, tags=['test', 'integration', 'long'])
def e2e_cutover(session: nox.Session) -> None:
    """pytest of the voice_ai_cutover role's e2e tests: cutover, crash and resume, canary steps, ownership, refusals."""
    _pytest(session, 'e2e-cutover', *CUTOVER_E2E)


def eda_venv(session: nox.Session) -> Path:
    """.venvs/eda: ansible-rulebook (drools-jpy), ansible-runner, ansible-core 2.21, pytest (requirements/eda.txt)."""
    return _venv(session, 'eda')


@nox.session(python=False, tags=['test', 'integration'])
def eda(session: nox.Session) -> None:
    """pytest of tests/eda in .venvs/eda (needs Java 17): event sources, the failover rulebooks end to end, the credential type; a skip fails it."""
    if not shutil.which('java') and not os.environ.get('JAVA_HOME'):
        session.error('ansible-rulebook needs a Java 17 runtime: apt install openjdk-17-jre-headless, or set JAVA_HOME')
    venv = eda_venv(session)
    dest = env.copy_collection('eda')
    # ansible-rulebook finds ansible-galaxy and ansible-playbook on PATH; -rs lists skips, and a skip fails the session.
    out = run(session, str(venv / 'bin' / 'python'), '-m', 'pytest', '-p', 'no:cacheprovider', '-q', '-rs', '--durations=10',
              'tests/eda', cwd=dest, path=_path(venv), reason='pytest tests/eda', finding=r'^(FAILED|ERROR)')
    if re.search(r'[0-9]+ skipped', out) or not re.search(r'[0-9]+ passed', out):
        session.error(f'pytest tests/eda skipped or ran no test: {first_finding(out, "^SKIPPED")}')


@nox.session(python=False, tags=['test', 'lint'])
def yamllint(session: nox.Session) -> None:
    """yamllint --strict (warnings fail) with .yamllint."""
    venv = tools_venv(session)
    dest = env.copy_collection('yamllint')
    run(session, 'yamllint', '--strict', '--format', 'parsable', '.', cwd=dest, path=_path(venv),
        reason='yamllint', finding=r'^[^ ]+:[0-9]+:[0-9]+: ')


@nox.session(python=False, tags=['test', 'lint', 'docs'])
def changelog(session: nox.Session) -> None:
    """antsibull-changelog lint (+ changelog.yaml) and the rule that a change to plugins/ comes with a fragment."""
    venv = tools_venv(session)
    dest = env.copy_collection('changelog')
    run(session, 'antsibull-changelog', 'lint', cwd=dest, path=_path(venv), reason='antsibull-changelog lint',
        finding=r'.')
    if (dest / 'changelogs' / 'changelog.yaml').exists():
        run(session, 'antsibull-changelog', 'lint-changelog-yaml', 'changelogs/changelog.yaml', cwd=dest,
            path=_path(venv), reason='changelogs/changelog.yaml', finding=r'.')
    run(session, str(venv / 'bin' / 'python'), str(ROOT / 'scripts' / 'check_changelog_fragment.py'), str(ROOT),
        cwd=ROOT, path=_path(venv), reason='fragment rule', finding=r'^(?!checked )')


@nox.session(python=False, tags=['test', 'docs'])
def docs(session: nox.Session) -> None:
    """CONTRIBUTING.md's table of sessions is current, ansible-doc of every module, the HTML site (docs/build.sh, warnings fail).

    The docs lint (antsibull-docs lint-collection-docs) is docs-check's.
    """
    run(session, sys.executable, str(ROOT / 'scripts' / 'nox_all.py'), '--check-table', str(ROOT / 'CONTRIBUTING.md'),
        cwd=ROOT, path=_path(), reason='CONTRIBUTING.md', finding=r'.')
    venv = tools_venv(session)
    dest = env.copy_collection('docs')
    colls = {'ANSIBLE_COLLECTIONS_PATH': str(dest.parents[2])}
    modules = sorted(p.stem for p in (dest / 'plugins' / 'modules').glob('*.py') if p.stem != '__init__')
    if not modules:
        session.error('no module in plugins/modules')
    for module in modules:
        proc = subprocess.run(['ansible-doc', f'exotel.trunking.{module}'], cwd=dest, capture_output=True, text=True,
                              env={**os.environ, 'PATH': _path(venv), **colls}, check=False)
        if proc.returncode or not proc.stdout or re.search('WARNING|ERROR', proc.stderr):
            print(proc.stderr)
            session.error(f'ansible-doc exotel.trunking.{module}: {proc.stderr.strip()[:200]}')
    session.log(f'ansible-doc rendered {len(modules)} modules')
    run(session, 'bash', str(dest / 'docs' / 'build.sh'), str(venv / 'bin' / 'python'), cwd=dest, path=_path(venv),
        reason='docs/build.sh', finding=r'WARNING|ERROR|broken link|missing anchor|missing page')


GALAXY_IMPORTER_CFG = """[galaxy-importer]
RUN_ANSIBLE_TEST = False
RUN_ANSIBLE_DOC = True
RUN_ANSIBLE_LINT = True
OFFLINE_ANSIBLE_LINT = True
CHECK_REQUIRED_TAGS = True
CHECK_CHANGELOG = True
RUN_FLAKE8 = False
LOG_LEVEL_MAIN = INFO
"""


@nox.session(python=False, tags=['test', 'build'])
def build(session: nox.Session) -> None:
    """ansible-galaxy collection build + install, galaxy-importer (any ERROR or WARNING fails), ansible-builder create.

    Not antsibull-nox's build-import-check: that one turns galaxy-importer's ERROR lines into warnings.
    """
    venv = tools_venv(session)
    dest = env.copy_collection('build')
    work = dest.parents[2]
    dist, inst = work / 'dist', work / 'installed'
    run(session, 'ansible-galaxy', 'collection', 'build', '--output-path', str(dist), '.', cwd=dest,
        path=_path(venv), reason='ansible-galaxy collection build', finding='ERROR')
    tarball = next(dist.glob('exotel-trunking-*.tar.gz'), None)
    if tarball is None:
        session.error('ansible-galaxy collection build made no tarball')
    run(session, 'ansible-galaxy', 'collection', 'install', '--offline', '-p', str(inst), str(tarball), cwd=dist,
        path=_path(venv), reason=f'ansible-galaxy collection install of {tarball.name}', finding='ERROR')
    missing = [p.name for p in (dest / 'plugins' / 'modules').glob('*.py')
               if not (inst / env.COLLECTION_PATH / 'plugins' / 'modules' / p.name).exists()]
    if missing:
        session.error(f'the installed collection lacks {" ".join(missing)}')
    cfg = work / 'galaxy-importer.cfg'
    cfg.write_text(GALAXY_IMPORTER_CFG)
    out = run(session, 'python', '-m', 'galaxy_importer.main', str(tarball), cwd=dist, path=_path(venv),
              extra_env={'GALAXY_IMPORTER_CONFIG': str(cfg)}, reason='galaxy-importer', finding='^(ERROR|WARNING)')
    if re.search('^(ERROR|WARNING)', out, re.M):
        session.error(f'galaxy-importer: {first_finding(out, "^(ERROR|WARNING)", 3)}')
    if 'Importer processing completed successfully' not in out:
        session.error('galaxy-importer did not complete')
    run(session, 'bash', str(dest / 'tests' / 'ee' / 'create-context.sh'), str(venv / 'bin' / 'ansible-builder'),
        str(tarball), str(work / 'ee'), cwd=dest, path=_path(venv), reason='ansible-builder create',
        finding='rror|no |missing|not ')


DEMO_PATH = os.environ.get('NOX_DEMO_PATH', '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin')
DEMO_WANT = ('1: changed=1 failed=0 diff=-pstn,+flow writes=1; 2: changed=0 failed=0 diff= writes=0; '
             '3: changed=1 failed=0 diff=-flow,+pstn writes=1')


def demo_steps(out: str) -> str:
    """Per step of `make demo`: the play's changed and failed counts, the diff of the mode, the writes sent."""
    step, count, diff, writes = 0, {}, {}, {}
    for line in out.splitlines():
        if re.match(r'^ Step [0-9] of 3:', line):
            step += 1
        elif step and re.match(r'^localhost +:', line):
            for key, value in re.findall(r'\b(changed|failed)=([0-9]+)', line):
                count[step, key] = value
        elif step and re.match(r'^[-+] *mode: (pstn|flow) *$', line):
            diff[step] = ','.join(filter(None, [diff.get(step, ''), line[0] + line.split()[-1]]))
        elif step and re.match(r'^ *\([0-9]+ reads?, [0-9]+ writes?\)$', line):
            writes[step] = line.split()[2]
    return '; '.join(f'{s}: changed={count.get((s, "changed"), "")} failed={count.get((s, "failed"), "")} '
                     f'diff={diff.get(s, "")} writes={writes.get(s, "")}' for s in (1, 2, 3))


@nox.session(python=False, tags=['test', 'build'])
def demo(session: nox.Session) -> None:
    """`make demo` as a newcomer runs it: a clean copy, an empty HOME, only the system PATH; the three steps, HOME left empty."""
    dest = env.copy_collection('demo')
    clone = env.WORK / 'demo' / 'clone'
    dest.rename(clone)
    shutil.rmtree(env.WORK / 'demo' / 'ansible_collections')
    home = env.WORK / 'demo' / 'home'
    home.mkdir()
    proc = subprocess.run(['env', '-i', f'HOME={home}', f'PATH={DEMO_PATH}', 'make', 'demo'], cwd=clone,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, check=False)
    print(proc.stdout)
    if proc.returncode:
        session.error(f'make demo failed: {first_finding(proc.stdout, "^make demo:|ERROR|FAILED|fatal|rror")}')
    steps = demo_steps(proc.stdout)
    if steps != DEMO_WANT or not re.search('^ Done: ', proc.stdout, re.M):
        session.error(f'make demo did not show the three steps: got [{steps}], want [{DEMO_WANT}]')
    left = sorted(str(p.relative_to(home)) for p in home.iterdir())
    if left:
        session.error(f'make demo wrote into HOME: {" ".join(left[:5])}')
    session.log('make demo: three steps shown, HOME left empty')


@nox.session(python=False, default=False)
def bench(session: nox.Session) -> None:
    """Benchmark exotel_number_mode, the sip_trunk role and export/apply against the emulator (prints tables; not in make test)."""
    venv = core_venv(session, CORES[-1])
    session.run(str(venv / 'bin' / 'python'), 'benchmarks/bench_number_mode.py', external=True)
    session.run(str(venv / 'bin' / 'python'), 'benchmarks/bench_sip_trunk.py', external=True)
    session.run(str(venv / 'bin' / 'python'), 'benchmarks/bench_adopt.py', external=True)


@nox.session(name='docs-html', python=False, default=False)
def docs_html(session: nox.Session) -> None:
    """Build the HTML documentation site into build/docs/html (offline; `make docs`)."""
    venv = tools_venv(session)
    session.run('bash', 'docs/build.sh', str(venv / 'bin' / 'python'), external=True)


@nox.session(python=False, default=False)
def venvs(session: nox.Session) -> None:
    """Set up .venvs/core-2.16 ... .venvs/core-2.21, .venvs/tools and .venvs/eda only, in parallel (`make venvs`)."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=3) as pool:
        jobs = [pool.submit(core_venv, session, core) for core in CORES]
        jobs += [pool.submit(tools_venv, session), pool.submit(eda_venv, session)]
        for job in jobs:
            job.result()


# --------------------------------------------------------------------------------------------
# The opt-in live test against a real Exotel account


@nox.session(name='live', python=False, default=False)
def live_session(session: nox.Session) -> None:
    """Opt-in: the integration targets against a real Exotel account (CONTRIBUTING.md, "The live test")."""
    why = live.refusal(dict(os.environ))
    if why:
        session.error(why)
    venv = core_venv(session, CORES[-1])
    env.seed_get_pip(venv, log=session.log)
    dest = env.copy_collection('live')
    config = dest / 'tests' / 'integration' / 'integration_config.yml'
    config.write_text(live.config_text(os.environ))
    config.chmod(0o600)
    try:
        run(session, 'ansible-test', 'integration', '--local', '-v', *live.targets(), cwd=dest, path=_path(venv),
            reason='live integration', finding=r'^(fatal|FATAL|ERROR): ')
    finally:
        config.unlink(missing_ok=True)
        shutil.rmtree(dest.parents[2], ignore_errors=True)


@nox.session(name='live-guard', python=False, tags=['test', 'lint'])
def live_guard(session: nox.Session) -> None:
    """The live session refuses to start without the opt-in, and its targets are the emulator run's."""
    venv = core_venv(session, CORES[-1])
    base = {k: v for k, v in os.environ.items() if not k.startswith('EXOTEL_')}
    fake = dict(EXOTEL_ACCOUNT_SID='x', EXOTEL_API_KEY='x', EXOTEL_API_TOKEN='x', EXOTEL_LIVE_PHONE_NUMBER='+910')
    for label, extra in (('no opt-in', {}), ('credentials without the opt-in', fake),
                         ('a wrong opt-in', {**fake, 'EXOTEL_LIVE_TESTS': 'yes'})):
        proc = subprocess.run([sys.executable, '-m', 'nox', '--no-color', '-s', 'live'], cwd=ROOT,
                              env={**base, **extra}, capture_output=True, text=True, check=False)
        if proc.returncode == 0 or 'refusing to run' not in proc.stdout + proc.stderr:
            print(proc.stdout, proc.stderr)
            session.error(f'nox -s live did not refuse with {label}')
        if (ROOT / 'build' / 'nox' / 'live').exists():
            session.error(f'nox -s live set up a run with {label}')
    # The emulator run (ansible-test integration with no target) runs what ansible-test lists.
    dest = env.copy_collection('live-guard')
    proc = subprocess.run(['ansible-test', 'integration', '--local', '--list-targets'], cwd=dest,
                          env={**os.environ, 'PATH': _path(venv)}, capture_output=True, text=True, check=False)
    emulator_targets = sorted(line.strip() for line in proc.stdout.splitlines()
                              if line.strip() and not line.startswith(('WARNING', 'ERROR')))
    if proc.returncode or emulator_targets != live.targets():
        print(proc.stdout, proc.stderr)
        session.error(f'live targets {live.targets()} != emulator run targets {emulator_targets}')
    session.log(f'live refuses without the opt-in; targets: {" ".join(live.targets())}')

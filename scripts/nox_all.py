# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Run the release sessions of noxfile.py (what `make test` and CI run) and summarise them.

Usage: .venvs/nox/bin/python scripts/nox_all.py [SESSION...]   (default: every session in SESSIONS)
First the set-up, in parallel: the shared virtualenvs under .venvs/ (`nox -s venvs`) and the
virtualenvs of antsibull-nox's sessions (`nox --install-only`), which then run with `-R` (reuse them,
install nothing). Then two workers (NOX_JOBS=1 for one) take the sessions in the order of SESSIONS,
longest first, each the next one that may start; a session runs as `nox -s SESSION` with its output
in build/nox/logs/SESSION.log. The sessions that make ansible-test create virtualenvs under
~/.ansible/test/venv (sanity, units, matrix) never run two at once: two ansible-test processes
creating the same one would trip over each other.
Output: one line per session, `PASS name (Ns)` or `FAIL name: first finding (Ns; log: ...)`, then
alone on the last line `N passed, N failed`. Exit status 1 if any session failed.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / 'scripts'))
import ansible_test_env as env  # noqa: E402  pylint: disable=wrong-import-position

# Every session, in the order the workers take them: the longest first (e2e about 10 minutes on 2 cores), then the
# chain of ansible-test virtualenv sessions (one at a time, about 8 minutes in all), the integration runs, the rest.
SESSIONS = ['e2e', 'sanity-2.16', 'sanity-2.21', 'units-2.16', 'units-2.21', 'matrix-2.16', 'matrix-2.21',
            'integration-2.21', 'integration-2.16', 'eda', 'ansible-lint', 'docs', 'build', 'demo', 'docs-check', 'emulator',
            'changelog', 'live-guard', 'codeqa', 'yamllint', 'extra-checks', 'action-group']
ANSIBLE_TEST_VENVS = {'sanity-2.16', 'sanity-2.21', 'units-2.16', 'units-2.21', 'matrix-2.16', 'matrix-2.21'}
# antsibull-nox's sessions: nox makes their virtualenvs (in .nox/), during the set-up.
ANTSIBULL_NOX = ['codeqa', 'docs-check', 'extra-checks', 'ansible-lint']
TIMEOUT = int(os.environ.get('NOX_SESSION_TIMEOUT', '1500'))
LOGS = env.WORK / 'logs'
FINDING = re.compile(r'^(ERROR|FATAL|FAILED|fatal)[: ]|^[^ ]+:[0-9]+:[0-9]+: |^[^ ]+\.py:[0-9]+:[0-9]+: \[|^\S+\.(py|yml|yaml|rst|md):|'
                     r'\[error\]|^ERROR |^E +|^[A-Za-z]+(Error|Exception): |^nox > Command .* failed', re.M)


def summarise(name: str, log: str, status: int, secs: int) -> str:
    done = re.search(rf'^nox > Session {re.escape(name)} (was successful|failed|aborted)[:.]?\s*(.*)$', log, re.M)
    if status == 0 and done and done.group(1) == 'was successful':
        return f'PASS {name} ({secs}s)'
    why = (done.group(2).strip() if done else '') or f'exit status {status}'
    finding = next((m.group(0).strip() for m in re.finditer(r'^.*$', log, re.M) if FINDING.search(m.group(0))), '')
    if finding and finding not in why:
        why = f'{why}: {finding}'
    return f'FAIL {name}: {why[:400]} ({secs}s; log: build/nox/logs/{name}.log)'


def run_session(name: str, nox: list[str], results: dict, label: str = '') -> None:
    label = label or name
    log_path = LOGS / f'{label}.log'
    start = time.time()
    print(f'[{time.strftime("%H:%M:%S")}] start {label}', flush=True)
    path = f'{env.real_pythons()}{os.pathsep}{os.environ.get("PATH", "")}'
    with open(log_path, 'w') as log:
        proc = subprocess.Popen(nox + ['--no-color', '-s', name], cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                                env={**os.environ, 'PATH': path}, start_new_session=True)
        try:
            status = proc.wait(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, 15)
            status = proc.wait()
            log.write(f'\nnox > Session {name} failed: timed out after {TIMEOUT}s\n')
    secs = int(time.time() - start)
    results[label] = summarise(name, log_path.read_text(errors='replace'), status, secs)
    print(f'[{time.strftime("%H:%M:%S")}] done  {label}: {results[label].split()[0]} ({secs}s)', flush=True)


def set_up(wanted: list[str], nox: list[str]) -> list[str]:
    """Make the virtualenvs the wanted sessions need, in parallel; the failures as summary lines."""
    results: dict[str, str] = {}
    jobs = [('venvs', nox, 'set-up-venvs')]
    jobs += [(name, nox + ['--install-only'], f'set-up-{name}') for name in ANTSIBULL_NOX if name in wanted]
    threads = [threading.Thread(target=run_session, args=(name, cmd, results, label)) for name, cmd, label in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return [line for line in results.values() if line.startswith('FAIL')]


def main(argv: list[str]) -> int:
    wanted = argv[1:] or SESSIONS
    unknown = [s for s in wanted if s not in SESSIONS]
    if unknown:
        print(f'unknown session(s): {" ".join(unknown)}; known: {" ".join(SESSIONS)}', file=sys.stderr)
        return 2
    LOGS.mkdir(parents=True, exist_ok=True)
    nox = [sys.executable, '-m', 'nox']
    t0 = time.time()
    results: dict[str, str] = {}
    failed_set_up = set_up(wanted, nox)
    if failed_set_up:
        print('\n'.join(failed_set_up))
        print(f'0 passed, {len(wanted)} failed')
        return 1
    session_cmd = {s: nox + ['-R'] if s in ANTSIBULL_NOX else nox for s in wanted}
    pending = [s for s in SESSIONS if s in wanted]
    ready = threading.Condition()
    busy = set()

    def worker() -> None:
        while True:
            with ready:
                while True:
                    if not pending:
                        return
                    name = next((s for s in pending if s not in ANSIBLE_TEST_VENVS or not busy & ANSIBLE_TEST_VENVS), None)
                    if name:
                        break
                    ready.wait()
                pending.remove(name)
                busy.add(name)
            try:
                run_session(name, session_cmd[name], results)
            finally:
                with ready:
                    busy.discard(name)
                    ready.notify_all()

    jobs = 1 if os.environ.get('NOX_JOBS', '2') == '1' else 2
    threads = [threading.Thread(target=worker) for dummy in range(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    lines = [results.get(s, f'FAIL {s}: did not run') for s in wanted]
    for line, name in zip(lines, wanted):
        if line.startswith('FAIL'):
            print(f'\n==== {name}: last lines of build/nox/logs/{name}.log')
            log = LOGS / f'{name}.log'
            print('\n'.join(log.read_text(errors='replace').splitlines()[-30:]) if log.exists() else '(no log)')
    print(f'\n==== summary (total {int(time.time() - t0)}s; logs in build/nox/logs/)')
    print('\n'.join(lines))
    failed = sum(line.startswith('FAIL') for line in lines)
    print(f'{len(lines) - failed} passed, {failed} failed')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))

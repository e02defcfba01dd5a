# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Every YAML example of the docs runs as written against the emulator (issue #30).

docs_examples.py finds them (README.md, the role READMEs, the emulator's README, the guides, every module's
EXAMPLES). Each runs through ansible-playbook in a directory of its own (what it writes beside the playbook
stays there), against an emulator reset to its fixture just before, with only the EXOTEL_* variables for
the connection: no other variable is defined unless a ``vars`` marker gives it, so a ``{{ exotel_sid }}``
that only works with extra set-up fails here. Module defaults throughout: pacing on, default retries.
An example with a ``not-run`` marker is skipped with its reason; a rulebook without one fails.

The selected examples run two at a time, each worker with an emulator of its own (most of a run is
ansible-playbook starting up, and the ExoPhone API's pacing waits); each test case then judges its run.
"""

import os
import queue
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest

from conftest import ACCOUNT, BIN, KEY, ROOT, TOKEN, writes
from docs_examples import collect, playbook
from exotel_emulator import Emulator

EXAMPLES = collect()
WORKERS = 2


def runs_playbook(item):
    return not item.not_run and (item.kind in ('playbook', 'tasks') or bool(item.vars_for))


def run(item, emu, collections_path, work, *options):
    work.mkdir()
    (work / 'playbook.yml').write_text(playbook(item))
    (work / 'inventory.ini').write_text('localhost ansible_connection=local ansible_python_interpreter=%s\n' % sys.executable)
    env = dict((name, value) for name, value in os.environ.items() if not name.startswith(('EXOTEL_', 'ANSIBLE_')))
    env.update(ANSIBLE_COLLECTIONS_PATH=collections_path, ANSIBLE_ROLES_PATH=os.path.join(ROOT, 'roles'), ANSIBLE_NOCOLOR='1',
               ANSIBLE_RETRY_FILES_ENABLED='False', ANSIBLE_LOCAL_TEMP=str(work / 'tmp'), ANSIBLE_DEPRECATION_WARNINGS='False',
               ANSIBLE_PIPELINING='True', PATH=BIN + os.pathsep + os.environ.get('PATH', ''),
               EXOTEL_API_URL=emu.url, EXOTEL_ACCOUNT_SID=ACCOUNT, EXOTEL_API_KEY=KEY, EXOTEL_API_TOKEN=TOKEN)
    command = [os.path.join(BIN, 'ansible-playbook'), '-i', 'inventory.ini', 'playbook.yml'] + list(options)
    if item.vars_for:
        (work / 'vars.yml').write_text(item.text)
        command += ['-e', '@vars.yml']
    for name, value in sorted(item.extra_vars.items()):
        command += ['-e', '%s=%s' % (name, value.replace('{emulator}', emu.url))]
    return subprocess.run(command, cwd=str(work), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env,
                          universal_newlines=True, timeout=600, check=False)


@pytest.fixture(scope='module')
def runs(request, collections_path, tmp_path_factory):
    """(source, line) -> a future of (ansible-playbook's CompletedProcess, the emulator's request log)."""
    selected = [test.callspec.params['item'] for test in request.session.items
                if getattr(test, 'originalname', None) == 'test_example_runs_as_written']
    emulators = queue.Queue()
    for _worker in range(WORKERS):
        emulators.put(Emulator().start())
    base = tmp_path_factory.mktemp('docs_examples')

    def run_one(number, item):
        emu = emulators.get()
        try:
            emu.reset()
            return run(item, emu, collections_path, base / str(number)), emu.requests_log()
        finally:
            emulators.put(emu)

    with ThreadPoolExecutor(WORKERS) as pool:
        yield dict(((item.source, item.line), pool.submit(run_one, number, item))
                   for number, item in enumerate(selected) if runs_playbook(item))
    while not emulators.empty():
        emulators.get().stop()


@pytest.mark.parametrize('item', EXAMPLES, ids=['%s:%d' % (e.source, e.line) for e in EXAMPLES])
def test_example_runs_as_written(item, runs):
    assert item.kind != 'invalid', 'not valid YAML'
    if item.not_run:
        pytest.skip(item.not_run)
    assert item.kind != 'rulebook', 'a rulebook: ansible-playbook cannot run it; mark it "docs-test: not-run REASON"'
    if not runs_playbook(item):
        return      # an inventory, an event, a fragment: valid YAML is all there is to check
    proc, log = runs[(item.source, item.line)].result()
    recap = re.search(r'^localhost +: ok=\d+ +changed=\d+ +unreachable=(\d+) +failed=(\d+)', proc.stdout, re.M)
    assert proc.returncode == 0 and recap and recap.groups() == ('0', '0'), proc.stdout[-4000:]
    assert TOKEN not in proc.stdout
    if re.search(r'exotel\.trunking\.(exotel_|sip_trunk|voice_ai_cutover|apply|export|failover_route)', playbook(item)):
        # It did reach the emulator (with the EXOTEL_* credentials), not only skip its tasks.
        assert log, proc.stdout[-4000:]


def test_quick_start_does_what_the_readme_says(collections_path, tmp_path):
    """The quick start with only EXOTEL_* set: --check --diff shows the README's diff and writes nothing; the
    run writes the one mapping; a re-run reports ok and sends no write."""
    item = next(e for e in EXAMPLES if e.source == 'README.md')
    diff = '-    "mode": "pstn"\n+    "mode": "flow"\n'
    with open(os.path.join(ROOT, 'README.md'), encoding='utf-8') as handle:
        assert diff in handle.read()
    with Emulator() as emu:
        check = run(item, emu, collections_path, tmp_path / 'check', '--check', '--diff')
        assert diff in check.stdout and 'changed=1' in check.stdout, check.stdout[-3000:]
        assert [e['method'] for e in emu.requests_log()] == ['GET']
        applied = run(item, emu, collections_path, tmp_path / 'apply')
        assert 'changed=1' in applied.stdout and 'failed=0' in applied.stdout, applied.stdout[-3000:]
        assert [(e['method'], e['path'].rsplit('/', 1)[1], e['json']) for e in writes(emu)] == [
            ('PUT', '41523', {'phone_number': '+918040264208', 'mode': 'flow'})]
        again = run(item, emu, collections_path, tmp_path / 'again')
        assert 'changed=0' in again.stdout and 'failed=0' in again.stdout, again.stdout[-3000:]
        assert len(writes(emu)) == 1


def test_every_source_is_searched():
    """The finder sees the blocks of each kind of source (a changed fence or directive would hide them)."""
    sources = set(e.source for e in EXAMPLES)
    assert {'README.md', 'roles/sip_trunk/README.md', 'roles/voice_ai_cutover/README.md', 'tests/emulator/README.md',
            'docs/docsite/rst/guide_streamkit_cutover.rst', 'plugins/modules/exotel_number_mode.py'} <= sources
    modules = [name for name in os.listdir(os.path.join(ROOT, 'plugins', 'modules')) if name.endswith('.py')]
    assert len([e for e in EXAMPLES if e.source.startswith('plugins/modules/')]) == len(modules)

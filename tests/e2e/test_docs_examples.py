# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Every YAML example of the docs runs as written against the emulator (issue #30).

docs_examples.py finds them (README.md, the role READMEs, the emulator's README, the guides, every module's
EXAMPLES). Each runs through ansible-playbook, in a directory of its own (what it writes beside the playbook
stays there), against one emulator reset to its fixture before each example, with only the EXOTEL_*
variables for the connection: no other variable is defined unless a ``vars`` marker gives it, so a
``{{ exotel_sid }}`` that only works with extra set-up fails here. Module defaults: pacing on, default
retries. An example with a ``not-run`` marker is skipped with its reason; a rulebook without one fails.
"""

import os
import re
import subprocess
import sys

import pytest

from conftest import ACCOUNT, BIN, KEY, ROOT, TOKEN
from docs_examples import collect, playbook
from exotel_emulator import Emulator

EXAMPLES = collect()


@pytest.fixture(scope='module')
def shared_emulator():
    """One emulator for every example (each example starts from the fixture: see reset below)."""
    emu = Emulator().start()
    try:
        yield emu
    finally:
        emu.stop()


def run(item, emu, collections_path, work):
    (work / 'playbook.yml').write_text(playbook(item))
    (work / 'inventory.ini').write_text('localhost ansible_connection=local ansible_python_interpreter=%s\n' % sys.executable)
    env = dict((name, value) for name, value in os.environ.items() if not name.startswith(('EXOTEL_', 'ANSIBLE_')))
    env.update(ANSIBLE_COLLECTIONS_PATH=collections_path, ANSIBLE_ROLES_PATH=os.path.join(ROOT, 'roles'), ANSIBLE_NOCOLOR='1',
               ANSIBLE_RETRY_FILES_ENABLED='False', ANSIBLE_LOCAL_TEMP=str(work / 'tmp'), ANSIBLE_DEPRECATION_WARNINGS='False',
               PATH=BIN + os.pathsep + os.environ.get('PATH', ''),
               EXOTEL_API_URL=emu.url, EXOTEL_ACCOUNT_SID=ACCOUNT, EXOTEL_API_KEY=KEY, EXOTEL_API_TOKEN=TOKEN)
    command = [os.path.join(BIN, 'ansible-playbook'), '-i', 'inventory.ini', 'playbook.yml']
    for name, value in sorted(item.extra_vars.items()):
        command += ['-e', '%s=%s' % (name, value.replace('{emulator}', emu.url))]
    return subprocess.run(command, cwd=str(work), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env,
                          universal_newlines=True, timeout=600, check=False)


@pytest.mark.parametrize('item', EXAMPLES, ids=['%s:%d' % (e.source, e.line) for e in EXAMPLES])
def test_example_runs_as_written(item, shared_emulator, collections_path, tmp_path):
    assert item.kind != 'invalid', 'not valid YAML'
    if item.not_run:
        pytest.skip(item.not_run)
    assert item.kind != 'rulebook', 'a rulebook: ansible-playbook cannot run it; mark it "docs-test: not-run REASON"'
    if item.kind == 'data':
        return      # a vars file, an inventory, an event: valid YAML is all there is to check
    shared_emulator.reset()
    proc = run(item, shared_emulator, collections_path, tmp_path)
    recap = re.search(r'^localhost +: ok=\d+ +changed=\d+ +unreachable=(\d+) +failed=(\d+)', proc.stdout, re.M)
    assert proc.returncode == 0 and recap and recap.groups() == ('0', '0'), proc.stdout[-4000:]
    assert TOKEN not in proc.stdout
    if re.search(r'exotel\.trunking\.(exotel_|sip_trunk|voice_ai_cutover|apply|export)', item.text):
        # It did reach the emulator (with the EXOTEL_* credentials), not only skip its tasks.
        assert shared_emulator.requests_log(), proc.stdout[-4000:]


def test_every_source_is_searched():
    """The finder sees the blocks of each kind of source (a changed fence or directive would hide them)."""
    sources = set(e.source for e in EXAMPLES)
    assert {'README.md', 'roles/sip_trunk/README.md', 'roles/voice_ai_cutover/README.md', 'tests/emulator/README.md',
            'docs/docsite/rst/guide_streamkit_cutover.rst', 'plugins/modules/exotel_number_mode.py'} <= sources
    modules = [name for name in os.listdir(os.path.join(ROOT, 'plugins', 'modules')) if name.endswith('.py')]
    assert len([e for e in EXAMPLES if e.source.startswith('plugins/modules/')]) == len(modules)

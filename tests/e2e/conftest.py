# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""End-to-end fixtures: the local emulator in a thread, and real ansible-playbook runs against it."""

import json
import os
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, 'tests', 'emulator'))

from exotel_emulator import Emulator  # noqa: E402  pylint: disable=wrong-import-position
from exotel_emu.credentials import demo_credentials  # noqa: E402  pylint: disable=wrong-import-position

ACCOUNT, KEY, TOKEN = demo_credentials()
TRUNK = 'trmum1f708622631150902801a1n'
PAGED_TRUNK = 'trpaged0000000000000000000000001'
BIN = os.path.dirname(sys.executable)
ACTION_PLUGINS = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'action_plugins')


@pytest.fixture(scope='session')
def collections_path(tmp_path_factory):
    """An ansible_collections tree holding this repository as exotel.trunking."""
    base = tmp_path_factory.mktemp('collections')
    (base / 'ansible_collections' / 'exotel').mkdir(parents=True)
    os.symlink(ROOT, str(base / 'ansible_collections' / 'exotel' / 'trunking'))
    return str(base)


@pytest.fixture
def emulator():
    """A fresh emulator (rate limit off unless a test turns it on)."""
    emu = Emulator(rate_limit=0).start()
    try:
        yield emu
    finally:
        emu.stop()


def mapping_state(emu, number_id, trunk=TRUNK):
    """The mapping as the emulator holds it (the truth a task's report is checked against)."""
    for item in emu.store.trunks[trunk]['phone-numbers']:
        if item['id'] == number_id:
            return dict(item)
    return None


def writes(emu):
    return [e for e in emu.requests_log() if e['method'] in ('POST', 'PUT', 'DELETE')]


class PlayRun(object):
    def __init__(self, rc, output, results):
        self.rc = rc
        self.output = output
        self.results = results

    @property
    def result(self):
        assert len(self.results) == 1, self.results
        return list(self.results.values())[0]


@pytest.fixture
def play(collections_path, tmp_path):
    """Run one module task through ansible-playbook on localhost (or on ``hosts`` aliases of it).

    ``args``: the module's arguments (a dict, may hold Jinja). Every host's registered result is
    written with ``to_json`` into one file, by one task (``run_once``) of action_plugins/save_results.py,
    which runs no module, and returned as ``results[host]``. ``task_vars``: the task's ``vars`` (for a
    role run with ``module='ansible.builtin.include_role'``).
    """
    counter = [0]

    def run(args, module='exotel.trunking.exotel_number_mode', hosts=None, host_vars=None, forks=5,
            verbosity=0, env=None, check=False, diff=False, emulator_url=None, connection_args=True, task_vars=None):
        counter[0] += 1
        work = tmp_path / ('run%d' % counter[0])
        out = work / 'results'
        out.mkdir(parents=True)
        hosts = hosts or ['localhost']
        inventory = {'all': {'hosts': dict((h, dict(host_vars.get(h, {}) if host_vars else {},
                                                    ansible_connection='local', ansible_python_interpreter=sys.executable))
                                           for h in hosts)}}
        (work / 'inventory.json').write_text(json.dumps(inventory))
        task_args = dict(args)
        if connection_args:
            task_args.setdefault('api_url', emulator_url)
            task_args.setdefault('account_sid', ACCOUNT)
            task_args.setdefault('api_key', KEY)
            task_args.setdefault('api_token', TOKEN)
        under_test = {'name': 'Module under test', module: task_args, 'register': 'result', 'ignore_errors': True}
        if task_vars:
            under_test['vars'] = task_vars
        playbook = [{
            'name': 'e2e', 'hosts': 'all', 'gather_facts': False,
            'tasks': [
                under_test,
                {'name': 'Save the results', 'save_results': {
                    'content': "{{ dict(ansible_play_hosts | zip(ansible_play_hosts | map('extract', hostvars, 'result'))) | to_json }}",
                    'dest': str(out / 'results.json')},
                 'run_once': True, 'check_mode': False, 'diff': False},
            ],
        }]
        (work / 'play.json').write_text(json.dumps(playbook))
        command = [os.path.join(BIN, 'ansible-playbook'), '-i', str(work / 'inventory.json'), '-f', str(forks),
                   str(work / 'play.json')]
        if verbosity:
            command.append('-' + 'v' * verbosity)
        if check:
            command.append('--check')
        if diff:
            command.append('--diff')
        environment = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=collections_path, ANSIBLE_NOCOLOR='1',
                           ANSIBLE_HOST_KEY_CHECKING='False', ANSIBLE_RETRY_FILES_ENABLED='False',
                           ANSIBLE_LOCAL_TEMP=str(work / 'tmp'), ANSIBLE_DEPRECATION_WARNINGS='False', ANSIBLE_PIPELINING='True',
                           ANSIBLE_ACTION_PLUGINS=ACTION_PLUGINS,
                           PATH=BIN + os.pathsep + os.environ.get('PATH', ''))
        environment.update(env or {})
        proc = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=environment,
                              universal_newlines=True, timeout=600, check=False)
        results = {}
        if (out / 'results.json').exists():
            with open(str(out / 'results.json'), encoding='utf-8') as handle:
                results = json.load(handle)
        return PlayRun(proc.returncode, proc.stdout, results)
    return run

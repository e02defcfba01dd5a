# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""ansible-playbook runs of a play (the collection's roles, or a collection playbook) against the emulator, connected
by the EXOTEL_* variables as a user's shell would be: the environment, the run and its PLAY RECAP counts."""

import json
import os
import re
import subprocess

from conftest import ACCOUNT, BIN, KEY, TOKEN

RECAP = re.compile(r'^localhost +: ok=(\d+) +changed=(\d+) .*failed=(\d+)', re.M)


def environment(emulator, collections_path, work, account=ACCOUNT, key=KEY, token=TOKEN):
    """The environment of ansible-playbook: the collection, no colour, the emulator's URL and the account's credentials."""
    return dict(os.environ, ANSIBLE_COLLECTIONS_PATH=collections_path, ANSIBLE_NOCOLOR='1', ANSIBLE_RETRY_FILES_ENABLED='False',
                ANSIBLE_LOCAL_TEMP=str(work / 'tmp'), ANSIBLE_DEPRECATION_WARNINGS='False', ANSIBLE_PIPELINING='True',
                ANSIBLE_LOCALHOST_WARNING='False', ANSIBLE_PYTHON_INTERPRETER=os.path.join(BIN, 'python'),
                PATH=BIN + os.pathsep + os.environ.get('PATH', ''),
                EXOTEL_API_URL=emulator.url, EXOTEL_ACCOUNT_SID=account, EXOTEL_API_KEY=key, EXOTEL_API_TOKEN=token)


def run(emulator, collections_path, work, playbook, *args):
    """Run ``playbook`` (a path, or a collection playbook's name) on localhost: (process, {'ok', 'changed', 'failed'})."""
    proc = subprocess.run([os.path.join(BIN, 'ansible-playbook'), '-i', 'localhost,', '-c', 'local', str(playbook)] + list(args),
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=environment(emulator, collections_path, work),
                          universal_newlines=True, timeout=600, check=False)
    recap = RECAP.search(proc.stdout)
    assert recap, proc.stdout[-3000:]
    return proc, dict(zip(('ok', 'changed', 'failed'), map(int, recap.groups())))


def run_roles(emulator, collections_path, work, roles, *args):
    """Write a play of ``roles`` (dicts: role and vars) to ``work``/play.json, so that its playbook_dir is ``work``, and run it."""
    playbook = work / 'play.json'
    playbook.write_text(json.dumps([{'name': 'Roles under test', 'hosts': 'localhost', 'gather_facts': False, 'roles': roles}]))
    return run(emulator, collections_path, work, playbook, *args)

# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Benchmark of exotel_number_mode against the local emulator: requests and wall time.

Not a test: it prints figures. Run it with a python that has ansible-core and requests:

    python benchmarks/bench_number_mode.py            # or: make bench

Three tables:
1. one number: exotel_number_mode vs the ansible.builtin.uri tasks a user would write instead
   (lookup GET + conditional PUT), per task;
2. 200 numbers on a 2000-number trunk: a loop of single tasks vs one bulk task (``numbers``);
3. cost growth with the trunk size N = 100, 1000, 5000.

The emulator's rate limit and the module's pacing are off, so the figures show the collection's own
cost; with Exotel's 200 requests/minute, wall time is bounded below by requests / 200 minutes.
"""

import argparse
import json
import math
import os
import signal
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, 'tests', 'emulator'))

from exotel_emulator import Emulator  # noqa: E402  pylint: disable=wrong-import-position

ACCOUNT, KEY, TOKEN = 'bench_account', 'bench_key', 'bench_token_7Yq'
TRUNK = 'trbench000000000000000000000001'
PAGE_SIZE = 100          # what the collection asks for; the emulator's maximum
BIN = os.path.dirname(sys.executable)


def fixture(size):
    return {'accounts': [{'sid': ACCOUNT, 'api_key': KEY, 'api_token': TOKEN}],
            'trunks': [{'account_sid': ACCOUNT, 'trunk_sid': TRUNK, 'trunk_name': 'bench',
                        'phone_numbers': [{'generate': {'count': size, 'start_id': 100000, 'prefix': '+9180', 'digits': 8,
                                                        'mode': 'pstn'}}]}]}


def phone(index):
    return '+9180%08d' % index


class Bench(object):
    def __init__(self, work):
        self.work = work
        collections = os.path.join(work, 'collections')
        os.makedirs(os.path.join(collections, 'ansible_collections', 'exotel'))
        os.symlink(ROOT, os.path.join(collections, 'ansible_collections', 'exotel', 'trunking'))
        self.env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=collections, ANSIBLE_NOCOLOR='1', ANSIBLE_PIPELINING='True',
                        ANSIBLE_LOCALHOST_WARNING='False', ANSIBLE_INVENTORY_UNPARSED_WARNING='False',
                        ANSIBLE_PYTHON_INTERPRETER=sys.executable, PATH=BIN + os.pathsep + os.environ.get('PATH', ''))
        self.runs = 0

    def play(self, tasks, url, timeout=None):
        """Run tasks on localhost; return the wall seconds (None when stopped after ``timeout`` seconds)."""
        self.runs += 1
        for task in tasks:
            for key, value in list(task.items()):
                if key.startswith('exotel.trunking.'):
                    value.update(api_url=url, account_sid=ACCOUNT, api_key=KEY, api_token=TOKEN, rate_limit=0)
        path = os.path.join(self.work, 'play%d.json' % self.runs)
        with open(path, 'w', encoding='utf-8') as handle:
            json.dump([{'name': 'bench', 'hosts': 'localhost', 'connection': 'local', 'gather_facts': False,
                        'vars': {'url': url, 'auth': {'user': KEY, 'password': TOKEN}}, 'tasks': tasks}], handle)
        started = time.monotonic()
        proc = subprocess.Popen([os.path.join(BIN, 'ansible-playbook'), '-i', 'localhost,', path], env=self.env,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True,
                                start_new_session=True)
        try:
            output = proc.communicate(timeout=timeout)[0]
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGTERM)   # ansible-playbook and its workers
            proc.communicate()
            return None
        wall = time.monotonic() - started
        if proc.returncode != 0:
            raise SystemExit('benchmark play failed:\n' + output[-3000:])
        return wall

    def measure(self, size, tasks):
        """(wall seconds, API requests, writes) of one play against a fresh emulator with ``size`` numbers."""
        with Emulator(fixture=fixture(size), rate_limit=0) as emu:
            wall = self.play(tasks(emu.url), emu.url)
            log = emu.requests_log()
            return wall, len(log), len([e for e in log if e['method'] == 'PUT'])


def module_task(index):
    return {'name': 'switch', 'exotel.trunking.exotel_number_mode': {
        'trunk_sid': TRUNK, 'phone_number': phone(index), 'mode': 'flow'}}


def uri_tasks(index):
    """What a user writes without the collection: look the number up, PUT when the mode differs."""
    base = '{{ url }}/v2/accounts/%s' % ACCOUNT
    return [
        {'name': 'look up', 'register': 'found', 'ansible.builtin.uri': {
            'url': base + '/trunk-maps?exophone=%s&trunk_sid=%s' % (phone(index).replace('+', '%2B'), TRUNK),
            'url_username': '{{ auth.user }}', 'url_password': '{{ auth.password }}', 'force_basic_auth': True}},
        {'name': 'switch when needed', 'when': "found.json.response.data.mode != 'flow'", 'ansible.builtin.uri': {
            'url': base + '/trunks/%s/phone-numbers/{{ found.json.response.data.phone_number_id }}' % TRUNK,
            'method': 'PUT', 'body_format': 'json', 'body': {'phone_number': phone(index), 'mode': 'flow'},
            'url_username': '{{ auth.user }}', 'url_password': '{{ auth.password }}', 'force_basic_auth': True}},
    ]


def loop_tasks(count):
    return [{'name': 'switch in a loop', 'loop': [phone(i) for i in range(count)],
             'exotel.trunking.exotel_number_mode': {'trunk_sid': TRUNK, 'phone_number': '{{ item }}', 'mode': 'flow'}}]


def bulk_tasks(count):
    return [{'name': 'switch in one task', 'exotel.trunking.exotel_number_mode': {
        'trunk_sid': TRUNK, 'mode': 'flow', 'numbers': [{'phone_number': phone(i)} for i in range(count)]}}]


def table(title, header, rows):
    print('\n' + title)
    widths = [max(len(str(r[i])) for r in [header] + rows) for i in range(len(header))]
    for row in [header, ['-' * w for w in widths]] + rows:
        print('| ' + ' | '.join(str(c).ljust(w) for c, w in zip(row, widths)) + ' |')


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n', maxsplit=1)[0])
    parser.add_argument('--trunk', type=int, default=2000, help='numbers on the trunk for the 200-number cutover')
    parser.add_argument('--count', type=int, default=200, help='numbers switched in the cutover')
    parser.add_argument('--sizes', default='100,1000,5000', help='trunk sizes for the growth table')
    options = parser.parse_args()
    work = tempfile.mkdtemp(prefix='exotel-bench.')
    bench = Bench(work)
    reps = 5

    # 1. One number, per task (average of a few runs, each a fresh change).
    rows = []
    for label, tasks, task_count in (('exotel_number_mode', lambda url: [module_task(i) for i in range(reps)], 1),
                                     ('ansible.builtin.uri (GET + PUT)', lambda url: sum((uri_tasks(i) for i in range(reps)), []), 2)):
        wall, requests, writes = bench.measure(options.trunk, tasks)
        rows.append([label, task_count, '%.2f s' % (wall / reps), '%.1f' % (float(requests) / reps), writes // reps])
    rerun_wall, rerun_requests, rerun_writes = bench.measure(options.trunk, lambda url: [module_task(0), module_task(0)])
    table('1. One number on a %d-number trunk (per number, averaged over %d)' % (options.trunk, reps),
          ['how', 'tasks', 'wall / number', 'requests / number', 'writes / number'], rows)
    print('   exotel_number_mode, the same number twice (a change, then a re-run): %d requests, %d write, %.2f s'
          % (rerun_requests, rerun_writes, rerun_wall))

    # 2. K numbers on an N-number trunk: loop vs bulk.
    minimal = int(math.ceil(options.trunk / float(PAGE_SIZE))) + options.count
    loop_wall, loop_requests, loop_writes = bench.measure(options.trunk, lambda url: loop_tasks(options.count))
    bulk_wall, bulk_requests, bulk_writes = bench.measure(options.trunk, lambda url: bulk_tasks(options.count))
    table('2. %d numbers on a %d-number trunk (minimal requests = ceil(%d/%d) + %d = %d)' % (
        options.count, options.trunk, options.trunk, PAGE_SIZE, options.count, minimal),
        ['how', 'wall', 'requests', 'writes', 'requests / minimal', 'speed-up'],
        [['loop of %d single tasks' % options.count, '%.1f s' % loop_wall, loop_requests, loop_writes,
          '%.2f' % (float(loop_requests) / minimal), '1.0x'],
         ['one bulk task (numbers)', '%.1f s' % bulk_wall, bulk_requests, bulk_writes,
          '%.2f' % (float(bulk_requests) / minimal), '%.1fx' % (loop_wall / bulk_wall)]])

    # 3. Growth with the trunk size.
    rows = []
    for size in [int(s) for s in options.sizes.split(',')]:
        one_wall, one_requests, dummy = bench.measure(size, lambda url, last=size - 1: [module_task(last)])
        k = max(1, size // 10)
        many_wall, many_requests, dummy = bench.measure(size, lambda url, k=k: bulk_tasks(k))
        rows.append([size, '%.2f s' % one_wall, one_requests, k, '%.2f s' % many_wall, many_requests,
                     int(math.ceil(size / float(PAGE_SIZE))) + k])
    table('3. Cost growth with the trunk size N (one number = the last one on the trunk; bulk = N/10 numbers)',
          ['N', 'one number: wall', 'requests', 'bulk K', 'bulk: wall', 'requests', 'minimal'], rows)
    print('\nansible-core %s, Python %s; emulator rate limit and module pacing off.' % (
        subprocess.check_output([os.path.join(BIN, 'ansible'), '--version'], universal_newlines=True).split('\n', maxsplit=1)[0],
        sys.version.split()[0]))


if __name__ == '__main__':
    main()

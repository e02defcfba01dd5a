# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Benchmark of the sip_trunk role's numbers against the local emulator: requests and wall time.

Not a test: it prints a table. Run it with a python that has ansible-core and requests:

    python benchmarks/bench_sip_trunk.py              # or: make bench

For a trunk of N numbers (N = 200 and 2000 by default): the role (one exotel_trunk_number task with
``numbers``) against the per-number loop it replaced (exotel_trunk then a loop of single-form
exotel_trunk_number tasks), each on a first converge (a new trunk) and on a re-run. A play that
runs longer than ``--cap`` seconds is stopped; its row then shows what it did by then and the
figures extrapolated to N. The emulator's rate limit and the modules' pacing are off.
"""

import argparse
import math
import os
import subprocess
import sys
import tempfile

from bench_number_mode import ACCOUNT, BIN, KEY, TOKEN, TRUNK, Bench, Emulator, table

NAME = 'bench'


def mode(index):
    return 'flow' if index % 2 else 'pstn'


def numbers(size):
    return [{'phone_number': '+9180%08d' % i, 'mode': mode(i)} for i in range(size)]


def fixture(size):
    """The account; with ``size``, the trunk already converged (what a re-run starts from)."""
    trunks = []
    if size:
        trunks = [{'account_sid': ACCOUNT, 'trunk_sid': TRUNK, 'trunk_name': NAME, 'phone_numbers': [
            {'generate': {'count': size, 'start_id': 100000, 'prefix': '+9180', 'digits': 8, 'modes': ['pstn', 'flow']}}]}]
    return {'accounts': [{'sid': ACCOUNT, 'api_key': KEY, 'api_token': TOKEN}], 'trunks': trunks}


def role_tasks(size, url):
    return [{'name': 'the role', 'ansible.builtin.include_role': {'name': 'exotel.trunking.sip_trunk'}, 'vars': {
        'sip_trunk_definition': {'name': NAME, 'numbers': numbers(size)},
        'sip_trunk_connection': {'api_url': url, 'account_sid': ACCOUNT, 'api_key': KEY, 'api_token': TOKEN,
                                 'rate_limit': 0}}}]


def loop_tasks(size, url):
    """What the role did before: the trunk, then one exotel_trunk_number task per number."""
    single = {'trunk_sid': '{{ trunk.trunk.trunk_sid }}', 'phone_number': '{{ item.phone_number }}', 'mode': '{{ item.mode }}'}
    return [{'name': 'trunk', 'register': 'trunk', 'exotel.trunking.exotel_trunk': {'trunk_name': NAME}},
            {'name': 'one task per number', 'loop': numbers(size), 'loop_control': {'label': '{{ item.phone_number }}'},
             'exotel.trunking.exotel_trunk_number': single}]


def measure(bench, size, tasks, converged, cap):
    """One play on a fresh emulator: ``(wall, requests, writes, numbers done)``; wall None when capped."""
    with Emulator(fixture=fixture(size if converged else 0), rate_limit=0) as emu:
        wall = bench.play(tasks(size, emu.url), emu.url, timeout=cap)
        log = emu.requests_log()
        done = len([e for e in log if e['path'].endswith('/phone-numbers') or e['path'].endswith('/trunk-maps')])
        return wall, len(log), len([e for e in log if e['method'] != 'GET']), done


def loop_cells(size, figures, cap, per_number):
    """Wall and requests of the loop; when it was stopped, what it did and the figures extrapolated to N."""
    wall, requests, dummy, done = figures
    if wall is not None:
        return ['%.1f s' % wall, str(requests)]
    part = max(1, done // per_number)
    return ['~%.0f s (stopped at %d s after %d of %d numbers, extrapolated)' % (cap * size / float(part), cap, part, size),
            '~%d (%d sent, extrapolated)' % (requests * size / float(part), requests)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n', maxsplit=1)[0])
    parser.add_argument('--sizes', default='200,2000', help='trunk sizes N')
    parser.add_argument('--cap', type=int, default=180, help='stop a play after this many seconds (the per-number loop)')
    options = parser.parse_args()
    bench = Bench(tempfile.mkdtemp(prefix='exotel-bench-role.'))
    rows = []
    for size in [int(s) for s in options.sizes.split(',')]:
        pages = int(math.ceil(size / 100.0))
        # run, converged before?, the target, what one number costs the loop (a lookup and a POST; a lookup)
        runs = (('first converge', False, size + pages + 15, 2), ('re-run', True, pages + 10, 1))
        for run, converged, target, per_number in runs:
            wall, requests, writes, dummy = measure(bench, size, role_tasks, converged, None)
            loop = loop_cells(size, measure(bench, size, loop_tasks, converged, options.cap), options.cap, per_number)
            rows.append([size, run, requests, writes, '%.1f s' % wall, '<= %d' % target] + loop)
    table('The sip_trunk role\'s numbers on a trunk of N: one task (numbers) vs the per-number loop it replaced',
          ['N', 'run', 'role: requests', 'writes', 'wall', 'target', 'per-number loop: wall', 'requests'], rows)
    print('\nansible-core %s, Python %s; emulator rate limit and module pacing off.' % (
        subprocess.check_output([os.path.join(BIN, 'ansible'), '--version'], universal_newlines=True).split('\n', maxsplit=1)[0],
        sys.version.split()[0]))


if __name__ == '__main__':
    main()

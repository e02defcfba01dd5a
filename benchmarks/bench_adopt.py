# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Benchmark of adopting an account as code: exotel.trunking.export, then exotel.trunking.apply of the unchanged export.

Not a test: it prints a table. Run it with a python that has ansible-core and requests:

    python benchmarks/bench_adopt.py                 # or: make bench

An account of 20 trunks, 10,000 numbers (500 a trunk) and 1,000 ExoPhones on the local emulator with its rate limit
off; the modules keep their defaults (pacing on). For each playbook: the requests (export: the minimal count of
exotel_account_info's formula; apply: reads only), the wall time, and the time Exotel's rate limits would impose on
those requests (200 a minute for the trunk API, 50 a minute for the ExoPhone API: each minute's budget is spent at
once, so n requests of a family wait ceil(n / limit) - 1 minutes).
"""

import argparse
import math
import os
import subprocess
import sys
import tempfile
import time

from bench_number_mode import BIN, KEY, TOKEN, Bench, Emulator, table

ACCOUNT = 'bench_account'
LIMITS = {'trunk API': 200, 'ExoPhone API': 50}


def fixture(trunks, numbers, exophones):
    per_trunk = numbers // trunks
    lines = [{'sid': 'exo%05d' % i, 'phone_number': '+9180%08d' % i, 'friendly_name': 'Line %d' % i,
              'voice_url': 'https://my.exotel.com/%s/exoml/start_voice/%d' % (ACCOUNT, 200000 + i % 7)}
             for i in range(exophones)]
    return {'accounts': [{'sid': ACCOUNT, 'api_key': KEY, 'api_token': TOKEN, 'incoming_phone_numbers': lines}],
            'trunks': [{'account_sid': ACCOUNT, 'trunk_sid': 'trbench%025d' % t, 'trunk_name': 'bench_%02d' % t,
                        'phone_numbers': [{'generate': {'count': per_trunk, 'start_id': 100000 + t * per_trunk,
                                                        'prefix': '+9180', 'digits': 8, 'first': t * per_trunk,
                                                        'modes': ['pstn', 'flow', None]}}],
                        'whitelisted_ips': [{'id': str(900 + t), 'ip': '203.0.113.%d' % (t + 1), 'mask': 32}],
                        'destination_uris': [{'id': str(950 + t), 'destination': 'sip:sbc%d.example.com:5061;transport=tls' % t}],
                        'credentials': [{'id': str(990 + t), 'user_name': 'pbx_%d' % t, 'password': 'Pw_%d' % t}],
                        'settings': [{'id': str(1990 + t), 'name': 'trunk_external_alias', 'value': '+9180%08d' % (t * per_trunk)}]}
                       for t in range(trunks)]}


def run(bench, name, emu, directory):
    env = dict(bench.env, EXOTEL_ACCOUNT_SID=ACCOUNT, EXOTEL_API_KEY=KEY, EXOTEL_API_TOKEN=TOKEN, EXOTEL_API_URL=emu.url)
    started = time.monotonic()
    proc = subprocess.run([os.path.join(BIN, 'ansible-playbook'), 'exotel.trunking.' + name, '-i', 'localhost,',
                           '-e', 'exotel_export_dir=' + directory], env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, universal_newlines=True, check=False)
    wall = time.monotonic() - started
    if proc.returncode != 0:
        raise SystemExit('benchmark play %s failed:\n%s' % (name, proc.stdout[-3000:]))
    return wall


def imposed(log):
    """Seconds Exotel's rate limits would add to these requests (see the module docstring)."""
    counts = {'trunk API': len([e for e in log if not e['path'].startswith('/v2_beta/')]),
              'ExoPhone API': len([e for e in log if e['path'].startswith('/v2_beta/')])}
    return sum(max(0, math.ceil(n / float(LIMITS[f])) - 1) * 60 for f, n in counts.items()), counts


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n', maxsplit=1)[0])
    parser.add_argument('--trunks', type=int, default=20)
    parser.add_argument('--numbers', type=int, default=10000)
    parser.add_argument('--exophones', type=int, default=1000)
    options = parser.parse_args()
    work = tempfile.mkdtemp(prefix='exotel-bench-adopt.')
    bench = Bench(work)
    directory = os.path.join(work, 'account')
    rows = []
    with Emulator(fixture=fixture(options.trunks, options.numbers, options.exophones), rate_limit=0) as emu:
        for name in ('export', 'apply'):
            start = len(emu.requests_log())
            wall = run(bench, name, emu, directory)
            log = emu.requests_log()[start:]
            wait, counts = imposed(log)
            writes = len([e for e in log if e['method'] != 'GET'])
            rows.append([name + (' (unchanged)' if name == 'apply' else ''), len(log),
                         '%d + %d' % (counts['trunk API'], counts['ExoPhone API']), writes, '%.1f s' % wall,
                         '%d s' % wait])
    table('Adopt: %d trunks, %d numbers, %d ExoPhones (emulator rate limit off, module defaults)' % (
        options.trunks, options.numbers, options.exophones),
        ['playbook', 'requests', 'trunk API + ExoPhone API', 'writes', 'wall', 'wait Exotel\'s limits would add'], rows)
    print('   export minimal count: 1 + %d x (%d + 4) + %d = %d requests (exotel_account_info\'s formula)' % (
        options.trunks, math.ceil(options.numbers / options.trunks / 100.0), math.ceil(options.exophones / 100.0),
        1 + options.trunks * (math.ceil(options.numbers / options.trunks / 100.0) + 4) + math.ceil(options.exophones / 100.0)))


if __name__ == '__main__':
    sys.exit(main())

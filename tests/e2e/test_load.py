# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Load: 60 numbers switched by one play with forks 20 against the emulator with its rate limit on.

The emulator's limit is set to 100 requests per minute, half Exotel's documented 200, so that the
cutover (a lookup and a PUT per number: 120 requests) must ride out HTTP 429 answers and their
Retry-After. Then an idempotent re-run, with the limit lifted to keep the suite short.
"""

import time

from conftest import PAGED_TRUNK

COUNT = 60


def test_sixty_numbers_with_twenty_forks_under_the_rate_limit(emulator, play):
    emulator.config['rate_limit'] = 100
    numbers = sorted(emulator.store.trunks[PAGED_TRUNK]['phone-numbers'], key=lambda m: int(m['id']))[:COUNT]
    hosts = ['n%02d' % i for i in range(COUNT)]
    host_vars = dict((h, {'number': m['phone_number']}) for h, m in zip(hosts, numbers))
    before = dict((m['phone_number'], m['mode']) for m in numbers)
    args = {'trunk_sid': PAGED_TRUNK, 'phone_number': '{{ number }}', 'mode': '{{ wanted }}'}

    figures = []
    for limit in (100, 0):                        # cutover under the limit, then an idempotent re-run
        wanted = 'flow'
        emulator.config['rate_limit'] = limit
        log_start = len(emulator.requests_log())
        started = time.monotonic()
        run = play(dict(args, mode=wanted), hosts=hosts, host_vars=host_vars, forks=20, emulator_url=emulator.url)
        wall = time.monotonic() - started
        log = emulator.requests_log()[log_start:]
        assert len(run.results) == COUNT, run.output[-3000:]
        failed = [(h, r.get('msg')) for h, r in run.results.items() if r.get('failed')]
        assert failed == []
        state = dict((m['phone_number'], m['mode']) for m in emulator.store.trunks[PAGED_TRUNK]['phone-numbers'])
        for host, result in run.results.items():
            phone = host_vars[host]['number']
            assert state[phone] == wanted
            assert result['mapping']['mode'] == state[phone]
        # No task reports a change that did not happen: every "changed" has its PUT, and no other PUT was sent.
        changed = sorted(host_vars[h]['number'] for h, r in run.results.items() if r['changed'])
        puts = [e for e in log if e['method'] == 'PUT' and e['status'] == 200]
        assert len([e for e in log if e['method'] == 'PUT']) == len(puts) + len([e for e in log if e['method'] == 'PUT' and e['status'] == 429])
        assert len(puts) == len(changed)
        if not figures:
            assert changed == sorted(p for p, mode in before.items() if mode != 'flow')
        else:
            assert changed == []
        throttled = len([e for e in log if e['status'] == 429])
        figures.append((limit, wall, len(log), throttled, len(changed)))
    assert figures[0][3] > 0, 'the cutover never met the rate limit: the test proves nothing about 429s'
    print('\nload: 60 numbers to flow in one play, forks 20')
    for limit, wall, requests, throttled, changed in figures:
        print('  emulator limit %-3s/min  wall %5.1fs  requests %3d  429s %3d  changed %2d' % (
            limit or 'off', wall, requests, throttled, changed))

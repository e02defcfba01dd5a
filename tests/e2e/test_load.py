# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Load: 60 numbers switched by one play with forks 20 against the emulator with its rate limit on.

Every other number is already in the requested mode, so one play checks both halves of idempotency under
the same load: the 30 that differ get their PUT, the 30 that do not get none and report no change. The
emulator's limit is 50 requests per minute, a quarter of Exotel's documented 200, so that the play (a
lookup for every number and a PUT for half of them: 90 requests) must ride out HTTP 429 answers and their
Retry-After, and a number already in its mode is also read back through them. Pacing and retries are the
modules' defaults.
"""

import time

from conftest import PAGED_TRUNK

COUNT = 60
LIMIT = 50


def test_sixty_numbers_with_twenty_forks_under_the_rate_limit(emulator, play):
    numbers = sorted(emulator.store.trunks[PAGED_TRUNK]['phone-numbers'], key=lambda m: int(m['id']))[:COUNT]
    with emulator.lock:
        for mapping in numbers[1::2]:
            mapping['mode'] = 'flow'
    emulator.config['rate_limit'] = LIMIT
    hosts = ['n%02d' % i for i in range(COUNT)]
    host_vars = dict((h, {'number': m['phone_number']}) for h, m in zip(hosts, numbers))
    before = dict((m['phone_number'], m['mode']) for m in numbers)
    args = {'trunk_sid': PAGED_TRUNK, 'phone_number': '{{ number }}', 'mode': 'flow'}

    started = time.monotonic()
    run = play(args, hosts=hosts, host_vars=host_vars, forks=20, emulator_url=emulator.url)
    wall = time.monotonic() - started
    log = emulator.requests_log()
    assert len(run.results) == COUNT, run.output[-3000:]
    assert [(h, r.get('msg')) for h, r in run.results.items() if r.get('failed')] == []
    state = dict((m['phone_number'], m['mode']) for m in emulator.store.trunks[PAGED_TRUNK]['phone-numbers'])
    for host, result in run.results.items():
        phone = host_vars[host]['number']
        assert state[phone] == 'flow'
        assert result['mapping']['mode'] == 'flow'
    # No task reports a change that did not happen: every "changed" has its PUT, and no other PUT was sent.
    changed = sorted(host_vars[h]['number'] for h, r in run.results.items() if r['changed'])
    assert changed == sorted(p for p, mode in before.items() if mode != 'flow') and len(changed) == COUNT // 2
    put = [e for e in log if e['method'] == 'PUT']
    assert sorted(e['json']['phone_number'] for e in put if e['status'] == 200) == changed
    assert len(put) == len(changed) + len([e for e in put if e['status'] == 429])
    throttled = len([e for e in log if e['status'] == 429])
    assert throttled > 0, 'the play never met the rate limit: the test proves nothing about 429s'
    # Not even a throttled PUT for a number that was already in flow.
    assert [e for e in put if e['json']['phone_number'] not in changed] == []
    print('\nload: 60 numbers to flow in one play, forks 20, 30 of them already in flow')
    print('  emulator limit %s/min  wall %5.1fs  requests %3d  429s %3d  changed %2d' % (LIMIT, wall, len(log), throttled, len(changed)))

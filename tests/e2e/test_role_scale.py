# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The sip_trunk role on a trunk of N = 200 numbers: a handful of requests beyond one write per number.

Targets (issue #15): the first converge sends at most N + ceil(N/100) + 15 requests; a re-run at
most ceil(N/100) + 10 and no write. Requests are counted in the emulator's log (the emulator's rate limit and the modules' pacing off).
"""

import math

from conftest import ACCOUNT, KEY, TOKEN, writes

N = 200
NAME = 'e2e_scale_trunk'


def definition(count):
    return {'name': NAME, 'purge': True,
            'numbers': [{'phone_number': '+91806%07d' % i, 'mode': 'flow' if i % 2 else 'pstn'} for i in range(count)],
            'acl': [{'ip': '203.0.113.10'}],
            'destinations': [{'destination': '203.0.113.10:5061;transport=tls'}],
            'alias': '+918060000000'}


def converge(play, emulator):
    task_vars = {'sip_trunk_definition': definition(N),
                 'sip_trunk_connection': {'api_url': emulator.url, 'account_sid': ACCOUNT, 'api_key': KEY,
                                          'api_token': TOKEN, 'rate_limit': 0}}
    start = len(emulator.requests_log())
    run = play({'name': 'exotel.trunking.sip_trunk'}, module='ansible.builtin.include_role', connection_args=False,
               task_vars=task_vars)
    assert run.rc == 0, run.output[-3000:]
    return emulator.requests_log()[start:]


def test_role_converges_200_numbers_in_a_handful_of_requests(emulator, play):
    pages = int(math.ceil(N / 100.0))
    first = converge(play, emulator)
    number_writes = [e for e in first if e['method'] == 'POST' and e['path'].endswith('/phone-numbers')]
    assert len(number_writes) == N                       # one POST per number, never twice
    assert len(first) <= N + pages + 15, len(first)
    trunk = [t for t in emulator.store.trunks.values() if t['trunk']['trunk_name'] == NAME][0]
    modes = dict((m['phone_number'], m['mode']) for m in trunk['phone-numbers'])
    assert modes == dict((n['phone_number'], n['mode']) for n in definition(N)['numbers'])

    before = len(writes(emulator))
    again = converge(play, emulator)
    assert len(writes(emulator)) == before                # zero writes on a re-run
    assert len(again) <= pages + 10, len(again)
    assert len([e for e in again if e['path'].endswith('/phone-numbers')]) == pages   # the numbers are read once
    assert [e for e in again if e['method'] != 'GET'] == []

# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""End to end: ansible-rulebook runs extensions/eda/rulebooks/call_failover.yml against the emulator's call traffic
and a fake bot, under the sources' and modules' default options except the times.

The emulator's call world runs 60 times as fast as the clock (a window of two minutes is the calls of
the last two seconds). The bot's flow fails a share of calls near the threshold: nothing moves. It fails
most calls and its health URL goes down: the numbers go to the PSTN. Their calls complete there, which
says nothing about the bot: they stay while its health check is down. The bot heals: after the hold-down
they go back. Exactly two writes per number. Every wait polls with a deadline.
"""

import json
import os
import re
import sys
import time

import pytest

from conftest import ACCOUNT, KEY, TOKEN, TRUNK, wait_for
from test_failover_e2e import Rulebook, recap_counts

BIN = os.path.dirname(sys.executable)
NUMBERS = ['+918040264209', '+918040264208']
CALLS = '/v1/Accounts/%s/Calls.json' % ACCOUNT
WINDOW = 2              # minutes of the call world: two seconds
POLL = 0.5
BOT_INTERVAL = 0.2
# Healthy checks in a row before going back: 8 seconds, longer than a playbook run takes, so a rulebook
# that went back on the first healthy check would be caught by the timing assertion.
HOLD_DOWN = 40
SWITCH_BOUND = 40

pytestmark = pytest.mark.skipif(not os.path.exists(os.path.join(BIN, 'ansible-rulebook')),
                                reason='ansible-rulebook is not installed (the eda nox session sets it up)')


def modes(emu):
    with emu.lock:
        state = dict((m['phone_number'], m['mode']) for m in emu.store.trunks[TRUNK]['phone-numbers'])
    return [state[p] for p in NUMBERS]


def puts(emu):
    return [e for e in emu.requests_log() if e['method'] in ('PUT', 'POST', 'DELETE')]


def reads(emu):
    return len([e for e in emu.requests_log() if e['path'] == CALLS])


def bot_flow(emu, failed):
    """The share of calls the bot's flow fails from now on (calls last 5 to 10 s of the call world)."""
    with emu.lock:
        emu.traffic.advance(emu.store)
        emu.traffic.configure({'routes': {'flow': {'failed': failed, 'duration': [5, 10]}, 'pstn': {'duration': [5, 10]}}})


def polls_pass(emu, count, what):
    base = reads(emu)
    wait_for(lambda: reads(emu) >= base + count, 30, what)


def test_calls_fail_over_to_pstn_and_back_only_when_the_bot_is_up(emulator, fake_bot, collections_path, tmp_path):
    with emulator.lock:
        for mapping in emulator.store.trunks[TRUNK]['phone-numbers']:
            if mapping['phone_number'] in NUMBERS:
                mapping['mode'] = 'flow'          # both numbers are on the bot
        emulator.traffic.configure({'clock_factor': 60})
    bot_flow(emulator, 0)
    with emulator.lock:
        emulator.traffic.add_stream(emulator.store, {'numbers': NUMBERS, 'calls_per_minute': 20, 'backfill_minutes': WINDOW})

    (tmp_path / 'inventory.yml').write_text(json.dumps({'all': {'hosts': {'localhost': {
        'ansible_connection': 'local', 'ansible_python_interpreter': sys.executable}}}}))
    (tmp_path / 'vars.yml').write_text(json.dumps({
        'exotel_failover_bot_url': fake_bot.url, 'exotel_failover_trunk_sid': TRUNK, 'exotel_failover_numbers': NUMBERS,
        'exotel_failover_window': WINDOW, 'exotel_failover_poll': POLL, 'exotel_failover_interval': BOT_INTERVAL,
        'exotel_failover_timeout': 1, 'exotel_failover_hold_down': HOLD_DOWN}))
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=collections_path, ANSIBLE_NOCOLOR='1', ANSIBLE_LOCAL_TEMP=str(tmp_path / 'tmp'),
               ANSIBLE_DEPRECATION_WARNINGS='False', PATH=BIN + os.pathsep + os.environ.get('PATH', ''),
               EXOTEL_ACCOUNT_SID=ACCOUNT, EXOTEL_API_KEY=KEY, EXOTEL_API_TOKEN=TOKEN, EXOTEL_API_URL=emulator.url)
    env.pop('EXOTEL_REGION', None)
    rulebook = Rulebook([os.path.join(BIN, 'ansible-rulebook'), '-r', 'exotel.trunking.call_failover',
                         '-i', str(tmp_path / 'inventory.yml'), '--vars', str(tmp_path / 'vars.yml')],
                        env, str(tmp_path / 'rulebook.log'))
    try:
        # 1. Healthy calls, healthy bot: the sources run and nothing happens.
        wait_for(lambda: rulebook.check_alive() or reads(emulator) >= 5, 90, 'the first reads of the calls')
        assert (rulebook.recaps(), puts(emulator)) == ([], [])

        # 2. The bot's flow fails a fifth of the calls, near the threshold of 0.3: still nothing.
        bot_flow(emulator, 0.2)
        polls_pass(emulator, 10, 'ten polls while the failure ratio hovers below the threshold')
        assert (rulebook.recaps(), puts(emulator), modes(emulator)) == ([], [], ['flow', 'flow'])

        # 3. The bot fails most calls and its health URL goes down: the calls' outcomes move the numbers to pstn.
        bot_flow(emulator, 0.6)
        fake_bot.stop()
        wait_for(lambda: modes(emulator) == ['pstn', 'pstn'], SWITCH_BOUND, 'the numbers to reach pstn')
        wait_for(lambda: len(rulebook.recaps()) >= 1, 60, 'the pstn playbook run to finish')
        assert (recap_counts(rulebook.recaps()[0])['changed'], recap_counts(rulebook.recaps()[0])['failed']) == (1, 0)
        assert sorted((w['method'], w['json']['phone_number'], w['json']['mode']) for w in puts(emulator)) == [
            ('PUT', '+918040264208', 'pstn'), ('PUT', '+918040264209', 'pstn')]
        assert re.search(r'Calls degraded, \d+ of \d+ failed: routing 2 number\(s\) of %s to pstn' % TRUNK, rulebook.output())

        # 4. On the PSTN their calls complete: the source reports recovered, but the bot is still down, so they stay.
        wait_for(lambda: 'Calls to the numbers complete again' in rulebook.output(), 60, 'the recovered event')
        polls_pass(emulator, 6, 'more polls with the calls healthy and the bot down')
        assert (len(rulebook.recaps()), len(puts(emulator)), modes(emulator)) == (1, 2, ['pstn', 'pstn'])

        # 5. The bot heals: its flow answers and its health URL is up; after the hold-down the numbers go back.
        bot_flow(emulator, 0)
        healed = time.monotonic()
        fake_bot.start()
        wait_for(lambda: modes(emulator) == ['flow', 'flow'], SWITCH_BOUND, 'the numbers to return to flow')
        assert time.monotonic() - healed >= (HOLD_DOWN - 1) * BOT_INTERVAL
        wait_for(lambda: len(rulebook.recaps()) >= 2, 60, 'the flow playbook run to finish')
        assert recap_counts(rulebook.recaps()[1])['changed'] == 1

        # Steady: more polls and checks, no more writes.
        polls_pass(emulator, 6, 'more polls once back on the bot')
        writes = puts(emulator)
        output = rulebook.output()
        assert len(rulebook.recaps()) == 2
    finally:
        rulebook.stop()
    # Exactly two writes per number: to pstn, then back to flow.
    assert [w['json']['mode'] for w in writes] == ['pstn', 'pstn', 'flow', 'flow']
    assert sorted((w['method'], w['json']['phone_number'], w['json']['mode']) for w in writes) == [
        ('PUT', '+918040264208', 'flow'), ('PUT', '+918040264208', 'pstn'),
        ('PUT', '+918040264209', 'flow'), ('PUT', '+918040264209', 'pstn')]
    assert TOKEN not in output
    callers = {c['from'] for c in emulator.traffic.dump()}
    assert not any(c[3:] in output for c in callers)
    assert {e['user'] for e in emulator.requests_log()} == {KEY}

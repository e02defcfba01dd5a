# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""End to end: ansible-rulebook runs extensions/eda/rulebooks/bot_failover.yml against the emulator and a fake bot.

The bot goes down (its port closes): the numbers reach pstn within a bound; it comes back: they return to
flow; while it flaps faster than the debounce, nothing is switched. Every wait polls with a deadline.
"""

import json
import os
import re
import signal
import subprocess
import sys
import time

import pytest

from conftest import ACCOUNT, KEY, PAGED_TRUNK, TOKEN, TRUNK, wait_for

BIN = os.path.dirname(sys.executable)
INTERVAL = 0.2
FAILURES = 3
SUCCESSES = 3
# Bot down -> numbers on pstn: the debounce (FAILURES checks) plus one ansible-playbook run.
SWITCH_BOUND = 30
COUNT = 5

pytestmark = pytest.mark.skipif(not os.path.exists(os.path.join(BIN, 'ansible-rulebook')),
                                reason='ansible-rulebook is not installed (the eda nox session sets it up)')


def modes(emu, phones):
    with emu.lock:
        state = dict((m['phone_number'], m['mode']) for m in emu.store.trunks[PAGED_TRUNK]['phone-numbers'])
    return [state[p] for p in phones]


def puts(emu):
    return [e for e in emu.requests_log() if e['method'] in ('PUT', 'POST', 'DELETE')]


class Rulebook(object):
    """ansible-rulebook in its own process group, its output in a file."""

    def __init__(self, command, env, log):
        self.log = log
        self.handle = open(log, 'w', encoding='utf-8')  # pylint: disable=consider-using-with
        self.proc = subprocess.Popen(command, stdout=self.handle, stderr=subprocess.STDOUT, env=env,  # pylint: disable=consider-using-with
                                     start_new_session=True)

    def output(self):
        with open(self.log, encoding='utf-8') as handle:
            return handle.read()

    def recaps(self):
        """The recap line of every playbook run that has finished, in order."""
        self.check_alive()
        return re.findall(r'^localhost\s+:\s+(ok=.*)$', self.output(), re.M)

    def check_alive(self):
        if self.proc.poll() is not None:
            raise AssertionError('ansible-rulebook exited with %s:\n%s' % (self.proc.returncode, self.output()[-4000:]))

    def stop(self):
        """End ansible-rulebook and everything it started (its process group)."""
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(10)
        try:
            os.killpg(self.proc.pid, 0)
        except ProcessLookupError:
            pass
        else:   # a child outlived the leader
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.handle.close()


def recap_counts(line):
    return dict((k, int(v)) for k, v in re.findall(r'(\w+)=(\d+)', line))


def test_bot_down_fails_over_to_pstn_and_back_without_flapping(emulator, fake_bot, collections_path, tmp_path):
    with emulator.lock:
        mappings = sorted(emulator.store.trunks[PAGED_TRUNK]['phone-numbers'], key=lambda m: int(m['id']))[:COUNT]
        for mapping in mappings:
            mapping['mode'] = 'flow'             # the numbers are on the bot
    phones = [m['phone_number'] for m in mappings]

    (tmp_path / 'inventory.yml').write_text(json.dumps({'all': {'hosts': {'localhost': {
        'ansible_connection': 'local', 'ansible_python_interpreter': sys.executable}}}}))
    (tmp_path / 'vars.yml').write_text(json.dumps({
        'exotel_failover_bot_url': fake_bot.url, 'exotel_failover_trunk_sid': PAGED_TRUNK, 'exotel_failover_numbers': phones,
        'exotel_failover_interval': INTERVAL, 'exotel_failover_timeout': 1, 'exotel_failover_failures': FAILURES,
        'exotel_failover_successes': SUCCESSES}))
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=collections_path, ANSIBLE_NOCOLOR='1', ANSIBLE_LOCAL_TEMP=str(tmp_path / 'tmp'),
               ANSIBLE_DEPRECATION_WARNINGS='False', PATH=BIN + os.pathsep + os.environ.get('PATH', ''),
               EXOTEL_ACCOUNT_SID=ACCOUNT, EXOTEL_API_KEY=KEY, EXOTEL_API_TOKEN=TOKEN, EXOTEL_API_URL=emulator.url)
    env.pop('EXOTEL_REGION', None)
    start = time.monotonic()
    rulebook = Rulebook([os.path.join(BIN, 'ansible-rulebook'), '-r', 'exotel.trunking.bot_failover',
                         '-i', str(tmp_path / 'inventory.yml'), '--vars', str(tmp_path / 'vars.yml')],
                        env, str(tmp_path / 'rulebook.log'))
    timings = {}
    try:
        # 1. At start the bot is up: one `up` event, the playbook runs and writes nothing (already flow).
        wait_for(lambda: len(rulebook.recaps()) >= 1, 90, 'the first playbook run (bot up at start)')
        first = recap_counts(rulebook.recaps()[0])
        assert (first['changed'], first['failed']) == (0, 0), rulebook.output()[-3000:]
        assert puts(emulator) == []
        timings['start'] = time.monotonic() - start

        def flapping(mode, runs, label):
            """The bot flaps (503, 200, 503, ...) faster than the debounce: nothing is switched."""
            base, recaps, written = fake_bot.count(), len(rulebook.recaps()), len(puts(emulator))
            wait_for(lambda: fake_bot.count() >= base + 4 * runs, 30, 'checks of the flapping bot (%s)' % label)
            assert (len(rulebook.recaps()), len(puts(emulator))) == (recaps, written)
            assert modes(emulator, phones) == [mode] * COUNT

        def switched(mode, runs, label):
            """The numbers reach ``mode`` within SWITCH_BOUND seconds, one write each, in playbook run ``runs``."""
            began, written = time.monotonic(), len(puts(emulator))
            wait_for(lambda: modes(emulator, phones) == [mode] * COUNT, SWITCH_BOUND, 'the numbers to reach %s' % mode)
            timings[label] = time.monotonic() - began
            wait_for(lambda: len(rulebook.recaps()) >= runs, 60, 'playbook run %d to finish' % runs)
            counts = recap_counts(rulebook.recaps()[runs - 1])
            assert (counts['changed'], counts['failed']) == (1, 0)
            writes = puts(emulator)[written:]
            assert [(w['method'], w['json']['mode']) for w in writes] == [('PUT', mode)] * COUNT

        # 2. Flapping while up.
        fake_bot.script(flap=True)
        flapping('flow', FAILURES, 'up')
        # 3. The bot goes down (its port closes): the numbers go to pstn.
        fake_bot.stop()
        switched('pstn', 2, 'to_pstn')
        # 4. Back, but flapping: still nothing is switched.
        fake_bot.start()
        flapping('pstn', SUCCESSES, 'down')
        # 5. The bot recovers: the numbers return to flow.
        fake_bot.script(flap=False, steady=200)
        switched('flow', 3, 'to_flow')

        # Steady again: more healthy checks, no more events or writes.
        base = fake_bot.count()
        wait_for(lambda: fake_bot.count() >= base + 2 * SUCCESSES, 30, 'more checks of the healthy bot')
        assert len(rulebook.recaps()) == 3 and len(puts(emulator)) == 2 * COUNT
        output = rulebook.output()
    finally:
        rulebook.stop()
    assert rulebook.proc.returncode is not None
    assert TOKEN not in output
    # Every request the modules sent was authenticated as the account's key (from EXOTEL_* variables).
    assert {e['user'] for e in emulator.requests_log()} == {KEY}
    print('failover timings (s): %s' % json.dumps(dict((k, round(v, 2)) for k, v in timings.items())))


def test_mode_drift_source_runs_in_ansible_rulebook(emulator, collections_path, tmp_path):
    """ansible-rulebook loads mode_drift from the installed collection; it reads the trunk with the collection's client."""
    rulebook_file = tmp_path / 'drift.yml'
    rulebook_file.write_text(json.dumps([{
        'name': 'Drift of the support numbers', 'hosts': 'all',
        'sources': [{'exotel.trunking.mode_drift': {
            'trunk_sid': '{{ trunk }}', 'mode': 'flow', 'numbers': ['+918040264208', '+918040264209'], 'interval': 0.2}}],
        'rules': [{'name': 'Report drift', 'condition': 'event.mode_drift.in_sync == false',
                   'action': {'debug': {'msg': 'DRIFT {{ event.mode_drift.numbers }}'}}}],
    }]))
    (tmp_path / 'inventory.yml').write_text(json.dumps({'all': {'hosts': {'localhost': {'ansible_connection': 'local'}}}}))
    (tmp_path / 'vars.yml').write_text(json.dumps({'trunk': TRUNK}))
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=collections_path, ANSIBLE_LOCAL_TEMP=str(tmp_path / 'tmp'),
               PATH=BIN + os.pathsep + os.environ.get('PATH', ''),
               EXOTEL_ACCOUNT_SID=ACCOUNT, EXOTEL_API_KEY=KEY, EXOTEL_API_TOKEN=TOKEN, EXOTEL_API_URL=emulator.url)
    rulebook = Rulebook([os.path.join(BIN, 'ansible-rulebook'), '-r', str(rulebook_file), '-i', str(tmp_path / 'inventory.yml'),
                         '--vars', str(tmp_path / 'vars.yml')], env, str(tmp_path / 'drift.log'))
    try:
        line = wait_for(lambda: rulebook.check_alive() or re.findall(r'DRIFT .*', rulebook.output()), 90, 'the drift event')
    finally:
        rulebook.stop()
    assert line == ["DRIFT [{'phone_number': '+918040264208', 'mode': 'flow'}]"]
    assert TOKEN not in rulebook.output()

# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""A cutover that survives a crash (issue #26): the voice_ai_cutover role on 120 numbers, ansible-playbook
killed with SIGKILL at points spread over the whole run (cutover_crash.py says how the points are found),
then the journal on disk lets a rollback put every number back exactly as it was, or a re-run finish the
cutover - also with transient faults, and also after a kill during the rollback itself. Judged by the
emulator's state, never by the role's own report.

The big runs set exophone_rate_limit=0 (client-side pacing of the ExoPhone API): at Exotel's 50 requests a
minute, the ~100 flow writes of one run take two minutes, and these tests make a dozen runs. Their twin,
test_a_crash_under_default_options_is_finished_and_undone, keeps every default on 20 numbers."""

import json
import os
import stat

import pytest

from conftest import writes
from cutover_crash import BOT_URL, Gate, Runner, account, latency_rules, state, wait_for_lock
from exotel_emulator import Emulator
from exotel_emu.faults import normalise_faults

N = 120
FAST = {'exophone_rate_limit': 0}


def make_runner(collections_path, tmp_path, count, connection):
    gate = Gate()
    # The emulator's own rate limits are off (a dozen runs a minute would exceed them); the modules' pacing of
    # the trunk API stays on.
    emulator = Emulator(fixture=account(count), rate_limit=0, exophone_rate_limit=0, sleep=gate.sleep).start()
    emulator.add_faults(latency_rules())
    return Runner(emulator, gate, collections_path, tmp_path, count, connection)


@pytest.fixture
def crash(collections_path, tmp_path):
    runner = make_runner(collections_path, tmp_path, N, FAST)
    try:
        yield runner
    finally:
        runner.gate.released.set()
        runner.emulator.stop()


def switched(runner, before):
    """(numbers whose mode changed, numbers whose flow changed) since ``before``."""
    now = state(runner.emulator)
    return ([n for n in runner.numbers if now[n][0] != before[n][0]], [n for n in runner.numbers if now[n][1] != before[n][1]])


def on_the_bot(runner, before):
    """The state a finished cutover leaves: every listed number in flow mode on the bot's flow (a number already
    on it keeps its URL), every other number untouched."""
    after = dict(before)
    for n in runner.numbers:
        after[n] = ('flow', before[n][1] if before[n][1].endswith('/245679') else BOT_URL, before[n][2])
    return after


def inject_first(emulator, rules):
    """Transient faults that fire before the latency rules (the first matching rule fires)."""
    with emulator.lock:
        emulator.faults[:0] = normalise_faults(rules)


def assert_closed(runner, outcome, original):
    journal = runner.read_journal()
    assert (journal['status'], journal['outcome']) == ('closed', outcome)
    assert stat.S_IMODE(os.stat(runner.journal).st_mode) == 0o600
    # The record is the state before the first write, never re-recorded by a resumed run or a rollback.
    assert dict((n, (r['mode'], r['voice_url'])) for n, r in journal['recorded'].items()) == dict(
        (n, original[n][:2]) for n in runner.numbers)


# (class of request, which one, dropped rather than let through), and what the kill leaves behind.
KILL_POINTS = {
    'before the journal': (('flow_get', 1), True),
    'before the first write': (('mode_put', 1), True),
    'during the mode writes': (('mode_put', 25), False),
    'between the halves': (('flow_put', 1), True),
    'during the flow writes': (('flow_put', 40), False),
    'during the read-back': (('flow_get', 'verify'), False),
}


@pytest.mark.parametrize('where', sorted(KILL_POINTS))
def test_a_kill_anywhere_is_rolled_back_to_the_exact_original(crash, where):
    original = state(crash.emulator)
    (name, which), drop = KILL_POINTS[where]
    if which == 'verify':
        def which(count):
            """The read-back's first read: the first read of the ExoPhones once the journal says it began."""
            del count
            return os.path.exists(crash.journal) and crash.read_journal()['phase'] == 'verify'
    crash.kill_at('to_bot', (name, which), drop=drop)

    modes, flows = switched(crash, original)
    expected = {'before the journal': (0, 0), 'before the first write': (0, 0), 'between the halves': (90, 0),
                'during the read-back': (90, 96)}
    if where in expected:
        assert (len(modes), len(flows)) == expected[where]
    elif where == 'during the mode writes':
        assert 25 <= len(modes) < 90 and flows == []
    else:
        assert len(modes) == 90 and 40 <= len(flows) < 96
    if where == 'before the journal':
        assert not os.path.exists(crash.journal)
    else:
        assert crash.read_journal()['status'] == 'open'

    before = len(writes(crash.emulator))
    rc, output, recap = crash.run('rollback')
    if where == 'before the journal':
        assert rc != 0 and 'Nothing to roll back: there is no cutover journal at %s.' % crash.journal in output
    else:
        assert rc == 0, output[-3000:]
        assert_closed(crash, 'rolled_back', original)
    assert state(crash.emulator) == original
    if where in ('before the journal', 'before the first write'):
        assert len(writes(crash.emulator)) == before     # nothing was changed, so nothing is written back


def test_resume_with_faults_then_a_killed_rollback_is_rolled_back_again(crash):
    original = state(crash.emulator)
    # Only ansible-playbook is killed: the mode task goes on in its worker and ends on its own (it holds the
    # journal's lock while it writes, and every later run waits for it); the flows are left to the re-run.
    crash.kill_at('to_bot', ('mode_put', 25), tree=False)
    wait_for_lock(crash.journal + '.lock')
    journal_bytes = open(crash.journal, 'rb').read()
    killed = state(crash.emulator)
    assert [len(numbers) for numbers in switched(crash, original)] == [90, 0]

    # Check mode never writes, at Exotel or in the journal.
    before = len(writes(crash.emulator))
    for direction in ('to_bot', 'rollback'):
        rc, output, recap = crash.run(direction, '--check')
        assert rc == 0, output[-3000:]
    assert len(writes(crash.emulator)) == before and open(crash.journal, 'rb').read() == journal_bytes

    # Another target is refused before any write, saying what to do.
    rc, output, recap = crash.run('to_pstn')
    assert rc != 0 and 'this run asks for to_pstn (mode pstn, flow 245678). Nothing was changed. Finish that cutover first' in output
    assert len(writes(crash.emulator)) == before and state(crash.emulator) == killed

    # The re-run keeps the journal's record and finishes, through transient faults.
    inject_first(crash.emulator, [
        {'kind': 'status', 'status': 503, 'count': 2, 'match': {'method': 'GET', 'path_regex': '/phone-numbers$'}},
        {'kind': 'lost_answer', 'count': 2, 'match': {'method': 'PUT', 'path_regex': '/IncomingPhoneNumbers/'}},
        {'kind': 'status', 'status': 503, 'count': 3, 'match': {'method': 'PUT', 'path_regex': '/IncomingPhoneNumbers/'}},
        {'kind': 'drop', 'count': 1, 'match': {'method': 'GET', 'path_regex': '/IncomingPhoneNumbers$'}},
    ])
    rc, output, recap = crash.run('to_bot')
    assert rc == 0, output[-3000:]
    assert '(the unfinished cutover of the journal, resumed)' in output
    assert state(crash.emulator) == on_the_bot(crash, original)
    assert_closed(crash, 'cutover', original)
    assert [f['count'] for f in crash.emulator.faults[:4]] == [0, 0, 0, 0]

    # A rollback killed part way, then run again (with faults), puts back the state before the cutover.
    crash.kill_at('rollback', ('flow_put', 30))
    assert crash.read_journal()['phase'] == 'rollback'
    rc, output, recap = crash.run('to_bot')
    assert rc != 0 and 'whose rollback was interrupted. Nothing was changed. Finish the rollback first' in output
    inject_first(crash.emulator, [
        {'kind': 'status', 'status': 502, 'count': 3, 'match': {'method': 'PUT', 'path_regex': '/phone-numbers/'}},
        {'kind': 'lost_answer', 'count': 2, 'match': {'method': 'PUT', 'path_regex': '/IncomingPhoneNumbers/'}},
    ])
    rc, output, recap = crash.run('rollback')
    assert rc == 0, output[-3000:]
    assert state(crash.emulator) == original
    assert_closed(crash, 'rolled_back', original)

    # Nothing left to roll back: a re-run writes nothing.
    before = len(writes(crash.emulator))
    rc, output, recap = crash.run('rollback')
    assert rc == 0 and recap['changed'] == 0, output[-3000:]
    assert 'Nothing to roll back: the journal %s was closed' % crash.journal in output
    assert len(writes(crash.emulator)) == before and state(crash.emulator) == original


def test_a_crash_under_default_options_is_finished_and_undone(collections_path, tmp_path):
    runner = make_runner(collections_path, tmp_path, 20, {})
    try:
        original = state(runner.emulator)
        runner.kill_at('to_bot', ('flow_put', 5))
        rc, output, recap = runner.run('to_bot')
        assert rc == 0, output[-3000:]
        assert state(runner.emulator) == on_the_bot(runner, original)
        rc, output, recap = runner.run('rollback')
        assert rc == 0, output[-3000:]
        assert state(runner.emulator) == original
        assert_closed(runner, 'rolled_back', original)
        assert json.loads(open(runner.journal).read())['history'][-1]['event'] == 'closed: rolled_back'
    finally:
        runner.gate.released.set()
        runner.emulator.stop()

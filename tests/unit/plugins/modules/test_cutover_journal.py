# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""cutover_journal: the file it writes (atomic, 0600, the documented format), check mode, and the plan or
refusal it gives a run of the role for the journal it finds. No HTTP: the module sends no request."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import os
import stat

import pytest

from ansible_collections.exotel.trunking.plugins.module_utils import _journal, _lock
from ansible_collections.exotel.trunking.plugins.modules import cutover_journal

TRUNK = 'trmum1f708622631150902801a1n'
A, B = '+918040264208', '+918040264209'
URL = 'https://my.exotel.com/demo_account/exoml/start_voice/%s'
RECORDED = {A: {'mode': 'pstn', 'app_id': '245678', 'voice_url': URL % '245678', 'sid': 'sid1'},
            B: {'mode': None, 'app_id': '245680', 'voice_url': URL % '245680', 'sid': 'sid2'}}
BOT = {'mode': 'flow', 'app_id': '245679'}
# The same record in the shape of the role's fact voice_ai_cutover_recorded, which the module takes and returns.
ROLE_RECORD = dict((key + 's', dict((n, RECORDED[n][key]) for n in (A, B))) for key in ('mode', 'app_id', 'voice_url', 'sid'))


@pytest.fixture(autouse=True)
def fixed_time(monkeypatch):
    times = iter('2026-01-23T13:28:%02dZ' % i for i in range(10, 60))
    monkeypatch.setattr(_journal, 'now', lambda: next(times))


@pytest.fixture
def path(tmp_path):
    return str(tmp_path / 'journals' / (TRUNK + '.json'))


@pytest.fixture(autouse=True)
def released_locks():
    """Each task is its own process, whose end releases its lock; here they share one: release after each test."""
    yield
    release()


def release():
    for handle in _lock._HELD:
        handle.close()
    del _lock._HELD[:]


def journal_run(run_module, path, check_mode=False, **args):
    try:
        return run_module(cutover_journal.main, dict(path=path, **args), check_mode=check_mode).result
    finally:
        release()


def opened(run_module, path, **more):
    args = dict(state='open', trunk_sid=TRUNK, direction='to_bot', target=BOT, numbers=[A, B], recorded=ROLE_RECORD)
    args.update(more)
    return journal_run(run_module, path, **args)


def on_disk(path):
    with open(path) as handle:
        return json.load(handle)


def test_open_writes_the_documented_format_atomically_with_mode_0600(run_module, path):
    result = opened(run_module, path)
    expected = {
        'format': 'exotel.trunking.cutover_journal', 'version': 1, 'status': 'open', 'trunk_sid': TRUNK,
        'direction': 'to_bot', 'target': BOT, 'numbers': [A, B], 'recorded': RECORDED, 'phase': 'recorded',
        'outcome': None, 'created_at': '2026-01-23T13:28:10Z', 'updated_at': '2026-01-23T13:28:10Z', 'closed_at': None,
        'history': [{'at': '2026-01-23T13:28:10Z', 'event': 'recorded'}]}
    assert result == {'changed': True, 'journal_path': path, 'journal': expected, 'recorded': ROLE_RECORD, 'decisions': []}
    assert on_disk(path) == expected
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(os.path.dirname(path)).st_mode) == 0o700
    # No temporary file left; the lock (see _lock.py) holds the process id of its last holder.
    assert sorted(os.listdir(os.path.dirname(path))) == [os.path.basename(path), os.path.basename(path) + '.lock']
    assert stat.S_IMODE(os.stat(path + '.lock').st_mode) == 0o600


def test_progress_and_close_then_a_new_cutover_archives_the_closed_journal(run_module, path):
    opened(run_module, path)
    assert journal_run(run_module, path, state='progress', phase='flows')['changed'] is True
    assert journal_run(run_module, path, state='progress', phase='flows')['changed'] is False   # same phase: no write
    closing = journal_run(run_module, path, state='close', outcome='cutover')
    assert closing['journal']['status'] == 'closed' and closing['journal']['closed_at'] == '2026-01-23T13:28:12Z'
    assert [h['event'] for h in on_disk(path)['history']] == ['recorded', 'flows', 'closed: cutover']
    assert journal_run(run_module, path, state='close', outcome='cutover')['changed'] is False

    again = opened(run_module, path, direction='to_pstn', target={'mode': 'pstn', 'app_id': 245678})
    archived = path[:-len('.json')] + '.20260123T132812Z.json'
    assert again['archived'] == archived
    assert on_disk(archived)['outcome'] == 'cutover'
    assert on_disk(path)['status'] == 'open' and on_disk(path)['target'] == {'mode': 'pstn', 'app_id': '245678'}


def test_a_rollback_reopens_a_closed_cutover_and_closes_it_rolled_back(run_module, path):
    opened(run_module, path)
    journal_run(run_module, path, state='close', outcome='cutover')
    reopened = journal_run(run_module, path, state='progress', phase='rollback')['journal']
    assert (reopened['status'], reopened['outcome'], reopened['closed_at'], reopened['phase']) == ('open', None, None, 'rollback')
    journal_run(run_module, path, state='close', outcome='rolled_back')
    refused = journal_run(run_module, path, state='progress', phase='rollback')
    assert refused['failed'] is True
    assert refused['msg'].endswith('(rolled_back, closed 2026-01-23T13:28:13Z); state=progress with phase=rollback needs an open '
                                   'journal.')


def test_decisions_of_a_canary_cutover_are_appended_in_order(run_module, path):
    opened(run_module, path)
    first = {'step': 1, 'spec': '50%', 'numbers': [A], 'decision': 'undecided', 'reason': 'too few calls'}
    second = dict(first, decision='pass', reason='every threshold met')
    assert journal_run(run_module, path, state='decision', decision=first)['changed'] is True
    result = journal_run(run_module, path, state='decision', decision=second)
    assert result['decisions'] == [dict(first, at='2026-01-23T13:28:11Z'), dict(second, at='2026-01-23T13:28:12Z')]
    assert on_disk(path)['decisions'] == result['decisions']
    assert [h['event'] for h in on_disk(path)['history']] == ['recorded', 'step 1: undecided', 'step 1: pass']
    # Read back (a resumed run), the journal gives the decisions.
    assert journal_run(run_module, path)['decisions'] == result['decisions']


def test_a_decision_needs_an_open_journal_and_a_step_and_decision(run_module, path):
    bad = journal_run(run_module, path, state='decision', decision={'step': '1', 'decision': 'maybe'})
    assert bad['msg'] == ("decision must have step (a whole number of at least 1) and decision (pass, fail, undecided); got "
                          "step '1', decision 'maybe'. Nothing was read or written.")
    opened(run_module, path)
    journal_run(run_module, path, state='close', outcome='cutover')
    refused = journal_run(run_module, path, state='decision', decision={'step': 1, 'decision': 'pass'})
    assert refused['failed'] is True
    assert refused['msg'].endswith('(cutover, closed 2026-01-23T13:28:11Z); state=decision needs an open journal.')


def test_check_mode_never_writes(run_module, path):
    result = opened(run_module, path, check_mode=True)
    assert result['changed'] is True and result['journal']['status'] == 'open'
    assert not os.path.exists(os.path.dirname(path))
    opened(run_module, path)
    journal_run(run_module, path, state='close', outcome='cutover')
    before = on_disk(path)
    assert journal_run(run_module, path, check_mode=True, state='progress', phase='rollback')['changed'] is True
    assert opened(run_module, path, check_mode=True)['archived'].endswith('.20260123T132812Z.json')
    assert on_disk(path) == before and len(os.listdir(os.path.dirname(path))) == 2


def test_open_refuses_while_an_open_journal_is_there(run_module, path):
    opened(run_module, path)
    result = opened(run_module, path)
    assert result['failed'] is True
    assert result['msg'] == ('The cutover journal %s holds an unfinished cutover to_bot of 2 numbers on trunk %s (started '
                             '2026-01-23T13:28:10Z, last step begun: recorded). Nothing was written. Finish that cutover or '
                             'roll it back first.' % (path, TRUNK))


def plan(run_module, path, direction='to_bot', numbers=(A, B), target='bot', trunk=TRUNK):
    return journal_run(run_module, path, direction=direction, trunk_sid=trunk, numbers=list(numbers),
                       target=BOT if target == 'bot' else target)


def test_plan_for_each_journal_and_direction(run_module, path):
    assert plan(run_module, path)['plan'] == 'record'
    assert plan(run_module, path)['journal'] is None
    opened(run_module, path)
    assert plan(run_module, path)['plan'] == 'resume'
    assert plan(run_module, path, numbers=(B, A))['plan'] == 'resume'          # the order does not matter
    assert plan(run_module, path, direction='rollback', target=None)['plan'] == 'rollback'
    journal_run(run_module, path, state='close', outcome='cutover')
    assert plan(run_module, path)['plan'] == 'record'                           # a closed journal is not reused
    assert plan(run_module, path, direction='rollback', target=None)['plan'] == 'rollback'
    journal_run(run_module, path, state='progress', phase='rollback')
    journal_run(run_module, path, state='close', outcome='rolled_back')
    assert plan(run_module, path, direction='rollback', target=None)['plan'] == 'done'


def test_refusals_say_what_to_do(run_module, path):
    nothing = plan(run_module, path, direction='rollback', target=None)
    assert nothing['msg'] == ('Nothing to roll back: there is no cutover journal at %s. A rollback puts numbers back to the '
                              'state a cutover journal recorded; set voice_ai_cutover_journal to the journal of the cutover '
                              'to undo. Nothing was changed.' % path)
    opened(run_module, path)
    started = 'The cutover journal %s holds an unfinished cutover to_bot of 2 numbers on trunk %s (started 2026-01-23T13:28:10Z' % (
        path, TRUNK)
    other = plan(run_module, path, numbers=(A, '+918040264210'))
    assert other['failed'] is True
    assert other['msg'] == started + (', last step begun: recorded): it is for other numbers (only in the journal: +918040264209; '
                                      'only in this run: +918040264210). Nothing was changed. Run the role with that journal\'s '
                                      'trunk and numbers (to finish or roll back that cutover), or set voice_ai_cutover_journal '
                                      'to another file for these numbers.')
    assert 'it is for trunk %s, not trother1' % TRUNK in plan(run_module, path, trunk='trother1')['msg']
    target = plan(run_module, path, direction='to_pstn', target={'mode': 'pstn', 'app_id': '245678'})
    assert target['msg'] == started + (', last step begun: recorded) to mode flow and flow 245679; this run asks for to_pstn '
                                       '(mode pstn, flow 245678). Nothing was changed. Finish that cutover first '
                                       '(voice_ai_cutover_direction=to_bot with app id 245679), or put every number back with '
                                       'voice_ai_cutover_direction=rollback; then run this one.')
    assert 'flow 245670' in plan(run_module, path, target={'mode': 'flow', 'app_id': '245670'})['msg']
    journal_run(run_module, path, state='progress', phase='rollback')
    interrupted = plan(run_module, path)
    assert interrupted['msg'].endswith('last step begun: rollback), whose rollback was interrupted. Nothing was changed. Finish '
                                       'the rollback first: run the role with voice_ai_cutover_direction=rollback.')


@pytest.mark.parametrize('content, problem', [
    ('{"format": "x"', 'it is not JSON'),
    ('[]', 'it is not a cutover journal (no "format": "exotel.trunking.cutover_journal")'),
    ('{"format": "exotel.trunking.cutover_journal", "version": 2}',
     'it has format version 2; this exotel.trunking reads version 1 (a newer one wrote it?)'),
    ('{"format": "exotel.trunking.cutover_journal", "version": 1}', 'it lacks status, trunk_sid, direction'),
])
def test_a_file_that_is_not_a_journal_is_refused_naming_it(run_module, path, content, problem):
    os.makedirs(os.path.dirname(path))
    with open(path, 'w') as handle:
        handle.write(content)
    result = plan(run_module, path)
    assert result['failed'] is True
    assert result['msg'].startswith('The cutover journal %s cannot be used: %s' % (path, problem))
    assert result['msg'].endswith('Nothing was changed. Move the file aside, or set voice_ai_cutover_journal (the path option) '
                                  'to another file.')


def test_bad_options_are_refused_before_anything_is_read_or_written(run_module, path):
    result = journal_run(run_module, path, state='open', trunk_sid='tr/1', direction='to_bot', target={'mode': 'bot'},
                         numbers=['918040264208'], recorded={})
    assert result['msg'] == (
        'numbers must list each number once, in E.164 form ("+" then 8 to 15 digits); got [\'918040264208\']. '
        'trunk_sid must be a trunk SID (letters, digits, "_" and "-"); got "tr/1". '
        'target must have mode (flow or pstn) and app_id (digits); got {\'mode\': \'bot\'}. '
        'recorded must give modes (pstn, flow or null), app_ids, voice_urls and sids for every number; missing or wrong for '
        '918040264208. Nothing was read or written.')
    assert journal_run(run_module, path, state='close')['msg'] == 'state=close needs outcome. Nothing was read or written.'
    assert not os.path.exists(os.path.dirname(path))


def test_an_unwritable_place_fails_before_any_write(run_module, tmp_path):
    blocker = tmp_path / 'file'
    blocker.write_text('')
    target = str(blocker / 'journal.json')
    result = opened(run_module, target)
    assert result['failed'] is True
    assert result['msg'].startswith('The lock file %s.lock cannot be opened: ' % target)


def test_a_task_waits_for_the_lock_of_another_process_and_names_it(run_module, path, monkeypatch):
    opened(run_module, path)
    other = open(path + '.lock', 'r+')
    _lock.fcntl.flock(other.fileno(), _lock.fcntl.LOCK_EX)   # another process, still writing
    monkeypatch.setattr(_lock, 'LOCK_WAIT', 1)
    monkeypatch.setattr(_lock.hold, '__defaults__', (True, 1))
    result = journal_run(run_module, path)
    other.close()
    assert result['msg'] == ('Another run still holds the lock %s.lock (process %d) after 1 s: a task of an earlier run that was '
                             'killed may still be writing. Wait for it to end (or stop that process), then run again.' % (path, os.getpid()))

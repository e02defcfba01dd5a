# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The voice_ai_cutover role's canary cutover (voice_ai_cutover_steps) through ansible-playbook against the
emulator's traffic generator, time compressed (clock_factor 60: a call-world minute lasts a second, so a
window of 1 minute is waited for 1 s, window_seconds). Judged by the emulator's state, its request log and
the journal and report the role writes. Pacing and retries are the defaults.

Three numbers of the trunk, all on the Connect flow (pstn) at first, each taking 30 calls a minute; the
steps [1, "100%"]: the first number, then the two others."""

import json
import os
import re
import signal
import subprocess
import sys
import threading

import pytest

from conftest import ACCOUNT, BIN, KEY, TOKEN, TRUNK, writes

NUMBERS = ['+918050000001', '+918050000002', '+918050000003']
CONNECT = 'http://my.exotel.com/demo_account/exoml/start_voice/245678'
BOT_URL = 'https://my.exotel.com/demo_account/exoml/start_voice/245679'
MAPPING_IDS = dict((n, str(51001 + i)) for i, n in enumerate(NUMBERS))
SIDS = dict((n, 'c0ffee00000000000000000000000%03d' % i) for i, n in enumerate(NUMBERS))
ANALYSIS = {'window': 1, 'window_seconds': 1, 'min_calls': 10, 'max_wait': 3, 'thresholds': {'failure_ratio': 0.2}}
QUICK = [5, 10]   # seconds a call-world call lasts: short, so that the answered calls of a window have ended


@pytest.fixture
def world(emulator):
    """The three numbers, mapped to the trunk in pstn mode with the Connect flow; calls to each, 30 a minute."""
    with emulator.lock:
        for n in NUMBERS:
            emulator.store.exophones[ACCOUNT].append({
                'sid': SIDS[n], 'phone_number': n, 'friendly_name': n, 'capabilities': {'voice': True, 'sms': False},
                'country': 'IN', 'region': 'KA', 'voice_url': CONNECT, 'sms_url': None,
                'date_created': '2026-01-23T13:28:11Z', 'date_updated': '2026-01-23T13:28:11Z'})
            emulator.store.trunks[TRUNK]['phone-numbers'].append({
                'id': MAPPING_IDS[n], 'phone_number': n, 'trunk_sid': TRUNK, 'mode': 'pstn',
                'date_created': '2026-01-23T13:28:11Z', 'date_updated': '2026-01-23T13:28:11Z'})
        # final_after 0: a call's duration is known as soon as it ends (the median duration of the report).
        emulator.traffic.configure({'clock_factor': 60, 'final_after': 0,
                                    'routes': {'pstn': {'duration': QUICK}, 'flow': {'duration': QUICK}}})
    return emulator


def routes(emu, flow=None, pstn=None):
    with emu.lock:
        emu.traffic.configure({'routes': {'flow': dict(flow or {}, duration=QUICK), 'pstn': dict(pstn or {}, duration=QUICK)}})


def calls(emu, per_minute=30):
    with emu.lock:
        emu.traffic.add_stream(emu.store, {'numbers': NUMBERS, 'calls_per_minute': per_minute})


def canary_vars(emu, tmp_path, analysis=None, steps=(1, '100%')):
    return {'voice_ai_cutover_trunk_sid': TRUNK, 'voice_ai_cutover_numbers': NUMBERS,
            'voice_ai_cutover_bot_app_id': '245679', 'voice_ai_cutover_steps': list(steps),
            'voice_ai_cutover_analysis': analysis or ANALYSIS,
            'voice_ai_cutover_journal': str(tmp_path / 'journal' / (TRUNK + '.json')),
            'voice_ai_cutover_connection': {'api_url': emu.url, 'account_sid': ACCOUNT, 'api_key': KEY, 'api_token': TOKEN}}


def run_canary(play, emu, tmp_path, analysis=None, steps=(1, '100%'), check=False):
    task_vars = canary_vars(emu, tmp_path, analysis, steps)
    return play({'name': 'exotel.trunking.voice_ai_cutover'}, module='ansible.builtin.include_role', connection_args=False,
                task_vars=task_vars, check=check)


def state(emu):
    """phone number -> (mode, voice_url) as the emulator holds them."""
    modes = dict((m['phone_number'], m['mode']) for m in emu.store.trunks[TRUNK]['phone-numbers'])
    urls = dict((e['phone_number'], e['voice_url']) for e in emu.store.exophones[ACCOUNT])
    return dict((n, (modes[n], urls[n])) for n in NUMBERS)


def written(emu):
    """(method, last path segment, body) of every write."""
    return [(e['method'], e['path'].rsplit('/', 1)[1], e.get('json') or e.get('form')) for e in writes(emu)]


def moved(number):
    return [('PUT', MAPPING_IDS[number], {'phone_number': number, 'mode': 'flow'}), ('PUT', SIDS[number], {'VoiceUrl': BOT_URL})]


def put_back(number):
    return [('PUT', MAPPING_IDS[number], {'phone_number': number, 'mode': 'pstn'}), ('PUT', SIDS[number], {'VoiceUrl': CONNECT})]


def journal_and_report(tmp_path):
    base = tmp_path / 'journal' / TRUNK
    with open(str(base) + '.json') as handle:
        journal = json.load(handle)
    with open(str(base) + '.canary.json') as handle:
        report = json.load(handle)
    with open(str(base) + '.canary.md') as handle:
        markdown = handle.read()
    return journal, report, markdown


def test_a_healthy_bot_passes_every_step_and_all_numbers_move(world, play, tmp_path):
    routes(world, flow={'failed': 0.05})
    calls(world)
    # Check mode: the steps and what the whole cutover would switch; no write, no journal, no call waited for.
    dry = run_canary(play, world, tmp_path, check=True)
    assert dry.rc == 0 and writes(world) == [], dry.output[-4000:]
    assert not (tmp_path / 'journal').exists()
    assert 'Canary cutover of 3 numbers in 2 steps: step 1 (1) +918050000001; step 2 (100%) +918050000002, +918050000003.' in dry.output
    assert 'would switch: +918050000001, +918050000002, +918050000003.' in dry.output
    assert 'Canary step 1, read' not in dry.output

    run = run_canary(play, world, tmp_path)
    assert run.rc == 0, run.output[-4000:]
    assert state(world) == dict((n, ('flow', BOT_URL)) for n in NUMBERS)
    # Step 1 writes the first number only; step 2 the two others.
    writes_in_order = written(world)
    assert sorted(writes_in_order[:2]) == sorted(moved(NUMBERS[0]))
    assert sorted(writes_in_order[2:]) == sorted(moved(NUMBERS[1]) + moved(NUMBERS[2]))
    journal, report, markdown = journal_and_report(tmp_path)
    assert (journal['status'], journal['outcome']) == ('closed', 'cutover')
    assert [(d['step'], d['decision'], d['moved']) for d in journal['decisions']] == [(1, 'pass', NUMBERS[:1]), (2, 'pass', NUMBERS)]
    assert report['state'] == 'running' and [r['decision'] for r in report['steps']] == ['pass', 'pass']
    assert all(r['calls'] >= 10 and r['failure_ratio'] <= 0.2 and 5 <= r['median_duration'] <= 10 for r in report['steps']), report
    assert markdown.startswith('# Canary cutover\n') and '**pass**' in markdown
    assert 'Canary cutover done: every step passed; 3 numbers in mode flow with flow 245679' in run.output
    assert re.search(r'Canary step 1, read 1 of 3 \(last 1 min\): pass - \d+ calls ended on the numbers moved; every threshold met',
                     run.output), run.output[-4000:]
    assert TOKEN not in run.output

    # A re-run: every number on the bot, no write, no call waited for.
    before = len(writes(world))
    again = run_canary(play, world, tmp_path)
    assert again.rc == 0 and len(writes(world)) == before, again.output[-3000:]
    assert 'Every number is already in mode flow with flow 245679: nothing to move' in again.output
    assert again.result['changed'] is False


def test_a_bot_failing_40_percent_fails_the_first_step_and_only_its_number_was_ever_written(world, play, tmp_path):
    routes(world, flow={'failed': 0.4})
    calls(world)
    run = run_canary(play, world, tmp_path)
    assert run.rc != 0
    assert written(world)[:2] == moved(NUMBERS[0]) or sorted(written(world)[:2]) == sorted(moved(NUMBERS[0]))
    assert sorted(written(world)[2:]) == sorted(put_back(NUMBERS[0]))
    assert state(world) == dict((n, ('pstn', CONNECT)) for n in NUMBERS)
    assert 'Canary cutover: step 1 (1) failed: ' in run.output, run.output[-4000:]
    ratio = re.search(r'failed: \d+ calls ended on the numbers moved; failure ratio ([0-9.]+)% \(threshold at most 20\.0%\)\.', run.output)
    # 40% of the calls fail; a window also misses the answered calls still going on when it is read, hence more.
    assert ratio and 35 <= float(ratio.group(1)) <= 60, run.output[-4000:]
    assert 'Rolled back: every number moved so far is in the mode and flow recorded before the cutover (+918050000001)' in run.output
    journal, report = journal_and_report(tmp_path)[:2]
    assert (journal['status'], journal['outcome']) == ('closed', 'rolled_back')
    assert [(d['step'], d['decision']) for d in journal['decisions']] == [(1, 'fail')]
    assert report['state'] == 'fail' and '%.1f' % (100 * report['steps'][0]['failure_ratio']) == ratio.group(1)


def test_a_bot_that_degrades_at_the_second_step_is_rolled_back_from_there(world, play, tmp_path):
    routes(world, flow={'failed': 0.0})
    calls(world)
    # When the second step's first number reaches the bot, the bot starts failing half of its calls.
    stop = threading.Event()

    def degrade():
        while not stop.wait(0.05):
            with world.lock:
                on_bot = any(m['phone_number'] == NUMBERS[1] and m['mode'] == 'flow' for m in world.store.trunks[TRUNK]['phone-numbers'])
            if on_bot:
                routes(world, flow={'failed': 0.5})
                return
    watcher = threading.Thread(target=degrade)
    watcher.start()
    try:
        run = run_canary(play, world, tmp_path)
    finally:
        stop.set()
        watcher.join()
    assert run.rc != 0
    assert state(world) == dict((n, ('pstn', CONNECT)) for n in NUMBERS)
    journal, report = journal_and_report(tmp_path)[:2]
    assert [(d['step'], d['decision']) for d in journal['decisions']] == [(1, 'pass'), (2, 'fail')]
    assert (journal['status'], journal['outcome']) == ('closed', 'rolled_back')
    assert 'Canary cutover: step 2 (100%) failed: ' in run.output
    assert ('Rolled back: every number moved so far is in the mode and flow recorded before the cutover '
            '(+918050000001, +918050000002, +918050000003)') in run.output
    assert sorted(written(world)[-6:]) == sorted(put_back(NUMBERS[0]) + put_back(NUMBERS[1]) + put_back(NUMBERS[2]))


def test_too_little_traffic_stops_undecided_and_rolls_nothing_back(world, play, tmp_path):
    routes(world)
    calls(world, per_minute=2)
    # Two reads (max_wait: 2 windows): the last window, then the last two; 4 calls in all, min_calls is 10.
    run = run_canary(play, world, tmp_path, analysis=dict(ANALYSIS, max_wait=2))
    assert run.rc != 0
    assert written(world) == moved(NUMBERS[0]) or sorted(written(world)) == sorted(moved(NUMBERS[0]))
    assert state(world) == {NUMBERS[0]: ('flow', BOT_URL), NUMBERS[1]: ('pstn', CONNECT), NUMBERS[2]: ('pstn', CONNECT)}
    assert 'Canary cutover stopped undecided at step 1 (1): too few calls to judge: ' in run.output
    assert ('Nothing was rolled back: +918050000001 on the bot, +918050000002, +918050000003 not moved. The journal %s stays open: '
            're-run the role to wait again at this step and go on, or run it with voice_ai_cutover_direction=rollback'
            % (tmp_path / 'journal' / (TRUNK + '.json'))) in run.output
    assert run.output.count('Canary step 1, read ') == 2
    assert 'Canary step 1, read 2 of 2 (last 2 min): undecided - too few calls to judge: ' in run.output
    journal, report = journal_and_report(tmp_path)[:2]
    assert journal['status'] == 'open' and [(d['step'], d['decision']) for d in journal['decisions']] == [(1, 'undecided')]
    assert report['state'] == 'undecided'

    # More calls now: the re-run goes on at step 1 (no write for the number already moved) and finishes.
    calls(world, per_minute=30)
    again = run_canary(play, world, tmp_path)
    assert again.rc == 0, again.output[-4000:]
    assert state(world) == dict((n, ('flow', BOT_URL)) for n in NUMBERS)
    assert sorted(written(world)[2:]) == sorted(moved(NUMBERS[1]) + moved(NUMBERS[2]))
    journal = journal_and_report(tmp_path)[0]
    assert [(d['step'], d['decision']) for d in journal['decisions']] == [(1, 'undecided'), (1, 'pass'), (2, 'pass')]


def test_with_the_baseline_the_bot_is_not_blamed_when_the_old_route_fails_too(world, play, tmp_path):
    routes(world, flow={'failed': 0.4}, pstn={'failed': 0.4})
    calls(world)
    run = run_canary(play, world, tmp_path, analysis=dict(ANALYSIS, baseline=True, margin=0.05))
    assert run.rc == 0, run.output[-4000:]
    assert state(world) == dict((n, ('flow', BOT_URL)) for n in NUMBERS)
    journal, report = journal_and_report(tmp_path)[:2]
    assert [(d['step'], d['decision']) for d in journal['decisions']] == [(1, 'pass'), (2, 'pass')]
    assert all(r['baseline_failure_ratio'] >= 0.35 and r['failure_ratio'] >= 0.35 for r in report['steps']), report
    assert 'missed but no worse than the old route by more than the margin 0.05' in journal['decisions'][0]['reason']


def test_a_run_killed_during_the_second_step_goes_on_at_that_step(world, play, collections_path, tmp_path):
    routes(world, flow={'failed': 0.0})
    calls(world)
    # The role in a playbook of its own, run in its own process group, killed (SIGKILL of the group, as when
    # the controller goes away) once the journal holds the decision on step 1: during step 2.
    playbook = tmp_path / 'canary.json'
    playbook.write_text(json.dumps([{'hosts': 'localhost', 'gather_facts': False, 'vars': canary_vars(world, tmp_path),
                                     'roles': ['exotel.trunking.voice_ai_cutover']}]))
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=collections_path, ANSIBLE_LOCAL_TEMP=str(tmp_path / 'tmp'),
               ANSIBLE_PYTHON_INTERPRETER=sys.executable, PATH=BIN + os.pathsep + os.environ.get('PATH', ''))
    proc = subprocess.Popen([os.path.join(BIN, 'ansible-playbook'), '-i', 'localhost,', '-c', 'local', str(playbook)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, start_new_session=True)
    journal_path = tmp_path / 'journal' / (TRUNK + '.json')
    try:
        while proc.poll() is None:       # watch the journal (no fixed wait: the kill point is the decision)
            try:
                decisions = json.loads(journal_path.read_text()).get('decisions') or []
            except (IOError, ValueError):
                decisions = []
            if decisions:
                os.killpg(proc.pid, signal.SIGKILL)
                break
            threading.Event().wait(0.05)
    finally:
        proc.wait()
    assert proc.returncode == -signal.SIGKILL
    journal = json.loads(journal_path.read_text())
    assert journal['status'] == 'open' and [(d['step'], d['decision']) for d in journal['decisions']] == [(1, 'pass')]

    again = run_canary(play, world, tmp_path)
    assert again.rc == 0, again.output[-4000:]
    assert 'Canary step 1, read' not in again.output           # step 1 passed before the kill: not judged again
    assert 'Canary step 2, read 1 of 3' in again.output, again.output
    assert state(world) == dict((n, ('flow', BOT_URL)) for n in NUMBERS)
    # Every number written once to the bot, never back.
    assert sorted(written(world)) == sorted(moved(NUMBERS[0]) + moved(NUMBERS[1]) + moved(NUMBERS[2]))
    journal = journal_and_report(tmp_path)[0]
    assert (journal['status'], journal['outcome']) == ('closed', 'cutover')
    assert [(d['step'], d['decision']) for d in journal['decisions']] == [(1, 'pass'), (2, 'pass')]

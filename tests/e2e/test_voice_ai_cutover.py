# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The voice_ai_cutover role through ansible-playbook, with the example playbook of the docs
(docs/examples/voice_ai_cutover.yml): a dry run, the cutover, a zero-write re-run and the failback;
then a failure rolled back, and a rollback that cannot finish. Judged by the emulator's final state
and request log."""

import json
import os
import re
import shutil

from conftest import ACCOUNT, ROOT, TOKEN, TRUNK, writes
from role_play import run

PLAYBOOK = os.path.join(ROOT, 'docs', 'examples', 'voice_ai_cutover.yml')
SUPPORT, BOT = '+918040264208', '+918040264209'
BOT_SID = '0b8f6c1e2d3a4b5c6d7e8f9012345602'
FIXTURE = {SUPPORT: ('pstn', 'http://my.exotel.com/demo_account/exoml/start_voice/245678'),
           BOT: ('flow', 'https://my.in.exotel.com/demo_account/exoml/start_voice/245679')}
FLOW_URL = 'https://my.exotel.com/demo_account/exoml/start_voice/%s'


def run_playbook(emulator, collections_path, tmp_path, *args):
    # A copy of the example, so that its journal goes to the default place beside it: cutover_journal/<trunk>.json.
    playbook = str(tmp_path / 'voice_ai_cutover.yml')
    shutil.copy(PLAYBOOK, playbook)
    return run(emulator, collections_path, tmp_path, playbook, *args)


def numbers(emulator):
    """phone number -> (mode, voice_url), as the emulator holds them."""
    modes = dict((m['phone_number'], m['mode']) for m in emulator.store.trunks[TRUNK]['phone-numbers'])
    urls = dict((e['phone_number'], e['voice_url']) for e in emulator.store.exophones[ACCOUNT])
    return dict((n, (modes[n], urls[n])) for n in (SUPPORT, BOT))


def test_dry_run_cutover_re_run_and_failback(emulator, collections_path, tmp_path):
    emulator.config['exophone_rate_limit'] = 0
    # Changed: the two halves, and the journal (in check mode it would be written: it is not).
    proc, recap = run_playbook(emulator, collections_path, tmp_path, '--check', '--diff')
    assert recap['failed'] == 0 and recap['changed'] == 3, proc.stdout[-3000:]
    assert not os.path.exists(str(tmp_path / 'cutover_journal'))
    assert '-        "+918040264208": "pstn",\n+        "+918040264208": "flow",' in proc.stdout
    assert 'would switch: +918040264208.' in proc.stdout
    assert writes(emulator) == [] and numbers(emulator) == FIXTURE

    # Changed: the two halves, and the journal's four writes (opened, flows, verify, closed).
    proc, recap = run_playbook(emulator, collections_path, tmp_path, '--diff')
    assert recap['failed'] == 0 and recap['changed'] == 6, proc.stdout[-3000:]
    assert numbers(emulator) == {SUPPORT: ('flow', FLOW_URL % '245679'), BOT: FIXTURE[BOT]}
    assert [(e['method'], e['path'].rsplit('/', 1)[1]) for e in writes(emulator)] == [
        ('PUT', '41523'), ('PUT', '0b8f6c1e2d3a4b5c6d7e8f9012345601')]

    before = len(writes(emulator))
    proc, recap = run_playbook(emulator, collections_path, tmp_path)
    assert recap['failed'] == 0 and recap['changed'] == 0, proc.stdout[-3000:]
    assert len(writes(emulator)) == before

    proc, recap = run_playbook(emulator, collections_path, tmp_path, '-e', 'cutover_direction=to_pstn',
                               '-e', 'cutover_health_url=http://127.0.0.1:9/down')   # a failback does not ask the bot
    assert recap['failed'] == 0 and recap['changed'] == 6, proc.stdout[-3000:]
    assert numbers(emulator) == {SUPPORT: ('pstn', FLOW_URL % '245678'), BOT: ('pstn', FLOW_URL % '245678')}
    # The failback's journal, at the default place, closed; the cutover's kept beside it.
    journals = sorted(os.listdir(str(tmp_path / 'cutover_journal')))
    assert len(journals) == 3 and journals[1:] == [TRUNK + '.json', TRUNK + '.json.lock']
    assert re.match(r'^%s\.\d{8}T\d{6}Z\.json$' % TRUNK, journals[0]), journals
    with open(str(tmp_path / 'cutover_journal' / (TRUNK + '.json'))) as handle:
        journal = json.load(handle)
    assert (journal['direction'], journal['status'], journal['outcome']) == ('to_pstn', 'closed', 'cutover')


def test_an_unhealthy_bot_stops_the_cutover_before_any_write(emulator, collections_path, tmp_path):
    proc, recap = run_playbook(emulator, collections_path, tmp_path, '-e', 'cutover_health_url=%s/_emulator/nothing-here' % emulator.url)
    assert recap['failed'] == 1
    assert 'The bot is not healthy: GET %s/_emulator/nothing-here answered HTTP status 404, not one of the statuses 200' % (
        emulator.url) in proc.stdout
    assert writes(emulator) == [] and numbers(emulator) == FIXTURE


def test_a_failed_exophone_write_is_rolled_back(emulator, collections_path, tmp_path):
    emulator.config['exophone_rate_limit'] = 0
    emulator.add_faults({'kind': 'status', 'status': 500, 'count': 100, 'match': {'method': 'PUT', 'path_regex': BOT_SID + '$'}})
    proc, recap = run_playbook(emulator, collections_path, tmp_path, '-e', 'cutover_direction=to_pstn')
    assert recap['failed'] == 1, proc.stdout[-3000:]
    assert ('Voice AI cutover to_pstn: Point each ExoPhone at the new flow (one task for every number) failed: Could not update '
            'ExoPhone +918040264209') in proc.stdout
    assert 'Rolled back: every number is in the mode and flow recorded before the cutover (+918040264208, +918040264209).' in proc.stdout
    assert numbers(emulator) == FIXTURE
    # The bot number's mode was switched, its flow write failed, and its mode was put back; +918040264208
    # was already in pstn mode with the Connect flow, so nothing was written for it. An HTTP 500 is an
    # unclear answer: re-read, and sent again while the re-read shows the old flow, 1 + retries (5) times.
    assert [(e['method'], e['path'].rsplit('/', 1)[1], e.get('json') or e.get('form')) for e in writes(emulator)] == [
        ('PUT', '41524', {'phone_number': BOT, 'mode': 'pstn'})] + [
        ('PUT', BOT_SID, {'VoiceUrl': FLOW_URL % '245678'})] * 6 + [
        ('PUT', '41524', {'phone_number': BOT, 'mode': 'flow'})]
    assert TOKEN not in proc.stdout


def test_a_rollback_that_cannot_finish_says_which_numbers_it_left(emulator, collections_path, tmp_path):
    emulator.config['exophone_rate_limit'] = 0
    emulator.add_faults([
        # The mapping's first PUT (the switch) goes through; every later one (the rollback) fails.
        {'kind': 'latency', 'seconds': 0, 'count': 1, 'match': {'method': 'PUT', 'path_regex': '/phone-numbers/41524$'}},
        {'kind': 'status', 'status': 500, 'count': 100, 'match': {'method': 'PUT', 'path_regex': '/phone-numbers/41524$'}},
        {'kind': 'status', 'status': 500, 'count': 100, 'match': {'method': 'PUT', 'path_regex': BOT_SID + '$'}},
    ])
    proc, recap = run_playbook(emulator, collections_path, tmp_path, '-e', 'cutover_direction=to_pstn')
    assert recap['failed'] == 1, proc.stdout[-3000:]
    assert 'ROLLBACK INCOMPLETE: +918040264209 could not be put back (read back after the rollback).' in proc.stdout
    assert 'Recorded before the cutover: modes {"+918040264208": "pstn", "+918040264209": "flow"}' in proc.stdout
    assert numbers(emulator) == {SUPPORT: FIXTURE[SUPPORT], BOT: ('pstn', FIXTURE[BOT][1])}

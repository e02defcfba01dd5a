# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Who owns a number's mode (issue #30): a number whose routing voice_ai_cutover manages is listed in sip_trunk without
a mode. Once a cutover journal is open, sip_trunk (and exotel.trunking.apply) refuse to change the mode of a number it
holds, naming the numbers and the journal, and write nothing. The unfinished journal is made the way users get one: a
cutover whose flow write fails, run with voice_ai_cutover_rollback=false. Default options (pacing on, default retries)."""

import json
import os

import pytest

from conftest import TRUNK, writes
from role_play import run, run_roles

SUPPORT, BOT, SPARE = '+918040264208', '+918040264209', '+918040264210'
SUPPORT_SID = '0b8f6c1e2d3a4b5c6d7e8f9012345601'
CUTOVER = {'voice_ai_cutover_trunk_sid': TRUNK, 'voice_ai_cutover_numbers': [SUPPORT, BOT],
           'voice_ai_cutover_bot_app_id': '245679', 'voice_ai_cutover_rollback': False}


def modes(emulator):
    return dict((m['phone_number'], m['mode']) for m in emulator.store.trunks[TRUNK]['phone-numbers'])


def clear_log(emulator):
    with emulator.lock:
        del emulator.log[:]


def definition(numbers):
    return {'name': 'support_trunk', 'nso_code': 'ANY-ANY', 'numbers': numbers}


def refusal(journal):
    return ('Trunk %s: sip_trunk_definition.numbers sets the mode of %s (pstn), held by the unfinished cutover to_bot of the '
            'cutover journal %s, which moves them to mode flow; exotel.trunking.voice_ai_cutover owns their routing (mode and '
            'flow together), and a mode written here would put the two halves out of step. No number was written. Finish the '
            'cutover (run exotel.trunking.voice_ai_cutover again in the same direction) or roll it back '
            '(voice_ai_cutover_direction=rollback), or list these numbers in sip_trunk_definition.numbers without a mode.'
            % (TRUNK, SUPPORT, journal))


@pytest.fixture
def held(emulator, collections_path, tmp_path):
    """A cutover to the bot of SUPPORT and BOT left unfinished: SUPPORT's mode is flow, its flow write was refused (a 400,
    final), and the journal tmp_path/cutover_journal/<trunk>.json stays open. Returns the journal's path."""
    emulator.config['exophone_rate_limit'] = 0
    emulator.add_faults({'kind': 'status', 'status': 400, 'count': 1, 'match': {'method': 'PUT', 'path_regex': SUPPORT_SID + '$'}})
    proc, recap = run_roles(emulator, collections_path, tmp_path, [{'role': 'exotel.trunking.voice_ai_cutover', 'vars': CUTOVER}])
    assert recap['failed'] == 1, proc.stdout[-3000:]
    journal = str(tmp_path / 'cutover_journal' / (TRUNK + '.json'))
    with open(journal) as handle:
        assert json.load(handle)['status'] == 'open'
    assert modes(emulator)[SUPPORT] == 'flow'
    clear_log(emulator)
    return journal


def sip_trunk(emulator, collections_path, work, numbers, **role_vars):
    role_vars['sip_trunk_definition'] = definition(numbers)
    return run_roles(emulator, collections_path, work, [{'role': 'exotel.trunking.sip_trunk', 'vars': role_vars}])


def test_sip_trunk_refuses_a_mode_change_of_a_held_number(held, emulator, collections_path, tmp_path):
    # BOT listed with the mode the cutover moves it to, SPARE not held: only SUPPORT is refused.
    proc, recap = sip_trunk(emulator, collections_path, tmp_path, [{'phone_number': SUPPORT, 'mode': 'pstn'},
                                                                   {'phone_number': BOT, 'mode': 'flow'},
                                                                   {'phone_number': SPARE, 'mode': 'pstn'}])
    assert recap['failed'] == 1, proc.stdout[-3000:]
    assert refusal(held) in ' '.join(proc.stdout.split()), proc.stdout[-3000:]
    assert writes(emulator) == [] and modes(emulator)[SUPPORT] == 'flow'


def test_during_a_rollback_the_recorded_mode_passes(held, emulator, collections_path, tmp_path):
    # An interrupted rollback puts every number back to its recorded mode: SUPPORT pstn, BOT flow.
    with open(held) as handle:
        journal = json.load(handle)
    with open(held, 'w') as handle:
        json.dump(dict(journal, phase='rollback'), handle)
    proc, recap = sip_trunk(emulator, collections_path, tmp_path, [{'phone_number': SUPPORT, 'mode': 'pstn'},
                                                                   {'phone_number': BOT, 'mode': 'pstn'}])
    assert recap['failed'] == 1, proc.stdout[-3000:]
    assert refusal(held).replace(SUPPORT, BOT).replace('which moves them to mode flow', 'which puts them back to the modes it '
                                                       'recorded') in ' '.join(proc.stdout.split()), proc.stdout[-3000:]
    assert writes(emulator) == []


def test_a_held_number_listed_without_a_mode_passes(held, emulator, collections_path, tmp_path):
    proc, recap = sip_trunk(emulator, collections_path, tmp_path, [{'phone_number': SUPPORT}, {'phone_number': BOT},
                                                                   {'phone_number': SPARE}])
    assert (recap['failed'], recap['changed']) == (0, 0), proc.stdout[-3000:]
    assert writes(emulator) == []


def test_the_guard_turned_off_writes_the_mode(held, emulator, collections_path, tmp_path):
    proc, recap = sip_trunk(emulator, collections_path, tmp_path, [{'phone_number': SUPPORT, 'mode': 'pstn'}],
                            sip_trunk_cutover_journal='')
    assert (recap['failed'], recap['changed']) == (0, 1), proc.stdout[-3000:]
    assert [(e['method'], e['path'].rsplit('/', 1)[1], e['json']) for e in writes(emulator)] == [
        ('PUT', '41523', {'phone_number': SUPPORT, 'mode': 'pstn'})]


def test_a_finished_cutover_holds_nothing(held, emulator, collections_path, tmp_path):
    # The re-run finishes the cutover (the fault is spent) and closes the journal; then the mode is the definition's to set.
    proc, recap = run_roles(emulator, collections_path, tmp_path, [{'role': 'exotel.trunking.voice_ai_cutover', 'vars': CUTOVER}])
    assert recap['failed'] == 0, proc.stdout[-3000:]
    with open(held) as handle:
        assert json.load(handle)['status'] == 'closed'
    clear_log(emulator)
    proc, recap = sip_trunk(emulator, collections_path, tmp_path, [{'phone_number': SUPPORT, 'mode': 'pstn'}])
    assert (recap['failed'], recap['changed']) == (0, 1), proc.stdout[-3000:]
    assert [(e['method'], e['path'].rsplit('/', 1)[1]) for e in writes(emulator)] == [('PUT', '41523')]


def test_apply_refuses_before_any_write(held, emulator, collections_path, tmp_path):
    export = tmp_path / 'account'
    (export / 'trunks').mkdir(parents=True)
    # A new NSO code too: the role writes the trunk before its numbers; the apply's guard comes before any write.
    (export / 'trunks' / 'support_trunk.yml').write_text(json.dumps({'sip_trunk_definition': dict(
        definition([{'phone_number': SUPPORT, 'mode': 'pstn'}, {'phone_number': BOT}, {'phone_number': SPARE}]), nso_code='IN-ANY')}))
    args = ('-e', 'exotel_export_dir=%s' % export, '-e', 'exotel_apply_cutover_journal=%s' % os.path.dirname(held))
    proc, recap = run(emulator, collections_path, tmp_path, 'exotel.trunking.apply', *args)
    assert recap['failed'] == 1, proc.stdout[-3000:]
    assert refusal(held) in ' '.join(proc.stdout.split()), proc.stdout[-3000:]
    assert writes(emulator) == []

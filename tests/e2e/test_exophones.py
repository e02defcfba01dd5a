# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""ExoPhones through ansible-playbook: a purchase whose answer is lost, a release of a mapped number,
and no secret in the output of a failure at high verbosity."""

from conftest import ACCOUNT, TOKEN, TRUNK, writes

NEW = '+918040264300'
SUPPORT = '+918040264208'


def owned(emu, phone):
    return [e for e in emu.store.exophones[ACCOUNT] if e['phone_number'] == phone]


def test_a_purchase_whose_answer_is_lost_is_sent_once_and_settled_by_a_re_read(emulator, play):
    emulator.add_faults({'kind': 'lost_answer', 'match': {'method': 'POST'}})
    args = {'phone_number': NEW, 'voice_app_id': '245678', 'allow_purchase': True}
    run = play(args, module='exotel.trunking.exotel_exophone', emulator_url=emulator.url)
    result = run.result
    assert result['changed'] is True, run.output
    assert result['exophone']['phone_number'] == NEW and result['exophone']['app_id'] == '245678'
    assert any('did not confirm the new ExoPhone %s' % NEW in str(w) for w in result['warnings'])
    assert [(e['method'], e.get('fault')) for e in writes(emulator)] == [('POST', 'lost_answer')]
    assert len(owned(emulator, NEW)) == 1
    again = play(args, module='exotel.trunking.exotel_exophone', emulator_url=emulator.url).result
    assert again['changed'] is False and len(writes(emulator)) == 1


def test_a_mapped_number_is_released_only_when_the_task_says_so(emulator, play):
    args = {'phone_number': SUPPORT, 'state': 'absent', 'allow_release': True}
    refused = play(args, module='exotel.trunking.exotel_exophone', emulator_url=emulator.url).result
    assert refused['failed'] is True and 'still mapped to trunk %s' % TRUNK in refused['msg']
    assert writes(emulator) == [] and owned(emulator, SUPPORT)
    released = play(dict(args, release_mapped=True), module='exotel.trunking.exotel_exophone', emulator_url=emulator.url,
                    diff=True).result
    assert released['changed'] is True and released['exophone'] == {}
    assert released['diff']['before']['phone_number'] == SUPPORT
    assert [e['method'] for e in writes(emulator)] == ['DELETE']
    assert not owned(emulator, SUPPORT)
    assert SUPPORT not in [m['phone_number'] for m in emulator.store.trunks[TRUNK]['phone-numbers']]


def test_no_secret_in_the_output_of_a_failure_at_high_verbosity(emulator, play):
    emulator.add_faults({'kind': 'status', 'status': 401, 'error_code': 'UNAUTHORIZED', 'description': 'Authentication failed',
                         'match': {'path_regex': '/IncomingPhoneNumbers'}})
    run = play({'include_trunk_mapping': True}, module='exotel.trunking.exotel_exophone_info', emulator_url=emulator.url,
               verbosity=4)
    result = run.result
    assert result['failed'] is True and result['error_code'] == 'UNAUTHORIZED' and result['http_status'] == 401
    assert TOKEN not in run.output and TOKEN not in str(result)

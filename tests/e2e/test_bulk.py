# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""A bulk cutover (``numbers``) through ansible-playbook: check -> apply -> re-run -> partial failure."""

from conftest import PAGED_TRUNK, writes

K = 30


def numbers(emu, count):
    mappings = sorted(emu.store.trunks[PAGED_TRUNK]['phone-numbers'], key=lambda m: int(m['id']))
    return [m['phone_number'] for m in mappings[:count]]


def modes(emu):
    return dict((m['phone_number'], m['mode']) for m in emu.store.trunks[PAGED_TRUNK]['phone-numbers'])


def test_bulk_cutover_reads_the_list_once_and_writes_only_what_differs(emulator, play):
    emulator.config['rate_limit'] = 200
    phones = numbers(emulator, K)
    args = {'trunk_sid': PAGED_TRUNK, 'mode': 'flow', 'numbers': [{'phone_number': p} for p in phones]}

    check = play(args, emulator_url=emulator.url, check=True, diff=True).result
    assert check['changed'] is True and sorted(check['changed_numbers']) == sorted(phones)
    assert writes(emulator) == []
    assert sorted(check['diff']['after']['numbers'].values()) == ['flow'] * K

    log_start = len(emulator.requests_log())
    apply = play(args, emulator_url=emulator.url).result
    log = emulator.requests_log()[log_start:]
    assert apply['changed'] is True and sorted(apply['changed_numbers']) == sorted(phones)
    assert [m['mode'] for m in apply['mappings']] == ['flow'] * K
    assert len([e for e in log if e['method'] == 'GET']) == 2          # 120 numbers, pages of 100
    assert len([e for e in log if e['method'] == 'PUT']) == K
    state = modes(emulator)
    assert [state[p] for p in phones] == ['flow'] * K
    assert list(state.values()).count('flow') == K                     # nothing else was touched

    log_start = len(emulator.requests_log())
    again = play(args, emulator_url=emulator.url).result
    assert again['changed'] is False and again['changed_numbers'] == []
    assert [e['method'] for e in emulator.requests_log()[log_start:]] == ['GET', 'GET']


def test_bulk_partial_failure_says_what_was_switched_and_a_rerun_finishes(emulator, play):
    phones = numbers(emulator, 5)
    emulator.add_faults([{'kind': 'status', 'status': 400, 'count': 1, 'match': {'method': 'PUT', 'path_regex': '/50003$'}}])
    args = {'trunk_sid': PAGED_TRUNK, 'mode': 'flow', 'numbers': [{'phone_number': p} for p in phones]}
    first = play(args, emulator_url=emulator.url).result
    assert first['failed'] is True and first['changed'] is True
    assert sorted(first['changed_numbers']) == sorted(p for p in phones if p != phones[3])
    assert [(f['phone_number'], f['http_status']) for f in first['failed_numbers']] == [(phones[3], 400)]
    state = modes(emulator)
    assert [state[p] for p in phones] == ['flow', 'flow', 'flow', 'pstn', 'flow']
    second = play(args, emulator_url=emulator.url).result
    assert second.get('failed') is not True
    assert second['changed_numbers'] == [phones[3]]
    assert [modes(emulator)[p] for p in phones] == ['flow'] * 5

# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""A bulk cutover (``numbers``) through ansible-playbook: check -> apply -> re-run -> partial failure,
and a cutover under a mix of transient faults that finishes in one run."""

import collections
import copy
import json
import os

from conftest import PAGED_TRUNK, ROOT, writes

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


# ---------------------------------------------------------------- a cutover under transient faults

def big_trunk(emu, count):
    """Reset the emulator with the paged trunk holding ``count`` numbers (all pstn)."""
    with open(os.path.join(ROOT, 'tests', 'emulator', 'fixture.json'), encoding='utf-8') as handle:
        fixture = json.load(handle)
    fixture = copy.deepcopy(fixture)
    for trunk in fixture['trunks']:
        if trunk['trunk_sid'] == PAGED_TRUNK:
            trunk['phone_numbers'][0]['generate']['count'] = count
    emu.reset(fixture)
    emu.config['rate_limit'] = 0


def put_rule(number_id, rule):
    return dict(rule, count=rule.get('count', 1), match={'method': 'PUT', 'path_regex': '/phone-numbers/%s$' % number_id})


# 50 writes of the cutover meet a fault, each once: what a bad minute at a gateway looks like.
TRANSIENT_MIX = (
    [{'kind': 'status', 'status': 503, 'body': 'html'}] * 10
    + [{'kind': 'status', 'status': 429, 'retry_after': '1'}] * 10
    + [{'kind': 'drop'}] * 10
    + [{'kind': 'lost_answer'}] * 10
    + [{'kind': 'malformed'}] * 5
    + [{'kind': 'failure_body_200', 'code': 500}] * 5
)


def puts_per_number(log):
    return collections.Counter(e['path'].rsplit('/', 1)[-1] for e in log if e['method'] == 'PUT')


def test_bulk_cutover_under_transient_faults_finishes_in_one_run(emulator, play):
    big_trunk(emulator, 1000)
    mappings = sorted(emulator.store.trunks[PAGED_TRUNK]['phone-numbers'], key=lambda m: int(m['id']))
    targets = mappings[:1000:2]                                   # 500 of the 1,000 numbers
    faulted = targets[::10]                                       # 50 of them, spread over the run
    emulator.add_faults([put_rule(m['id'], rule) for m, rule in zip(faulted, TRANSIENT_MIX)])
    args = {'trunk_sid': PAGED_TRUNK, 'mode': 'flow', 'numbers': [{'phone_number': m['phone_number']} for m in targets],
            'rate_limit': 0}

    run = play(args, emulator_url=emulator.url)
    result = run.result
    log = emulator.requests_log()
    assert result.get('failed') is not True, result.get('msg')
    assert 'failed_numbers' not in result
    wanted = sorted(m['phone_number'] for m in targets)
    # Honest: every number reported switched is flow in the emulator, and nothing else was touched.
    assert sorted(result['changed_numbers']) == wanted
    assert [m['mode'] for m in result['mappings']] == ['flow'] * 500
    state = modes(emulator)
    assert sorted(p for p, mode in state.items() if mode == 'flow') == wanted
    assert len([e for e in log if e.get('fault')]) == 50
    # No write storm: a faulted number is written twice (its fault, then the write that succeeded), the
    # others once; the malformed and failure-body answers were each checked by one lookup first.
    puts = puts_per_number(log)
    twice = set(m['id'] for m in faulted)
    assert dict((n, c) for n, c in puts.items() if c != 1) == dict((n, 2) for n in twice)
    assert sum(puts.values()) == 550
    lookups = [e for e in log if e['method'] == 'GET' and e['path'].endswith('/trunk-maps')]
    assert sorted(e['query']['exophone'] for e in lookups) == sorted(m['phone_number'] for m in faulted[40:])
    assert len([e for e in log if e['method'] == 'GET']) == 10 + 10    # the list (10 pages), the 10 re-reads
    assert writes(emulator) and all(e['method'] == 'PUT' for e in writes(emulator))
    print('\ncutover of 500 of 1,000 numbers, 50 transient faults: %d requests, %d PUTs, %d GETs, changed %d, failed %d' % (
        len(log), sum(puts.values()), len([e for e in log if e['method'] == 'GET']), len(result['changed_numbers']),
        len(result.get('failed_numbers', []))))


def test_bulk_fault_that_never_clears_ends_in_an_honest_partial_failure_within_the_retries(emulator, play):
    phones = numbers(emulator, 10)
    ids = sorted(m['id'] for m in emulator.store.trunks[PAGED_TRUNK]['phone-numbers'] if m['phone_number'] in phones[3:5])
    emulator.add_faults([put_rule(ids[0], {'kind': 'malformed', 'count': 1000}),
                         put_rule(ids[1], {'kind': 'failure_body_200', 'code': 503, 'count': 1000})])
    args = {'trunk_sid': PAGED_TRUNK, 'mode': 'flow', 'numbers': [{'phone_number': p} for p in phones],
            'rate_limit': 0, 'retries': 3}
    result = play(args, emulator_url=emulator.url).result
    log = emulator.requests_log()
    assert result['failed'] is True and result['changed'] is True
    assert sorted(result['changed_numbers']) == sorted(phones[:3] + phones[5:])
    failed = dict((f['phone_number'], f) for f in result['failed_numbers'])
    assert sorted(failed) == sorted(phones[3:5])
    assert failed[phones[3]]['msg'].endswith("A re-read shows the mapping still has mode 'pstn': nothing was changed. "
                                             "The write was sent 4 times; not sent again: retries=3 used.")
    assert failed[phones[4]]['http_status'] == 200 and 'HTTP 200 (code 503 in the body)' in failed[phones[4]]['msg']
    state = modes(emulator)
    assert [state[p] for p in phones] == ['flow'] * 3 + ['pstn'] * 2 + ['flow'] * 5
    # Within the budget: 1 + retries writes for each number that never got through, one for the others.
    puts = puts_per_number(log)
    assert puts[ids[0]] == 4 and puts[ids[1]] == 4
    assert sum(puts.values()) == 8 + 8
    assert 'Re-run the task to finish' in result['msg']

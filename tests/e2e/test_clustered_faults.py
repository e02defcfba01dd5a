# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Bulk writes under clustered faults, with the options users keep: pacing on (rate_limit 200),
retries 5, max_retry_wait 120, eight writes side by side.

The faults form one queue that the writes take in the order they arrive (a write that is sent again
can meet the next fault): what a bad minute at a gateway looks like. ``max_retry_wait`` counts the
wall time that retry waits add, so eight writes that wait side by side spend it once, and such a run
finishes in one go. Faults beyond the budgets end in an honest partial failure that names the budget.
"""

import collections
import random
import re

from conftest import PAGED_TRUNK, writes
from test_bulk import big_trunk, modes, puts_per_number

# The mix: 50 writes meet a fault, in an order shuffled once (seeded, so every run is the same).
CLUSTERED_MIX = (
    [{'kind': 'status', 'status': 503, 'body': 'html'}] * 12
    + [{'kind': 'status', 'status': 429, 'retry_after': '2'}] * 8
    + [{'kind': 'drop'}] * 8
    + [{'kind': 'lost_answer'}] * 12
    + [{'kind': 'malformed'}] * 5
    + [{'kind': 'failure_body_200', 'code': 500}] * 5
)


def queue(rules, method):
    """The rules as a queue matched by every ``method`` request, taken in arrival order."""
    rules = [dict(r, count=1, match={'method': method}) for r in rules]
    random.Random(23).shuffle(rules)
    return rules


def paced(emu):
    """The emulator answers as fast as it can; the module keeps its own default pacing."""
    emu.config['rate_limit'] = 0


def test_bulk_cutover_under_clustered_faults_with_defaults_finishes_in_one_run(emulator, play):
    big_trunk(emulator, 1000)
    paced(emulator)
    mappings = sorted(emulator.store.trunks[PAGED_TRUNK]['phone-numbers'], key=lambda m: int(m['id']))
    targets = mappings[:1000:2]                                   # 500 of the 1,000 numbers
    emulator.add_faults(queue(CLUSTERED_MIX, 'PUT'))
    args = {'trunk_sid': PAGED_TRUNK, 'mode': 'flow', 'numbers': [{'phone_number': m['phone_number']} for m in targets]}

    result = play(args, emulator_url=emulator.url).result
    log = emulator.requests_log()
    assert result.get('failed') is not True, result.get('msg')
    assert 'failed_numbers' not in result
    wanted = sorted(m['phone_number'] for m in targets)
    assert sorted(result['changed_numbers']) == wanted
    assert [m['mode'] for m in result['mappings']] == ['flow'] * 500
    state = modes(emulator)
    assert sorted(p for p, mode in state.items() if mode == 'flow') == wanted
    faulted = [e for e in log if e.get('fault')]
    assert len(faulted) == 50 and all(e['method'] == 'PUT' for e in faulted)
    # Each number: at most 1 + retries PUTs, and none after a clean answer. Every fault costs one PUT,
    # except the last fault of a number that a re-read (or a repeat of a lost answer) showed done.
    puts = puts_per_number(log)
    assert max(puts.values()) <= 6
    last = {}
    for entry in log:
        if entry['method'] == 'PUT':
            last[entry['path'].rsplit('/', 1)[-1]] = entry.get('fault')
    settled_by_fault = len([n for n, fault in last.items() if fault])
    assert sum(puts.values()) == 500 + 50 - settled_by_fault
    assert all(e['method'] == 'PUT' for e in writes(emulator))
    print('\nclustered faults, defaults: %d requests, %d PUTs, %d GETs, numbers with >1 PUT: %d, most PUTs for one '
          'number: %d' % (len(log), sum(puts.values()), len([e for e in log if e['method'] == 'GET']),
                          len([n for n, c in puts.items() if c > 1]), max(puts.values())))


def test_bulk_cutover_beyond_the_budgets_fails_honestly_naming_the_spent_budget(emulator, play):
    big_trunk(emulator, 400)
    paced(emulator)
    mappings = sorted(emulator.store.trunks[PAGED_TRUNK]['phone-numbers'], key=lambda m: int(m['id']))
    targets = mappings[:200]
    never = [targets[20], targets[120]]           # a fault that never clears: retries=5 is used up
    asks_too_long = targets[70]                   # Exotel asks for 300 s: more than max_retry_wait=120 allows
    emulator.add_faults(
        [{'kind': 'malformed', 'count': 100, 'match': {'method': 'PUT', 'path_regex': '/%s$' % never[0]['id']}},
         {'kind': 'failure_body_200', 'code': 503, 'count': 100, 'match': {'method': 'PUT', 'path_regex': '/%s$' % never[1]['id']}},
         {'kind': 'status', 'status': 429, 'retry_after': '300', 'count': 1,
          'match': {'method': 'PUT', 'path_regex': '/%s$' % asks_too_long['id']}}]
        + queue(CLUSTERED_MIX[:30], 'PUT'))
    args = {'trunk_sid': PAGED_TRUNK, 'mode': 'flow', 'numbers': [{'phone_number': m['phone_number']} for m in targets]}

    result = play(args, emulator_url=emulator.url).result
    log = emulator.requests_log()
    stopped = sorted(m['phone_number'] for m in never + [asks_too_long])
    assert result['failed'] is True and result['changed'] is True
    failed = dict((f['phone_number'], f) for f in result['failed_numbers'])
    assert sorted(failed) == stopped
    assert sorted(result['changed_numbers']) == sorted(m['phone_number'] for m in targets if m['phone_number'] not in stopped)
    state = modes(emulator)
    assert [p for p in (m['phone_number'] for m in targets) if state[p] != 'flow'] == [m['phone_number'] for m in targets
                                                                                    if m['phone_number'] in stopped]
    assert list(state.values()).count('flow') == 197
    puts = puts_per_number(log)
    assert puts[never[0]['id']] == 6 and puts[never[1]['id']] == 6 and puts[asks_too_long['id']] == 1
    for mapping in never:
        entry = failed[mapping['phone_number']]
        assert entry['spent_budget'] == 'retries=5'
        assert entry['msg'].endswith("A re-read shows the mapping still has mode 'pstn': nothing was changed. "
                                     "The write was sent 6 times; not sent again: retries=5 used.")
    entry = failed[asks_too_long['phone_number']]
    assert entry['spent_budget'] == 'max_retry_wait=120s' and entry['http_status'] == 429
    # What is left of the 120 s: the clustered faults' waits ran side by side, so they spent only a few seconds.
    left = re.search(r'The write was sent 1 time; not sent again: Exotel asked to retry after 300s; '
                     r'max_retry_wait=120s allows ([0-9]+)s more\.$', entry['msg'])
    assert left and 90 <= int(left.group(1)) <= 120, entry['msg']
    assert '3 of them were not sent again because a retry budget was spent: max_retry_wait=120s (1), retries=5 (2).' \
        in result['msg']
    assert 'Re-run the task to finish' in result['msg']


def test_bulk_mapping_under_clustered_faults_with_defaults_creates_each_once(emulator, play):
    """The bulk form of exotel_trunk_number (POSTs side by side): a create is re-read before it is sent again."""
    paced(emulator)
    empty = 'trempty00000000000000000000000001'
    phones = ['+91806%07d' % i for i in range(150)]
    emulator.add_faults(queue([{'kind': 'status', 'status': 503, 'body': 'html'}] * 6 + [{'kind': 'drop'}] * 6
                              + [{'kind': 'lost_answer'}] * 6 + [{'kind': 'status', 'status': 429, 'retry_after': '1'}] * 6
                              + [{'kind': 'failure_body_200', 'code': 500}] * 6, 'POST'))
    args = {'trunk_sid': empty, 'numbers': [{'phone_number': p, 'mode': 'flow'} for p in phones]}

    result = play(args, module='exotel.trunking.exotel_trunk_number', emulator_url=emulator.url).result
    assert result.get('failed') is not True, result.get('msg')
    assert sorted(result['changed_numbers']) == sorted(phones)
    created = collections.Counter(m['phone_number'] for m in emulator.store.trunks[empty]['phone-numbers'])
    assert sorted(created) == sorted(phones) and set(created.values()) == {1}
    assert all(m['mode'] == 'flow' for m in emulator.store.trunks[empty]['phone-numbers'])
    log = emulator.requests_log()
    assert len([e for e in log if e.get('fault')]) == 30
    posts = collections.Counter(e['json']['phone_number'] for e in log if e['method'] == 'POST' and isinstance(e.get('json'), dict))
    assert max(posts.values()) <= 6

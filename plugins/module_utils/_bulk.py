# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

# This module_utils file is internal to exotel.trunking: its name starts with "_" and its
# interface may change without notice. Do not import it from other collections.
"""The bulk form (``numbers``) of exotel_number_mode and exotel_trunk_number: how many writes run side by side,
the result of a bulk run, and the message that says which numbers were done and which were not, and why."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.exotel.trunking.plugins.module_utils._mapping import ACTIONS

# Writes of a bulk task in progress at once. At most MAX_IN_FLIGHT (8) of them have a request in flight;
# the others wait for a slot or between retries. So a burst of faults at the gateway is spread over many
# numbers instead of using up the retries of the first eight.
BULK_WORKERS = 32


def bulk_result(kind, outcome, wanted, diff, purge=False):
    """The result of a bulk run: the mapping of every listed number that is on the trunk after the run
    (in the order listed), the numbers changed, and those whose write failed."""
    mappings = [m for m in (outcome.item_for(kind, want) for want in wanted) if m is not None]
    changed = [i['phone_number'] for i in outcome.added] + [i['phone_number'] for i, dummy in outcome.updated] + \
        [i['phone_number'] for i in outcome.removed]
    result = dict(changed=bool(changed), changed_numbers=changed, mappings=mappings)
    if diff:
        listed = set(want['phone_number'] for want in wanted)

        def modes(items):
            return dict((m['phone_number'], m.get('mode')) for m in items if purge or m.get('phone_number') in listed)
        result['diff'] = dict(before=dict(numbers=modes(outcome.before)), after=dict(numbers=modes(outcome.after)))
    if outcome.failed:
        result['failed_numbers'] = []
        for step, exc in outcome.failed:
            entry = dict(phone_number=step.subject['phone_number'], action=ACTIONS[step.verb].split()[0],
                         number_id=str(step.have['id']) if step.have else None,
                         mode=step.want['mode'] if step.want else None, msg=exc.message)
            entry.update(exc.details())
            entry['spent_budget'] = exc.spent_budget
            result['failed_numbers'].append(entry)
    return result


def spent_budgets(failed):
    """The summary of the failures that were not sent again because a retry budget was spent ('' when none)."""
    counts = {}
    for entry in failed:
        if entry.get('spent_budget'):
            counts[entry['spent_budget']] = counts.get(entry['spent_budget'], 0) + 1
    if not counts:
        return ''
    total = sum(counts.values())
    return ' %d of them %s not sent again because a retry budget was spent: %s.' % (
        total, 'was' if total == 1 else 'were', ', '.join('%s (%d)' % (k, counts[k]) for k in sorted(counts)))


def bulk_failure(kind, outcome, result, done, settled):
    """The message of a bulk run in which some writes failed: which numbers were ``done`` and which were not,
    and why (a re-run finishes: numbers already ``settled`` are left alone)."""
    return ('%s %d of %d numbers that needed a change on trunk %s; %d failed: %s.%s Re-run the task to finish: '
            'numbers already %s are left alone.' % (
                done, len(result['changed_numbers']), outcome.planned, kind.trunk_sid, len(outcome.failed),
                '; '.join('%s (%s)' % (f['phone_number'], f['msg']) for f in result['failed_numbers']),
                spent_budgets(result['failed_numbers']), settled))

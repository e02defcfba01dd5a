# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""_bulk: the result and the failure message of a bulk run (which numbers were done, which not, and why)."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.exotel.trunking.plugins.module_utils._bulk import bulk_failure, bulk_result, spent_budgets
from ansible_collections.exotel.trunking.plugins.module_utils._client import ExotelClient
from ansible_collections.exotel.trunking.plugins.module_utils._engine import Outcome, Step
from ansible_collections.exotel.trunking.plugins.module_utils._errors import ExotelError
from ansible_collections.exotel.trunking.plugins.module_utils._mapping import ModeSwitch
from ansible_collections.exotel.trunking.tests.unit.plugins.exotel_envelopes import ACCOUNT, KEY, TOKEN, TRUNK, mapping

A, B, C = mapping('1', '+918040264208'), mapping('2', '+918040264209'), mapping('3', '+918040264210')


def failed_run():
    kind = ModeSwitch(ExotelClient(ACCOUNT, KEY, TOKEN), TRUNK, many=True)
    outcome = Outcome([A, B, C], planned=3)
    outcome.update(A, dict(A, mode='flow'), {'mode': 'flow'})
    for have, budget in ((B, 'retries=5'), (C, None)):
        error = ExotelError('HTTP 503', http_status=503, method='PUT', path='/p/%s' % have['id'])
        error.spent_budget = budget
        outcome.fail(Step('update', have=have, want={'phone_number': have['phone_number'], 'mode': 'flow'}), error)
    wanted = [{'phone_number': m['phone_number'], 'number_id': None, 'mode': 'flow'} for m in (A, B, C)]
    return kind, outcome, bulk_result(kind, outcome, wanted, diff=True)


def test_the_result_names_each_number_done_and_failed():
    kind, outcome, result = failed_run()
    assert result['changed'] is True and result['changed_numbers'] == ['+918040264208']
    assert [(f['phone_number'], f['action'], f['number_id'], f['spent_budget'], f['http_status']) for f in result['failed_numbers']] == [
        ('+918040264209', 'switch', '2', 'retries=5', 503), ('+918040264210', 'switch', '3', None, 503)]
    assert result['diff'] == {'before': {'numbers': {'+918040264208': 'pstn', '+918040264209': 'pstn', '+918040264210': 'pstn'}},
                              'after': {'numbers': {'+918040264208': 'flow', '+918040264209': 'pstn', '+918040264210': 'pstn'}}}


def test_the_failure_message_counts_the_spent_budgets():
    kind, outcome, result = failed_run()
    assert bulk_failure(kind, outcome, result, 'Switched', 'in the requested mode') == (
        'Switched 1 of 3 numbers that needed a change on trunk %s; 2 failed: +918040264209 (HTTP 503); +918040264210 '
        '(HTTP 503). 1 of them was not sent again because a retry budget was spent: retries=5 (1). Re-run the task to '
        'finish: numbers already in the requested mode are left alone.' % TRUNK)


def test_no_spent_budget_says_nothing():
    assert spent_budgets([{'spent_budget': None}]) == ''
    assert spent_budgets([{'spent_budget': 'retries=5'}, {'spent_budget': 'max_retry_wait=120s'}, {'spent_budget': 'retries=5'}]) == (
        ' 3 of them were not sent again because a retry budget was spent: max_retry_wait=120s (1), retries=5 (2).')

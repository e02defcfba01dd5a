# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""exotel_trunk_number_info: exact calls and results, filters, the lookup across the account, failures."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.exotel.trunking.plugins.modules import exotel_trunk_number_info
from ansible_collections.exotel.trunking.tests.unit.plugins.exotel_envelopes import (
    ACCOUNT, KEY, LOOKUP, NUMBERS, TOKEN, TRUNK, calls, error, listing, mapping,
)

LIST_PATH = '/v2/accounts/%s/trunks/%s/phone-numbers' % (ACCOUNT, TRUNK)
LOOKUP_ALL = '/v2/accounts/%s/trunk-maps?exophone=%%2B918040264208' % ACCOUNT
PHONE = '+918040264208'
INFO_LIST = [mapping('1', '+911111111111', 'flow'), mapping('2', '+912222222222', None), mapping('3', '+913333333333', 'pstn')]


def args(**kw):
    base = dict(account_sid=ACCOUNT, api_key=KEY, api_token=TOKEN, region='mumbai', trunk_sid=TRUNK)
    base.update(kw)
    return {k: v for k, v in base.items() if v is not None}


def not_found():
    return dict(status=404, json=error(404, 1000, 'Not Found'))


@pytest.mark.parametrize('filters, ids', [
    ({}, ['1', '2', '3']),
    ({'mode': 'flow'}, ['1']),
    ({'mode': 'pstn'}, ['2', '3']),
    ({'phone_number': '+912222222222'}, ['2']),
    ({'number_id': '3'}, ['3']),
    ({'number_id': '9'}, []),
])
def test_info_lists_and_filters(http, run_module, filters, ids):
    http.get(NUMBERS, json=listing(INFO_LIST))
    a = args()
    a.update(filters)
    run = run_module(exotel_trunk_number_info.main, a, check_mode=True)
    assert calls(http) == [('GET', LIST_PATH + '?page_size=100', None)]
    assert run.result['changed'] is False
    assert [m['id'] for m in run.result['mappings']] == ids
    if '2' in ids:
        assert [m for m in run.result['mappings'] if m['id'] == '2'][0]['mode'] is None


def test_info_lookup_across_the_account(http, run_module):
    http.get(LOOKUP, json={'exophone': PHONE, 'trunk_sid': TRUNK, 'phone_number_id': '41523', 'mode': 'flow'})
    run = run_module(exotel_trunk_number_info.main, args(trunk_sid=None, phone_number=PHONE))
    assert calls(http) == [('GET', LOOKUP_ALL, None)]
    assert run.result['mappings'] == [{'id': '41523', 'phone_number': PHONE, 'trunk_sid': TRUNK, 'mode': 'flow'}]


def test_info_lookup_not_mapped_is_empty(http, run_module):
    http.get(LOOKUP, **not_found())
    run = run_module(exotel_trunk_number_info.main, args(trunk_sid=None, phone_number=PHONE))
    assert run.result['mappings'] == []


def test_info_lookup_answer_not_understood_fails_clearly(http, run_module):
    http.get(LOOKUP, json={'request_id': 'q1', 'response': {'code': 200, 'status': 'success', 'data': {'weird': 1}}})
    run = run_module(exotel_trunk_number_info.main, args(trunk_sid=None, phone_number=PHONE))
    assert run.result['failed'] is True
    assert 'lookup result that is not understood' in run.result['msg']
    assert run.result['msg'].endswith('Pass trunk_sid to list a trunk instead.')


def test_info_needs_trunk_or_phone(http, run_module):
    run = run_module(exotel_trunk_number_info.main, args(trunk_sid=None, phone_number=None))
    assert len(http.calls) == 0
    assert 'one of the following is required: trunk_sid, phone_number' in run.result['msg']


def test_info_returns_the_mappings_exactly_as_exotel_lists_them(http, run_module):
    http.get(NUMBERS, json=listing(INFO_LIST))
    run = run_module(exotel_trunk_number_info.main, args())
    assert run.result == {'changed': False, 'mappings': INFO_LIST}


def test_info_walks_every_page(http, run_module):
    page2 = LIST_PATH + '?offset=100&page_size=100'
    http.get(NUMBERS, json=listing([INFO_LIST[0]] * 100, next_page_uri=page2))
    http.get(NUMBERS, json=listing(INFO_LIST[1:]))
    run = run_module(exotel_trunk_number_info.main, args(mode='pstn'))
    assert calls(http) == [('GET', LIST_PATH + '?page_size=100', None), ('GET', page2, None)]
    assert [m['id'] for m in run.result['mappings']] == ['2', '3']


def test_info_lookup_across_the_account_applies_the_filters(http, run_module):
    http.get(LOOKUP, json={'exophone': PHONE, 'trunk_sid': TRUNK, 'phone_number_id': '41523', 'mode': None})
    run = run_module(exotel_trunk_number_info.main, args(trunk_sid=None, phone_number=PHONE, mode='flow'))
    assert run.result['mappings'] == []


def test_info_unknown_trunk_names_trunk_sid(http, run_module):
    http.get(NUMBERS, **not_found())
    run = run_module(exotel_trunk_number_info.main, args())
    r = run.result
    assert r['failed'] is True and r['http_status'] == 404 and r['error_code'] == 1000
    assert r['msg'] == (
        'Could not read the phone numbers of trunk %s: Exotel rejected GET %s?page_size=100: HTTP 404, error 1000, '
        'Not Found, request_id e45544e19a7f4d5d956fefe63fe3c6b6. Check trunk_sid: the trunk %s does not exist in '
        'account %s (or belongs to another account).' % (TRUNK, LIST_PATH, TRUNK, ACCOUNT))
    assert r['request_id'] == 'e45544e19a7f4d5d956fefe63fe3c6b6' and r['path'] == LIST_PATH + '?page_size=100'


def test_info_lookup_failure_says_to_pass_trunk_sid(http, run_module):
    http.get(LOOKUP, status=403, json=error(403, 1003, 'Forbidden'))
    run = run_module(exotel_trunk_number_info.main, args(trunk_sid=None, phone_number=PHONE))
    r = run.result
    assert r['msg'].startswith('Could not look up %s: Exotel rejected GET %s: HTTP 403, error 1003' % (PHONE, LOOKUP_ALL))
    assert r['msg'].endswith('Pass trunk_sid to list a trunk instead.')
    assert (r['http_status'], r['error_code'], r['method']) == (403, 1003, 'GET')


BAD = {
    'phone_number': ('918040264208', 'phone_number must be an E.164 phone number'),
    'number_id': ('41a', 'number_id must be a mapping id made of digits, e.g. "41523"'),
    'trunk_sid': ('a/b', 'trunk_sid must be a trunk SID'),
}


@pytest.mark.parametrize('option', sorted(BAD))
def test_info_bad_input_sends_nothing(http, run_module, option):
    run = run_module(exotel_trunk_number_info.main, args(**{option: BAD[option][0]}))
    assert (len(http.calls), run.result['msg'][:len(BAD[option][1])]) == (0, BAD[option][1])

# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""exotel_exophone_info: exact calls and results, filters, app ids, trunk mappings, failures."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.exotel.trunking.plugins.modules import exotel_exophone_info
from ansible_collections.exotel.trunking.tests.unit.plugins.exophone_answers import (
    BASE, FIRST_PAGE, LIST, LIST_URL, LOOKUP_URL, SID, connection, exophone, form_calls, page, parsed, rest,
)
from ansible_collections.exotel.trunking.tests.unit.plugins.exotel_envelopes import ACCOUNT, TOKEN, TRUNK, error, warning_texts

A = exophone(sid='a1', phone='+918040264208', name='Support', voice_url='http://my.exotel.com/x/exoml/start_voice/245678')
B = exophone(sid='b2', phone='+918040264209', name='Bot', voice_url='https://my.exotel.com/exoml/start/245679',
             sms_url='https://my.exotel.com/x/exoml/start_sms/300001')
C = exophone(sid='c3', phone='08040264210', name='Support', voice_url=None)
LOOKUP = '/v2/accounts/%s/trunk-maps?exophone=%%2B91804026420' % ACCOUNT


def listed(http):
    http.get(LIST_URL, json=page([A, B, C], next_page=False))


@pytest.mark.parametrize('filters, sids', [
    ({}, ['a1', 'b2', 'c3']),
    ({'phone_number': '+918040264209'}, ['b2']),
    ({'phone_number': '+918040264210'}, ['c3']),
    ({'friendly_name': 'Support'}, ['a1', 'c3']),
    ({'app_id': 245678}, ['a1']),
    ({'voice_app_id': '245679'}, ['b2']),
    ({'app_id': '1'}, []),
])
def test_lists_filters_and_parses_app_ids(http, run_module, filters, sids):
    listed(http)
    run = run_module(exotel_exophone_info.main, connection(**filters), check_mode=True)
    assert form_calls(http) == [('GET', FIRST_PAGE, None)]
    assert run.result['changed'] is False
    assert [e['sid'] for e in run.result['exophones']] == sids


def test_returns_every_field_exotel_gives_with_the_app_ids(http, run_module):
    listed(http)
    run = run_module(exotel_exophone_info.main, connection())
    assert run.result == {'changed': False, 'exophones': [parsed(A), parsed(B), parsed(C)]}
    assert [(e['app_id'], e['sms_app_id']) for e in run.result['exophones']] == [
        ('245678', None), ('245679', '300001'), (None, None)]


def test_a_sid_is_read_with_one_request(http, run_module):
    http.get(BASE + LIST + '/' + SID, json=dict(A, sid=SID))
    run = run_module(exotel_exophone_info.main, connection(sid=SID))
    assert form_calls(http) == [('GET', LIST + '/' + SID, None)]
    assert run.result['exophones'] == [parsed(dict(A, sid=SID))]


def test_an_unknown_sid_is_an_empty_list(http, run_module):
    http.get(BASE + LIST + '/' + SID, status=404, json=rest(404, 'NOT_FOUND', 'not found'))
    run = run_module(exotel_exophone_info.main, connection(sid=SID))
    assert run.result == {'changed': False, 'exophones': []}


def test_every_page_is_read(http, run_module):
    http.get(LIST_URL, json=page([A], size=1))
    http.get(LIST_URL, json=page([B], number=1, size=1, next_page=False))
    run = run_module(exotel_exophone_info.main, connection())
    assert [c[1] for c in form_calls(http)] == [FIRST_PAGE, LIST + '?Page=1&PageSize=1']
    assert [e['sid'] for e in run.result['exophones']] == ['a1', 'b2']


def test_trunk_mappings_are_looked_up_for_the_numbers_listed(http, run_module):
    listed(http)
    http.get(LOOKUP_URL, json={'exophone': '+918040264208', 'trunk_sid': TRUNK, 'phone_number_id': '41523', 'mode': 'pstn'})
    http.get(LOOKUP_URL, status=404, json=error(404, 1000, 'Not Found'))
    run = run_module(exotel_exophone_info.main, connection(include_trunk_mapping=True, friendly_name='Support',
                                                           phone_number=None))
    # C is written nationally: it is not looked up, and the task says so.
    assert form_calls(http) == [('GET', FIRST_PAGE, None), ('GET', LOOKUP + '8', None)]
    assert [e['trunk_mapping'] for e in run.result['exophones']] == [
        {'trunk_sid': TRUNK, 'mode': 'pstn', 'number_id': '41523'}, None]
    assert warning_texts(run.result) == [
        "The trunk mapping of ExoPhone c3 is not looked up: its number '08040264210' is not in E.164 form."]


def test_a_national_number_asked_for_in_e164_is_looked_up_in_e164(http, run_module):
    listed(http)
    http.get(LOOKUP_URL, status=404, json=error(404, 1000, 'Not Found'))
    run = run_module(exotel_exophone_info.main, connection(include_trunk_mapping=True, phone_number='+918040264210'))
    assert form_calls(http) == [('GET', FIRST_PAGE, None), ('GET', LOOKUP[:-1] + '10', None)]
    assert run.result['exophones'] == [dict(parsed(C), trunk_mapping=None)]


def test_a_failed_lookup_fails_the_task(http, run_module):
    listed(http)
    http.get(LOOKUP_URL, status=401, json=error(401, 1010, 'Authorization failed', request_id='r7'))
    run = run_module(exotel_exophone_info.main, connection(include_trunk_mapping=True))
    r = run.result
    assert len(http.calls) == 2
    assert r['msg'].startswith('Could not look up the trunk mapping of ExoPhone +918040264208: Exotel rejected GET %s8: '
                               'HTTP 401, error 1010, Authorization failed, request_id r7.' % LOOKUP)
    assert (r['http_status'], r['error_code'], r['request_id']) == (401, 1010, 'r7')
    assert TOKEN not in run.out


def test_a_failed_list_names_the_account(http, run_module):
    http.get(LIST_URL, status=401, json=rest(401, 'UNAUTHORIZED', 'Authentication failed'))
    run = run_module(exotel_exophone_info.main, connection())
    r = run.result
    assert r['msg'].startswith('Could not read the ExoPhones of account %s: Exotel rejected GET %s: HTTP 401, error '
                               'UNAUTHORIZED, Authentication failed. Check account_sid' % (ACCOUNT, FIRST_PAGE))
    assert (r['http_status'], r['error_code'], r['error_description'], r['method'], r['path']) == (
        401, 'UNAUTHORIZED', 'Authentication failed', 'GET', FIRST_PAGE)
    assert TOKEN not in run.out


@pytest.mark.parametrize('options, msg', [
    ({'phone_number': '+91'}, 'phone_number must be an E.164 phone number'),
    ({'app_id': '24a'}, 'app_id must be a flow (app) id made of digits'),
    ({'sid': 'a b'}, 'sid must be an ExoPhone SID'),
])
def test_bad_filters_fail_before_any_request(http, run_module, options, msg):
    run = run_module(exotel_exophone_info.main, connection(**options))
    assert len(http.calls) == 0
    assert msg in run.result['msg']

# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Tests of the emulator's ExoPhone API (v2_beta) against "ExoPhones" in docs/docsite/rst/api_reference.rst."""

import os
import sys

import pytest
import requests

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from test_emulator import ACCOUNT, TRUNK, Client  # noqa: E402 pylint: disable=wrong-import-position

BETA = '/v2_beta/Accounts/%s' % ACCOUNT
LIST = BETA + '/IncomingPhoneNumbers'
SUPPORT = '0b8f6c1e2d3a4b5c6d7e8f9012345601'
SPARE = '0b8f6c1e2d3a4b5c6d7e8f9012345605'
NEW = '+918040264300'
FLOW = 'https://my.exotel.com/demo_account/exoml/start_voice/245678'


@pytest.fixture(name='beta')
def beta_fixture(emu):
    return Client(emu.url)


def assert_rest(answer, status, code, message=None):
    assert answer.status_code == status, answer.text
    body = answer.json()
    assert set(body) == {'RestException'}
    assert body['RestException']['Status'] == (status if status >= 400 else body['RestException']['Status'])
    assert body['RestException']['Code'] == code
    if message is not None:
        assert body['RestException']['Message'] == message


# ---- reading ---------------------------------------------------------------------------------------

def test_list_is_a_bare_page_with_twilio_style_uris(beta):
    answer = beta.call('GET', LIST)
    assert answer.status_code == 200
    body = answer.json()
    assert set(body) == {'page', 'page_size', 'uri', 'first_page_uri', 'next_page_uri', 'previous_page_uri',
                         'incoming_phone_numbers'}
    assert (body['page'], body['page_size'], body['next_page_uri'], body['previous_page_uri']) == (0, 50, None, None)
    assert body['first_page_uri'] == LIST + '?Page=0&PageSize=50'
    numbers = body['incoming_phone_numbers']
    assert [n['phone_number'] for n in numbers] == [
        '+918040264208', '+918040264209', '+918040264210', '+918040264211', '+912240264212']
    assert list(numbers[0]) == ['sid', 'phone_number', 'friendly_name', 'capabilities', 'country', 'region', 'voice_url',
                                'sms_url', 'date_created', 'date_updated']
    assert numbers[0]['voice_url'] == 'http://my.exotel.com/demo_account/exoml/start_voice/245678'
    assert numbers[2]['voice_url'] is None


def test_list_pages_with_page_and_page_size(beta):
    beta.admin('PUT', 'config', {'max_page_size': 2})
    first = beta.call('GET', LIST + '?Page=0&PageSize=100').json()
    assert first['page_size'] == 2 and len(first['incoming_phone_numbers']) == 2
    assert first['next_page_uri'] == LIST + '?Page=1&PageSize=2'
    last = beta.call('GET', LIST + '?Page=2&PageSize=2').json()
    assert [n['sid'] for n in last['incoming_phone_numbers']] == [SPARE]
    assert last['next_page_uri'] is None and last['previous_page_uri'] == LIST + '?Page=1&PageSize=2'
    beta.admin('PUT', 'config', {'exophones_omit_next_page_uri': True})
    bare = beta.call('GET', LIST).json()
    assert set(bare) == {'page', 'page_size', 'incoming_phone_numbers'}
    assert_rest(beta.call('GET', LIST + '?Page=-1'), 400, 'INVALID_PARAMETER', 'Invalid Page')


def test_get_one_and_an_unknown_sid(beta):
    answer = beta.call('GET', LIST + '/' + SUPPORT)
    assert answer.status_code == 200 and answer.json()['friendly_name'] == 'Support line'
    assert_rest(beta.call('GET', LIST + '/nope'), 404, 'NOT_FOUND', 'ExoPhone nope not found')


def test_another_accounts_exophone_is_not_found_and_bad_credentials_are_401(emu, beta):
    assert_rest(beta.call('GET', LIST + '/0c00000000000000000000000000f001'), 404, 'NOT_FOUND')
    assert_rest(Client(emu.url, token='wrong').call('GET', LIST), 401, 'UNAUTHORIZED', 'Authentication failed')
    assert_rest(Client(emu.url, key='other_key', token='other_token_9Zp').call('GET', LIST), 401, 'UNAUTHORIZED')
    assert_rest(beta.call('GET', '/v2_beta/Nope'), 404, 'NOT_FOUND')
    assert_rest(beta.call('PATCH', LIST), 404, 'NOT_FOUND')


# ---- writing ---------------------------------------------------------------------------------------

def test_put_updates_only_the_fields_given_and_bumps_date_updated(emu, beta, clock):
    clock.now += 3600
    answer = beta.call('PUT', LIST + '/' + SUPPORT, data={'VoiceUrl': FLOW.replace('245678', '1'), 'FriendlyName': 'Main'})
    assert answer.status_code == 200
    body = answer.json()
    assert (body['voice_url'], body['friendly_name'], body['sms_url']) == (FLOW.replace('245678', '1'), 'Main', None)
    assert body['date_updated'] == '2027-01-15T09:00:00Z'
    assert emu.store.exophones[ACCOUNT][0]['voice_url'] == FLOW.replace('245678', '1')
    log = beta.admin('GET', 'log')['entries'][-1]
    assert log['form'] == {'VoiceUrl': FLOW.replace('245678', '1'), 'FriendlyName': 'Main'} and log['json'] is None


@pytest.mark.parametrize('form, kwargs, status, code, message', [
    ({'VoiceURL': FLOW}, {}, 400, 'INVALID_PARAMETER', 'Unknown parameter VoiceURL'),
    ({'VoiceUrl': ''}, {}, 400, 'INVALID_PARAMETER', 'VoiceUrl must be an http or https URL'),
    ({'SMSUrl': 'ftp://x/1'}, {}, 400, 'INVALID_PARAMETER', 'SMSUrl must be an http or https URL'),
    ({'FriendlyName': ' '}, {}, 400, 'INVALID_PARAMETER', 'FriendlyName must be 1 to 64 characters'),
    (None, {'json': {'VoiceUrl': FLOW}}, 415, 'UNSUPPORTED_CONTENT_TYPE', None),
])
def test_put_refuses_what_is_not_documented(emu, beta, form, kwargs, status, code, message):
    before = dict(emu.store.exophones[ACCOUNT][0])
    assert_rest(beta.call('PUT', LIST + '/' + SUPPORT, data=form, **kwargs), status, code, message)
    assert emu.store.exophones[ACCOUNT][0] == before


def test_purchase_takes_an_available_number_once(emu, beta):
    answer = beta.call('POST', LIST, data={'PhoneNumber': NEW, 'VoiceUrl': FLOW})
    assert answer.status_code == 200
    body = answer.json()
    assert (body['phone_number'], body['voice_url'], body['rental_price'], body['currency']) == (NEW, FLOW, '499.000000', 'INR')
    assert len(body['sid']) == 32
    assert beta.call('GET', LIST + '/' + body['sid']).json()['voice_url'] == FLOW
    assert NEW not in [o['phone_number'] for o in emu.store.available]
    assert_rest(beta.call('POST', LIST, data={'PhoneNumber': NEW}), 400, 'NOT_AVAILABLE', 'PhoneNumber %s is not available' % NEW)
    assert_rest(beta.call('POST', LIST, data={'FriendlyName': 'x'}), 400, 'MISSING_PARAMETER', 'PhoneNumber is mandatory')
    assert_rest(beta.call('POST', LIST, data={'PhoneNumber': '08040264301'}), 400, 'INVALID_PARAMETER')


def test_release_answers_202_frees_the_number_and_its_trunk_mapping(emu, beta):
    answer = beta.call('DELETE', LIST + '/' + SUPPORT)
    assert (answer.status_code, answer.json()) == (202, {'Status': 202, 'Message': 'Accepted'})
    assert_rest(beta.call('GET', LIST + '/' + SUPPORT), 404, 'NOT_FOUND')
    assert '+918040264208' not in [m['phone_number'] for m in emu.store.trunks[TRUNK]['phone-numbers']]
    assert '+918040264208' in [o['phone_number'] for o in emu.store.available]
    assert_rest(beta.call('DELETE', LIST + '/' + SUPPORT), 404, 'NOT_FOUND')


def test_available_numbers_are_a_bare_array_filtered_by_country_type_and_contains(beta):
    landline = beta.call('GET', BETA + '/AvailablePhoneNumbers/IN/Landline').json()
    assert [o['phone_number'] for o in landline] == ['+918040264300', '+918040264301']
    assert landline[0] == {'phone_number': '+918040264300', 'region': 'KA', 'number_type': 'Landline',
                           'rental_price': '499.000000', 'capabilities': {'voice': True, 'sms': False},
                           'friendly_name': '+918040264300', 'country': 'IN'}
    assert [o['phone_number'] for o in beta.call('GET', BETA + '/AvailablePhoneNumbers/IN/Landline?Contains=64301').json()] == \
        ['+918040264301']
    assert beta.call('GET', BETA + '/AvailablePhoneNumbers/IN/Mobile?IncomingSMS=true&InRegion=KA').json()[0]['rental_price'] \
        == '999.000000'
    assert beta.call('GET', BETA + '/AvailablePhoneNumbers/IN/TollFree').json() == []
    assert_rest(beta.call('GET', BETA + '/AvailablePhoneNumbers/IN/Fax'), 404, 'NOT_FOUND')
    countries = beta.call('GET', BETA + '/AvailablePhoneNumbers').json()
    assert [c['country_code'] for c in countries['countries']] == ['IN', 'SG']


# ---- rate limit and faults -------------------------------------------------------------------------

def test_the_exophone_api_has_its_own_rate_limit(beta, clock):
    beta.admin('PUT', 'config', {'exophone_rate_limit': 2})
    assert beta.call('GET', LIST).headers['X-RateLimit-Limit'] == '2'
    assert beta.call('GET', LIST).status_code == 200
    refused = beta.call('GET', LIST)
    assert_rest(refused, 429, 'RATE_LIMIT_EXCEEDED', 'Rate limit exceeded. Try again in 60 seconds.')
    assert refused.headers['Retry-After'] == '60'
    trunks = beta.call('GET', '/v2/accounts/%s/trunks' % ACCOUNT)
    assert trunks.status_code == 200 and trunks.headers['X-RateLimit-Limit'] == '200'
    clock.now += 60
    assert beta.call('GET', LIST).status_code == 200


def test_faults_answer_in_the_exophone_apis_own_shapes(emu, beta):
    beta.admin('POST', 'faults', [
        {'kind': 'status', 'status': 503, 'match': {'path_regex': '/IncomingPhoneNumbers$'}},
        {'kind': 'failure_body_200', 'code': 400, 'error_code': 'NOT_AVAILABLE', 'match': {'method': 'POST'}},
        {'kind': 'ignore_change', 'match': {'method': 'PUT'}},
    ])
    assert_rest(beta.call('GET', LIST), 503, 503, 'Service Unavailable')
    assert_rest(beta.call('POST', LIST, data={'PhoneNumber': NEW}), 200, 'NOT_AVAILABLE', 'Bad Request')
    assert NEW in [o['phone_number'] for o in emu.store.available]
    answer = beta.call('PUT', LIST + '/' + SUPPORT, data={'FriendlyName': 'Ignored'})
    assert answer.status_code == 200 and answer.json()['friendly_name'] == 'Support line'
    assert emu.store.exophones[ACCOUNT][0]['friendly_name'] == 'Support line'
    assert [e['fault'] for e in beta.admin('GET', 'log')['entries']] == ['status', 'failure_body_200', 'ignore_change']


def test_a_lost_answer_to_a_purchase_still_buys(emu, beta):
    beta.admin('POST', 'faults', {'kind': 'lost_answer', 'match': {'method': 'POST'}})
    with pytest.raises(requests.exceptions.ConnectionError):
        beta.call('POST', LIST, data={'PhoneNumber': NEW})
    assert NEW in [e['phone_number'] for e in emu.store.exophones[ACCOUNT]]


def test_state_dump_and_reset_cover_exophones(emu, beta):
    beta.call('DELETE', LIST + '/' + SPARE)
    state = beta.admin('GET', 'state')
    assert [e['sid'] for e in state['exophones'][ACCOUNT]][-1] != SPARE
    assert len(state['available_phone_numbers']) == 5
    beta.admin('POST', 'reset')
    state = beta.admin('GET', 'state')
    assert [e['sid'] for e in state['exophones'][ACCOUNT]][-1] == SPARE
    assert len(state['available_phone_numbers']) == 4

# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Tests of the Exotel emulator against the API reference, docs/docsite/rst/api_reference.rst.

Run with ``pytest tests/emulator``. Each test gets a fresh emulator in a thread, with an
injected clock and sleep: no test waits for real time.
"""

import json
import os
import re
import subprocess
import sys
import threading

import pytest
import requests

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import exotel_emulator  # noqa: E402 pylint: disable=wrong-import-position
from exotel_emulator import Emulator  # noqa: E402 pylint: disable=wrong-import-position

from exotel_emu.credentials import demo_credentials  # noqa: E402 pylint: disable=wrong-import-position

ACCOUNT, KEY, TOKEN = demo_credentials()
TRUNK = 'trmum1f708622631150902801a1n'
PAGED = 'trpaged0000000000000000000000001'
EMPTY = 'trempty00000000000000000000000001'
OTHER_TRUNK = 'trother0000000000000000000000001'
BASE = '/v2/accounts/%s' % ACCOUNT
T0 = 1800000000.0  # 2027-01-15T08:00:00Z
T0_ISO = '2027-01-15T08:00:00Z'

MAPPINGS = [
    {'id': '41523', 'phone_number': '+918040264208', 'trunk_sid': TRUNK,
     'date_created': '2026-01-23T13:28:11Z', 'date_updated': '2026-01-23T13:41:59Z', 'mode': 'pstn'},
    {'id': '41524', 'phone_number': '+918040264209', 'trunk_sid': TRUNK,
     'date_created': '2026-01-23T13:28:40Z', 'date_updated': '2026-01-23T13:42:10Z', 'mode': 'flow'},
    {'id': '41525', 'phone_number': '+918040264210', 'trunk_sid': TRUNK,
     'date_created': '2026-01-23T13:29:03Z', 'date_updated': '2026-01-23T13:29:03Z', 'mode': None},
]


class FakeClock:
    """An injectable clock and sleep: time moves only when a test (or a latency fault) says so."""

    def __init__(self, now=T0):
        self.now = now
        self.slept = []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.slept.append(seconds)
        self.now += seconds


@pytest.fixture(name='clock')
def clock_fixture():
    return FakeClock()


@pytest.fixture(name='emu')
def emu_fixture(clock):
    emulator = Emulator(clock=clock, sleep=clock.sleep)
    with emulator:
        yield emulator


class Client:
    """A tiny requests wrapper: JSON bodies, Basic auth, paths relative to the emulator."""

    def __init__(self, url, key=KEY, token=TOKEN):
        self.url = url
        self.session = requests.Session()
        if key is not None:
            self.session.auth = (key, token)

    def call(self, method, path, body=None, **kwargs):
        if body is not None:
            kwargs['json'] = body
        kwargs.setdefault('allow_redirects', False)
        return self.session.request(method, self.url + path, timeout=10, **kwargs)

    def admin(self, method, action, body=None):
        answer = requests.request(method, self.url + '/_emulator/' + action, json=body, timeout=10)
        assert answer.status_code == 200, answer.text
        return answer.json()


@pytest.fixture(name='api')
def api_fixture(emu):
    return Client(emu.url)


def assert_error(answer, http_status, code, message, description=None, method=None):
    body = answer.json()
    assert answer.status_code == http_status
    assert re.match(r'^[0-9a-f]{32}$', body['request_id'])
    assert body['method'] == (method or answer.request.method)
    assert body['http_code'] == http_status
    resp = body['response']
    assert resp['status'] == 'failure'
    assert resp['data'] is None
    assert resp['code'] == (409 if code == 1008 else http_status)
    assert resp['error_data']['code'] == code
    assert resp['error_data']['message'] == message
    if description is not None:
        assert resp['error_data']['description'] == description


def assert_single(answer, data, method=None):
    body = answer.json()
    assert answer.status_code == 200, answer.text
    assert set(body) == {'request_id', 'method', 'http_code', 'response'}
    assert re.match(r'^[0-9a-f]{32}$', body['request_id'])
    assert body['method'] == (method or answer.request.method)
    assert body['http_code'] == 200
    assert body['response'] == {'code': 200, 'error_data': None, 'status': 'success', 'data': data}


def list_data(answer):
    assert answer.status_code == 200, answer.text
    items = answer.json()['response']
    assert all(i['code'] == 200 and i['status'] == 'success' and i['error_data'] is None for i in items)
    return [i['data'] for i in items]


# ---- documented shapes ------------------------------------------------------------------------

def test_list_numbers_has_documented_envelope_and_metadata(api):
    answer = api.call('GET', BASE + '/trunks/%s/phone-numbers' % TRUNK)
    body = answer.json()
    assert answer.status_code == 200
    assert answer.headers['Content-Type'] == 'application/json'
    assert body['method'] == 'GET'
    assert body['http_code'] == 200
    assert body['metadata'] == {
        'page_size': 50,
        'first_page_uri': BASE + '/trunks/%s/phone-numbers?offset=0&page_size=50' % TRUNK,
        'prev_page_uri': None, 'next_page_uri': None}
    assert list_data(answer) == MAPPINGS
    assert list(list_data(answer)[0]) == ['id', 'phone_number', 'trunk_sid', 'date_created', 'date_updated', 'mode']


def test_pagination_walks_120_numbers_in_3_pages_via_relative_next_page_uri(api):
    uri = BASE + '/trunks/%s/phone-numbers' % PAGED
    pages, numbers = [], []
    while uri:
        assert not uri.startswith('http')
        body = api.call('GET', uri).json()
        pages.append(body['metadata'])
        numbers.extend(i['data'] for i in body['response'])
        uri = body['metadata']['next_page_uri']
    assert len(pages) == 3
    assert [len(p) for p in (numbers[:50], numbers[50:100], numbers[100:])] == [50, 50, 20]
    assert [n['id'] for n in numbers] == [str(i) for i in range(50000, 50120)]
    assert numbers[0]['phone_number'] == '+918040300000'
    assert numbers[119]['phone_number'] == '+918040300119'
    assert {n['mode'] for n in numbers} == {'pstn'}
    prefix = BASE + '/trunks/%s/phone-numbers' % PAGED
    assert pages[1] == {'page_size': 50, 'first_page_uri': prefix + '?offset=0&page_size=50',
                        'prev_page_uri': prefix + '?offset=0&page_size=50',
                        'next_page_uri': prefix + '?offset=100&page_size=50'}
    assert pages[2]['prev_page_uri'] == prefix + '?offset=50&page_size=50'
    assert pages[2]['next_page_uri'] is None


def test_page_size_is_silently_capped(api):
    body = api.call('GET', BASE + '/trunks/%s/phone-numbers?page_size=500' % PAGED).json()
    assert exotel_emulator.MAX_PAGE_SIZE == 100
    assert body['metadata']['page_size'] == 100
    assert len(body['response']) == 100
    assert body['metadata']['next_page_uri'].endswith('?offset=100&page_size=100')


def test_max_page_size_is_configurable_at_run_time(api):
    assert api.admin('PUT', 'config', {'max_page_size': 7})['max_page_size'] == 7
    body = api.call('GET', BASE + '/trunks/%s/phone-numbers?page_size=50' % PAGED).json()
    assert len(body['response']) == 7
    assert body['metadata']['page_size'] == 7


@pytest.mark.parametrize('query', ['offset=-1', 'offset=abc', 'page_size=0', 'page_size=x'])
def test_bad_pagination_parameters_are_invalid(api, query):
    assert_error(api.call('GET', BASE + '/trunks/%s/phone-numbers?%s' % (PAGED, query)), 400, 1002, 'Invalid parameter')


def test_empty_list_with_and_without_metadata(api):
    body = api.call('GET', BASE + '/trunks/%s/phone-numbers' % EMPTY).json()
    assert body['response'] == []
    assert body['metadata']['next_page_uri'] is None
    api.admin('PUT', 'config', {'omit_empty_metadata': True})
    body = api.call('GET', BASE + '/trunks/%s/phone-numbers' % EMPTY).json()
    assert set(body) == {'request_id', 'method', 'http_code', 'response'}
    assert body['response'] == []


# ---- the phone-number mapping -----------------------------------------------------------------

def test_put_mode_updates_mapping_and_date_updated(api, clock, emu):
    clock.now = T0
    answer = api.call('PUT', BASE + '/trunks/%s/phone-numbers/41523' % TRUNK, {'phone_number': '+918040264208', 'mode': 'flow'})
    expected = dict(MAPPINGS[0], mode='flow', date_updated=T0_ISO)
    assert_single(answer, expected)
    assert emu.store.dump()['trunks'][TRUNK]['phone_numbers'][0] == expected
    assert list_data(api.call('GET', BASE + '/trunks/%s/phone-numbers' % TRUNK))[0] == expected


PUT_ERRORS = [
    ({'phone_number': '+918040264209', 'mode': 'flow'}, 400, 1002, 'Invalid parameter'),
    ({'phone_number': '+918040264208'}, 400, 1001, 'Mandatory Parameter missing'),
    ({'mode': 'flow'}, 400, 1001, 'Mandatory Parameter missing'),
    ({'phone_number': '+918040264208', 'mode': 'sip'}, 400, 1002, 'Invalid parameter'),
    ({'phone_number': '+918040264208', 'mode': None}, 400, 1001, 'Mandatory Parameter missing'),
    ({'phone_number': '918040264208', 'mode': 'flow'}, 400, 1002, 'Invalid parameter'),
    ({'phone_number': 918040264208, 'mode': 'flow'}, 400, 1007, 'Invalid request body,failed parsing'),
    ({'phone_number': '+918040264208', 'mode': ['flow']}, 400, 1007, 'Invalid request body,failed parsing'),
]


def assert_refused_and_unchanged(api, emu, method, path, body, status, code, message):
    """``method path body`` is refused with the error given, and the emulator's state stays as it was."""
    before = emu.store.dump()
    assert_error(api.call(method, path, body), status, code, message)
    assert emu.store.dump() == before


@pytest.mark.parametrize('body,status,code,message', PUT_ERRORS)
def test_put_mode_errors_change_nothing(api, emu, body, status, code, message):
    assert_refused_and_unchanged(api, emu, 'PUT', BASE + '/trunks/%s/phone-numbers/41523' % TRUNK, body, status, code, message)


def test_put_unknown_id_is_404(api):
    answer = api.call('PUT', BASE + '/trunks/%s/phone-numbers/99999' % TRUNK, {'phone_number': '+918040264208', 'mode': 'flow'})
    assert_error(answer, 404, 1000, 'Not Found', '99999 not found')


def test_malformed_json_is_1007(api):
    answer = api.call('PUT', BASE + '/trunks/%s/phone-numbers/41523' % TRUNK, data='{"mode": "flow"',
                      headers={'Content-Type': 'application/json'})
    assert_error(answer, 400, 1007, 'Invalid request body,failed parsing')
    answer = api.call('PUT', BASE + '/trunks/%s/phone-numbers/41523' % TRUNK, data='["flow"]',
                      headers={'Content-Type': 'application/json'})
    assert_error(answer, 400, 1007, 'Invalid request body,failed parsing')


@pytest.mark.parametrize('method', ['POST', 'PUT'])
def test_non_json_content_type_is_415(api, method):
    path = BASE + ('/trunks/%s/phone-numbers' % TRUNK if method == 'POST' else '/trunks/%s/phone-numbers/41523' % TRUNK)
    answer = api.call(method, path, data='phone_number=%2B918040264208&mode=flow',
                      headers={'Content-Type': 'application/x-www-form-urlencoded'})
    assert_error(answer, 415, 1011, 'unsupported content type', 'unsupported content type: application/x-www-form-urlencoded')


def test_map_and_unmap_number(api, clock):
    answer = api.call('POST', BASE + '/trunks/%s/phone-numbers' % EMPTY, {'phone_number': '+918040264299', 'mode': 'flow'})
    created = {'id': '100000', 'phone_number': '+918040264299', 'trunk_sid': EMPTY,
               'date_created': T0_ISO, 'date_updated': T0_ISO, 'mode': 'flow'}
    assert_single(answer, created)
    clock.now += 5
    answer = api.call('POST', BASE + '/trunks/%s/phone-numbers' % EMPTY, {'phone_number': '+918040264298'})
    assert answer.json()['response']['data']['mode'] is None
    assert answer.json()['response']['data']['id'] == '100001'
    assert_single(api.call('DELETE', BASE + '/trunks/%s/phone-numbers?id=100000' % EMPTY), created)
    assert [m['id'] for m in list_data(api.call('GET', BASE + '/trunks/%s/phone-numbers' % EMPTY))] == ['100001']


MAP_ERRORS = [
    ({'phone_number': '+918040264208'}, 200, 1008, 'Duplicate resource'),
    ({'phone_number': '+9180402'}, 400, 1002, 'Invalid parameter'),
    ({'phone_number': ''}, 404, 1000, 'Not Found'),
    ({'phone_number': '+9180402642081234567'}, 404, 1000, 'Not Found'),
    ({}, 400, 1001, 'Mandatory Parameter missing'),
    ({'phone_number': '+918040264299', 'mode': 'bot'}, 400, 1002, 'Invalid parameter'),
]


@pytest.mark.parametrize('body,status,code,message', MAP_ERRORS)
def test_map_number_errors(api, emu, body, status, code, message):
    assert_refused_and_unchanged(api, emu, 'POST', BASE + '/trunks/%s/phone-numbers' % EMPTY, body, status, code, message)


def test_unmap_errors(api):
    assert_error(api.call('DELETE', BASE + '/trunks/%s/phone-numbers' % TRUNK), 400, 1001, 'Mandatory Parameter missing')
    assert_error(api.call('DELETE', BASE + '/trunks/%s/phone-numbers?id=1' % TRUNK), 404, 1000, 'Not Found')


def test_exophones_restrict_mapping_when_listed(clock):
    fixture = exotel_emulator.load_fixture(None)
    fixture['accounts'][0]['exophones'] = ['+918040264299']
    with Emulator(fixture=fixture, clock=clock) as emu:
        api = Client(emu.url)
        assert_error(api.call('POST', BASE + '/trunks/%s/phone-numbers' % EMPTY, {'phone_number': '+918040264298'}),
                     400, 1002, 'Invalid parameter')
        assert api.call('POST', BASE + '/trunks/%s/phone-numbers' % EMPTY, {'phone_number': '+918040264299'}).status_code == 200


# ---- trunk-maps lookup ------------------------------------------------------------------------

def test_trunk_maps_lookup_enveloped_and_flat(api):
    path = BASE + '/trunk-maps?exophone=%2B918040264210&trunk_sid=' + TRUNK
    data = {'exophone': '+918040264210', 'trunk_sid': TRUNK, 'phone_number_id': '41525', 'mode': None}
    assert_single(api.call('GET', path), data)
    assert_single(api.call('GET', BASE + '/trunk-maps?exophone=%2B918040264210'), data)
    api.admin('PUT', 'config', {'trunk_maps_flat': True})
    answer = api.call('GET', path)
    assert answer.status_code == 200
    assert answer.json() == data


def test_trunk_maps_lookup_errors(api):
    assert_error(api.call('GET', BASE + '/trunk-maps?exophone=%2B918040264277'), 404, 1000, 'Not Found')
    assert_error(api.call('GET', BASE + '/trunk-maps?exophone=%2B918040264208&trunk_sid=' + PAGED), 404, 1000, 'Not Found')
    assert_error(api.call('GET', BASE + '/trunk-maps'), 400, 1001, 'Mandatory Parameter missing')
    # An unencoded "+" arrives as a space: Exotel wants %2B.
    assert_error(api.call('GET', BASE + '/trunk-maps?exophone=+918040264208'), 400, 1002, 'Invalid parameter')
    # Another account's number is unknown here.
    assert_error(api.call('GET', BASE + '/trunk-maps?exophone=%2B919900000001'), 404, 1000, 'Not Found')


# ---- auth and foreign trunks ------------------------------------------------------------------

AUTH_CASES = [
    (None, None, ACCOUNT),
    (KEY, 'wrong', ACCOUNT),
    ('other_key', 'other_token_9Zp', ACCOUNT),
    (KEY, TOKEN, 'other_account'),
    (KEY, TOKEN, 'no_such_account'),
]


@pytest.mark.parametrize('key,token,account', AUTH_CASES)
def test_bad_or_missing_auth_is_401(emu, key, token, account):
    client = Client(emu.url, key, token)
    answer = client.call('GET', '/v2/accounts/%s/trunks' % account)
    assert_error(answer, 401, 1010, 'Authorization failed')
    assert 'X-RateLimit-Limit' not in answer.headers


def test_garbage_authorization_header_is_401(emu):
    answer = requests.get(emu.url + BASE + '/trunks', headers={'Authorization': 'Basic !!!'}, timeout=10)
    assert_error(answer, 401, 1010, 'Authorization failed')


def test_trunk_of_another_account_is_404(api, emu):
    assert_error(api.call('GET', BASE + '/trunks/%s/phone-numbers' % OTHER_TRUNK), 404, 1000, 'Not Found')
    assert_error(api.call('PUT', BASE + '/trunks/%s/phone-numbers/70001' % OTHER_TRUNK,
                          {'phone_number': '+919900000001', 'mode': 'flow'}), 404, 1000, 'Not Found')
    assert_error(api.call('DELETE', BASE + '/trunks?trunk_sid=' + OTHER_TRUNK), 404, 1000, 'Not Found')
    other = Client(emu.url, 'other_key', 'other_token_9Zp')
    assert [m['id'] for m in list_data(other.call('GET', '/v2/accounts/other_account/trunks/%s/phone-numbers' % OTHER_TRUNK))] == ['70001']


def test_unknown_route_is_404(api):
    assert_error(api.call('GET', BASE + '/trunks/%s/nothing' % TRUNK), 404, 1000, 'Not Found')
    assert_error(api.call('GET', '/v9/whatever'), 404, 1000, 'Not Found')


# ---- trunks -----------------------------------------------------------------------------------

def test_create_list_update_delete_trunk(api, clock, emu):
    answer = api.call('POST', BASE + '/trunks', {'trunk_name': 'new_trunk', 'nso_code': 'ANY-ANY',
                                                 'domain_name': 'demo_account.pstn.exotel.com'})
    data = answer.json()['response']['data']
    assert re.match(r'^trmum1[0-9a-f]{19}a1n$', data['trunk_sid'])
    sid = data['trunk_sid']
    assert_single(answer, {'trunk_sid': sid, 'trunk_name': 'new_trunk', 'status': 'active', 'auth_type': 'ip whitelist',
                           'nso_code': 'ANY-ANY', 'domain_name': 'demo_account.pstn.exotel.com',
                           'date_created': T0_ISO, 'date_updated': T0_ISO})
    names = [t['trunk_name'] for t in list_data(api.call('GET', BASE + '/trunks'))]
    assert names == ['support_trunk', 'paged_trunk', 'empty_trunk', 'new_trunk']
    answer = api.call('GET', BASE + '/trunks?trunk_sid=' + sid)
    assert [t['trunk_sid'] for t in list_data(answer)] == [sid]
    assert answer.json()['metadata']['first_page_uri'] == BASE + '/trunks?offset=0&page_size=50&trunk_sid=' + sid
    clock.now += 60
    answer = api.call('PUT', BASE + '/trunks/' + sid, {'trunk_name': 'renamed'})
    assert answer.json()['response']['data']['trunk_name'] == 'renamed'
    assert answer.json()['response']['data']['date_updated'] == '2027-01-15T08:01:00Z'
    api.call('POST', BASE + '/trunks/%s/phone-numbers' % sid, {'phone_number': '+918040264299', 'mode': 'flow'})
    before = emu.store.dump()['trunks'][sid]
    answer = api.call('DELETE', BASE + '/trunks?trunk_sid=' + sid)
    assert answer.json()['response']['data']['trunk_name'] == 'renamed'
    assert sid not in emu.store.dump()['trunks']
    assert before['phone_numbers'][0]['phone_number'] == '+918040264299'
    assert_error(api.call('GET', BASE + '/trunk-maps?exophone=%2B918040264299'), 404, 1000, 'Not Found')
    assert_error(api.call('DELETE', BASE + '/trunks?trunk_sid=' + sid), 404, 1000, 'Not Found')


def test_delete_trunk_removes_everything_and_answers_the_trunk(api, emu):
    answer = api.call('DELETE', BASE + '/trunks?trunk_sid=' + TRUNK)
    assert_single(answer, {'trunk_sid': TRUNK, 'trunk_name': 'support_trunk', 'status': 'active', 'auth_type': 'ip whitelist',
                           'nso_code': 'ANY-ANY', 'domain_name': 'demo_account.pstn.exotel.com',
                           'date_created': '2026-01-23T13:20:02Z', 'date_updated': '2026-01-23T13:20:02Z'})
    assert TRUNK not in emu.store.dump()['trunks']
    assert_error(api.call('GET', BASE + '/trunks/%s/whitelisted-ips' % TRUNK), 404, 1000, 'Not Found')


TRUNK_ERRORS = [
    ({'nso_code': 'ANY-ANY', 'domain_name': 'demo_account.pstn.exotel.com'}, 400, 1001, 'Mandatory Parameter missing'),
    ({'trunk_name': 'support_trunk', 'nso_code': 'ANY-ANY', 'domain_name': 'demo_account.pstn.exotel.com'}, 200, 1008,
     'Duplicate resource'),
    ({'trunk_name': 'bad-name', 'nso_code': 'ANY-ANY', 'domain_name': 'demo_account.pstn.exotel.com'}, 400, 1002, 'Invalid parameter'),
    ({'trunk_name': 'a_name_longer_than_16', 'nso_code': 'ANY-ANY', 'domain_name': 'demo_account.pstn.exotel.com'}, 400, 1002,
     'Invalid parameter'),
    ({'trunk_name': 'ok_name', 'nso_code': 'any any', 'domain_name': 'demo_account.pstn.exotel.com'}, 400, 1002, 'Invalid parameter'),
    ({'trunk_name': 'ok_name', 'nso_code': 'ANY-ANY'}, 400, 1001, 'Mandatory Parameter missing'),
    ({'trunk_name': 7, 'nso_code': 'ANY-ANY', 'domain_name': 'demo_account.pstn.exotel.com'}, 400, 1007,
     'Invalid request body,failed parsing'),
]


@pytest.mark.parametrize('body,status,code,message', TRUNK_ERRORS)
def test_create_trunk_errors(api, emu, body, status, code, message):
    assert_refused_and_unchanged(api, emu, 'POST', BASE + '/trunks', body, status, code, message)


def test_duplicate_trunk_name_body(api):
    answer = api.call('POST', BASE + '/trunks', {'trunk_name': 'support_trunk', 'nso_code': 'ANY-ANY',
                                                 'domain_name': 'demo_account.pstn.exotel.com'})
    assert answer.status_code == 200
    body = answer.json()
    assert body['http_code'] == 200
    assert body['response'] == {'code': 409, 'status': 'failure', 'data': None,
                                'error_data': {'code': 1008, 'message': 'Duplicate resource',
                                               'description': 'Trunk name support_trunk already exists'}}


def test_update_trunk_errors(api):
    assert_error(api.call('PUT', BASE + '/trunks/' + TRUNK, {}), 400, 1001, 'Mandatory Parameter missing')
    assert_error(api.call('PUT', BASE + '/trunks/' + TRUNK, {'trunk_name': 'paged_trunk'}), 200, 1008, 'Duplicate resource')
    assert_error(api.call('PUT', BASE + '/trunks/trnope', {'trunk_name': 'x'}), 404, 1000, 'Not Found')
    assert_error(api.call('DELETE', BASE + '/trunks'), 400, 1001, 'Mandatory Parameter missing')


# ---- whitelisted IPs --------------------------------------------------------------------------

def test_acl_lifecycle(api, clock):
    path = BASE + '/trunks/%s/whitelisted-ips' % EMPTY
    answer = api.call('POST', path, {'ip': '203.0.113.7'})
    acl = {'id': '100000', 'ip': '203.0.113.7', 'mask': 32, 'friendly_name': None, 'trunk_sid': EMPTY,
           'date_created': T0_ISO, 'date_updated': T0_ISO}
    assert_single(answer, acl)
    assert_error(api.call('POST', path, {'ip': '203.0.113.7', 'mask': 24}), 200, 1008, 'Duplicate resource')
    clock.now += 1
    answer = api.call('PUT', path + '/100000', {'ip': '203.0.113.0', 'mask': 24})
    assert_single(answer, dict(acl, ip='203.0.113.0', mask=24, date_updated='2027-01-15T08:00:01Z'))
    assert list_data(api.call('GET', path)) == [dict(acl, ip='203.0.113.0', mask=24, date_updated='2027-01-15T08:00:01Z')]
    assert api.call('DELETE', path + '?id=100000').json()['response']['data']['ip'] == '203.0.113.0'
    assert list_data(api.call('GET', path)) == []


ACL_ERRORS = [
    ({}, 400, 1001, 'Mandatory Parameter missing', 'Ip is mandatory'),
    ({'ip': '300.1.1.1'}, 400, 1002, 'Invalid parameter', 'Invalid ip'),
    ({'ip': 'pbx.example.com'}, 400, 1002, 'Invalid parameter', 'Invalid ip'),
    ({'ip': '203.0.113.7', 'mask': 8}, 400, 1002, 'Invalid parameter', 'mask should be in-between 16 and 32'),
    ({'ip': '203.0.113.7', 'mask': 33}, 400, 1002, 'Invalid parameter', 'mask should be in-between 16 and 32'),
    ({'ip': '203.0.113.7', 'mask': '24'}, 400, 1007, 'Invalid request body,failed parsing', None),
    ({'ip': '44.248.146.11'}, 200, 1008, 'Duplicate resource', 'Ip 44.248.146.11 is already whitelisted'),
]


@pytest.mark.parametrize('body,status,code,message,description', ACL_ERRORS)
def test_acl_errors(api, body, status, code, message, description):
    assert_error(api.call('POST', BASE + '/trunks/%s/whitelisted-ips' % TRUNK, body), status, code, message, description)


# ---- destination URIs (batch) -----------------------------------------------------------------

def test_destination_batch_partial_failure_is_207(api):
    path = BASE + '/trunks/%s/destination-uris' % EMPTY
    answer = api.call('POST', path, {'destinations': [{'destination': '198.51.100.9:5061;transport=tls'},
                                                      {'destination': 'sip.example.com:5061;transport=tls'}]})
    body = answer.json()
    assert answer.status_code == 207
    assert body['http_code'] == 207
    assert body['metadata'] == {'total': 2, 'success': 1, 'failed': 1}
    assert body['response'][0] == {'code': 400, 'status': 'failure', 'data': None,
                                   'error_data': {'code': 1002, 'message': 'Invalid parameter',
                                                  'description': 'Destination not whitelisted'}}
    assert body['response'][1] == {'code': 200, 'status': 'success', 'error_data': None, 'data': {
        'id': '100000', 'destination': 'sip:sip.example.com:5061;transport=tls', 'type': 'public', 'priority': 0,
        'weight': 1, 'trunk_sid': EMPTY, 'date_created': T0_ISO, 'date_updated': T0_ISO}}
    assert [d['destination'] for d in list_data(api.call('GET', path))] == ['sip:sip.example.com:5061;transport=tls']


def test_destination_batch_success_appends_duplicates(api):
    path = BASE + '/trunks/%s/destination-uris' % TRUNK
    body = {'destinations': [{'destination': '44.248.146.11:5060;transport=tcp'}]}
    for _attempt in range(2):
        answer = api.call('POST', path, body)
        assert answer.status_code == 200
        assert answer.json()['metadata'] == {'total': 1, 'success': 1, 'failed': 0}
    stored = [d['destination'] for d in list_data(api.call('GET', path))]
    assert stored == ['sip:44.248.146.11:5061;transport=tls', 'sip:sip.company.com:5061;transport=tls',
                      'sip:44.248.146.11:5060;transport=tcp', 'sip:44.248.146.11:5060;transport=tcp']


@pytest.mark.parametrize('destination,description', [
    ('sip.example.com:5060;transport=udp', 'Invalid transport udp: expected tls or tcp'),
    ('not a host', 'Destination is not a valid Ip or Fqdn'),
    ('999.1.1.1:5061', 'Destination is not a valid Ip or Fqdn'),
    ('', 'Destination is mandatory'),
])
def test_destination_item_errors(api, destination, description):
    answer = api.call('POST', BASE + '/trunks/%s/destination-uris' % TRUNK, {'destinations': [{'destination': destination}]})
    assert answer.status_code == 207
    assert answer.json()['metadata'] == {'total': 1, 'success': 0, 'failed': 1}
    assert answer.json()['response'][0]['error_data']['description'] == description


def test_destination_request_errors_update_and_delete(api):
    path = BASE + '/trunks/%s/destination-uris' % TRUNK
    assert_error(api.call('POST', path, {}), 400, 1001, 'Mandatory Parameter missing')
    assert_error(api.call('POST', path, {'destinations': 'x'}), 400, 1007, 'Invalid request body,failed parsing')
    answer = api.call('PUT', path + '/2543', {'priority': 2, 'weight': 5})
    assert answer.json()['response']['data']['priority'] == 2
    assert answer.json()['response']['data']['weight'] == 5
    assert_error(api.call('PUT', path + '/2543', {'priority': '2'}), 400, 1007, 'Invalid request body,failed parsing')
    assert_single(api.call('DELETE', path + '?id=2544'), {
        'id': '2544', 'destination': 'sip:sip.company.com:5061;transport=tls', 'trunk_sid': TRUNK,
        'date_created': '2026-01-23T13:20:02Z', 'date_updated': '2026-01-23T13:20:02Z', 'type': 'public', 'priority': 0, 'weight': 1})
    assert [d['id'] for d in list_data(api.call('GET', path))] == ['2543']


# ---- credentials ------------------------------------------------------------------------------

def test_credentials_never_return_the_password(api, emu):
    path = BASE + '/trunks/%s/credentials' % TRUNK
    answer = api.call('POST', path, {'user_name': 'bot_user', 'password': 'Secret_pw_42', 'friendly_name': 'bot'})
    assert_single(answer, {'id': '100000', 'user_name': 'bot_user', 'friendly_name': 'bot', 'trunk_sid': TRUNK,
                           'date_created': T0_ISO, 'date_updated': T0_ISO})
    listed = api.call('GET', path)
    assert 'Secret_pw_42' not in listed.text and 'Pbx_pass_123' not in listed.text
    assert [c['user_name'] for c in list_data(listed)] == ['pbx_user', 'bot_user']
    assert [c['id'] for c in list_data(api.call('GET', path + '?id=100000'))] == ['100000']
    answer = api.call('PUT', path + '/100000', {'password': 'Other_pw_1'})
    assert 'password' not in answer.json()['response']['data']
    state = api.admin('GET', 'state')
    assert 'Other_pw_1' not in json.dumps(state) and 'Pbx_pass_123' not in json.dumps(state)
    assert [c['password_set'] for c in state['trunks'][TRUNK]['credentials']] == [True, True]
    assert emu.store.trunks[TRUNK]['credentials'][1]['password'] == 'Other_pw_1'
    assert_error(api.call('POST', path, {'user_name': 'u', 'password': 'bad pass!'}), 400, 1002, 'Invalid parameter')
    assert_error(api.call('POST', path, {'user_name': 'u', 'password': 'ok', 'friendly_name': 'x' * 33}), 400, 1002,
                 'Invalid parameter')
    assert_error(api.call('POST', path, {'user_name': 'u'}), 400, 1001, 'Mandatory Parameter missing')
    assert 'password' not in api.call('DELETE', path + '?id=100000').json()['response']['data']


# ---- settings (batch) -------------------------------------------------------------------------

def test_settings_batch_upsert_and_delete(api):
    path = BASE + '/trunks/%s/settings' % TRUNK
    answer = api.call('POST', path, {'settings': [{'name': 'trunk_external_alias', 'value': '+918040264209'},
                                                  {'name': 'trunk_external_alias', 'value': 'nope'}]})
    assert answer.status_code == 207
    assert answer.json()['metadata'] == {'total': 2, 'success': 1, 'failed': 1}
    assert answer.json()['response'][1]['error_data']['code'] == 1002
    assert list_data(api.call('GET', path)) == [{'id': '6001', 'name': 'trunk_external_alias', 'value': '+918040264209',
                                                 'trunk_sid': TRUNK, 'date_created': '2026-01-23T13:20:02Z',
                                                 'date_updated': T0_ISO}]
    assert api.call('DELETE', path + '?name=trunk_external_alias').json()['response']['data']['id'] == '6001'
    assert list_data(api.call('GET', path)) == []
    assert_error(api.call('DELETE', path + '?name=trunk_external_alias'), 404, 1000, 'Not Found')
    assert_error(api.call('POST', path, {'settings': {}}), 400, 1007, 'Invalid request body,failed parsing')
    assert api.call('POST', path, {'settings': [{'name': 'x'}]}).json()['response'][0]['error_data']['code'] == 1001


# ---- rate limit -------------------------------------------------------------------------------

def test_rate_limit_429_with_retry_after_and_injected_clock(api, clock, emu):
    api.admin('PUT', 'config', {'rate_limit': 3})
    path = BASE + '/trunks/%s/phone-numbers' % TRUNK
    remaining = []
    for step in range(3):
        clock.now = T0 + step * 10
        answer = api.call('GET', path)
        assert answer.status_code == 200
        remaining.append(answer.headers['X-RateLimit-Remaining'])
    assert remaining == ['2', '1', '0']
    clock.now = T0 + 25
    answer = api.call('GET', path)
    assert_error(answer, 429, exotel_emulator.RATE_LIMIT_ERROR_CODE, 'Too Many Requests')
    assert answer.json()['response']['code'] == 429
    assert answer.headers['Retry-After'] == '35'
    assert answer.headers['X-RateLimit-Limit'] == '3'
    assert answer.headers['X-RateLimit-Remaining'] == '0'
    assert answer.headers['X-RateLimit-Reset'] == str(int(T0) + 25 + 35)
    # Another account has its own budget; the admin API is never limited.
    other = Client(emu.url, 'other_key', 'other_token_9Zp')
    assert other.call('GET', '/v2/accounts/other_account/trunks').status_code == 200
    for _attempt in range(5):
        api.admin('GET', 'config')
    clock.now = T0 + 60.5  # the first request left the window
    assert api.call('GET', path).status_code == 200
    assert api.call('GET', path).status_code == 429
    assert [e['status'] for e in emu.requests_log() if e['user'] == KEY] == [200, 200, 200, 429, 200, 429]


def test_rate_limit_zero_disables_and_start_option(clock):
    with Emulator(rate_limit=2, clock=clock) as emu:
        api = Client(emu.url)
        statuses = [api.call('GET', BASE + '/trunks').status_code for _attempt in range(3)]
        assert statuses == [200, 200, 429]
        api.admin('PUT', 'config', {'rate_limit': 0})
        assert [api.call('GET', BASE + '/trunks').status_code for _attempt in range(5)] == [200] * 5


def test_default_rate_limit_is_200_per_minute(api, clock):
    assert api.admin('GET', 'config')['rate_limit'] == 200
    statuses = [api.call('GET', BASE + '/trunks').status_code for _attempt in range(201)]
    assert statuses.count(200) == 200
    assert statuses[-1] == 429
    clock.now += 60
    assert api.call('GET', BASE + '/trunks').status_code == 200


# ---- faults -----------------------------------------------------------------------------------

PUT_PATH = BASE + '/trunks/%s/phone-numbers/41523' % TRUNK
PUT_BODY = {'phone_number': '+918040264208', 'mode': 'flow'}


def mode_of_41523(emu):
    return emu.store.dump()['trunks'][TRUNK]['phone_numbers'][0]['mode']


def test_fault_status_json_html_empty_and_retry_after_passthrough(api, emu):
    api.admin('POST', 'faults', [
        {'kind': 'status', 'status': 503, 'retry_after': 'Wed, 21 Oct 2026 07:28:00 GMT', 'match': {'method': 'PUT'}},
        {'kind': 'status', 'status': 502, 'body': 'html'},
        {'kind': 'status', 'status': 504, 'body': 'empty', 'retry_after': 3},
    ])
    answer = api.call('PUT', PUT_PATH, PUT_BODY)
    assert answer.status_code == 503
    assert answer.headers['Retry-After'] == 'Wed, 21 Oct 2026 07:28:00 GMT'
    assert answer.json()['response']['error_data'] == {'code': 503, 'message': 'Service Unavailable', 'description': 'Service Unavailable'}
    assert mode_of_41523(emu) == 'pstn'
    answer = api.call('GET', BASE + '/trunks')
    assert answer.status_code == 502
    assert answer.headers['Content-Type'] == 'text/html'
    assert '<h1>502 Bad Gateway</h1>' in answer.text
    answer = api.call('GET', BASE + '/trunks')
    assert (answer.status_code, answer.content, answer.headers['Retry-After']) == (504, b'', '3')
    assert api.call('GET', BASE + '/trunks').status_code == 200
    assert [f['count'] for f in api.admin('GET', 'faults')['faults']] == [0, 0, 0]


def test_fault_count_and_match(api):
    api.admin('POST', 'faults', {'kind': 'status', 'status': 500, 'count': 2,
                                 'match': {'method': 'GET', 'path_regex': '/phone-numbers$'}})
    assert api.call('GET', BASE + '/trunks').status_code == 200
    assert api.call('PUT', PUT_PATH, PUT_BODY).status_code == 200
    numbers = BASE + '/trunks/%s/phone-numbers' % TRUNK
    assert [api.call('GET', numbers).status_code for _attempt in range(3)] == [500, 500, 200]
    api.admin('POST', 'faults', {'kind': 'status', 'status': 500})
    api.admin('DELETE', 'faults')
    assert api.call('GET', numbers).status_code == 200


def test_fault_latency_uses_the_injected_sleep(api, clock):
    api.admin('POST', 'faults', {'kind': 'latency', 'seconds': 2.5})
    answer = api.call('PUT', PUT_PATH, PUT_BODY)
    assert clock.slept == [2.5]
    assert answer.json()['response']['data']['mode'] == 'flow'
    assert answer.json()['response']['data']['date_updated'] == '2027-01-15T08:00:02Z'


def test_wait_idle_waits_for_a_request_a_latency_fault_holds(api, emu):
    held, release = threading.Event(), threading.Event()

    def hold(seconds):
        held.set()
        release.wait(10)

    emu.sleep = hold
    emu.add_faults([{'kind': 'latency', 'seconds': 3, 'match': {'method': 'PUT'}}])
    put = threading.Thread(target=api.call, args=('PUT', PUT_PATH, PUT_BODY))
    put.start()
    assert held.wait(10)
    assert emu.wait_idle(0.2) is False and emu.requests_log() == []
    release.set()
    assert emu.wait_idle(10) is True
    assert [(e['method'], e['fault'], e['status']) for e in emu.requests_log()] == [('PUT', 'latency', 200)]
    put.join(10)


# drop: the connection closes without an answer and nothing is written;
# lost_answer: the write is applied, then the connection closes without an answer.
@pytest.mark.parametrize('kind,mode_after,logged_status', [('drop', 'pstn', None), ('lost_answer', 'flow', 200)])
def test_fault_closing_the_connection(api, emu, kind, mode_after, logged_status):
    api.admin('POST', 'faults', {'kind': kind, 'match': {'method': 'PUT'}})
    with pytest.raises(requests.ConnectionError):
        api.call('PUT', PUT_PATH, PUT_BODY)
    assert mode_of_41523(emu) == mode_after
    assert emu.requests_log()[-1]['fault'] == kind
    assert emu.requests_log()[-1]['status'] == logged_status
    if kind == 'drop':
        assert api.call('PUT', PUT_PATH, PUT_BODY).status_code == 200


def test_fault_malformed_is_200_with_truncated_json(api):
    api.admin('POST', 'faults', {'kind': 'malformed'})
    answer = api.call('GET', BASE + '/trunks')
    assert answer.status_code == 200
    assert answer.text.startswith('{"request_id": ')
    with pytest.raises(ValueError):
        json.loads(answer.text)


def test_fault_ignore_change_answers_old_object_and_keeps_state(api, emu):
    api.admin('POST', 'faults', {'kind': 'ignore_change', 'match': {'method': 'PUT'}})
    assert_single(api.call('PUT', PUT_PATH, PUT_BODY), MAPPINGS[0])
    assert mode_of_41523(emu) == 'pstn'
    api.admin('POST', 'faults', {'kind': 'ignore_change', 'match': {'method': 'POST'}})
    answer = api.call('POST', BASE + '/trunks/%s/whitelisted-ips' % EMPTY, {'ip': '203.0.113.7'})
    assert answer.json()['response']['data']['ip'] == '203.0.113.7'
    assert list_data(api.call('GET', BASE + '/trunks/%s/whitelisted-ips' % EMPTY)) == []


def test_fault_redirect_does_not_write(api, emu):
    api.admin('POST', 'faults', [{'kind': 'redirect', 'status': 307, 'location': '/v2/elsewhere'},
                                 {'kind': 'redirect'}])
    answer = api.call('PUT', PUT_PATH, PUT_BODY)
    assert (answer.status_code, answer.headers['Location']) == (307, '/v2/elsewhere')
    answer = api.call('PUT', PUT_PATH + '?x=1', PUT_BODY)
    assert (answer.status_code, answer.headers['Location']) == (302, PUT_PATH + '?x=1')
    assert mode_of_41523(emu) == 'pstn'


def test_fault_failure_body_200(api, emu):
    api.admin('POST', 'faults', {'kind': 'failure_body_200', 'code': 500})
    answer = api.call('PUT', PUT_PATH, PUT_BODY)
    assert answer.status_code == 200
    assert answer.json()['response'] == {'code': 500, 'status': 'failure', 'data': None,
                                         'error_data': {'code': 500, 'message': 'Internal Server Error',
                                                        'description': 'Internal Server Error'}}
    assert mode_of_41523(emu) == 'pstn'


def test_bad_fault_rule_is_rejected(emu):
    answer = requests.post(emu.url + '/_emulator/faults', json={'kind': 'explode'}, timeout=10)
    assert answer.status_code == 400
    assert 'kind' in answer.json()['error']


# ---- admin API: log, state, reset, config -----------------------------------------------------

def test_log_records_calls_but_never_the_token_or_passwords(api, emu):
    api.call('PUT', PUT_PATH, PUT_BODY)
    api.call('POST', BASE + '/trunks/%s/credentials' % TRUNK, {'user_name': 'u1', 'password': 'Pw_never_logged'})
    Client(emu.url, KEY, 'a_wrong_token_zz').call('GET', BASE + '/trunks')
    api.call('GET', BASE + '/trunk-maps?exophone=%2B918040264208')
    api.admin('GET', 'state')
    log = api.admin('GET', 'log')
    text = json.dumps(log)
    assert TOKEN not in text and 'Pw_never_logged' not in text and 'a_wrong_token_zz' not in text
    assert 'Authorization' not in text and 'Basic ' not in text
    assert log['count'] == 4
    assert log['entries'][0] == {'seq': 1, 'time': T0_ISO, 'method': 'PUT', 'path': PUT_PATH, 'query': {},
                                 'json': PUT_BODY, 'user': KEY, 'status': 200}
    assert log['entries'][1]['json'] == {'user_name': 'u1', 'password': '<redacted>'}
    assert log['entries'][2]['status'] == 401
    assert log['entries'][3]['query'] == {'exophone': '+918040264208'}
    assert [e['method'] for e in api.admin('GET', 'log?method=put')['entries']] == ['PUT']
    assert api.admin('DELETE', 'log') == {'count': 0, 'entries': []}
    assert api.admin('GET', 'log')['count'] == 0


def test_state_dump_and_reset(api, emu):
    api.admin('PUT', 'config', {'rate_limit': 5, 'trunk_maps_flat': True})
    api.admin('POST', 'faults', {'kind': 'status', 'status': 500, 'count': 10, 'match': {'method': 'DELETE'}})
    api.call('PUT', PUT_PATH, PUT_BODY)
    state = api.admin('GET', 'state')
    assert state['trunks'][TRUNK]['phone_numbers'][0]['mode'] == 'flow'
    assert state['trunks'][TRUNK]['account_sid'] == ACCOUNT
    assert len(state['trunks'][PAGED]['phone_numbers']) == 120
    assert state['accounts'][0] == {'sid': ACCOUNT, 'api_key': KEY, 'api_token_set': True, 'exophones': []}
    assert TOKEN not in json.dumps(state)
    assert api.admin('POST', 'reset') == {'reset': True}
    state = api.admin('GET', 'state')
    assert state['trunks'][TRUNK]['phone_numbers'][0]['mode'] == 'pstn'
    assert state['config'] == {'rate_limit': 200, 'trunk_maps_flat': False, 'max_page_size': 100, 'omit_empty_metadata': False,
                               'exophone_rate_limit': 50, 'exophones_omit_next_page_uri': False, 'calls_rate_limit': 200,
                               'calls_blank_next_page_uri': False}
    assert api.admin('GET', 'log')['count'] == 0
    assert api.admin('GET', 'faults') == {'faults': []}
    assert emu.requests_log() == []


def test_reset_with_inline_generated_fixture(api):
    fixture = {'accounts': [{'sid': ACCOUNT, 'api_key': KEY, 'api_token': TOKEN}],
               'trunks': [{'account_sid': ACCOUNT, 'trunk_sid': 'trbig', 'trunk_name': 'big',
                           'phone_numbers': [{'generate': {'count': 5000, 'start_id': 1, 'prefix': '+9180', 'digits': 6,
                                                           'modes': ['pstn', 'flow', None]}}]}]}
    api.admin('POST', 'reset', {'fixture': fixture})
    api.admin('PUT', 'config', {'rate_limit': 0})
    body = api.call('GET', BASE + '/trunks/trbig/phone-numbers?offset=4990&page_size=100').json()
    assert [i['data']['id'] for i in body['response']] == [str(i) for i in range(4991, 5001)]
    assert body['response'][-1]['data']['phone_number'] == '+9180004999'
    assert [i['data']['mode'] for i in body['response'][:3]] == ['flow', None, 'pstn']
    assert body['metadata']['next_page_uri'] is None


def test_bad_config_is_rejected(emu):
    for body in ({'rate_limit': -1}, {'rate_limit': 'x'}, {'nope': 1}, {'trunk_maps_flat': 1}, {'max_page_size': 0}):
        answer = requests.put(emu.url + '/_emulator/config', json=body, timeout=10)
        assert answer.status_code == 400, body
    assert requests.get(emu.url + '/_emulator/nothing', timeout=10).status_code == 404


def test_context_manager_binds_a_free_port_and_stops(clock):
    emu = Emulator(clock=clock)
    with emu:
        assert emu.port > 0
        assert emu.url == 'http://127.0.0.1:%d' % emu.port
        assert requests.get(emu.url + '/_emulator/config', timeout=10).status_code == 200
    with pytest.raises(requests.ConnectionError):
        requests.get(emu.url + '/_emulator/config', timeout=2)


# ---- command line -----------------------------------------------------------------------------

def test_cli_start_and_stop_in_the_background(tmp_path):
    script = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'exotel_emulator.py')
    faults = tmp_path / 'faults.json'
    faults.write_text(json.dumps({'faults': [{'kind': 'status', 'status': 503, 'match': {'method': 'PUT'}}]}))
    state_dir = tmp_path / 'emu'
    started = subprocess.run([sys.executable, script, 'start', '--state-dir', str(state_dir), '--rate-limit', '7',
                              '--faults', str(faults)], capture_output=True, text=True, timeout=30, check=True)
    url = started.stdout.strip()
    try:
        port = (state_dir / 'port').read_text().strip()
        assert url == 'http://127.0.0.1:%s' % port
        assert (state_dir / 'url').read_text().strip() == url
        assert requests.get(url + '/_emulator/config', timeout=5).json()['rate_limit'] == 7
        assert Client(url).call('PUT', PUT_PATH, PUT_BODY).status_code == 503
        again = subprocess.run([sys.executable, script, 'start', '--state-dir', str(state_dir)],
                               capture_output=True, text=True, timeout=30, check=True)
        assert again.stdout.strip() == url
    finally:
        subprocess.run([sys.executable, script, 'stop', '--state-dir', str(state_dir)], timeout=30, check=True)
    assert not (state_dir / 'pid').exists()
    with pytest.raises(requests.ConnectionError):
        requests.get(url + '/_emulator/config', timeout=2)
    subprocess.run([sys.executable, script, 'stop', '--state-dir', str(state_dir)], timeout=30, check=True)

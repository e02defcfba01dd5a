# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Tests of the emulator's Calls API (v1) and call world against "Calls" in docs/docsite/rst/api_reference.rst.

Time moves only when a test moves the injected clock; T0 is 2027-01-15 13:30:00 in IST.
"""

import os
import re
import sys
import urllib.parse

import pytest
import requests

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from test_emulator import ACCOUNT, BASE, TRUNK, Client  # noqa: E402 pylint: disable=wrong-import-position

V1 = '/v1/Accounts/%s' % ACCOUNT
CALLS = V1 + '/Calls.json'
PSTN_NUMBER = '+918040264208'   # mapped, mode pstn
BOT_NUMBER = '+918040264209'    # mapped, mode flow, ExoPhone flow 245679
NO_MODE = '+918040264210'       # mapped without a mode
UNMAPPED = '+918040264211'      # not mapped, ExoPhone flow 245680
NO_FLOW = '+912240264212'       # not mapped, no flow
CALL_KEYS = ['Sid', 'ParentCallSid', 'DateCreated', 'DateUpdated', 'AccountSid', 'To', 'From', 'PhoneNumberSid', 'Status',
             'StartTime', 'EndTime', 'Duration', 'Price', 'Direction', 'AnsweredBy', 'ForwardedFrom', 'CallerName', 'Uri',
             'RecordingUrl']
TIME_RE = re.compile(r'^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$')


@pytest.fixture(name='api')
def api_fixture(emu):
    return Client(emu.url)


def stream(api, numbers, rate=6, **extra):
    body = dict(numbers=numbers, calls_per_minute=rate, **extra)
    return api.admin('POST', 'traffic/streams', body)


def listed(api, **params):
    answer = api.call('GET', CALLS, params=params)
    assert answer.status_code == 200, answer.text
    return answer.json()


def walk(api, **params):
    """Every record of a filtered list, following NextPageUri; (records, requests made)."""
    body = listed(api, **params)
    records, pages = list(body['Calls']), 1
    while body['Metadata']['NextPageUri']:
        answer = api.call('GET', body['Metadata']['NextPageUri'])
        assert answer.status_code == 200, answer.text
        body = answer.json()
        records += body['Calls']
        pages += 1
    return records, pages


def assert_rest(answer, status, message=None):
    assert answer.status_code == status, answer.text
    body = answer.json()
    assert list(body) == ['RestException'] and sorted(body['RestException']) == ['Message', 'Status']
    assert body['RestException']['Status'] == status
    if message is not None:
        assert body['RestException']['Message'] == message


# ---- the records --------------------------------------------------------------------------

def calls_of_75_seconds(api):
    api.admin('PUT', 'traffic', {'routes': {'pstn': {'duration': [75, 75]}}})


def test_a_final_record_has_the_documented_fields_national_numbers_strings_and_ist_times(api, clock):
    calls_of_75_seconds(api)
    stream(api, [PSTN_NUMBER], count=1)
    clock.now += 5 + 75 + 120      # ring, the call (75 s), then the delay before it is final
    body = listed(api)
    assert body['Metadata'] == {'Total': 1, 'PageSize': 50, 'FirstPageUri': CALLS + '?PageSize=50',
                                'PrevPageUri': None, 'NextPageUri': None}
    (call,) = body['Calls']
    assert list(call) == CALL_KEYS
    assert re.match(r'^[0-9a-f]{32}$', call['Sid'])
    assert {k: call[k] for k in CALL_KEYS[1:] if k != 'From'} == {
        'ParentCallSid': None, 'DateCreated': '2027-01-15 13:30:00', 'DateUpdated': '2027-01-15 13:33:20',
        'AccountSid': ACCOUNT, 'To': '08040264208', 'PhoneNumberSid': '08040264208', 'Status': 'completed',
        'StartTime': '2027-01-15 13:30:00', 'EndTime': '2027-01-15 13:31:20', 'Duration': '75', 'Price': '1.000',
        'Direction': 'inbound', 'AnsweredBy': None, 'ForwardedFrom': None, 'CallerName': None,
        'Uri': '%s/Calls.json/%s' % (V1, call['Sid']), 'RecordingUrl': None}
    assert re.match(r'^0[6-9][0-9]{9}$', call['From'])
    single = api.call('GET', V1 + '/Calls/%s.json' % call['Sid'])
    assert single.status_code == 200 and single.json() == {'Call': call}


def test_ongoing_calls_are_never_listed_and_records_become_final_after_a_delay(api, clock):
    calls_of_75_seconds(api)
    stream(api, [PSTN_NUMBER], count=1)
    sid = api.admin('GET', 'calls')['calls'][0]['sid']
    single = V1 + '/Calls/%s.json' % sid
    assert listed(api)['Calls'] == []
    assert api.call('GET', single).json()['Call']['Status'] == 'ringing'
    clock.now += 10
    ongoing = api.call('GET', single).json()['Call']
    assert (ongoing['Status'], ongoing['EndTime'], ongoing['Duration'], ongoing['Price']) == ('in-progress', None, None, None)
    assert listed(api)['Metadata']['Total'] == 0
    clock.now += 70          # the call (75 s after 5 s of ringing) has ended
    (ended,) = listed(api)['Calls']
    assert (ended['Status'], ended['EndTime'], ended['Duration'], ended['Price']) == ('completed', None, None, None)
    clock.now += 119
    assert listed(api)['Calls'][0]['Duration'] is None
    clock.now += 1
    assert listed(api)['Calls'][0]['Duration'] == '75'
    details = api.call('GET', single, params={'details': 'true'}).json()['Call']['Details']
    assert details == {'ConversationDuration': 75, 'Leg1Status': 'completed', 'Leg2Status': 'completed', 'Legs': []}


@pytest.mark.parametrize('settings, duration, price, to', [
    ({'value_type': 'number'}, 75, 1.0, '08040264208'),
    ({'number_form': 'e164'}, '75', '1.000', PSTN_NUMBER),
])
def test_numbers_as_numbers_and_e164_numbers_on_request(api, clock, settings, duration, price, to):
    calls_of_75_seconds(api)
    api.admin('PUT', 'traffic', settings)
    stream(api, [PSTN_NUMBER], count=1)
    clock.now += 200
    (call,) = listed(api)['Calls']
    assert (call['Duration'], call['Price'], call['To'], call['PhoneNumberSid']) == (duration, price, to, to)


def test_mixed_value_types_alternate(api, clock):
    api.admin('PUT', 'traffic', {'value_type': 'mixed', 'routes': {'pstn': {'duration': [60, 60]}}})
    stream(api, [PSTN_NUMBER], rate=60, count=2)
    clock.now += 300
    assert sorted(type(c['Duration']).__name__ for c in listed(api)['Calls']) == ['int', 'str']


# ---- outcomes follow the routing ------------------------------------------------------------

def outcomes(api, number):
    return [c['status'] for c in api.admin('GET', 'calls?to=%s' % urllib.parse.quote(number))['calls']]


def test_outcomes_follow_each_routes_health_exactly(api, clock):
    api.admin('PUT', 'traffic', {'routes': {'flow': {'failed': 0.4}, 'pstn': {'busy': 0.5}}})
    stream(api, [BOT_NUMBER, PSTN_NUMBER, NO_MODE, UNMAPPED, NO_FLOW], rate=60, count=10)
    clock.now += 60
    bot = outcomes(api, BOT_NUMBER)
    assert (bot.count('failed'), bot.count('completed'), len(bot)) == (4, 6, 10)
    assert outcomes(api, PSTN_NUMBER).count('busy') == outcomes(api, NO_MODE).count('busy') == 5
    assert set(outcomes(api, UNMAPPED)) == {'completed'}
    assert set(outcomes(api, NO_FLOW)) == {'failed'}
    routes = {c['to']: c['route'] for c in api.admin('GET', 'calls')['calls']}
    assert routes == {BOT_NUMBER: 'flow', PSTN_NUMBER: 'pstn', NO_MODE: 'pstn', UNMAPPED: 'unmapped', NO_FLOW: 'unrouted'}


def test_an_app_specific_health_wins_over_the_mode(api):
    api.admin('PUT', 'traffic', {'routes': {'flow:245679': {'no-answer': 1}, 'flow': {'failed': 1}}})
    stream(api, [BOT_NUMBER], count=2)
    assert outcomes(api, BOT_NUMBER) == ['no-answer']   # the second is due a minute later


def test_a_mode_change_through_the_trunk_api_affects_the_calls_placed_after_it(api, clock):
    api.admin('PUT', 'traffic', {'routes': {'flow': {'failed': 1}}})
    stream(api, [BOT_NUMBER], rate=6)      # one call every 10 seconds
    clock.now += 25                         # calls at 0, 10, 20 s
    answer = api.call('PUT', BASE + '/trunks/%s/phone-numbers/41524' % TRUNK, {'phone_number': BOT_NUMBER, 'mode': 'pstn'})
    assert answer.status_code == 200
    clock.now += 20                         # calls at 30, 40 s
    assert outcomes(api, BOT_NUMBER) == ['failed', 'failed', 'failed', 'completed', 'completed']
    assert api.admin('DELETE', 'traffic/streams') == {'stopped': 1}
    clock.now += 60
    assert len(outcomes(api, BOT_NUMBER)) == 5


# ---- compressed time --------------------------------------------------------------------------

def test_compressed_time_puts_ten_minutes_of_calls_into_ten_seconds(api, clock):
    api.admin('PUT', 'traffic', {'clock_factor': 60})
    stream(api, [PSTN_NUMBER], rate=6)
    clock.now += 10                          # ten minutes of the call world
    state = api.admin('GET', 'traffic')
    assert (state['now'], state['clock_factor'], state['streams'][0]['placed']) == ('2027-01-15 13:30:10', 60.0, 61)
    records, _pages = walk(api, DateCreated='gte:2027-01-15 13:20:10;lte:2027-01-15 13:30:10')
    # Calls that have ended show; the newest few are still going on.
    assert 50 <= len(records) < 61
    assert all('2027-01-15 13:20:10' <= r['DateCreated'] <= '2027-01-15 13:30:10' for r in records)
    assert min(r['DateCreated'] for r in records) == '2027-01-15 13:20:10'
    assert listed(api, DateCreated='gte:2027-01-15 13:20:20;lte:2027-01-15 13:30:10')['Metadata']['Total'] == len(records) - 1


def test_backfill_places_the_past_at_once(api):
    api.admin('PUT', 'traffic', {'routes': {'pstn': {'duration': [30, 30]}}})
    stream(api, [PSTN_NUMBER], rate=2, backfill_minutes=10)
    assert api.admin('GET', 'calls')['count'] == 21
    records, _pages = walk(api)
    assert len(records) == 19       # the calls placed 30 s ago and now are still going on
    assert records[-1]['DateCreated'] == '2027-01-15 13:20:00'


# ---- filters and paging -------------------------------------------------------------------------

def test_paging_follows_next_page_uri_with_the_filters_kept(api, emu):
    stream(api, [PSTN_NUMBER, BOT_NUMBER], rate=60, backfill_minutes=5)
    emu.config['max_page_size'] = 7
    records, pages = walk(api, PhoneNumber='+918040264208', PageSize=100)
    total = listed(api, PhoneNumber=PSTN_NUMBER)['Metadata']['Total']
    assert len(records) == total and len(set(r['Sid'] for r in records)) == total and pages == -(-total // 7)
    assert [r['DateCreated'] for r in records] == sorted((r['DateCreated'] for r in records), reverse=True)
    assert {r['To'] for r in records} == {'08040264208'}
    first = listed(api, PhoneNumber=PSTN_NUMBER)
    assert first['Metadata']['NextPageUri'].startswith(CALLS + '?PhoneNumber=%2B918040264208&PageSize=7&After=')
    second = api.call('GET', first['Metadata']['NextPageUri']).json()
    back = api.call('GET', second['Metadata']['PrevPageUri']).json()
    assert [c['Sid'] for c in back['Calls']] == [c['Sid'] for c in first['Calls']]
    ascending, _pages = walk(api, PhoneNumber=PSTN_NUMBER, SortBy='DateCreated:asc')
    assert [r['Sid'] for r in ascending] == [r['Sid'] for r in reversed(records)]


def test_the_last_page_can_say_empty_string(api, emu):
    emu.config['calls_blank_next_page_uri'] = True
    assert listed(api)['Metadata']['NextPageUri'] == ''


def test_numbers_in_either_form_status_direction_duration_and_sid_filters(api, clock):
    api.admin('PUT', 'traffic', {'routes': {'flow': {'failed': 0.5, 'duration': [20, 20]}}})
    stream(api, [BOT_NUMBER, PSTN_NUMBER], rate=60, count=4)
    clock.now += 400
    national = listed(api, To='08040264209,08040264208')
    e164 = listed(api, To='+918040264209,+918040264208')
    assert national['Calls'] == e164['Calls'] and national['Metadata']['Total'] == e164['Metadata']['Total'] == 8
    assert listed(api, PhoneNumber='08040264209', Status='failed')['Metadata']['Total'] == 2
    assert listed(api, Direction='outbound-api')['Metadata']['Total'] == 0
    assert listed(api, Duration='eq:20s')['Metadata']['Total'] == 2
    assert listed(api, Duration='gte:21s;lte:1000s')['Metadata']['Total'] == 4
    some = listed(api)['Calls'][:3]
    picked = listed(api, Sid=','.join(c['Sid'] for c in some))
    assert sorted(c['Sid'] for c in picked['Calls']) == sorted(c['Sid'] for c in some)
    caller = some[0]['From']
    assert [c['Sid'] for c in listed(api, From=caller)['Calls']] == [some[0]['Sid']]


@pytest.mark.parametrize('params, message', [
    ({'To': ','.join('+9180402642%02d' % i for i in range(6))}, 'To takes at most 5 numbers, got 6'),
    ({'PhoneNumber': ','.join('0804026420%d' % i for i in range(6))}, 'PhoneNumber takes at most 5 numbers, got 6'),
    ({'From': '12345'}, 'Invalid From 12345: expected E.164 (+918040264208) or national (08040264208) numbers'),
    ({'DateCreated': '2027-01-15 13:00:00'},
     "Invalid DateCreated '2027-01-15 13:00:00': expected gte:VALUE;lte:VALUE or eq:VALUE"),
    ({'DateCreated': 'gte:2027-01-15T13:00:00Z'}, "Invalid DateCreated 'gte:2027-01-15T13:00:00Z': a value is not of the documented form"),
    ({'DateCreated': 'gte:2026-12-01 00:00:00;lte:2027-01-15 00:00:00'},
     "Invalid DateCreated 'gte:2026-12-01 00:00:00;lte:2027-01-15 00:00:00': a range may span at most one month"),
    ({'DateCreated': 'gte:2026-06-01 00:00:00;lte:2026-06-10 00:00:00'},
     "Invalid DateCreated 'gte:2026-06-01 00:00:00;lte:2026-06-10 00:00:00': at most 6 months back"),
    ({'DateCreated': 'gte:2027-01-15 13:00:00;lte:2027-01-15 12:00:00'},
     "Invalid DateCreated 'gte:2027-01-15 13:00:00;lte:2027-01-15 12:00:00': gte is after lte"),
    ({'Status': 'done'}, 'Invalid Status done (one of queued, ringing, in-progress, completed, failed, busy, no-answer, canceled)'),
    ({'Duration': 'gte:10'}, "Invalid Duration 'gte:10': a value is not of the documented form"),
    ({'PageSize': '0'}, 'Invalid PageSize'),
    ({'SortBy': 'Duration:asc'}, 'Invalid SortBy Duration:asc (DateCreated:asc or DateCreated:desc)'),
    ({'After': 'nope'}, 'Invalid After nope: not a call of this account'),
    ({'Phonenumber': PSTN_NUMBER}, 'Unknown parameter Phonenumber'),
])
def test_bad_filters_are_400_rest_exceptions(api, params, message):
    assert_rest(api.call('GET', CALLS, params=params), 400, message)


def test_an_unencoded_plus_arrives_as_a_space_and_is_refused(api):
    assert_rest(api.call('GET', CALLS + '?To=+918040264208'), 400)


def test_a_page_size_over_100_is_capped(api):
    assert listed(api, PageSize=500)['Metadata']['PageSize'] == 100


# ---- errors, rate limit, faults ------------------------------------------------------------------

def test_auth_unknown_call_and_paths_without_json(emu, api):
    assert_rest(Client(emu.url, token='wrong').call('GET', CALLS), 401, 'Authentication failed')
    assert_rest(Client(emu.url, key=None).call('GET', CALLS), 401, 'Authentication failed')
    assert_rest(Client(emu.url, 'other_key', 'other_token_9Zp').call('GET', CALLS), 401)
    assert_rest(api.call('GET', V1 + '/Calls/0123.json'), 404, 'Call 0123 not found')
    assert_rest(api.call('GET', V1 + '/Calls'), 404,
                'No such resource: GET %s/Calls (only the JSON form, with the .json suffix, is emulated)' % V1)
    assert_rest(api.call('POST', CALLS), 404)
    assert_rest(api.call('GET', '/v1/Nope'), 404, 'No such resource: /v1/Nope')


def test_another_accounts_calls_are_not_shown(emu, api, clock):
    stream(api, [PSTN_NUMBER], count=1)
    clock.now += 300
    sid = listed(api)['Calls'][0]['Sid']
    other = Client(emu.url, 'other_key', 'other_token_9Zp')
    answer = other.call('GET', '/v1/Accounts/other_account/Calls.json')
    assert answer.status_code == 200 and answer.json()['Calls'] == []
    assert_rest(other.call('GET', '/v1/Accounts/other_account/Calls/%s.json' % sid), 404)


def test_the_calls_api_has_its_own_rate_limit_of_200(api, clock):
    statuses = [api.call('GET', CALLS).status_code for _attempt in range(201)]
    assert statuses.count(200) == 200
    refused = api.call('GET', CALLS)
    assert_rest(refused, 429, 'Too many requests: at most 200 a minute. Try again in 60 seconds.')
    assert refused.headers['Retry-After'] == '60' and refused.headers['X-RateLimit-Limit'] == '200'
    assert api.call('GET', BASE + '/trunks').status_code == 200
    clock.now += 60
    assert api.call('GET', CALLS).status_code == 200
    api.admin('PUT', 'config', {'calls_rate_limit': 0})
    assert 'X-RateLimit-Limit' not in api.call('GET', CALLS).headers


def test_faults_answer_in_the_calls_apis_shape(api, emu):
    api.admin('POST', 'faults', [
        {'kind': 'status', 'status': 503, 'retry_after': 2, 'match': {'path_regex': '^/v1/'}},
        {'kind': 'failure_body_200', 'code': 500, 'match': {'path_regex': '/Calls'}},
        {'kind': 'malformed', 'match': {'path_regex': '/Calls'}},
        {'kind': 'drop', 'match': {'path_regex': '/Calls'}},
    ])
    refused = api.call('GET', CALLS)
    assert_rest(refused, 503, 'Service Unavailable')
    assert refused.headers['Retry-After'] == '2'
    answer = api.call('GET', CALLS)
    assert answer.status_code == 200 and answer.json() == {'RestException': {'Status': 500, 'Message': 'Internal Server Error'}}
    with pytest.raises(ValueError):
        api.call('GET', CALLS).json()
    with pytest.raises(requests.exceptions.ConnectionError):
        api.call('GET', CALLS)
    assert [(e['path'], e.get('fault')) for e in emu.requests_log()] == [(CALLS, 'status'), (CALLS, 'failure_body_200'),
                                                                         (CALLS, 'malformed'), (CALLS, 'drop')]
    assert api.call('GET', CALLS).status_code == 200


# ---- the admin side -------------------------------------------------------------------------------

@pytest.mark.parametrize('action, body, message', [
    ('traffic', {'clock_factor': 0}, 'clock_factor must be a number greater than 0 (at most 100000)'),
    ('traffic', {'routes': {'flow': {'failed': 0.7, 'busy': 0.5}}},
     'routes.flow: the shares of failed, busy, no-answer, canceled add up to more than 1'),
    ('traffic', {'routes': {'flow': {'fail': 0.4}}}, 'routes.flow: unknown field fail (known: failed, busy, no-answer, canceled, duration)'),
    ('traffic', {'routes': {'pstn': {'duration': [0, 5]}}}, 'routes.pstn.duration must be [min, max] whole seconds, 1 <= min <= max'),
    ('traffic', {'speed': 2}, 'unknown traffic setting speed (known: clock_factor, final_after, number_form, value_type, routes)'),
    ('traffic/streams', {'numbers': ['08040264208'], 'calls_per_minute': 1},
     'numbers must be a non-empty list of E.164 numbers such as "+918040264209"'),
    ('traffic/streams', {'numbers': [PSTN_NUMBER, '+919999999999'], 'calls_per_minute': 1},
     '+919999999999 is neither an ExoPhone of demo_account nor mapped to one of its trunks'),
    ('traffic/streams', {'numbers': [PSTN_NUMBER], 'calls_per_minute': 0},
     'calls_per_minute must be a number greater than 0 (at most 6000): calls to each number per minute'),
    ('traffic/streams', {'numbers': [PSTN_NUMBER], 'calls_per_minute': 1, 'account_sid': 'nope'},
     'account_sid nope is not an account of the fixture'),
])
def test_admin_refuses_bad_traffic_settings_with_a_clear_message(emu, action, body, message):
    answer = requests.request('PUT' if action == 'traffic' else 'POST', emu.url + '/_emulator/' + action, json=body, timeout=10)
    assert (answer.status_code, answer.json()) == (400, {'error': 'ValueError: ' + message})


def test_reset_clears_calls_streams_and_settings(api):
    api.admin('PUT', 'traffic', {'clock_factor': 30, 'routes': {'flow': {'failed': 1}}})
    stream(api, [BOT_NUMBER], count=3)
    api.admin('POST', 'reset')
    state = api.admin('GET', 'traffic')
    assert (state['clock_factor'], state['routes'], state['streams'], state['calls']) == (1.0, {}, [], 0)
    assert api.admin('GET', 'config')['calls_rate_limit'] == 200

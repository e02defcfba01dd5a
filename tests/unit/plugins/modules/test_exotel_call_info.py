# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""exotel_call_info: the exact requests (groups of five, the window), the summary, masked records, bad input
refused before any request, and Exotel's failures."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
from urllib.parse import parse_qsl, urlsplit

import pytest

from ansible_collections.exotel.trunking.plugins.modules import exotel_call_info
from ansible_collections.exotel.trunking.tests.unit.plugins.exophone_answers import connection
from ansible_collections.exotel.trunking.tests.unit.plugins.exotel_envelopes import ACCOUNT, BASE, TOKEN

PATH = '/v1/Accounts/%s/Calls.json' % ACCOUNT
URL = BASE + PATH
T0 = 1800000000                      # 2027-01-15 13:30:00 in India
BOT = '+918040264209'
PSTN = '+918040264208'
CALLER = '09812345678'


@pytest.fixture(autouse=True)
def fixed_now(monkeypatch):
    monkeypatch.setattr(exotel_call_info, 'now', lambda: T0)


def record(sid, to='08040264209', status='completed', duration='60', end='2027-01-15 13:26:05'):
    return {'Sid': sid, 'DateCreated': '2027-01-15 13:25:00', 'To': to, 'From': CALLER, 'PhoneNumberSid': to,
            'Status': status, 'StartTime': '2027-01-15 13:25:00', 'EndTime': end, 'Duration': duration, 'Price': '0.500',
            'Direction': 'inbound'}


def page(calls, next_uri=None):
    return {'Metadata': {'Total': len(calls), 'PageSize': 100, 'FirstPageUri': PATH, 'PrevPageUri': None,
                         'NextPageUri': next_uri}, 'Calls': calls}


def sent(http):
    return [(call.request.method, urlsplit(call.request.url).path, dict(parse_qsl(urlsplit(call.request.url).query)))
            for call in http.calls]


CALLS = [record('c1'), record('c2', status='failed', duration='0'), record('c3', duration=90),
         record('c4', status='busy', duration=None, end=None), record('c5', to=PSTN, duration='30')]


def test_the_summary_of_the_last_minutes_with_one_request(http, run_module):
    http.get(URL, json=page(CALLS))
    run = run_module(exotel_call_info.main, connection(numbers=[BOT, PSTN, BOT], last=10), check_mode=True)
    assert sent(http) == [('GET', PATH, {'To': '%s,%s' % (BOT, PSTN), 'PageSize': '100',
                                         'DateCreated': 'gte:2027-01-15 13:20:00;lte:2027-01-15 13:30:00'})]
    result = run.result
    assert sorted(result) == ['changed', 'requests', 'summary', 'window']
    assert (result['changed'], result['requests']) == (False, 1)
    assert result['window'] == {'since': '2027-01-15T13:20:00+05:30', 'until': '2027-01-15T13:30:00+05:30',
                                'date_created': 'gte:2027-01-15 13:20:00;lte:2027-01-15 13:30:00'}
    assert result['summary']['numbers'][BOT] == {
        'calls': 4, 'by_status': {'completed': 2, 'failed': 1, 'busy': 1}, 'ended': 4, 'answered': 2, 'failed': 2,
        'answer_ratio': 0.5, 'failure_ratio': 0.5, 'median_duration': 75.0, 'p90_duration': 90, 'not_final': 1}
    assert result['summary']['total']['calls'] == 5 and result['summary']['numbers'][PSTN]['answered'] == 1
    assert '9812345678' not in run.out and TOKEN not in run.out


def test_seven_numbers_are_two_requests_and_the_default_window_is_an_hour(http, run_module):
    http.get(URL, json=page([]))
    numbers = ['+9180402642%02d' % i for i in range(7)]
    run = run_module(exotel_call_info.main, connection(numbers=numbers))
    assert [q['To'] for _m, _p, q in sent(http)] == [','.join(numbers[:5]), ','.join(numbers[5:])]
    assert {q['DateCreated'] for _m, _p, q in sent(http)} == {'gte:2027-01-15 12:30:00;lte:2027-01-15 13:30:00'}
    assert run.result['requests'] == 2 and run.result['summary']['total']['answer_ratio'] is None


def test_records_are_returned_only_when_asked_and_callers_are_masked(http, run_module):
    http.get(URL, json=page(CALLS))
    run = run_module(exotel_call_info.main, connection(numbers=[BOT], since='2027-01-15T07:50:00Z', include_calls=True))
    assert sent(http)[0][2]['DateCreated'] == 'gte:2027-01-15 13:20:00;lte:2027-01-15 13:30:00'
    assert [c['sid'] for c in run.result['calls']] == ['c1', 'c2', 'c3', 'c4']
    assert run.result['calls'][0] == {
        'sid': 'c1', 'date_created': '2027-01-15T13:25:00+05:30', 'end_time': '2027-01-15T13:26:05+05:30', 'to': BOT,
        'from': '+XXXXXXXX5678', 'phone_number': BOT, 'status': 'completed', 'direction': 'inbound', 'duration': 60,
        'price': 0.5, 'final': True}
    assert '9812345678' not in json.dumps(run.result)


def test_callers_revealed_on_request(http, run_module):
    http.get(URL, json=page(CALLS))
    run = run_module(exotel_call_info.main, connection(numbers=[BOT], last=10, include_calls=True, reveal_caller_numbers=True))
    assert run.result['calls'][0]['from'] == '+919812345678'


@pytest.mark.parametrize('args, msg', [
    ({'numbers': ['918040264209']}, ('numbers[0] must be a list of E.164 numbers ("+" then 8 to 15 digits, e.g. "+918040264208"); '
                                     "got '918040264209'.")),
    ({'numbers': []}, 'numbers must list at least one E.164 number, e.g. ["+918040264208"].'),
    ({'numbers': [BOT], 'since': 'yesterday'},
     ('since must be an ISO 8601 time with a zone, e.g. "2027-01-15T13:00:00+05:30", or "YYYY-MM-DD HH:MM:SS" (India time); '
      "got 'yesterday'.")),
    ({'numbers': [BOT], 'last': 5, 'since': '2027-01-15 13:00:00'}, 'Invalid window: last cannot be combined with since or until.'),
    ({'numbers': [BOT], 'since': '2026-12-01 00:00:00'},
     'Invalid window: the window from since to until may span at most 31 days (Exotel answers at most one month).'),
    ({'numbers': [BOT], 'last': 5, 'reveal_caller_numbers': True},
     "reveal_caller_numbers needs include_calls: true (only the records carry callers' numbers)."),
])
def test_bad_input_fails_before_any_request(http, run_module, args, msg):
    run = run_module(exotel_call_info.main, connection(**args))
    assert run.result['failed'] is True and run.result['msg'].startswith(msg)
    assert len(http.calls) == 0


def test_a_rest_exception_fails_with_exotels_words(http, run_module):
    http.get(URL, status=401, json={'RestException': {'Status': 401, 'Message': 'Authentication failed'}})
    run = run_module(exotel_call_info.main, connection(numbers=[BOT], last=5))
    result = run.result
    assert result['failed'] is True and result['changed'] is False
    assert result['msg'].startswith('Could not read the calls: Exotel rejected GET %s?To=%%2B918040264209&' % PATH)
    assert (result['http_status'], result['error_description'], result['method']) == (401, 'Authentication failed', 'GET')
    assert TOKEN not in run.out and len(http.calls) == 1

# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The Calls API (v1) client (_calls.py): numbers five at a time, DateCreated windows, NextPageUri paging, the
request count, RestException failures and retries through the ExotelClient seam. HTTP mocked at the transport."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
from urllib.parse import parse_qsl, urlsplit

import pytest
import responses

from ansible_collections.exotel.trunking.plugins.module_utils._call_summary import request_count
from ansible_collections.exotel.trunking.plugins.module_utils._calls import (
    CallsReader, CallWindowError, date_filter, send_through, window,
)
from ansible_collections.exotel.trunking.plugins.module_utils._client import ExotelClient
from ansible_collections.exotel.trunking.plugins.module_utils._errors import ExotelError
from ansible_collections.exotel.trunking.tests.unit.plugins.exotel_envelopes import ACCOUNT, BASE, KEY, TOKEN

PATH = '/v1/Accounts/%s/Calls.json' % ACCOUNT
URL = BASE + PATH
T0 = 1800000000                      # 2027-01-15 13:30:00 in India
WINDOW = 'gte:2027-01-15 13:20:00;lte:2027-01-15 13:30:00'
NUMBERS = ['+9180402642%02d' % i for i in range(12)]


def reader(retries=5):
    client = ExotelClient(account_sid=ACCOUNT, api_key=KEY, api_token=TOKEN, region='mumbai', retries=retries)
    return CallsReader(send_through(client), ACCOUNT)


def record(sid, to='08040264200', status='completed', duration='30'):
    return {'Sid': sid, 'DateCreated': '2027-01-15 13:25:00', 'To': to, 'From': '09812345678', 'PhoneNumberSid': to,
            'Status': status, 'EndTime': '2027-01-15 13:25:35', 'Duration': duration, 'Price': '0.500', 'Direction': 'inbound'}


def page(calls, next_uri=None, total=None):
    return {'Metadata': {'Total': len(calls) if total is None else total, 'PageSize': 100, 'FirstPageUri': PATH,
                         'PrevPageUri': None, 'NextPageUri': next_uri}, 'Calls': calls}


def sent(http):
    """(path, query as a dict) of every request sent, in order."""
    out = []
    for call in http.calls:
        assert call.request.method == 'GET'
        parts = urlsplit(call.request.url)
        out.append((parts.path, dict(parse_qsl(parts.query, keep_blank_values=True))))
    return out


def query(numbers, **more):
    found = {'To': ','.join(numbers), 'DateCreated': WINDOW, 'PageSize': '100'}
    found.update(more)
    return found


def test_twelve_numbers_are_three_groups_and_a_group_pages_through_next_page_uri(http):
    next_uri = PATH + '?To=%2B918040264200&DateCreated=x&PageSize=100&After=c100'
    http.add(responses.GET, URL, json=page([record('c%d' % i) for i in range(100)], next_uri, total=150))
    http.add(responses.GET, URL, json=page([record('c%d' % i) for i in range(100, 150)]))
    http.add(responses.GET, URL, json=page([record('d1', to='+918040264205')]))
    http.add(responses.GET, URL, json=page([]))
    calls = reader()
    found = calls.read(NUMBERS, T0 - 600, T0)
    assert sent(http) == [
        (PATH, query(NUMBERS[0:5])),
        (PATH, {'To': '+918040264200', 'DateCreated': 'x', 'PageSize': '100', 'After': 'c100'}),
        (PATH, query(NUMBERS[5:10])),
        (PATH, query(NUMBERS[10:12])),
    ]
    assert [r['sid'] for r in found] == ['c%d' % i for i in range(150)] + ['d1']
    assert found[0]['to'] == '+918040264200' and found[-1]['to'] == '+918040264205'
    assert calls.requests == 4 == request_count([150, 1, 0])


def test_a_next_page_uri_without_the_filters_gets_them_added(http):
    http.add(responses.GET, URL, json=page([record('c1')], 'https://api.in.exotel.com%s?After=c1' % PATH))
    http.add(responses.GET, URL, json=page([record('c2')]))
    assert [r['sid'] for r in reader().read(NUMBERS[:1], T0 - 600, T0)] == ['c1', 'c2']
    assert sent(http)[1] == (PATH, {'After': 'c1', 'To': '+918040264200', 'DateCreated': WINDOW, 'PageSize': '100'})
    assert http.calls[1].request.url.startswith(URL + '?After=c1&To=%2B918040264200&DateCreated=gte%3A')


def test_numbers_are_sent_encoded(http):
    http.add(responses.GET, URL, json=page([]))
    reader().read(['+918040264208'], T0 - 600, T0)
    assert 'To=%2B918040264208&DateCreated=gte%3A2027-01-15+13%3A20%3A00%3Blte%3A2027-01-15+13%3A30%3A00&PageSize=100' \
        in http.calls[0].request.url


@pytest.mark.parametrize('last_page', [
    page([record('c2')], ''), page([record('c2')]), {'Calls': [record('c2')]},
    page([record('c2')], PATH + '?After=c1'),         # a URI seen before
])
def test_the_walk_stops_on_an_empty_null_missing_or_repeated_next_page_uri(http, last_page):
    http.add(responses.GET, URL, json=page([record('c1')], PATH + '?After=c1'))
    http.add(responses.GET, URL, json=last_page)
    assert [r['sid'] for r in reader().read(NUMBERS[:1], T0 - 600, T0)] == ['c1', 'c2']
    assert len(http.calls) == 2


def test_a_page_without_calls_ends_the_walk(http):
    http.add(responses.GET, URL, json=page([], PATH + '?After=c9'))
    assert reader().read(NUMBERS[:1], T0 - 600, T0) == [] and len(http.calls) == 1


def test_a_next_page_uri_outside_the_accounts_calls_is_refused(http):
    http.add(responses.GET, URL, json=page([record('c1')], 'https://evil.example.com/v1/Accounts/other/Calls.json?After=c1'))
    with pytest.raises(ExotelError) as caught:
        reader().read(NUMBERS[:1], T0 - 600, T0)
    assert caught.value.message == ("Exotel gave a NextPageUri outside this account's calls "
                                    "(https://evil.example.com/v1/Accounts/other/Calls.json?After=c1); refusing to follow it.")
    assert len(http.calls) == 1


def test_a_rest_exception_fails_with_status_and_message(http):
    http.add(responses.GET, URL, status=400, json={'RestException': {'Status': 400, 'Message': 'To takes at most 5 numbers'}})
    with pytest.raises(ExotelError) as caught:
        reader().read(NUMBERS[:1], T0 - 600, T0)
    error = caught.value
    assert (error.http_status, error.error_code, error.error_description, error.method) == (
        400, None, 'To takes at most 5 numbers', 'GET')
    assert error.message.startswith('Exotel rejected GET %s?To=%%2B918040264200&DateCreated=' % PATH)
    assert error.message.endswith(': HTTP 400, To takes at most 5 numbers')
    assert TOKEN not in repr(vars(error)) and len(http.calls) == 1


def test_a_429_is_retried_after_what_exotel_asks(http, sleeps):
    http.add(responses.GET, URL, status=429, headers={'Retry-After': '7'},
             json={'RestException': {'Status': 429, 'Message': 'Too many requests'}})
    http.add(responses.GET, URL, json=page([record('c1')]))
    assert len(reader().read(NUMBERS[:1], T0 - 600, T0)) == 1
    assert len(http.calls) == 2 and len(sleeps) == 1 and 7 <= sleeps[0] <= 8.5


def test_a_200_with_a_server_error_in_its_body_is_retried_and_one_with_a_client_error_is_not(http, sleeps):
    http.add(responses.GET, URL, json={'RestException': {'Status': 503, 'Message': 'Service Unavailable'}})
    http.add(responses.GET, URL, json=page([record('c1')]))
    http.add(responses.GET, URL, json={'RestException': {'Status': 401, 'Message': 'Authentication failed'}})
    calls = reader()
    assert len(calls.read(NUMBERS[:1], T0 - 600, T0)) == 1 and len(sleeps) == 1
    with pytest.raises(ExotelError) as caught:
        calls.read(NUMBERS[:1], T0 - 600, T0)
    assert caught.value.http_status == 200 and caught.value.body_code == 401
    assert 'HTTP 200 (code 401 in the body), Authentication failed' in caught.value.message
    assert len(http.calls) == 3 and len(sleeps) == 1


def test_a_200_server_error_in_the_body_gives_up_after_the_retries(http, sleeps):
    for dummy in range(3):
        http.add(responses.GET, URL, json={'RestException': {'Status': 502, 'Message': 'Bad Gateway'}})
    with pytest.raises(ExotelError) as caught:
        reader(retries=2).read(NUMBERS[:1], T0 - 600, T0)
    assert caught.value.body_code == 502 and len(http.calls) == 3 and len(sleeps) == 2


def test_an_answer_that_is_not_an_object_or_whose_calls_are_not_a_list_fails(http):
    http.add(responses.GET, URL, json=[1, 2])
    http.add(responses.GET, URL, json={'Calls': {'Sid': 'c1'}})
    calls = reader()
    for expected in ('with an answer whose Calls are not a list: [1, 2]', "with an answer whose Calls are not a list: {"):
        with pytest.raises(ExotelError) as caught:
            calls.read(NUMBERS[:1], T0 - 600, T0)
        assert expected in caught.value.message


# ---- the window ----------------------------------------------------------------------------------------

def test_the_window_from_last_minutes_or_since_and_until():
    assert window(T0, last=10) == (T0 - 600, T0)
    assert window(T0, since=T0 - 3600) == (T0 - 3600, T0)
    assert window(T0, since=T0 - 7200, until=T0 - 3600) == (T0 - 7200, T0 - 3600)
    assert date_filter(T0 - 600, T0) == WINDOW


@pytest.mark.parametrize('kwargs, message', [
    ({'last': 10, 'since': T0 - 60}, 'last cannot be combined with since or until'),
    ({'last': 0}, 'last must be a number of minutes greater than 0; got 0'),
    ({}, 'give last (minutes) or since (and optionally until)'),
    ({'since': T0, 'until': T0 - 60}, 'since must be before until'),
    ({'since': T0 - 32 * 86400}, 'the window from since to until may span at most 31 days (Exotel answers at most one month)'),
    ({'since': T0 - 200 * 86400, 'until': T0 - 190 * 86400},
     'since may be at most 183 days back (Exotel keeps call details for about 6 months)'),
])
def test_a_window_exotel_cannot_answer_is_refused_before_any_request(kwargs, message):
    with pytest.raises(CallWindowError) as caught:
        window(T0, **kwargs)
    assert str(caught.value) == message


def test_the_emulator_shape_is_read_the_same(http):
    body = json.loads(json.dumps(page([record('c1', duration=30, to='+918040264200')])))
    http.add(responses.GET, URL, json=body)
    (found,) = reader().read(NUMBERS[:1], T0 - 600, T0)
    assert (found['duration'], found['to'], found['final']) == (30, '+918040264200', True)

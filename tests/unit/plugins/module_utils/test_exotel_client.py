# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The shared client: envelopes, pagination, retries and Retry-After, redaction, quoting."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import email.utils
import time

import pytest
import requests
from hypothesis import HealthCheck, given, settings, strategies as st
from responses import matchers

from ansible_collections.exotel.trunking.plugins.module_utils._client import ExotelClient
from ansible_collections.exotel.trunking.plugins.module_utils._errors import ExotelError
from ansible_collections.exotel.trunking.tests.unit.plugins.fake_time import FakeTime
from ansible_collections.exotel.trunking.tests.unit.plugins.exotel_envelopes import (
    ACCOUNT, BASE, KEY, NUMBERS, TOKEN, TRUNK, calls, error, listing, mapping, single,
)

LIST_PATH = '/v2/accounts/%s/trunks/%s/phone-numbers' % (ACCOUNT, TRUNK)


def client(**kw):
    base = dict(account_sid=ACCOUNT, api_key=KEY, api_token=TOKEN, region='mumbai', retries=3, max_retry_wait=60)
    base.update(kw)
    return ExotelClient(**base)


def test_base_urls_per_region():
    assert client(region='singapore').base_url == 'https://api.exotel.com'
    assert client(region='mumbai').base_url == 'https://api.in.exotel.com'
    assert client(api_url='http://127.0.0.1:9/prefix/').base_url == 'http://127.0.0.1:9/prefix'


def test_account_path_quotes_every_segment():
    c = client()
    assert c.account_path('trunks', 'a/../b', 'phone-numbers', '1?x=2') == \
        '/v2/accounts/ameyo5m/trunks/a%2F..%2Fb/phone-numbers/1%3Fx%3D2'


def test_headers_and_no_credentials_in_url(http):
    http.put(NUMBERS + '/41523', json=single(mapping(mode='flow')))
    data = client().get_object('PUT', LIST_PATH + '/41523', body={'phone_number': '+918040264208', 'mode': 'flow'})
    assert data == mapping(mode='flow')
    req = http.calls[0].request
    assert req.headers['Content-Type'] == 'application/json'
    assert req.headers['Accept'] == 'application/json'
    assert req.headers['User-Agent'].startswith('exotel.trunking/0.1.0 ansible-core/')
    assert req.headers['Authorization'].startswith('Basic ')
    assert KEY not in req.url and TOKEN not in req.url


def test_duplicate_in_http_200_is_an_error(http):
    http.post(BASE + '/v2/accounts/%s/trunks' % ACCOUNT,
              json=error(409, 1008, 'Duplicate resource', 'Trunk name already exists', method='POST'))
    with pytest.raises(ExotelError) as info:
        client().request('POST', '/v2/accounts/%s/trunks' % ACCOUNT, body={'trunk_name': 'x'})
    e = info.value
    assert (e.http_status, e.error_code, e.error_description, e.request_id, e.method) == (
        200, 1008, 'Trunk name already exists', 'e45544e19a7f4d5d956fefe63fe3c6b6', 'POST')
    assert e.message == ('Exotel rejected POST /v2/accounts/ameyo5m/trunks: HTTP 200 (code 409 in the body), error 1008, '
                         'Duplicate resource: Trunk name already exists, request_id e45544e19a7f4d5d956fefe63fe3c6b6')
    assert len(http.calls) == 1


def test_batch_with_failed_items_is_an_error(http):
    path = '/v2/accounts/%s/trunks/%s/destination-uris' % (ACCOUNT, TRUNK)
    body = {'request_id': 'b1', 'method': 'POST', 'http_code': 207, 'metadata': {'total': 2, 'success': 1, 'failed': 1},
            'response': [{'code': 200, 'status': 'success', 'error_data': None, 'data': {'id': '1'}},
                         {'code': 400, 'status': 'failure', 'data': None,
                          'error_data': {'code': 1002, 'message': 'Invalid parameter', 'description': 'Destination not whitelisted'}}]}
    http.post(BASE + path, status=207, json=body)
    with pytest.raises(ExotelError) as info:
        client().request('POST', path, body={'destinations': []})
    assert info.value.error_code == 1002
    assert info.value.http_status == 207
    assert '1 of 2 items failed' in info.value.message


def test_batch_with_some_items_carried_out_is_not_sent_again(http, sleeps):
    path = '/v2/accounts/%s/trunks/%s/destination-uris' % (ACCOUNT, TRUNK)
    body = {'request_id': 'b2', 'method': 'POST', 'http_code': 207, 'metadata': {'total': 2, 'success': 1, 'failed': 1},
            'response': [{'code': 200, 'status': 'success', 'error_data': None, 'data': {'id': '1'}},
                         {'code': 429, 'status': 'failure', 'data': None, 'error_data': {'code': 429, 'message': 'Too Many Requests'}}]}
    http.post(BASE + path, status=207, json=body)
    with pytest.raises(ExotelError) as info:
        client().request('POST', path, body={'destinations': []})
    assert (info.value.body_code, info.value.transient) == (None, False)
    assert len(http.calls) == 1 and sleeps == []


@pytest.mark.parametrize('status, body, expected', [
    (502, '<html><body><h1>502 Bad Gateway</h1></body></html>',
     'Exotel answered GET %s?page_size=100 with HTTP 502 and a body that is not JSON: <html><body><h1>502 Bad Gateway</h1></body></html>'),
    (200, '{"request_id": "x", "response": [', 'Exotel answered GET %s?page_size=100 with HTTP 200 and a body that is not valid JSON:'),
    (200, '[1, 2]', 'Exotel answered GET %s?page_size=100 with HTTP 200 and JSON that is not an object'),
    (200, '{"request_id": "x", "response": {"code": 200}}', 'Exotel answered GET %s?page_size=100 with a response that is not a list'),
])
def test_malformed_answers_become_exotel_errors(http, sleeps, status, body, expected):
    http.get(NUMBERS, status=status, body=body)
    with pytest.raises(ExotelError) as info:
        list(client(retries=0).iter_list(LIST_PATH))
    assert info.value.message.startswith(expected % LIST_PATH), info.value.message
    assert info.value.http_status in (status, None)
    assert sleeps == []


def test_long_bodies_are_cut_in_messages(http):
    http.get(NUMBERS, status=500, body='x' * 5000)
    with pytest.raises(ExotelError) as info:
        list(client(retries=0).iter_list(LIST_PATH))
    assert info.value.message.endswith('x' * 200 + '...')


def test_pagination_follows_relative_next_page_uri(http):
    page2 = LIST_PATH + '?offset=2&page_size=2'
    http.get(NUMBERS, json=listing([mapping('1', '+911111111111'), mapping('2', '+912222222222')], next_page_uri=page2),
             match=[matchers.query_string_matcher('page_size=100')])
    http.get(NUMBERS, json=listing([mapping('3', '+913333333333')]), match=[matchers.query_string_matcher('offset=2&page_size=2')])
    ids = [m['id'] for m in client().iter_list(LIST_PATH)]
    assert ids == ['1', '2', '3']
    assert [c[1] for c in calls(http)] == [LIST_PATH + '?page_size=100', page2]


def test_pagination_stops_on_repeated_uri_and_empty_page(http):
    page2 = LIST_PATH + '?offset=1&page_size=1'
    http.get(NUMBERS, json=listing([mapping('1', '+911111111111')], next_page_uri=page2),
             match=[matchers.query_string_matcher('page_size=100')])
    http.get(NUMBERS, json=listing([mapping('2', '+912222222222')], next_page_uri=page2),
             match=[matchers.query_string_matcher('offset=1&page_size=1')])
    assert [m['id'] for m in client().iter_list(LIST_PATH)] == ['1', '2']
    assert len(http.calls) == 2


def test_pagination_without_metadata_and_with_bare_items(http):
    http.get(NUMBERS, json={'request_id': 'r', 'response': [mapping('7', '+917777777777')]})
    assert list(client().iter_list(LIST_PATH)) == [mapping('7', '+917777777777')]


def test_next_page_on_another_host_keeps_our_host(http):
    page2 = 'https://evil.example' + LIST_PATH + '?offset=1'
    http.get(NUMBERS, json=listing([mapping('1', '+911111111111')], next_page_uri=page2),
             match=[matchers.query_string_matcher('page_size=100')])
    http.get(NUMBERS, json=listing([]), match=[matchers.query_string_matcher('offset=1')])
    list(client().iter_list(LIST_PATH))
    assert [c.request.url for c in http.calls][1] == NUMBERS + '?offset=1'


def test_next_page_outside_the_account_is_refused(http):
    http.get(NUMBERS, json=listing([mapping('1', '+911111111111')], next_page_uri='/v2/accounts/other/trunks'))
    with pytest.raises(ExotelError) as info:
        list(client().iter_list(LIST_PATH))
    assert 'outside this account' in info.value.message
    assert len(http.calls) == 1


# ---------------------------------------------------------------- retries

def test_retry_after_seconds_is_honoured(http, sleeps):
    http.get(NUMBERS, status=429, json=error(429, 429, 'Too Many Requests'), headers={'Retry-After': '7'})
    http.get(NUMBERS, json=listing([]))
    c = client()
    list(c.iter_list(LIST_PATH))
    assert len(http.calls) == 2
    assert len(sleeps) == 1 and 7.0 <= sleeps[0] <= 8.0
    assert c.stats['retries'] == 1


def test_retry_after_http_date_is_honoured(http, sleeps):
    when = email.utils.formatdate(time.time() + 20, usegmt=True)
    http.get(NUMBERS, status=503, body='busy', headers={'Retry-After': when})
    http.get(NUMBERS, json=listing([]))
    list(client().iter_list(LIST_PATH))
    assert len(sleeps) == 1 and 17.0 <= sleeps[0] <= 21.0


def test_retry_after_beyond_budget_fails_at_once(http, sleeps):
    http.get(NUMBERS, status=429, json=error(429, 429, 'Too Many Requests', request_id='rl1'), headers={'Retry-After': '600'})
    with pytest.raises(ExotelError) as info:
        list(client(max_retry_wait=60).iter_list(LIST_PATH))
    assert sleeps == []
    assert len(http.calls) == 1
    assert info.value.http_status == 429 and info.value.request_id == 'rl1'
    assert info.value.message.endswith('The request was sent 1 time; not sent again: Exotel asked to retry after 600s; '
                                      'max_retry_wait=60s allows 60s more.')
    assert info.value.spent_budget == 'max_retry_wait=60s'


def test_total_wait_is_capped(http, sleeps):
    for dummy in range(6):
        http.get(NUMBERS, status=503, body='down')
    with pytest.raises(ExotelError) as info:
        list(client(retries=5, max_retry_wait=3).iter_list(LIST_PATH))
    assert sum(sleeps) <= 3.0 + 1e-9
    assert info.value.http_status == 503


def test_retries_are_bounded_with_exponential_backoff(http, sleeps):
    for dummy in range(4):
        http.get(NUMBERS, status=504, body='<html>Gateway Timeout</html>')
    with pytest.raises(ExotelError) as info:
        list(client(retries=3, max_retry_wait=1000).iter_list(LIST_PATH))
    assert len(http.calls) == 4
    assert len(sleeps) == 3
    for attempt, waited in enumerate(sleeps):
        ceiling = 2 ** attempt
        assert ceiling / 2 <= waited <= ceiling
    assert info.value.http_status == 504


def test_no_retries_when_disabled(http, sleeps):
    http.get(NUMBERS, status=503, body='down')
    with pytest.raises(ExotelError):
        list(client(retries=0).iter_list(LIST_PATH))
    assert len(http.calls) == 1 and sleeps == []


def test_connection_errors_on_reads_are_retried(http, sleeps):
    http.get(NUMBERS, body=requests.exceptions.ReadTimeout('read timed out'))
    http.get(NUMBERS, json=listing([]))
    assert list(client().iter_list(LIST_PATH)) == []
    assert len(http.calls) == 2 and len(sleeps) == 1


def test_post_is_not_retried_after_an_ambiguous_failure(http, sleeps):
    path = '/v2/accounts/%s/trunks' % ACCOUNT
    http.post(BASE + path, status=502, body='<html>Bad Gateway</html>')
    http.post(BASE + path, body=requests.exceptions.ReadTimeout('read timed out'))
    with pytest.raises(ExotelError) as info:
        client().request('POST', path, body={'trunk_name': 'a'})
    assert info.value.retryable is True and info.value.http_status == 502
    with pytest.raises(ExotelError) as info:
        client().request('POST', path, body={'trunk_name': 'a'})
    assert info.value.retryable is True and 'ReadTimeout' in info.value.message
    assert len(http.calls) == 2 and sleeps == []


def test_post_is_retried_after_429_and_refused_connection(http, sleeps):
    path = '/v2/accounts/%s/trunks' % ACCOUNT
    http.post(BASE + path, status=429, json=error(429, 429, 'Too Many Requests'), headers={'Retry-After': '1'})
    http.post(BASE + path, body=requests.exceptions.ConnectionError('[Errno 111] Connection refused'))
    http.post(BASE + path, json=single({'trunk_sid': 'trnew'}, method='POST'))
    assert client().get_object('POST', path, body={'trunk_name': 'a'}) == {'trunk_sid': 'trnew'}
    assert len(http.calls) == 3 and len(sleeps) == 2


def test_failure_body_coded_503_in_an_http_200_is_retried_like_a_503(http, sleeps):
    http.get(NUMBERS, json=dict(error(503, 503, 'Service Unavailable'), http_code=200), headers={'Retry-After': '3'})
    http.get(NUMBERS, json=listing([mapping()]))
    assert list(client().iter_list(LIST_PATH)) == [mapping()]
    assert len(http.calls) == 2 and len(sleeps) == 1 and 3 <= sleeps[0] <= 4


def test_failure_body_coded_5xx_is_an_unclear_transient_answer(http, sleeps):
    path = '/v2/accounts/%s/trunks' % ACCOUNT
    http.post(BASE + path, json=error(503, 503, 'Service Unavailable', method='POST'))
    http.get(NUMBERS, json=error(500, 500, 'Internal Server Error'))
    with pytest.raises(ExotelError) as info:
        client().request('POST', path, body={'trunk_name': 'a'})   # may have acted: not sent again here
    assert (info.value.http_status, info.value.body_code, info.value.retryable, info.value.transient) == (200, 503, True, True)
    with pytest.raises(ExotelError) as info:
        list(client().iter_list(LIST_PATH))                          # like an HTTP 500 on a GET: not retried
    assert (info.value.http_status, info.value.body_code, info.value.retryable, info.value.transient) == (200, 500, True, True)
    assert len(http.calls) == 2 and sleeps == []


def test_failure_body_coded_429_in_an_http_200_is_retried_for_a_post(http, sleeps):
    path = '/v2/accounts/%s/trunks' % ACCOUNT
    http.post(BASE + path, json=error(429, 429, 'Too Many Requests', method='POST'))
    http.post(BASE + path, json=single({'trunk_sid': 'trnew'}, method='POST'))
    assert client().get_object('POST', path, body={'trunk_name': 'a'}) == {'trunk_sid': 'trnew'}
    assert len(http.calls) == 2 and len(sleeps) == 1


def test_a_redirect_or_a_duplicate_is_not_transient(http):
    path = '/v2/accounts/%s/trunks' % ACCOUNT
    http.put(BASE + path + '/x', status=302, headers={'Location': '/elsewhere'})
    http.post(BASE + path, json=error(409, 1008, 'Duplicate resource', method='POST'))
    with pytest.raises(ExotelError) as info:
        client().request('PUT', path + '/x', body={})
    assert (info.value.retryable, info.value.transient) == (True, False)
    with pytest.raises(ExotelError) as info:
        client().request('POST', path, body={})
    assert (info.value.retryable, info.value.transient, info.value.body_code) == (False, False, 409)
    assert len(http.calls) == 2


def test_token_is_redacted_from_errors(http):
    http.get(NUMBERS, status=500, body='debug: token=%s' % TOKEN)
    with pytest.raises(ExotelError) as info:
        list(client(retries=0).iter_list(LIST_PATH))
    assert TOKEN not in str(info.value)
    assert TOKEN not in repr(info.value.details())
    assert 'token=********' in info.value.message


# ---------------------------------------------------------------- properties

# Input generation is slow on a loaded 2-core machine; that says nothing about the code under test.
HEALTH_CHECKS_OFF = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large]
JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=20)
ENVELOPE = st.fixed_dictionaries({}, optional={
    'request_id': st.one_of(st.none(), st.text(max_size=40)),
    'http_code': st.integers(100, 599),
    'metadata': st.one_of(JSONISH, st.fixed_dictionaries({}, optional={
        'next_page_uri': st.one_of(st.none(), st.text(max_size=60), st.just(LIST_PATH + '?offset=1')),
        'failed': JSONISH})),
    'response': st.one_of(JSONISH, st.lists(st.fixed_dictionaries({}, optional={
        'code': JSONISH, 'status': st.sampled_from(['success', 'failure', None]), 'data': JSONISH,
        'error_data': JSONISH}), max_size=3)),
})


@settings(max_examples=150, deadline=None, suppress_health_check=HEALTH_CHECKS_OFF)
@given(status=st.sampled_from([200, 201, 207, 301, 400, 401, 404, 409, 415, 500]), payload=ENVELOPE)
def test_any_answer_is_a_result_or_an_exotel_error(http, sleeps, status, payload):
    http.reset()
    http.get(NUMBERS, status=status, json=payload)
    try:
        items = list(client(retries=0).iter_list(LIST_PATH))
    except ExotelError as exc:
        assert isinstance(exc.message, str) and exc.message
        assert TOKEN not in exc.message
    else:
        assert all(isinstance(i, dict) for i in items)
        assert status < 300


@settings(max_examples=100, deadline=None, suppress_health_check=HEALTH_CHECKS_OFF)
@given(raw=st.binary(max_size=200))
def test_any_bytes_are_a_result_or_an_exotel_error(http, sleeps, raw):
    http.reset()
    http.get(NUMBERS, status=200, body=raw)
    try:
        list(client(retries=0).iter_list(LIST_PATH))
    except ExotelError as exc:
        assert exc.http_status == 200


# ---------------------------------------------------------------- pacing

def test_pacer_keeps_a_task_under_its_rate_limit(http):
    fake = FakeTime()
    http.get(NUMBERS, json=listing([]))
    c = client(rate_limit=3, sleep=fake.sleep, clock=fake.clock)
    for dummy in range(7):
        list(c.iter_list(LIST_PATH))
    assert len(http.calls) == 7
    assert fake.slept == [60.0, 60.0]      # requests 4 and 7 wait for the window to free a slot
    assert c.pacer.waited == 120.0


def test_pacer_off_with_zero(http):
    fake = FakeTime()
    http.get(NUMBERS, json=listing([]))
    c = client(rate_limit=0, sleep=fake.sleep, clock=fake.clock)
    for dummy in range(5):
        list(c.iter_list(LIST_PATH))
    assert fake.slept == []

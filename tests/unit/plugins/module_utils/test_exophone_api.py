# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The shared client on the ExoPhone API (v2_beta): form bodies, bare answers, RestException errors,
Page/PageSize pagination, and a pacer of its own next to the trunk API's."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.exotel.trunking.plugins.module_utils._client import ExotelClient
from ansible_collections.exotel.trunking.plugins.module_utils._errors import ExotelError
from ansible_collections.exotel.trunking.plugins.module_utils._exophones import LIST_KEYS
from ansible_collections.exotel.trunking.tests.unit.plugins.fake_time import FakeTime
from ansible_collections.exotel.trunking.tests.unit.plugins.exophone_answers import (
    FIRST_PAGE, LIST, LIST_URL, SID, exophone, form_calls, page, rest,
)
from ansible_collections.exotel.trunking.tests.unit.plugins.exotel_envelopes import (
    ACCOUNT, BASE, KEY, NUMBERS, TOKEN, TRUNK, listing, single,
)

ONE = LIST + '/' + SID


def client(**kw):
    base = dict(account_sid=ACCOUNT, api_key=KEY, api_token=TOKEN, region='mumbai', retries=3, max_retry_wait=60)
    base.update(kw)
    return ExotelClient(**base)


def test_path_quotes_every_segment_and_each_family_has_its_own_prefix():
    c = client()
    assert c.exophones.path('IncomingPhoneNumbers', 'a/../b?x') == '/v2_beta/Accounts/ameyo5m/IncomingPhoneNumbers/a%2F..%2Fb%3Fx'
    assert c.exophones.path('IncomingPhoneNumbers').startswith('/v2_beta/')
    assert c.trunk.path('trunks').startswith('/v2/accounts/')


def test_a_form_body_is_sent_form_encoded_and_the_bare_answer_returned(http):
    http.put(BASE + ONE, json=exophone(name='Sales & support'))
    answer = client().exophones.request('PUT', ONE, form={'FriendlyName': 'Sales & support', 'VoiceUrl': 'https://h/x/1'})
    assert answer == exophone(name='Sales & support')
    req = http.calls[0].request
    assert req.headers['Content-Type'] == 'application/x-www-form-urlencoded'
    assert req.body == 'FriendlyName=Sales+%26+support&VoiceUrl=https%3A%2F%2Fh%2Fx%2F1'
    assert form_calls(http) == [('PUT', ONE, {'FriendlyName': 'Sales & support', 'VoiceUrl': 'https://h/x/1'})]
    assert KEY not in req.url and TOKEN not in req.url


def test_the_trunk_api_still_gets_json(http):
    http.put(NUMBERS + '/1', json=single({'id': '1', 'mode': 'flow'}))
    client().trunk.request('PUT', '/v2/accounts/%s/trunks/%s/phone-numbers/1' % (ACCOUNT, TRUNK), body={'mode': 'flow'})
    req = http.calls[0].request
    assert req.headers['Content-Type'] == 'application/json'
    assert req.body == '{"mode": "flow"}'


@pytest.mark.parametrize('body, headers, code, request_id', [
    (rest(404, 'NOT_FOUND', 'ExoPhone x not found'), {}, 'NOT_FOUND', None),
    (rest(404, 20404, 'ExoPhone x not found'), {}, 20404, None),
    (dict(rest(404, '20404', 'ExoPhone x not found'), request_id='r-1'), {}, 20404, 'r-1'),
    ({'RestException': {'status': 404, 'code': 'NOT_FOUND', 'message': 'ExoPhone x not found'}}, {'X-Request-Id': 'h-2'},
     'NOT_FOUND', 'h-2'),
])
def test_rest_exception_errors_carry_code_message_status_and_request_id(http, body, headers, code, request_id):
    http.get(BASE + ONE, status=404, json=body, headers=headers)
    with pytest.raises(ExotelError) as info:
        client().exophones.request('GET', ONE)
    exc = info.value
    assert (exc.http_status, exc.error_code, exc.error_description, exc.request_id) == (
        404, code, 'ExoPhone x not found', request_id)
    assert exc.message == 'Exotel rejected GET %s: HTTP 404, error %s, ExoPhone x not found%s' % (
        ONE, code, ', request_id %s' % request_id if request_id else '')
    assert (exc.method, exc.path, exc.unclear) == ('GET', ONE, False)


def test_a_rest_exception_in_http_200_is_an_error(http):
    http.post(LIST_URL, json=rest(400, 'NOT_AVAILABLE', 'PhoneNumber is not available'))
    with pytest.raises(ExotelError) as info:
        client().exophones.request('POST', LIST, form={'PhoneNumber': '+918040264300'})
    assert info.value.message == ('Exotel rejected POST %s: HTTP 200 (code 400 in the body), error NOT_AVAILABLE, '
                                  'PhoneNumber is not available' % LIST)
    assert (info.value.http_status, info.value.error_code) == (200, 'NOT_AVAILABLE')
    assert len(http.calls) == 1


def test_a_bare_status_of_400_or_more_is_an_error(http):
    http.delete(BASE + ONE, json={'Status': 404, 'Message': 'Not Found'})
    with pytest.raises(ExotelError) as info:
        client().exophones.request('DELETE', ONE)
    assert info.value.message == 'Exotel rejected DELETE %s: HTTP 200 (code 404 in the body), Not Found' % ONE


def test_401_says_what_to_check(http):
    http.get(LIST_URL, status=401, json=rest(401, 'UNAUTHORIZED', 'Authentication failed'))
    with pytest.raises(ExotelError) as info:
        client().exophones.request('GET', LIST)
    assert info.value.message.startswith('Exotel rejected GET %s: HTTP 401, error UNAUTHORIZED, Authentication failed. '
                                         'Check account_sid, api_key and api_token' % LIST)
    assert TOKEN not in info.value.message


@pytest.mark.parametrize('status, body', [(202, {'Status': 202, 'Message': 'Accepted'}), (202, None), (204, None)])
def test_release_answers_are_successes(http, status, body):
    http.delete(BASE + ONE, status=status, **({'json': body} if body else {'body': ''}))
    assert client().exophones.request('DELETE', ONE) == (body or {})


def test_a_body_that_is_not_json_is_an_unclear_failure(http):
    http.get(BASE + ONE, body='<html>oops</html>')
    with pytest.raises(ExotelError) as info:
        client().exophones.request('GET', ONE)
    assert info.value.unclear is True
    assert 'a body that is not valid JSON: <html>oops</html>' in info.value.message


def test_429_is_retried_after_what_exotel_asks(http, sleeps):
    http.get(BASE + ONE, status=429, json=rest(429, 'RATE_LIMIT_EXCEEDED', 'Try again in 30 seconds.'),
             headers={'Retry-After': '30'})
    http.get(BASE + ONE, json=exophone())
    assert client().exophones.request('GET', ONE) == exophone()
    assert len(http.calls) == 2
    assert len(sleeps) == 1 and 30 <= sleeps[0] <= 31


def test_a_purchase_is_not_retried_after_a_5xx(http, sleeps):
    http.post(LIST_URL, status=503, json=rest(503, 'UNAVAILABLE', 'Try later'))
    with pytest.raises(ExotelError) as info:
        client().exophones.request('POST', LIST, form={'PhoneNumber': '+918040264300'})
    assert len(http.calls) == 1 and sleeps == []
    assert info.value.unclear is True


# ---- pagination ---------------------------------------------------------------------------------

def pages(c):
    return list(c.exophones.iter_pages(LIST, LIST_KEYS))


def test_pages_follow_next_page_uri_on_our_own_host_and_path(http):
    http.get(LIST_URL, json=page([exophone(sid='1')], size=1))
    http.get(LIST_URL, json=page([exophone(sid='2')], number=1, size=1, next_page=False))
    assert [i['sid'] for i in pages(client())] == ['1', '2']
    assert [c[1] for c in form_calls(http)] == [FIRST_PAGE, LIST + '?Page=1&PageSize=1']
    assert all(c.request.url.startswith(BASE) for c in http.calls)


def test_without_next_page_uri_a_full_page_asks_for_the_next(http):
    http.get(LIST_URL, json={'page': 0, 'page_size': 2, 'incoming_phone_numbers': [exophone(sid='1'), exophone(sid='2')]})
    http.get(LIST_URL, json={'page': 1, 'page_size': 2, 'incoming_phone_numbers': [exophone(sid='3')]})
    assert [i['sid'] for i in pages(client())] == ['1', '2', '3']
    assert [c[1] for c in form_calls(http)] == [FIRST_PAGE, LIST + '?Page=1&PageSize=100']


def test_a_server_that_ignores_page_is_read_once(http):
    http.get(LIST_URL, json={'page': 0, 'page_size': 1, 'incoming_phone_numbers': [exophone(sid='1')]})
    assert [i['sid'] for i in pages(client())] == ['1']
    assert len(http.calls) == 2


@pytest.mark.parametrize('payload, sids', [
    ({'page': 0, 'page_size': 50, 'incoming_phone_numbers': []}, []),
    ({'page': 0, 'page_size': 50, 'incoming_phone_numbers': None}, []),
    ({}, []),
    ([exophone(sid='7')], ['7']),
    ({'IncomingPhoneNumbers': [exophone(sid='8')], 'next_page_uri': None}, ['8']),
])
def test_list_answers_are_read_leniently(http, payload, sids):
    http.get(LIST_URL, json=payload)
    assert [i['sid'] for i in pages(client())] == sids
    assert len(http.calls) == 1


def test_a_list_answer_that_is_not_understood_fails(http):
    http.get(LIST_URL, json={'weird': 1})
    with pytest.raises(ExotelError) as info:
        pages(client())
    assert info.value.message == ('Exotel answered GET %s with an answer that is not a list of incoming_phone_numbers: '
                                  '{"weird": 1}' % FIRST_PAGE)


# ---- pacing ---------------------------------------------------------------------------------------

def test_each_api_family_has_its_own_pacer(http):
    fake = FakeTime()
    http.get(BASE + ONE, json=exophone())
    http.get(NUMBERS, json=listing([]))
    c = client(rate_limit=3, exophone_rate_limit=2, sleep=fake.sleep, clock=fake.clock)
    for dummy in range(3):
        c.exophones.request('GET', ONE)
        list(c.trunk.iter_list('/v2/accounts/%s/trunks/%s/phone-numbers' % (ACCOUNT, TRUNK)))
    assert len(http.calls) == 6
    assert fake.slept == [60.0]          # only the third ExoPhone request waits; the trunk API's three fit
    assert c.exophones.pacer.waited == 60.0 and c.trunk.pacer.waited == 0.0


def test_exophone_pacing_defaults_to_50_a_minute():
    assert client().exophones.pacer.per_minute == 50
    assert client(exophone_rate_limit=0).exophones.pacer.per_minute == 0

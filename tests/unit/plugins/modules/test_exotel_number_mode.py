# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""exotel_number_mode: the exact HTTP calls and results of every path through the module."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest
from responses import matchers

from ansible_collections.exotel.trunking.plugins.modules import exotel_number_mode
from ansible_collections.exotel.trunking.tests.unit.plugins.exotel_envelopes import (
    ACCOUNT, KEY, LOOKUP, NUMBERS, TOKEN, TRUNK, calls, error, listing, mapping, single, warning_texts,
)

LIST_PATH = '/v2/accounts/%s/trunks/%s/phone-numbers' % (ACCOUNT, TRUNK)
FIRST_PAGE = LIST_PATH + '?page_size=100'
PUT_PATH = LIST_PATH + '/41523'
LOOKUP_PATH = '/v2/accounts/%s/trunk-maps?exophone=%%2B918040264208&trunk_sid=%s' % (ACCOUNT, TRUNK)
ANY_TRUNK_LOOKUP_PATH = '/v2/accounts/%s/trunk-maps?exophone=%%2B918040264208' % ACCOUNT


def lookup_answer(mode, number_id='41523', phone='+918040264208', trunk=TRUNK):
    return single({'exophone': phone, 'trunk_sid': trunk, 'phone_number_id': number_id, 'mode': mode}, method='GET')


def no_lookup(http):
    """The trunk-maps lookup is unavailable here (a gateway's 404 page): the module falls back to the list."""
    http.get(LOOKUP, status=404, body='<html><body>404 Not Found</body></html>', content_type='text/html')


ERROR_KEYS = {'http_status', 'error_code', 'error_description', 'request_id', 'method', 'path'}


def args(**kw):
    base = dict(account_sid=ACCOUNT, api_key=KEY, api_token=TOKEN, region='mumbai', trunk_sid=TRUNK,
                number_id='41523', phone_number='+918040264208', mode='flow')
    base.update(kw)
    return {k: v for k, v in base.items() if v is not None}


def other_numbers(count, start=60000):
    return [mapping(str(start + i), '+9180402%05d' % i, 'pstn') for i in range(count)]


def test_switches_mode_with_one_read_and_one_put(http, run_module):
    no_lookup(http)
    http.get(NUMBERS, json=listing([mapping(mode='pstn'), mapping('41524', '+918040264209', 'flow')]))
    http.put(NUMBERS + '/41523', json=single(mapping(mode='flow')))
    run = run_module(exotel_number_mode.main, args())
    assert calls(http) == [
        ('GET', LOOKUP_PATH, None), ('GET', FIRST_PAGE, None),
        ('PUT', PUT_PATH, {'phone_number': '+918040264208', 'mode': 'flow'}),
    ]
    put = http.calls[2].request
    assert put.headers['Content-Type'] == 'application/json'
    assert run.result['changed'] is True
    assert run.result['mapping'] == mapping(mode='flow')
    assert 'diff' not in run.result
    assert 'failed' not in run.result


def test_rerun_reads_only_and_reports_unchanged(http, run_module):
    no_lookup(http)
    http.get(NUMBERS, json=listing([mapping(mode='flow')]))
    run = run_module(exotel_number_mode.main, args())
    assert calls(http) == [('GET', LOOKUP_PATH, None), ('GET', FIRST_PAGE, None)]
    assert run.result['changed'] is False
    assert run.result['mapping'] == mapping(mode='flow')


def test_check_mode_reads_only_and_predicts(http, run_module):
    no_lookup(http)
    http.get(NUMBERS, json=listing([mapping(mode='pstn')]))
    run = run_module(exotel_number_mode.main, args(), check_mode=True, diff=True)
    assert calls(http) == [('GET', LOOKUP_PATH, None), ('GET', FIRST_PAGE, None)]
    assert run.result['changed'] is True
    assert run.result['mapping'] == mapping(mode='flow')
    assert run.result['diff'] == {'before': {'mode': 'pstn'}, 'after': {'mode': 'flow'}}


def test_null_mode_counts_as_pstn(http, run_module):
    no_lookup(http)
    http.get(NUMBERS, json=listing([mapping(mode=None)]))
    run = run_module(exotel_number_mode.main, args(mode='pstn'), diff=True)
    assert calls(http) == [('GET', LOOKUP_PATH, None), ('GET', FIRST_PAGE, None)]
    assert run.result['changed'] is False
    assert run.result['diff'] == {'before': {'mode': None}, 'after': {'mode': None}}


def test_null_mode_to_flow_is_a_change(http, run_module):
    no_lookup(http)
    http.get(NUMBERS, json=listing([mapping(mode=None)]))
    http.put(NUMBERS + '/41523', json=single(mapping(mode='flow')))
    run = run_module(exotel_number_mode.main, args(mode='flow'), diff=True)
    assert [c[0] for c in calls(http)] == ['GET', 'GET', 'PUT']
    assert run.result['changed'] is True
    assert run.result['diff'] == {'before': {'mode': None}, 'after': {'mode': 'flow'}}


def test_resolves_by_phone_across_pages_and_stops_early(http, run_module):
    no_lookup(http)
    page2 = LIST_PATH + '?offset=100&page_size=100'
    page3 = LIST_PATH + '?offset=200&page_size=100'
    http.get(NUMBERS, json=listing(other_numbers(100), next_page_uri=page2),
             match=[matchers.query_string_matcher('page_size=100')])
    http.get(NUMBERS, json=listing(other_numbers(50, 70000) + [mapping('99001', '+918040269999', 'pstn')], next_page_uri=page3),
             match=[matchers.query_string_matcher('offset=100&page_size=100')])
    http.get(NUMBERS, json=listing(other_numbers(10, 80000)), match=[matchers.query_string_matcher('offset=200&page_size=100')])
    http.put(NUMBERS + '/99001', json=single(mapping('99001', '+918040269999', 'flow')))
    run = run_module(exotel_number_mode.main, args(number_id=None, phone_number='+918040269999'))
    assert calls(http) == [
        ('GET', LOOKUP_PATH.replace('264208', '269999'), None),
        ('GET', FIRST_PAGE, None),
        ('GET', page2, None),
        ('PUT', LIST_PATH + '/99001', {'phone_number': '+918040269999', 'mode': 'flow'}),
    ]
    assert run.result['changed'] is True
    assert run.result['mapping']['id'] == '99001'


def test_number_id_alias_finds_by_id(http, run_module):
    no_lookup(http)
    http.get(NUMBERS, json=listing([mapping('41524', '+918040264209', 'pstn'), mapping(mode='flow')]))
    a = args(mode='flow')
    a['phone_number_id'] = a.pop('number_id')
    run = run_module(exotel_number_mode.main, a)
    assert calls(http) == [('GET', LOOKUP_PATH, None), ('GET', FIRST_PAGE, None)]
    assert run.result['changed'] is False
    assert run.result['mapping']['id'] == '41523'


def test_number_id_with_other_phone_fails_before_any_write(http, run_module):
    no_lookup(http)
    http.get(NUMBERS, json=listing([mapping('41523', '+918040260000', 'pstn')]))
    run = run_module(exotel_number_mode.main, args())
    assert calls(http) == [('GET', LOOKUP_PATH, None), ('GET', FIRST_PAGE, None)]
    assert run.result['failed'] is True
    assert run.result['msg'] == ('Mapping 41523 on trunk %s is for phone number +918040260000, not +918040264208: '
                                 'check number_id and phone_number. Nothing was changed.' % TRUNK)


def test_phone_not_mapped_fails(http, run_module):
    no_lookup(http)
    http.get(NUMBERS, json=listing([mapping('41524', '+918040264209', 'pstn')]))
    run = run_module(exotel_number_mode.main, args(number_id=None))
    # The list walk finds nothing; a lookup without the trunk filter (unavailable too) would say where it is.
    assert calls(http) == [('GET', LOOKUP_PATH, None), ('GET', FIRST_PAGE, None), ('GET', ANY_TRUNK_LOOKUP_PATH, None)]
    assert run.result['failed'] is True
    assert run.result['msg'] == 'Phone number +918040264208 is not mapped to trunk %s. Map it to the trunk first.' % TRUNK


def test_not_mapped_anywhere_trusts_the_lookup_two_requests(http, run_module):
    http.get(LOOKUP, status=404, json=error(404, 1000, 'Not Found'))
    run = run_module(exotel_number_mode.main, args(number_id=None))
    assert calls(http) == [('GET', LOOKUP_PATH, None), ('GET', ANY_TRUNK_LOOKUP_PATH, None)]
    r = run.result
    assert r['failed'] is True and r['changed'] is False
    assert r['msg'] == ('Phone number +918040264208 is not mapped to trunk %s. Map it to the trunk first. '
                        'The number lookup finds it on no trunk of the account.' % TRUNK)
    # Exotel's "Not Found" answer to the account-wide lookup, with its request_id.
    assert {k: r[k] for k in ERROR_KEYS} == {
        'http_status': 404, 'error_code': 1000, 'error_description': 'Not Found',
        'request_id': 'e45544e19a7f4d5d956fefe63fe3c6b6', 'method': 'GET', 'path': ANY_TRUNK_LOOKUP_PATH}


def test_not_mapped_with_number_id_trusts_the_lookup_too(http, run_module):
    http.get(LOOKUP, json={'request_id': 'r1', 'response': {'code': 200, 'status': 'success', 'data': None}})
    run = run_module(exotel_number_mode.main, args())
    assert calls(http) == [('GET', LOOKUP_PATH, None), ('GET', ANY_TRUNK_LOOKUP_PATH, None)]
    assert run.result['msg'].startswith('Phone number +918040264208 is not mapped to trunk %s.' % TRUNK)


def test_unknown_trunk_with_the_number_elsewhere_fails_as_an_unknown_trunk(http, run_module):
    http.get(LOOKUP, status=404, json=error(404, 1000, 'Not Found'))
    http.get(LOOKUP, json=lookup_answer('pstn', trunk='trother0000000000000000000000001'))
    http.get(NUMBERS, status=404, json=error(404, 1000, 'Not Found'))
    r = run_module(exotel_number_mode.main, args(number_id=None)).result
    assert_unknown_trunk(r, ' Phone number +918040264208 is mapped to trunk trother0000000000000000000000001.')


def test_mapped_to_another_trunk_says_which(http, run_module):
    other = 'trother0000000000000000000000001'
    http.get(LOOKUP, status=404, json=error(404, 1000, 'Not Found'))
    http.get(LOOKUP, json=lookup_answer('pstn', trunk=other))
    http.get(NUMBERS, json=listing([]))
    run = run_module(exotel_number_mode.main, args(number_id=None))
    assert calls(http) == [('GET', LOOKUP_PATH, None), ('GET', ANY_TRUNK_LOOKUP_PATH, None), ('GET', FIRST_PAGE, None)]
    assert run.result['failed'] is True
    assert run.result['msg'] == ('Phone number +918040264208 is not mapped to trunk %s: it is mapped to trunk %s. '
                                 'Check trunk_sid, or unmap it there and map it to %s first.' % (TRUNK, other, TRUNK))


def test_unknown_number_id_fails(http, run_module):
    no_lookup(http)
    http.get(NUMBERS, json={'request_id': 'r1', 'response': []})  # an empty list may come without metadata
    run = run_module(exotel_number_mode.main, args())
    assert run.result['failed'] is True
    assert run.result['msg'].startswith('No mapping with number_id 41523 is on trunk %s.' % TRUNK)


def test_unknown_trunk_fails_with_exotel_details(http, run_module):
    no_lookup(http)
    http.get(NUMBERS, status=404, json=error(404, 1000, 'Not Found'))
    run = run_module(exotel_number_mode.main, args())
    assert len(http.calls) == 2
    assert_unknown_trunk(run.result)


def assert_unknown_trunk(r, more=''):
    """The failure for a trunk that does not exist: Exotel's 404 on the trunk's list, with all its details."""
    assert r['failed'] is True and r['changed'] is False
    assert {k: r[k] for k in ERROR_KEYS} == {
        'http_status': 404, 'error_code': 1000, 'error_description': 'Not Found',
        'request_id': 'e45544e19a7f4d5d956fefe63fe3c6b6', 'method': 'GET', 'path': FIRST_PAGE}
    assert r['msg'] == (
        'Could not read the phone numbers of trunk %s: Exotel rejected GET %s: HTTP 404, error 1000, Not Found, '
        'request_id e45544e19a7f4d5d956fefe63fe3c6b6. Check trunk_sid: the trunk %s does not exist in account %s '
        '(or belongs to another account).%s' % (TRUNK, FIRST_PAGE, TRUNK, ACCOUNT, more))


def test_foreign_trunk_old_catalogue_403(http, run_module):
    no_lookup(http)
    http.get(NUMBERS, status=403, json=error(403, 1003, 'Authorization failed'))
    run = run_module(exotel_number_mode.main, args())
    assert run.result['error_code'] == 1003
    assert 'Check trunk_sid' in run.result['msg']


def test_unauthorized_names_region_host(http, run_module):
    no_lookup(http)
    http.get(NUMBERS, status=401, json=error(401, 1010, 'Authorization failed'))
    run = run_module(exotel_number_mode.main, args())
    r = run.result
    assert r['http_status'] == 401 and r['error_code'] == 1010
    assert 'API keys are per region' in r['msg']
    assert 'Check account_sid, api_key and api_token: a wrong account SID fails exactly like a wrong key' in r['msg']
    assert 'This request went to https://api.in.exotel.com (region mumbai).' in r['msg']
    assert TOKEN not in run.out


def test_put_failure_body_in_http_200_is_a_failure(http, run_module):
    no_lookup(http)
    http.get(NUMBERS, json=listing([mapping(mode='pstn')]))
    http.put(NUMBERS + '/41523', json=error(400, 1002, 'Invalid parameter', 'Invalid PhoneNumber', method='PUT'))
    run = run_module(exotel_number_mode.main, args())
    r = run.result
    assert [c[0] for c in calls(http)] == ['GET', 'GET', 'PUT']
    assert r['failed'] is True and r['changed'] is False
    assert r['error_code'] == 1002 and r['error_description'] == 'Invalid PhoneNumber'
    assert r['msg'].startswith('Could not switch +918040264208 on trunk %s to flow: Exotel rejected PUT %s: '
                               'HTTP 200 (code 400 in the body), error 1002, Invalid parameter: Invalid PhoneNumber'
                               % (TRUNK, PUT_PATH))
    assert r['mapping'] == mapping(mode='pstn')


def test_success_envelope_that_ignored_the_change_fails_after_reread(http, run_module):
    no_lookup(http)
    http.get(NUMBERS, json=listing([mapping(mode='pstn')]))
    http.put(NUMBERS + '/41523', json=single(mapping(mode='pstn')))
    run = run_module(exotel_number_mode.main, args())
    r = run.result
    assert [c[1].split('?')[0].rsplit('/', 1)[-1] for c in calls(http)] == [
        'trunk-maps', 'phone-numbers', '41523', 'trunk-maps', 'phone-numbers']
    assert r['failed'] is True and r['changed'] is False
    assert "mode 'pstn' instead of 'flow'" in r['msg']
    assert "A re-read shows the mapping still has mode 'pstn': nothing was changed." in r['msg']


def test_lost_answer_is_resolved_by_reread(http, run_module, sleeps):
    no_lookup(http)
    http.get(NUMBERS, json=listing([mapping(mode='pstn')]))
    http.put(NUMBERS + '/41523', status=502, body='<html><body>Bad Gateway</body></html>')
    http.get(NUMBERS, json=listing([mapping(mode='flow')]))
    run = run_module(exotel_number_mode.main, args(retries=1))
    r = run.result
    assert [c[0] for c in calls(http)] == ['GET', 'GET', 'PUT', 'PUT', 'GET', 'GET']
    assert len(sleeps) == 1
    assert r['changed'] is True and 'failed' not in r
    assert r['mapping']['mode'] == 'flow'
    assert 'a re-read shows the mapping now has mode flow' in warning_texts(r)[0]


def test_retries_503_then_succeeds(http, run_module, sleeps):
    http.get(LOOKUP, status=503, body='<html>Service Unavailable</html>')
    http.get(LOOKUP, status=429, json=error(429, 429, 'Too Many Requests'), headers={'Retry-After': '2'})
    http.get(LOOKUP, json=lookup_answer('flow'))
    run = run_module(exotel_number_mode.main, args())
    assert [c[0] for c in calls(http)] == ['GET', 'GET', 'GET']
    assert run.result['changed'] is False
    assert len(sleeps) == 2
    assert 0.5 <= sleeps[0] <= 1.0      # first backoff: 1s ceiling, equal jitter
    assert 2.0 <= sleeps[1] <= 3.0      # Retry-After: 2 plus up to 1s jitter


def test_redirect_on_put_is_not_followed(http, run_module):
    no_lookup(http)
    http.get(NUMBERS, json=listing([mapping(mode='pstn')]))
    http.put(NUMBERS + '/41523', status=302, headers={'Location': 'https://elsewhere.example/login'})
    http.get(NUMBERS, json=listing([mapping(mode='pstn')]))
    run = run_module(exotel_number_mode.main, args())
    r = run.result
    assert [c[0] for c in calls(http)] == ['GET', 'GET', 'PUT', 'GET', 'GET']
    assert r['failed'] is True and r['changed'] is False and r['http_status'] == 302
    assert 'redirect (HTTP 302 to https://elsewhere.example/login)' in r['msg']


@pytest.mark.parametrize('option, value, expected', [
    ('phone_number', '918040264208', 'phone_number must be an E.164 phone number'),
    ('phone_number', '+91 80402 64208', 'phone_number must be an E.164 phone number'),
    ('number_id', 'abc', 'number_id must be a mapping id made of digits'),
    ('number_id', '41523/../1', 'number_id must be a mapping id made of digits'),
    ('trunk_sid', '../trunks', 'trunk_sid must be a trunk SID'),
    ('trunk_sid', 'tr?x=1', 'trunk_sid must be a trunk SID'),
    ('account_sid', 'acc/../other', 'account_sid must be an Exotel account SID'),
    ('api_url', 'ftp://api.exotel.com', 'api_url must be a base URL'),
    ('api_url', 'https://user:pw@api.exotel.com', 'api_url must be a base URL'),
    ('timeout', 0, 'timeout must be an integer of at least 1'),
    ('retries', -1, 'retries must be an integer of at least 0'),
])
def test_bad_input_fails_before_any_request(http, run_module, option, value, expected):
    run = run_module(exotel_number_mode.main, args(**{option: value}))
    assert len(http.calls) == 0
    assert run.result['failed'] is True
    assert run.result['msg'].startswith(expected), run.result['msg']
    assert 'Traceback' not in run.out
    assert 'pw@' not in run.out


def test_bad_mode_is_rejected_by_argument_spec(http, run_module):
    run = run_module(exotel_number_mode.main, args(mode='sip'))
    assert len(http.calls) == 0
    assert 'value of mode must be one of: pstn, flow' in run.result['msg']


def test_credentials_from_environment(http, run_module, monkeypatch):
    no_lookup(http)
    monkeypatch.setenv('EXOTEL_ACCOUNT_SID', ACCOUNT)
    monkeypatch.setenv('EXOTEL_API_KEY', KEY)
    monkeypatch.setenv('EXOTEL_API_TOKEN', TOKEN)
    monkeypatch.setenv('EXOTEL_REGION', 'mumbai')
    http.get(NUMBERS, json=listing([mapping(mode='flow')]))
    a = args(account_sid=None, api_key=None, api_token=None, region=None)
    run = run_module(exotel_number_mode.main, a)
    assert run.result['changed'] is False
    auth = http.calls[0].request.headers['Authorization']
    import base64
    assert auth == 'Basic ' + base64.b64encode(('%s:%s' % (KEY, TOKEN)).encode()).decode()
    assert TOKEN not in http.calls[0].request.url


def test_api_url_overrides_region(http, run_module):
    http.get('http://127.0.0.1:8480/v2/accounts/%s/trunks/%s/phone-numbers' % (ACCOUNT, TRUNK),
             json=listing([mapping(mode='flow')]))
    run = run_module(exotel_number_mode.main, args(api_url='http://127.0.0.1:8480/'))
    assert run.result['changed'] is False
    assert http.calls[0].request.url.startswith('http://127.0.0.1:8480/v2/accounts/')


def test_validate_certs_false_warns(http, run_module):
    no_lookup(http)
    http.get(NUMBERS, json=listing([mapping(mode='flow')]))
    run = run_module(exotel_number_mode.main, args(validate_certs=False))
    assert warning_texts(run.result) == [
        'validate_certs is false: the TLS certificate of the Exotel API host is not verified.']


def test_token_never_in_output_even_when_server_echoes_it(http, run_module):
    no_lookup(http)
    import base64
    echoed = 'Authorization: Basic %s token=%s' % (base64.b64encode(('%s:%s' % (KEY, TOKEN)).encode()).decode(), TOKEN)
    http.get(NUMBERS, status=400, body='<html>bad request %s</html>' % echoed)
    run = run_module(exotel_number_mode.main, args())
    assert run.result['failed'] is True
    assert run.result['http_status'] == 400
    assert TOKEN not in run.out
    assert base64.b64encode(('%s:%s' % (KEY, TOKEN)).encode()).decode() not in run.out
    assert '********' in run.result['msg']


# ---------------------------------------------------------------- one-request lookup

def test_lookup_makes_a_rerun_one_request(http, run_module):
    http.get(LOOKUP, json=lookup_answer('flow'))
    run = run_module(exotel_number_mode.main, args())
    assert calls(http) == [('GET', LOOKUP_PATH, None)]
    assert run.result['changed'] is False
    assert run.result['mapping'] == {'id': '41523', 'phone_number': '+918040264208', 'trunk_sid': TRUNK, 'mode': 'flow'}


def test_lookup_then_put_is_two_requests(http, run_module):
    http.get(LOOKUP, json=lookup_answer(None))
    http.put(NUMBERS + '/41523', json=single(mapping(mode='flow')))
    run = run_module(exotel_number_mode.main, args(number_id=None), diff=True)
    assert calls(http) == [('GET', LOOKUP_PATH, None),
                           ('PUT', PUT_PATH, {'phone_number': '+918040264208', 'mode': 'flow'})]
    assert run.result['changed'] is True
    assert run.result['mapping'] == mapping(mode='flow')
    assert run.result['diff'] == {'before': {'mode': None}, 'after': {'mode': 'flow'}}


def test_flat_lookup_answer_is_understood(http, run_module):
    http.get(LOOKUP, json={'exophone': '+918040264208', 'trunk_sid': TRUNK, 'phone_number_id': '41523', 'mode': 'pstn'})
    run = run_module(exotel_number_mode.main, args(mode='pstn'))
    assert len(http.calls) == 1
    assert run.result['changed'] is False


@pytest.mark.parametrize('answer', [
    lookup_answer('flow', trunk='trother0000000000000000000000001'),   # another trunk
    lookup_answer('flow', number_id='41599'),                          # another mapping id than number_id
    {'request_id': 'x', 'response': {'code': 200, 'status': 'success', 'data': {'unexpected': True}}},
])
def test_lookup_answers_not_understood_fall_back_to_the_list(http, run_module, answer):
    http.get(LOOKUP, json=answer)
    http.get(NUMBERS, json=listing([mapping(mode='flow')]))
    run = run_module(exotel_number_mode.main, args())
    assert calls(http) == [('GET', LOOKUP_PATH, None), ('GET', FIRST_PAGE, None)]
    assert run.result['changed'] is False
    assert run.result['mapping'] == mapping(mode='flow')


def test_lookup_auth_failure_is_final(http, run_module):
    http.get(LOOKUP, status=401, json=error(401, 1010, 'Authorization failed'))
    run = run_module(exotel_number_mode.main, args())
    assert len(http.calls) == 1
    assert run.result['failed'] is True and run.result['http_status'] == 401


# ---------------------------------------------------------------- bulk cutover

BULK_LIST = [mapping('41523', '+918040264208', 'pstn'), mapping('41524', '+918040264209', 'flow'),
             mapping('41525', '+918040264210', None), mapping('41526', '+918040264211', 'pstn')]


def bulk_args(numbers, **kw):
    a = args(number_id=None, phone_number=None, **kw)
    a['numbers'] = numbers
    return a


def test_bulk_reads_once_and_writes_only_what_differs(http, run_module):
    http.get(NUMBERS, json=listing(BULK_LIST))
    http.put(NUMBERS + '/41523', json=single(mapping('41523', '+918040264208', 'flow')))
    http.put(NUMBERS + '/41525', json=single(mapping('41525', '+918040264210', 'flow')))
    run = run_module(exotel_number_mode.main, bulk_args([
        {'phone_number': '+918040264208'},
        {'phone_number': '+918040264209'},
        {'phone_number': '+918040264210', 'number_id': '41525'},
        {'phone_number': '+918040264211', 'mode': 'pstn'},
    ], mode='flow'), diff=True)
    sent = calls(http)
    assert sent[0] == ('GET', FIRST_PAGE, None)
    assert sorted(sent[1:]) == [
        ('PUT', LIST_PATH + '/41523', {'phone_number': '+918040264208', 'mode': 'flow'}),
        ('PUT', LIST_PATH + '/41525', {'phone_number': '+918040264210', 'mode': 'flow'}),
    ]
    r = run.result
    assert r['changed'] is True
    assert r['changed_numbers'] == ['+918040264208', '+918040264210']
    assert [m['mode'] for m in r['mappings']] == ['flow', 'flow', 'flow', 'pstn']
    assert r['diff'] == {
        'before': {'numbers': {'+918040264208': 'pstn', '+918040264209': 'flow', '+918040264210': None, '+918040264211': 'pstn'}},
        'after': {'numbers': {'+918040264208': 'flow', '+918040264209': 'flow', '+918040264210': 'flow', '+918040264211': 'pstn'}}}


def test_bulk_rerun_is_reads_only(http, run_module):
    http.get(NUMBERS, json=listing(BULK_LIST))
    run = run_module(exotel_number_mode.main, bulk_args([{'phone_number': '+918040264208'}, {'phone_number': '+918040264210'}],
                                                        mode='pstn'))
    assert calls(http) == [('GET', FIRST_PAGE, None)]
    assert run.result['changed'] is False and run.result['changed_numbers'] == []


def test_bulk_check_mode_writes_nothing(http, run_module):
    http.get(NUMBERS, json=listing(BULK_LIST))
    run = run_module(exotel_number_mode.main, bulk_args([{'phone_number': '+918040264208'}], mode='flow'), check_mode=True)
    assert calls(http) == [('GET', FIRST_PAGE, None)]
    assert run.result['changed'] is True
    assert run.result['changed_numbers'] == ['+918040264208']
    assert run.result['mappings'] == [mapping('41523', '+918040264208', 'flow')]


def test_bulk_partial_failure_reports_exactly_what_happened(http, run_module):
    http.get(NUMBERS, json=listing(BULK_LIST))
    http.put(NUMBERS + '/41523', json=single(mapping('41523', '+918040264208', 'flow')))
    http.put(NUMBERS + '/41526', status=400, json=error(400, 1002, 'Invalid parameter', 'Invalid PhoneNumber', method='PUT'))
    run = run_module(exotel_number_mode.main, bulk_args([{'phone_number': '+918040264208'}, {'phone_number': '+918040264211'}],
                                                        mode='flow'))
    r = run.result
    assert r['failed'] is True and r['changed'] is True
    assert r['changed_numbers'] == ['+918040264208']
    assert [(f['phone_number'], f['number_id'], f['mode'], f['http_status'], f['error_code']) for f in r['failed_numbers']] == [
        ('+918040264211', '41526', 'flow', 400, 1002)]
    assert r['msg'].startswith('Switched 1 of 2 numbers that needed a change on trunk %s; 1 failed: +918040264211 (' % TRUNK)
    assert r['msg'].endswith('Re-run the task to finish: numbers already in the requested mode are left alone.')
    assert r['mappings'][0]['mode'] == 'flow' and r['mappings'][1]['mode'] == 'pstn'


def test_bulk_unknown_number_fails_before_any_write(http, run_module):
    http.get(NUMBERS, json=listing(BULK_LIST))
    run = run_module(exotel_number_mode.main, bulk_args([{'phone_number': '+918040264208'}, {'phone_number': '+918049999999'}],
                                                        mode='flow'))
    assert calls(http) == [('GET', FIRST_PAGE, None)]
    assert run.result['msg'] == ('Nothing was changed: Phone number +918049999999 is not mapped to trunk %s. '
                                 'Map it to the trunk first.' % TRUNK)


@pytest.mark.parametrize('numbers, mode, expected', [
    ([{'phone_number': '8040264208'}], 'flow', 'Invalid numbers: numbers[0].phone_number must be an E.164 phone number'),
    ([{'phone_number': '+918040264208', 'number_id': 'x1'}], 'flow', 'Invalid numbers: numbers[0].number_id must be a mapping id'),
    ([{'phone_number': '+918040264208'}], None, 'Invalid numbers: numbers[0].mode is required when the task has no mode'),
    ([{'phone_number': '+918040264208'}, {'phone_number': '+918040264208'}], 'flow',
     'Invalid numbers: numbers[1].phone_number +918040264208 is listed more than once.'),
])
def test_bulk_bad_input_fails_before_any_request(http, run_module, numbers, mode, expected):
    run = run_module(exotel_number_mode.main, bulk_args(numbers, mode=mode))
    assert len(http.calls) == 0
    assert run.result['msg'].startswith(expected), run.result['msg']


def test_numbers_and_phone_number_are_mutually_exclusive(http, run_module):
    a = bulk_args([{'phone_number': '+918040264208'}], mode='flow')
    a['phone_number'] = '+918040264208'
    run = run_module(exotel_number_mode.main, a)
    assert len(http.calls) == 0
    assert 'parameters are mutually exclusive: phone_number|numbers' in run.result['msg']


def test_phone_number_requires_mode(http, run_module):
    run = run_module(exotel_number_mode.main, args(mode=None))
    assert len(http.calls) == 0
    assert 'missing parameter(s) required by \'phone_number\': mode' in run.result['msg']

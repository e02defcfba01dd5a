# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""exotel_exophone: exact calls (method, path, form body, count), results, check and diff mode,
the purchase and release guards, failures."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest
import requests

from ansible_collections.exotel.trunking.plugins.modules import exotel_exophone
from ansible_collections.exotel.trunking.tests.unit.plugins.exophone_answers import (
    AVAILABLE, BASE, FIRST_PAGE, FLOW, LIST, LIST_URL, LOOKUP_URL, PHONE, SID, SMS_FLOW, connection, exophone, form_calls,
    page, parsed, rest,
)
from ansible_collections.exotel.trunking.tests.unit.plugins.exotel_envelopes import (
    ACCOUNT, TOKEN, TRUNK, error, warning_texts,
)

ONE = LIST + '/' + SID
NEW = '+918040264300'
LOOKUP = '/v2/accounts/%s/trunk-maps?exophone=%%2B918040264208' % ACCOUNT
VIEW_KEYS = ('phone_number', 'friendly_name', 'app_id', 'voice_url', 'sms_app_id', 'sms_url')
OLD_FORM = 'http://my.exotel.com/%s/exoml/start_voice/245678' % ACCOUNT


def view(item):
    return dict((k, item.get(k)) for k in VIEW_KEYS)


def listed(http, *items):
    http.get(LIST_URL, json=page(list(items), next_page=False))


def test_sets_the_voice_flow_by_app_id(http, run_module):
    listed(http, exophone(voice_url=None))
    after = exophone(voice_url=FLOW % (ACCOUNT, '245678'))
    http.put(BASE + ONE, json=after)
    run = run_module(exotel_exophone.main, connection(phone_number=PHONE, voice_app_id=245678))
    assert form_calls(http) == [('GET', FIRST_PAGE, None), ('PUT', ONE, {'VoiceUrl': FLOW % (ACCOUNT, '245678')})]
    assert run.result == {'changed': True, 'exophone': parsed(after)}
    assert run.result['exophone']['app_id'] == '245678'


def test_a_flow_with_the_same_app_id_in_another_url_form_is_left_alone(http, run_module):
    listed(http, exophone(voice_url='https://my.exotel.com/exoml/start/245678', sms_url=OLD_FORM.replace('voice', 'sms')))
    run = run_module(exotel_exophone.main, connection(phone_number=PHONE, voice_app_id='245678', sms_app_id='245678',
                                                      friendly_name='Support line'))
    assert form_calls(http) == [('GET', FIRST_PAGE, None)]
    assert run.result['changed'] is False


def test_check_mode_with_diff_sends_only_the_read(http, run_module):
    before = exophone(voice_url=OLD_FORM)
    listed(http, before)
    run = run_module(exotel_exophone.main, connection(phone_number=PHONE, voice_app_id='9', sms_app_id='7', friendly_name='Bot'),
                     check_mode=True, diff=True)
    assert form_calls(http) == [('GET', FIRST_PAGE, None)]
    after = dict(parsed(before), friendly_name='Bot', voice_url=FLOW % (ACCOUNT, '9'), app_id='9',
                 sms_url=SMS_FLOW % (ACCOUNT, '7'), sms_app_id='7')
    assert run.result == {'changed': True, 'exophone': after, 'diff': {'before': view(parsed(before)), 'after': view(after)}}


def test_one_put_sends_every_field_that_differs_and_a_full_voice_url_is_sent_as_given(http, run_module):
    listed(http, exophone(voice_url=OLD_FORM))
    url = 'https://example.com/flows/answer'
    http.put(BASE + ONE, json={})
    run = run_module(exotel_exophone.main, connection(phone_number=PHONE, voice_url=url, sms_app_id='7', friendly_name='Bot'))
    assert form_calls(http) == [('GET', FIRST_PAGE, None),
                                ('PUT', ONE, {'FriendlyName': 'Bot', 'VoiceUrl': url, 'SMSUrl': SMS_FLOW % (ACCOUNT, '7')})]
    # The answer showed nothing: the result is the ExoPhone as written.
    assert run.result['exophone'] == dict(parsed(exophone(voice_url=url)), friendly_name='Bot',
                                          sms_url=SMS_FLOW % (ACCOUNT, '7'), sms_app_id='7')


def test_found_by_sid_with_one_request(http, run_module):
    http.get(BASE + ONE, json=exophone(voice_url=OLD_FORM))
    run = run_module(exotel_exophone.main, connection(sid=SID, voice_app_id='245678'))
    assert form_calls(http) == [('GET', ONE, None)]
    assert run.result == {'changed': False, 'exophone': parsed(exophone(voice_url=OLD_FORM))}


def test_sid_and_phone_number_of_different_exophones_fail_before_any_write(http, run_module):
    http.get(BASE + ONE, json=exophone(phone='+918040264299'))
    run = run_module(exotel_exophone.main, connection(sid=SID, phone_number=PHONE, friendly_name='x'))
    assert form_calls(http) == [('GET', ONE, None)]
    assert run.result['msg'] == 'Nothing was changed: ExoPhone %s is +918040264299, not %s: check sid and phone_number.' % (
        SID, PHONE)


def test_an_unknown_sid_is_not_bought(http, run_module):
    http.get(BASE + ONE, status=404, json=rest(404, 'NOT_FOUND', 'not found'))
    run = run_module(exotel_exophone.main, connection(sid=SID, friendly_name='x', allow_purchase=True))
    assert len(http.calls) == 1
    assert run.result['msg'] == 'Nothing was changed: There is no ExoPhone with sid %s in account %s.' % (SID, ACCOUNT)


def test_a_number_the_account_lacks_is_not_bought_without_allow_purchase(http, run_module):
    listed(http, exophone())
    run = run_module(exotel_exophone.main, connection(phone_number=NEW, voice_app_id='1'))
    assert form_calls(http) == [('GET', FIRST_PAGE, None)]
    assert run.result['failed'] is True
    assert run.result['msg'] == ('Nothing was changed: Phone number %s is not an ExoPhone of account %s. Set allow_purchase=true '
                                 'to buy it (Exotel charges a rental for it).' % (NEW, ACCOUNT))


OFFER = {'friendly_name': NEW, 'phone_number': NEW, 'capabilities': {'sms': False, 'voice': True}, 'country': 'IN',
         'region': 'KA', 'number_type': 'Landline', 'rental_price': '499.000000'}


def test_check_mode_shows_the_rental_price_and_buys_nothing(http, run_module):
    listed(http, exophone())
    http.get(BASE + AVAILABLE + '/IN/Landline', json=[OFFER])
    run = run_module(exotel_exophone.main, connection(phone_number=NEW, voice_app_id='1', allow_purchase=True), check_mode=True)
    assert form_calls(http) == [('GET', FIRST_PAGE, None), ('GET', AVAILABLE + '/IN/Landline?Contains=8040264300', None)]
    assert run.result['changed'] is True
    assert run.result['purchase'] == OFFER
    assert run.result['exophone']['rental_price'] == '499.000000'
    assert run.result['exophone']['voice_url'] == FLOW % (ACCOUNT, '1')


# Exotel's documented answer to a purchase: no voice_url or sms_url at all.
BOUGHT = {'sid': 'new1', 'phone_number': NEW, 'friendly_name': 'Sales', 'capabilities': {'voice': True, 'sms': False},
          'country': 'IN', 'rental_price': '499.000000', 'currency': 'INR'}


def test_a_purchase_is_one_post_with_the_flows(http, run_module):
    listed(http, exophone())
    http.get(BASE + AVAILABLE + '/IN/Landline', json=[])
    http.get(BASE + AVAILABLE + '/IN/Mobile', json=[dict(OFFER, number_type='Mobile')])
    http.post(LIST_URL, json=BOUGHT)
    run = run_module(exotel_exophone.main, connection(phone_number=NEW, voice_app_id='1', friendly_name='Sales',
                                                      allow_purchase=True))
    assert form_calls(http) == [
        ('GET', FIRST_PAGE, None), ('GET', AVAILABLE + '/IN/Landline?Contains=8040264300', None),
        ('GET', AVAILABLE + '/IN/Mobile?Contains=8040264300', None),
        ('POST', LIST, {'PhoneNumber': NEW, 'FriendlyName': 'Sales', 'VoiceUrl': FLOW % (ACCOUNT, '1')})]
    # The answer does not show the flow: the result is the ExoPhone as bought with it; no second write.
    assert run.result == {'changed': True, 'exophone': parsed(dict(BOUGHT, voice_url=FLOW % (ACCOUNT, '1'), sms_url=None)),
                          'purchase': dict(OFFER, number_type='Mobile')}


def test_a_purchase_whose_answer_shows_other_values_is_corrected_with_a_put(http, run_module):
    listed(http)
    http.get(BASE + AVAILABLE + '/IN/Landline', json=[OFFER])
    http.post(LIST_URL, json=dict(BOUGHT, friendly_name=NEW))
    http.put(BASE + LIST + '/new1', json=dict(BOUGHT, voice_url=None))
    run = run_module(exotel_exophone.main, connection(phone_number=NEW, friendly_name='Sales', allow_purchase=True))
    assert form_calls(http)[2:] == [('POST', LIST, {'PhoneNumber': NEW, 'FriendlyName': 'Sales'}),
                                    ('PUT', LIST + '/new1', {'FriendlyName': 'Sales'})]
    assert run.result['exophone']['friendly_name'] == 'Sales'


def test_a_number_not_on_offer_is_not_bought(http, run_module):
    listed(http)
    for kind in ('Landline', 'Mobile', 'TollFree'):
        http.get(BASE + AVAILABLE + '/IN/' + kind, json=[dict(OFFER, phone_number='+918040264399')])
    run = run_module(exotel_exophone.main, connection(phone_number=NEW, allow_purchase=True))
    assert [c[0] for c in form_calls(http)] == ['GET'] * 4
    assert run.result['msg'] == ('Nothing was changed: Phone number %s cannot be bought: it is not among the numbers Exotel '
                                 'offers (searched: country IN, Landline, Mobile, TollFree).' % NEW)


def test_an_unknown_country_needs_the_country_option(http, run_module):
    listed(http)
    run = run_module(exotel_exophone.main, connection(phone_number='+4420794600000', allow_purchase=True))
    assert len(http.calls) == 1
    assert run.result['msg'].endswith('(searched: nowhere: the country of +4420794600000 is not known, set country).')


def test_a_failed_search_fails_with_exotels_answer(http, run_module):
    listed(http)
    http.get(BASE + AVAILABLE + '/SG/TollFree', status=403, json=rest(403, 'FORBIDDEN', 'Not on your plan'))
    run = run_module(exotel_exophone.main, connection(phone_number=NEW, allow_purchase=True, country='sg', number_type='TollFree'))
    assert len(http.calls) == 2
    r = run.result
    assert r['msg'] == ('Could not find out whether phone number %s can be bought (the search among the numbers Exotel offers '
                        'failed): Exotel rejected GET %s/SG/TollFree?Contains=8040264300: HTTP 403, error FORBIDDEN, Not on '
                        'your plan' % (NEW, AVAILABLE))
    assert (r['http_status'], r['error_code'], r['error_description']) == (403, 'FORBIDDEN', 'Not on your plan')


def test_a_lost_purchase_answer_is_settled_by_a_re_read_and_never_sent_twice(http, run_module):
    listed(http, exophone())
    http.get(BASE + AVAILABLE + '/IN/Landline', json=[OFFER])
    http.post(LIST_URL, body=requests.exceptions.ReadTimeout('read timed out'))
    bought = exophone(sid='new1', phone=NEW, name=NEW)
    http.get(LIST_URL, json=page([exophone(), bought], next_page=False))
    run = run_module(exotel_exophone.main, connection(phone_number=NEW, allow_purchase=True))
    assert [c[0] for c in form_calls(http)] == ['GET', 'GET', 'POST', 'GET']
    assert run.result['changed'] is True and run.result['exophone'] == parsed(bought)
    assert warning_texts(run.result)[0].startswith('Exotel did not confirm the new ExoPhone %s' % NEW)


def test_a_lost_purchase_answer_and_no_number_on_re_read_is_bought_again_within_retries(http, run_module):
    # Create-once: the purchase is sent again only after a re-read shows the number absent, at most retries+1 times.
    listed(http, exophone())
    http.get(BASE + AVAILABLE + '/IN/Landline', json=[OFFER])
    http.post(LIST_URL, body=requests.exceptions.ReadTimeout('read timed out'))
    run = run_module(exotel_exophone.main, connection(phone_number=NEW, allow_purchase=True, retries=2))
    assert [c[0] for c in form_calls(http)] == ['GET', 'GET'] + ['POST', 'GET'] * 3
    assert run.result['msg'].startswith('Could not buy ExoPhone %s in account %s: Could not reach Exotel' % (NEW, ACCOUNT))
    assert run.result['msg'].endswith('A re-read does not show ExoPhone %s: nothing was created. '
                                      'The write was sent 3 times; not sent again: retries=2 used.' % NEW)


def test_release_needs_allow_release(http, run_module):
    listed(http, exophone())
    run = run_module(exotel_exophone.main, connection(phone_number=PHONE, state='absent'))
    assert form_calls(http) == [('GET', FIRST_PAGE, None)]
    assert run.result['msg'] == ('Nothing was changed: Releasing ExoPhone %s is permanent (Exotel may give the number to '
                                 'another account): set allow_release=true to release it.' % PHONE)


def test_a_number_mapped_to_a_trunk_is_not_released(http, run_module):
    listed(http, exophone())
    http.get(LOOKUP_URL, json={'exophone': PHONE, 'trunk_sid': TRUNK, 'phone_number_id': '41523', 'mode': None})
    run = run_module(exotel_exophone.main, connection(phone_number=PHONE, state='absent', allow_release=True))
    assert form_calls(http) == [('GET', FIRST_PAGE, None), ('GET', LOOKUP, None)]
    assert run.result['msg'] == ('Nothing was changed: ExoPhone %s is still mapped to trunk %s (mode None): unmap it first '
                                 '(exotel.trunking.exotel_trunk_number with state=absent), or set release_mapped=true to '
                                 'release it anyway.' % (PHONE, TRUNK))


def test_release_mapped_releases_without_asking_the_lookup(http, run_module):
    listed(http, exophone())
    http.delete(BASE + ONE, status=202, json={'Status': 202, 'Message': 'Accepted'})
    run = run_module(exotel_exophone.main, connection(phone_number=PHONE, state='absent', allow_release=True,
                                                      release_mapped=True), diff=True)
    assert form_calls(http) == [('GET', FIRST_PAGE, None), ('DELETE', ONE, None)]
    assert run.result == {'changed': True, 'exophone': {}, 'diff': {'before': view(parsed(exophone())), 'after': {}}}


def test_an_unmapped_number_is_released(http, run_module):
    listed(http, exophone())
    http.get(LOOKUP_URL, status=404, json=error(404, 1000, 'Not Found'))
    http.delete(BASE + ONE, status=202, body='')
    run = run_module(exotel_exophone.main, connection(phone_number=PHONE, state='absent', allow_release=True))
    assert form_calls(http) == [('GET', FIRST_PAGE, None), ('GET', LOOKUP, None), ('DELETE', ONE, None)]
    assert run.result == {'changed': True, 'exophone': {}}


def test_release_in_check_mode_sends_no_delete(http, run_module):
    listed(http, exophone())
    http.get(LOOKUP_URL, status=404, json=error(404, 1000, 'Not Found'))
    run = run_module(exotel_exophone.main, connection(phone_number=PHONE, state='absent', allow_release=True), check_mode=True)
    assert [c[0] for c in form_calls(http)] == ['GET', 'GET']
    assert run.result == {'changed': True, 'exophone': {}}


def test_a_number_the_account_lacks_is_already_released(http, run_module):
    listed(http, exophone())
    run = run_module(exotel_exophone.main, connection(phone_number=NEW, state='absent'))
    assert form_calls(http) == [('GET', FIRST_PAGE, None)]
    assert run.result == {'changed': False, 'exophone': {}}


def test_a_failed_lookup_refuses_the_release_with_exotels_answer(http, run_module):
    listed(http, exophone())
    http.get(LOOKUP_URL, status=500, json=error(500, 500, 'Internal Server Error', request_id='q9'))
    run = run_module(exotel_exophone.main, connection(phone_number=PHONE, state='absent', allow_release=True, retries=0))
    r = run.result
    assert [c[0] for c in form_calls(http)] == ['GET', 'GET']
    assert r['msg'] == ('ExoPhone %s was not released: whether it is still mapped to a trunk is not known, the number lookup '
                        'failed: Exotel rejected GET %s: HTTP 500, error 500, Internal Server Error, request_id q9. Set '
                        'release_mapped=true to release it anyway.' % (PHONE, LOOKUP))
    assert (r['http_status'], r['request_id'], r['changed']) == (500, 'q9', False)


def test_a_rejected_update_fails_with_exotels_answer(http, run_module):
    listed(http, exophone())
    http.put(BASE + ONE, status=400, json=rest(400, 21452, 'VoiceUrl is not valid'))
    run = run_module(exotel_exophone.main, connection(phone_number=PHONE, voice_app_id='1', api_token=TOKEN))
    r = run.result
    assert r['msg'] == ('Could not update ExoPhone %s in account %s: Exotel rejected PUT %s: HTTP 400, error 21452, VoiceUrl '
                        'is not valid' % (PHONE, ACCOUNT, ONE))
    assert dict((k, r[k]) for k in ('http_status', 'error_code', 'error_description', 'request_id', 'method', 'path')) == {
        'http_status': 400, 'error_code': 21452, 'error_description': 'VoiceUrl is not valid', 'request_id': None,
        'method': 'PUT', 'path': ONE}
    assert len(http.calls) == 2
    assert TOKEN not in run.out


@pytest.mark.parametrize('options, msg', [
    ({'phone_number': '918040264208'}, 'phone_number must be an E.164 phone number'),
    ({'phone_number': PHONE, 'voice_app_id': 'flow_1'}, "voice_app_id must be a flow (app) id made of digits"),
    ({'phone_number': PHONE, 'sms_app_id': True}, 'sms_app_id must be a flow (app) id made of digits'),
    ({'phone_number': PHONE, 'voice_url': 'ftp://x/1'}, 'voice_url must be an http:// or https:// URL'),
    ({'phone_number': PHONE, 'sms_url': 'https://user:hunter2@my.exotel.com/a/exoml/start_sms/1'},
     ("sms_url must be an http:// or https:// URL with a host and no credentials or spaces, e.g. "
      "https://my.exotel.com/<account_sid>/exoml/start_voice/245678; got 'https://***@my.exotel.com/a/exoml/start_sms/1'.")),
    ({'phone_number': PHONE, 'voice_app_id': '1', 'voice_url': 'https://x/1'}, 'parameters are mutually exclusive'),
    ({'sid': 'a/b'}, 'sid must be an ExoPhone SID'),
    ({'phone_number': PHONE, 'friendly_name': 'a\nb'}, 'friendly_name must be 1 to 64 characters'),
    ({'phone_number': PHONE, 'country': 'India'}, 'country must be a two-letter ISO 3166 country code'),
    ({'phone_number': PHONE, 'exophone_rate_limit': -1}, 'exophone_rate_limit must be an integer of at least 0'),
    ({}, 'one of the following is required: phone_number, sid'),
])
def test_bad_input_fails_before_any_request(http, run_module, options, msg):
    run = run_module(exotel_exophone.main, connection(**options))
    assert len(http.calls) == 0
    assert run.result['failed'] is True
    assert msg in run.result['msg']
    assert 'hunter2' not in run.out


def test_an_unclear_update_answer_is_re_read_and_sent_again_when_it_did_not_happen(http, run_module):
    # A malformed answer to the PUT: the re-read shows the old flow, so the same PUT is sent again (within retries).
    before = exophone(voice_url=None)
    after = exophone(voice_url=FLOW % (ACCOUNT, '245678'))
    listed(http, before)
    http.put(BASE + ONE, body='<html>upstream hiccup', content_type='application/json')
    http.put(BASE + ONE, json=after)
    run = run_module(exotel_exophone.main, connection(phone_number=PHONE, voice_app_id='245678', retries=2))
    put = ('PUT', ONE, {'VoiceUrl': FLOW % (ACCOUNT, '245678')})
    # The re-read walks the list again (the number was found by phone_number): it still shows the old flow.
    assert form_calls(http) == [('GET', FIRST_PAGE, None), put, ('GET', FIRST_PAGE, None), put]
    assert run.result['changed'] is True and run.result['exophone'] == parsed(after)


def test_an_update_answered_with_a_server_error_in_the_body_is_retried(http, run_module):
    # HTTP 200 whose RestException says 503: retried like an HTTP 503, no re-read needed.
    before = exophone(voice_url=None)
    after = exophone(voice_url=FLOW % (ACCOUNT, '245678'))
    listed(http, before)
    http.put(BASE + ONE, status=200, json=rest(503, 'ServiceUnavailable', 'Try again later'))
    http.put(BASE + ONE, json=after)
    run = run_module(exotel_exophone.main, connection(phone_number=PHONE, voice_app_id='245678', retries=2))
    assert [c[:2] for c in form_calls(http)] == [('GET', FIRST_PAGE), ('PUT', ONE), ('PUT', ONE)]
    assert run.result['changed'] is True and run.result['exophone'] == parsed(after)

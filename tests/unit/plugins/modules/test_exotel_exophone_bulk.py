# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""exotel_exophone's bulk form (exophones): one read of the list, writes only where an ExoPhone differs, never a
purchase or a release, every entry checked before any request."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.exotel.trunking.plugins.modules import exotel_exophone
from ansible_collections.exotel.trunking.tests.unit.plugins.exophone_answers import (
    BASE, FIRST_PAGE, FLOW, LIST, LIST_URL, SMS_FLOW, connection, exophone, form_calls, page, parsed, rest,
)
from ansible_collections.exotel.trunking.tests.unit.plugins.exotel_envelopes import ACCOUNT, TOKEN

A = exophone(sid='a1', phone='+918040264208', name='Support', voice_url=FLOW % (ACCOUNT, '245678'))
B = exophone(sid='b2', phone='+918040264209', name='Bot', voice_url='https://my.exotel.com/exoml/start/245679')
C = exophone(sid='c3', phone='08040264210', name='National', voice_url=None)
VIEW_KEYS = ('phone_number', 'friendly_name', 'app_id', 'voice_url', 'sms_app_id', 'sms_url')


def view(item):
    return dict((k, item.get(k)) for k in VIEW_KEYS)


def listed(http, *pages):
    for number, items in enumerate(pages):
        http.get(LIST_URL, json=page(list(items), number=number, size=2, next_page=number < len(pages) - 1))


def bulk(entries, **kw):
    return connection(exophones=entries, **kw)


UNCHANGED = [{'phone_number': '+918040264208', 'voice_app_id': 245678, 'friendly_name': 'Support'},
             {'phone_number': '+918040264209', 'voice_app_id': '245679'},
             {'phone_number': '+918040264210'}]


def test_an_unchanged_account_is_one_read_of_each_page_and_no_write(http, run_module):
    listed(http, [A, B], [C])
    run = run_module(exotel_exophone.main, bulk(UNCHANGED))
    assert form_calls(http) == [('GET', FIRST_PAGE, None), ('GET', LIST + '?Page=1&PageSize=2', None)]
    assert run.result == {'changed': False, 'changed_numbers': [], 'exophones': [parsed(A), parsed(B), parsed(C)]}


def test_only_the_exophones_that_differ_are_written(http, run_module):
    listed(http, [A, B], [C])
    after_b = dict(B, voice_url=FLOW % (ACCOUNT, '999'), friendly_name='Bot 2')
    after_c = dict(C, sms_url=SMS_FLOW % (ACCOUNT, '300001'))
    http.put(BASE + LIST + '/b2', json=after_b)
    http.put(BASE + LIST + '/c3', json=after_c)
    entries = [UNCHANGED[0], {'phone_number': '+918040264209', 'voice_app_id': '999', 'friendly_name': 'Bot 2'},
               {'phone_number': '+918040264210', 'sms_app_id': '300001'}]
    run = run_module(exotel_exophone.main, bulk(entries), diff=True)
    assert form_calls(http) == [
        ('GET', FIRST_PAGE, None), ('GET', LIST + '?Page=1&PageSize=2', None),
        ('PUT', LIST + '/b2', {'FriendlyName': 'Bot 2', 'VoiceUrl': FLOW % (ACCOUNT, '999')}),
        ('PUT', LIST + '/c3', {'SMSUrl': SMS_FLOW % (ACCOUNT, '300001')})]
    assert run.result == {
        'changed': True, 'changed_numbers': ['+918040264209', '08040264210'],
        'exophones': [parsed(A), parsed(after_b), parsed(after_c)],
        'diff': {'before': {'exophones': {'+918040264209': view(parsed(B)), '08040264210': view(parsed(C))}},
                 'after': {'exophones': {'+918040264209': view(parsed(after_b)), '08040264210': view(parsed(after_c))}}}}


def test_check_mode_sends_only_the_reads(http, run_module):
    listed(http, [A, B], [C])
    run = run_module(exotel_exophone.main, bulk([{'phone_number': '+918040264208', 'voice_app_id': '1'}]), check_mode=True)
    assert [c[0] for c in form_calls(http)] == ['GET', 'GET']
    assert run.result['changed'] is True and run.result['changed_numbers'] == ['+918040264208']
    assert run.result['exophones'][0]['app_id'] == '1'


def test_a_number_the_account_does_not_have_fails_before_any_write(http, run_module):
    listed(http, [A, B], [C])
    run = run_module(exotel_exophone.main, bulk([{'phone_number': '+918040264208', 'voice_app_id': '1'},
                                                 {'phone_number': '+918040264300'}]))
    assert [c[0] for c in form_calls(http)] == ['GET', 'GET']
    assert run.result == {'failed': True, 'msg': (
        'Nothing was changed: Phone number +918040264300 is not an ExoPhone of account %s: the exophones form never '
        'buys a number (use phone_number with allow_purchase=true for that).' % ACCOUNT)}


def test_a_failed_write_stops_with_what_was_changed_and_exotels_answer(http, run_module):
    listed(http, [A, B])
    after_a = dict(A, friendly_name='New')
    http.put(BASE + LIST + '/a1', json=after_a)
    http.put(BASE + LIST + '/b2', status=400, json=rest(400, 21452, 'VoiceUrl is not valid'))
    entries = [{'phone_number': '+918040264208', 'friendly_name': 'New'},
               {'phone_number': '+918040264209', 'voice_app_id': '7'}]
    run = run_module(exotel_exophone.main, bulk(entries, api_token=TOKEN))
    result = run.result
    assert result['msg'] == ('Could not update ExoPhone +918040264209 in account %s: Exotel rejected PUT %s/b2: HTTP 400, '
                             'error 21452, VoiceUrl is not valid' % (ACCOUNT, LIST))
    assert (result['http_status'], result['error_code'], result['changed_numbers']) == (400, 21452, ['+918040264208'])
    assert [c[0] for c in form_calls(http)] == ['GET', 'PUT', 'PUT'] and TOKEN not in run.out


@pytest.mark.parametrize('entries, extra, msg', [
    ([{'phone_number': 918040264208}], {}, 'exophones[0].phone_number must be an E.164 phone number'),
    ([{'phone_number': '+918040264208'}, {'phone_number': '+918040264209', 'voice_app_id': 'x1'}], {},
     "exophones[1].voice_app_id must be a flow (app) id made of digits"),
    ([{'phone_number': '+918040264208', 'voice_url': 'ftp://x/1'}], {}, 'exophones[0].voice_url must be an http://'),
    ([{'phone_number': '+918040264208', 'sms_app_id': '1', 'sms_url': 'https://x/1'}], {},
     'exophones[0]: sms_app_id and sms_url are mutually exclusive; give one.'),
    ([{'phone_number': '+918040264208'}, {'phone_number': '+918040264208'}], {},
     'exophones[1].phone_number +918040264208 is listed more than once (also exophones[0]).'),
    ([{'phone_number': '+918040264208', 'mode': 'flow'}], {}, 'mode'),
    ([{'phone_number': '+918040264208'}], {'voice_app_id': '1'},
     'exophones cannot be used with voice_app_id: give each ExoPhone\'s options in its entry.'),
    ([{'phone_number': '+918040264208'}], {'allow_purchase': True},
     'exophones cannot be used with allow_purchase: the bulk form never buys or releases a number.'),
    ([{'phone_number': '+918040264208'}], {'state': 'absent'},
     'exophones requires state=present: the bulk form never releases a number.'),
])
def test_bad_entries_fail_before_any_request(http, run_module, entries, extra, msg):
    run = run_module(exotel_exophone.main, bulk(entries, **extra))
    assert len(http.calls) == 0
    assert run.result['failed'] is True and msg in run.result['msg']

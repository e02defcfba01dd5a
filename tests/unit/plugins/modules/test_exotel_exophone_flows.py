# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""exotel_exophone with ``exophones`` (the bulk form): one list read, one PUT per flow that differs, the
first failure stops the task naming what was written, bad entries refused before any request."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.exotel.trunking.plugins.modules import exotel_exophone
from ansible_collections.exotel.trunking.tests.unit.plugins.exophone_answers import (
    BASE, FIRST_PAGE, FLOW, LIST, LIST_URL, connection, exophone, form_calls, page, parsed, rest,
)
from ansible_collections.exotel.trunking.tests.unit.plugins.exotel_envelopes import ACCOUNT, TOKEN

ONE, TWO, THREE = ('sid%d' % i for i in (1, 2, 3))
A, B, C = '+918040264208', '+918040264209', '+918040264210'
OLD = 'http://my.exotel.com/%s/exoml/start_voice/245678' % ACCOUNT
BOT = FLOW % (ACCOUNT, '245679')


def account(http):
    items = [exophone(sid=ONE, phone=A, voice_url=OLD), exophone(sid=TWO, phone=B, voice_url=BOT),
             exophone(sid=THREE, phone=C, voice_url=OLD)]
    http.get(LIST_URL, json=page(items, next_page=False))
    return items


def to_bot(*entries):
    default = [{'phone_number': A, 'voice_app_id': 245679}, {'sid': TWO, 'voice_app_id': '245679'}, {'phone_number': C, 'voice_url': BOT}]
    return connection(exophones=list(entries) or default)


def test_one_read_then_a_put_only_where_the_flow_differs(http, run_module):
    items = account(http)
    http.put(BASE + LIST + '/' + ONE, json=exophone(sid=ONE, phone=A, voice_url=BOT))
    http.put(BASE + LIST + '/' + THREE, json=exophone(sid=THREE, phone=C, voice_url=BOT))
    run = run_module(exotel_exophone.main, to_bot(), diff=True)
    assert form_calls(http) == [('GET', FIRST_PAGE, None), ('PUT', LIST + '/' + ONE, {'VoiceUrl': BOT}),
                                ('PUT', LIST + '/' + THREE, {'VoiceUrl': BOT})]
    assert run.result == {
        'changed': True, 'changed_numbers': [A, C],
        'exophones': [parsed(exophone(sid=ONE, phone=A, voice_url=BOT)), parsed(items[1]),
                      parsed(exophone(sid=THREE, phone=C, voice_url=BOT))],
        'diff': {'before': {'exophones': {A: OLD, B: BOT, C: OLD}}, 'after': {'exophones': {A: BOT, B: BOT, C: BOT}}}}


def test_a_re_run_and_check_mode_send_only_the_read(http, run_module):
    account(http)
    run = run_module(exotel_exophone.main, to_bot({'sid': TWO, 'voice_app_id': '245679'}))
    assert run.result == {'changed': False, 'changed_numbers': [], 'exophones': [parsed(exophone(sid=TWO, phone=B, voice_url=BOT))]}
    run = run_module(exotel_exophone.main, to_bot(), check_mode=True)
    assert run.result['changed_numbers'] == [A, C]
    assert [c[0] for c in form_calls(http)] == ['GET', 'GET']


def test_the_first_failed_write_stops_the_task_naming_what_was_written(http, run_module):
    account(http)
    http.put(BASE + LIST + '/' + ONE, json=exophone(sid=ONE, phone=A, voice_url=BOT))
    http.put(BASE + LIST + '/' + THREE, status=400, json=rest(400, 21452, 'VoiceUrl is not valid'))
    r = run_module(exotel_exophone.main, to_bot()).result
    assert r['msg'] == ('Could not update ExoPhone %s in account %s: Exotel rejected PUT %s/%s: HTTP 400, error 21452, VoiceUrl '
                        'is not valid' % (C, ACCOUNT, LIST, THREE))
    assert (r['failed'], r['changed_numbers'], r['http_status'], r['error_code']) == (True, [A], 400, 21452)
    assert len(http.calls) == 3
    assert TOKEN not in str(r)


def test_an_exophone_the_account_does_not_have_is_refused_before_any_write(http, run_module):
    account(http)
    r = run_module(exotel_exophone.main, to_bot({'phone_number': A, 'voice_app_id': '1'},
                                                {'phone_number': '+918040264299', 'voice_app_id': '1'})).result
    assert r['msg'] == 'Nothing was changed: There is no ExoPhone +918040264299 in account %s.' % ACCOUNT
    assert [c[0] for c in form_calls(http)] == ['GET']


def test_bad_entries_are_refused_before_any_request(http, run_module):
    r = run_module(exotel_exophone.main, to_bot({'phone_number': '918040264208', 'voice_app_id': 'bot'},
                                                {'sid': 'a/b', 'voice_url': 'ftp://x/1'})).result
    assert r['msg'] == (
        'exophones[0].phone_number must be an E.164 phone number: "+" then 8 to 15 digits, e.g. "+918040264208"; got '
        '\'918040264208\'. exophones[0].voice_app_id must be a flow (app) id made of digits, as the Exotel dashboard shows it, '
        'e.g. "245678"; got \'bot\'. exophones[1].sid must be an ExoPhone SID (letters, digits, "_" and "-"), e.g. '
        '9eeafc8ab479a386dc95f854f9d7cd8a; got \'a/b\'. exophones[1].voice_url must be an http:// or https:// URL with a host '
        'and no credentials or spaces, e.g. https://my.exotel.com/<account_sid>/exoml/start_voice/245678. Nothing was sent.')
    r = run_module(exotel_exophone.main, connection(exophones=[{'phone_number': A}])).result
    assert 'one of the following is required: voice_app_id, voice_url found in exophones' in r['msg']
    r = run_module(exotel_exophone.main, connection(exophones=[{'phone_number': A, 'voice_app_id': '1'}], phone_number=A)).result
    assert 'parameters are mutually exclusive: exophones|phone_number' in r['msg']
    assert len(http.calls) == 0

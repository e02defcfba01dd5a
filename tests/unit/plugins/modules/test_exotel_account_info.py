# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""exotel_account_info: the account in the input shapes, exact calls (one read per list page), filters, failures."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.exotel.trunking.plugins.modules import exotel_account_info
from ansible_collections.exotel.trunking.tests.unit.plugins.exophone_answers import FIRST_PAGE, LIST, LIST_URL, exophone, page
from ansible_collections.exotel.trunking.tests.unit.plugins.exotel_envelopes import (
    ACCOUNT, BASE, TOKEN, TRUNK, calls, error, listing, mapping, warning_texts,
)
from ansible_collections.exotel.trunking.tests.unit.plugins.exotel_resource_fixtures import (
    TRUNKS, TRUNKS_PATH, acl, connection, credential, destination, setting, trunk,
)

OTHER_SID = 'trmum1bbbbbbbbbbbbbbbbbbbb1n'
SEGMENTS = ('phone-numbers', 'whitelisted-ips', 'destination-uris', 'credentials', 'settings')


def sub(sid, segment):
    return '/v2/accounts/%s/trunks/%s/%s' % (ACCOUNT, sid, segment)


def args(**kw):
    return connection(trunk_sid=None, **kw)


def seed(http, with_other=True):
    """An account of two trunks (listed out of order) and two ExoPhones; every list in one page."""
    listed = [trunk('zeta_trunk', OTHER_SID, 'IN-ANY'), trunk()] if with_other else [trunk()]
    http.get(TRUNKS, json=listing(listed, path=TRUNKS_PATH))
    lists = {
        'phone-numbers': [mapping('2', '+918040264209', 'flow'), mapping('1', '+918040264208', None),
                          mapping('3', '+918040264207', 'PSTN')],
        'whitelisted-ips': [acl('10', '203.0.113.20', 24), acl('11', '203.0.113.3')],
        'destination-uris': [destination('20', 'sip:b.example.com:5061;transport=tls', 1, 3),
                             destination('21', 'sip:a.example.com:5061;transport=tls'),
                             destination('22', 'sip:A.example.com:5061;transport=tls')],
        'credentials': [dict(credential('30', 'pbx_b'), password='leaked_by_a_server'),
                        credential('31', 'pbx_a', 'main_pbx')],
        'settings': [setting('+918040264208'), setting('x', name='other_setting', id_='55002')],
    }
    for segment in SEGMENTS:
        http.get(BASE + sub(TRUNK, segment), json=listing(lists[segment], path=sub(TRUNK, segment)))
        http.get(BASE + sub(OTHER_SID, segment), json=listing([], path=sub(OTHER_SID, segment)))
    http.get(LIST_URL, json=page([
        exophone(sid='b2', phone='+918040264209', name='Bot', voice_url='https://my.exotel.com/exoml/start/245679',
                 sms_url='https://my.exotel.com/x/exoml/start_sms/300001'),
        exophone(sid='a1', phone='+918040264208', name='Support', voice_url='http://flows.example.com/answer'),
        exophone(sid='c3', phone='08040264210', name='National'),
    ], next_page=False))


SUPPORT = {
    'name': 'voice_ai_prod', 'nso_code': 'ANY-ANY',
    'numbers': [{'phone_number': '+918040264207', 'mode': 'pstn'}, {'phone_number': '+918040264208'},
                {'phone_number': '+918040264209', 'mode': 'flow'}],
    'acl': [{'ip': '203.0.113.3', 'mask': 32}, {'ip': '203.0.113.20', 'mask': 24}],
    'destinations': [{'destination': 'a.example.com:5061;transport=tls', 'priority': 0, 'weight': 1},
                     {'destination': 'b.example.com:5061;transport=tls', 'priority': 1, 'weight': 3}],
    'credentials': [{'user_name': 'pbx_a', 'friendly_name': 'main_pbx'}, {'user_name': 'pbx_b'}],
    'alias': '+918040264208',
}
ZETA = {'name': 'zeta_trunk', 'nso_code': 'IN-ANY', 'numbers': [], 'acl': [], 'destinations': [], 'credentials': []}
EXOPHONES = [
    {'phone_number': '+918040264208', 'friendly_name': 'Support', 'voice_url': 'http://flows.example.com/answer'},
    {'phone_number': '+918040264209', 'friendly_name': 'Bot', 'voice_app_id': '245679', 'sms_app_id': '300001'},
]


def reads(*sids):
    """The exact reads of the given trunks' lists, in the module's order."""
    return [('GET', sub(sid, segment) + '?page_size=100', None) for sid in sids for segment in SEGMENTS]


def test_the_whole_account_in_the_input_shapes_with_one_read_per_list(http, run_module):
    seed(http)
    run = run_module(exotel_account_info.main, args())
    assert calls(http) == [('GET', TRUNKS_PATH + '?page_size=100', None)] + reads(TRUNK, OTHER_SID) + [
        ('GET', FIRST_PAGE, None)]
    assert run.result == {'changed': False, 'requests': 12, 'trunks': [SUPPORT, ZETA], 'exophones': EXOPHONES,
                          'warnings': run.result['warnings']}
    assert warning_texts(run.result) == [
        'Trunk voice_ai_prod lists destination A.example.com:5061;transport=tls more than once; it is exported once.',
        "ExoPhone c3 is not exported: its number '08040264210' is not in E.164 form, which exotel_exophone needs."]
    assert 'password' not in str(run.result) and 'leaked_by_a_server' not in run.out and TOKEN not in run.out


def test_check_mode_reads_the_same_and_two_reads_are_equal(http, run_module):
    seed(http)
    first = run_module(exotel_account_info.main, args(), check_mode=True).result
    second = run_module(exotel_account_info.main, args()).result
    # ansible-core 2.16 keeps the warnings of both runs in one process: compare without them.
    first.pop('warnings'), second.pop('warnings')
    assert first == second and first['trunks'] == [SUPPORT, ZETA]
    assert [c[0] for c in calls(http)] == ['GET'] * 24


def test_named_trunks_only_read_their_own_lists(http, run_module):
    seed(http)
    run = run_module(exotel_account_info.main, args(trunk_names=['voice_ai_prod'], exophones=False))
    assert calls(http) == [('GET', TRUNKS_PATH + '?page_size=100', None)] + reads(TRUNK)
    assert run.result == {'changed': False, 'requests': 6, 'trunks': [SUPPORT],
                          'warnings': run.result['warnings']}


def test_sections_left_out_are_not_read(http, run_module):
    seed(http)
    run = run_module(exotel_account_info.main, args(sections=['credentials'], exophones=False))
    assert calls(http) == [('GET', TRUNKS_PATH + '?page_size=100', None),
                           ('GET', sub(TRUNK, 'credentials') + '?page_size=100', None),
                           ('GET', sub(OTHER_SID, 'credentials') + '?page_size=100', None)]
    assert run.result == {'changed': False, 'requests': 3, 'trunks': [
        {'name': 'voice_ai_prod', 'nso_code': 'ANY-ANY', 'credentials': SUPPORT['credentials']},
        {'name': 'zeta_trunk', 'nso_code': 'IN-ANY', 'credentials': []}]}


def test_every_page_of_a_long_list_is_read(http, run_module):
    path = sub(TRUNK, 'phone-numbers')
    http.get(TRUNKS, json=listing([trunk()], path=TRUNKS_PATH))
    http.get(BASE + path, json=listing([mapping('1', '+918040264208', 'flow')], page_size=1,
                                       next_page_uri=path + '?offset=1&page_size=1', path=path))
    http.get(BASE + path, json=listing([mapping('2', '+918040264201', 'pstn')], page_size=1, path=path))
    run = run_module(exotel_account_info.main, args(sections=['numbers'], exophones=False))
    assert calls(http) == [('GET', TRUNKS_PATH + '?page_size=100', None), ('GET', path + '?page_size=100', None),
                           ('GET', path + '?offset=1&page_size=1', None)]
    assert run.result['trunks'] == [{'name': 'voice_ai_prod', 'nso_code': 'ANY-ANY', 'numbers': [
        {'phone_number': '+918040264201', 'mode': 'pstn'}, {'phone_number': '+918040264208', 'mode': 'flow'}]}]
    assert run.result['requests'] == 3


def test_an_unknown_trunk_name_fails_after_the_trunk_list_only(http, run_module):
    seed(http)
    run = run_module(exotel_account_info.main, args(trunk_names=['voice_ai_prod', 'nope']))
    assert calls(http) == [('GET', TRUNKS_PATH + '?page_size=100', None)]
    assert run.result == {'failed': True, 'requests': 1, 'msg': 'Account %s has no trunk named nope (its trunks: '
                          'voice_ai_prod, zeta_trunk). Nothing else was read.' % ACCOUNT}


def test_a_bad_trunk_name_fails_before_any_request(http, run_module):
    run = run_module(exotel_account_info.main, args(trunk_names=['ok_name', 'not a name']))
    assert len(http.calls) == 0
    assert run.result['msg'] == ('trunk_names must be trunk names of 1 to 16 letters, digits and "_", e.g. '
                                 "voice_ai_prod; got 'not a name'.")


def test_a_failed_read_carries_exotels_answer(http, run_module):
    http.get(TRUNKS, json=listing([trunk()], path=TRUNKS_PATH))
    http.get(BASE + sub(TRUNK, 'phone-numbers'), status=403, json=error(403, 1003, 'Forbidden', 'Not allowed'))
    run = run_module(exotel_account_info.main, args())
    result = run.result
    assert result['failed'] is True and result['changed'] is False and result['requests'] == 2
    assert result['msg'].startswith('Could not read account %s: ' % ACCOUNT)
    assert (result['http_status'], result['error_code'], result['request_id']) == (
        403, 1003, 'e45544e19a7f4d5d956fefe63fe3c6b6')
    assert result['path'] == sub(TRUNK, 'phone-numbers') + '?page_size=100'


def test_an_empty_account_is_empty_lists(http, run_module):
    http.get(TRUNKS, json={'request_id': 'r1', 'response': []})
    http.get(LIST_URL, json=page([], next_page=False))
    run = run_module(exotel_account_info.main, args())
    assert run.result == {'changed': False, 'requests': 2, 'trunks': [], 'exophones': []}
    assert [c[1] for c in calls(http)] == [TRUNKS_PATH + '?page_size=100', LIST + '?Page=0&PageSize=100']

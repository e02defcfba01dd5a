# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""exotel_trunk_destination: Exotel appends on every POST, so the exact calls matter most here."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.exotel.trunking.plugins.modules import exotel_trunk_destination
from ansible_collections.exotel.trunking.tests.unit.plugins.exotel_envelopes import (
    TRUNK, calls, listing, single, warning_texts,
)
from ansible_collections.exotel.trunking.tests.unit.plugins.exotel_resource_fixtures import (
    REQUEST_ID, batch, connection, destination, details, sub_path, sub_url,
)

URL = sub_url('destination-uris')
PATH = sub_path('destination-uris')
LIST = PATH + '?page_size=100'
SBC = 'sbc.example.com:5061;transport=tls'
IP = '203.0.113.10:5060;transport=tcp'
D1 = destination('53001', 'sip:' + SBC)
D2 = destination('53002', 'sip:' + IP, priority=1)
OLD = destination('53003', 'sip:old.example.com:5061;transport=tls')


def dests(*items):
    return listing(list(items), path=PATH)


def post_body(value):
    return {'destinations': [{'destination': value}]}


def view(item):
    return dict((k, item[k]) for k in ('destination', 'priority', 'weight'))


def test_adds_a_missing_destination(http, run_module):
    http.get(URL, json=dests(OLD))
    http.post(URL, **batch([D1]))
    run = run_module(exotel_trunk_destination.main, connection(destination=SBC), diff=True)
    assert calls(http) == [('GET', LIST, None), ('POST', PATH, post_body(SBC))]
    assert run.result['changed'] is True
    assert run.result['destination'] == D1
    assert run.result['diff'] == {'before': {}, 'after': view(D1)}


def test_compared_without_sip_prefix_and_case_folded(http, run_module):
    http.get(URL, json=dests(D1))
    run = run_module(exotel_trunk_destination.main, connection(destination='SIP:SBC.Example.com:5061;transport=TLS'))
    assert calls(http) == [('GET', LIST, None)]
    assert run.result['changed'] is False and run.result['destination'] == D1


def test_check_mode_reads_only_and_predicts_exotel_defaults(http, run_module):
    http.get(URL, json=dests())
    run = run_module(exotel_trunk_destination.main, connection(destination='sip:' + SBC), check_mode=True, diff=True)
    assert calls(http) == [('GET', LIST, None)]
    assert run.result['changed'] is True
    assert run.result['destination'] == {'destination': 'sip:' + SBC, 'priority': 0, 'weight': 1, 'trunk_sid': TRUNK}
    assert run.result['diff']['after'] == view(D1)


def test_new_destination_with_priority_is_posted_then_put(http, run_module):
    http.get(URL, json=dests())
    http.post(URL, **batch([destination('53002', 'sip:' + IP)]))
    http.put(URL + '/53002', json=single(D2))
    run = run_module(exotel_trunk_destination.main, connection(destination=IP, priority=1))
    assert calls(http) == [('GET', LIST, None), ('POST', PATH, post_body(IP)),
                           ('PUT', PATH + '/53002', {'priority': 1, 'weight': 1})]
    assert run.result['changed'] is True and run.result['destination'] == D2


def test_priority_and_weight_updated_in_place(http, run_module):
    http.get(URL, json=dests(D1))
    http.put(URL + '/53001', json=single(destination('53001', 'sip:' + SBC, 2, 5)))
    run = run_module(exotel_trunk_destination.main, connection(destination=SBC, priority=2, weight=5), diff=True)
    assert calls(http) == [('GET', LIST, None), ('PUT', PATH + '/53001', {'priority': 2, 'weight': 5})]
    assert run.result['diff'] == {'before': view(D1), 'after': dict(view(D1), priority=2, weight=5)}


def test_omitted_priority_is_left_alone(http, run_module):
    http.get(URL, json=dests(D2))
    run = run_module(exotel_trunk_destination.main, connection(destination=IP))
    assert calls(http) == [('GET', LIST, None)]
    assert run.result['changed'] is False


def test_absent_removes_every_copy(http, run_module):
    copy = destination('53009', 'sip:' + SBC)
    http.get(URL, json=dests(D1, D2, copy))
    http.delete(URL, json=single(D1, method='DELETE'))
    run = run_module(exotel_trunk_destination.main, connection(destination=SBC, state='absent'), diff=True)
    assert calls(http) == [('GET', LIST, None), ('DELETE', PATH + '?id=53001', None), ('DELETE', PATH + '?id=53009', None)]
    assert run.result['changed'] is True and run.result['destination'] == {}
    assert run.result['diff'] == {'before': view(D1), 'after': {}}


def test_purge_adds_updates_then_removes_and_drops_duplicates(http, run_module):
    copy = destination('53009', 'sip:' + SBC)
    http.get(URL, json=dests(OLD, D1, copy, destination('53002', 'sip:' + IP)))
    http.put(URL + '/53002', json=single(D2))
    http.delete(URL, json=single(OLD, method='DELETE'))
    wanted = [{'destination': SBC}, {'destination': IP, 'priority': 1}]
    run = run_module(exotel_trunk_destination.main, connection(destinations=wanted, purge=True), diff=True)
    assert calls(http) == [
        ('GET', LIST, None),
        ('PUT', PATH + '/53002', {'priority': 1, 'weight': 1}),
        ('DELETE', PATH + '?id=53009', None),
        ('DELETE', PATH + '?id=53003', None),
    ]
    r = run.result
    assert r['added'] == [] and r['updated'] == [view(D2)]
    assert r['removed'] == [view(copy), view(OLD)]
    assert r['destinations'] == [D1, D2]
    # The diff lists are sorted by destination (without sip:), so what stays keeps its place.
    assert r['diff'] == {'before': {'destinations': [dict(view(D2), priority=0), view(OLD), view(D1), view(copy)]},
                         'after': {'destinations': [view(D2), view(D1)]}}


def test_purge_rerun_reads_only(http, run_module):
    http.get(URL, json=dests(D1, D2))
    wanted = [{'destination': SBC}, {'destination': IP, 'priority': 1}]
    run = run_module(exotel_trunk_destination.main, connection(destinations=wanted, purge=True))
    assert calls(http) == [('GET', LIST, None)]
    assert run.result['changed'] is False


def test_purge_check_mode_reads_only(http, run_module):
    http.get(URL, json=dests(OLD))
    run = run_module(exotel_trunk_destination.main, connection(destinations=[{'destination': SBC}], purge=True),
                     check_mode=True)
    assert calls(http) == [('GET', LIST, None)]
    assert run.result['changed'] is True
    assert run.result['added'] == [view(D1)] and run.result['removed'] == [view(OLD)]


def test_not_whitelisted_in_a_207_batch_fails_with_details(http, run_module):
    http.get(URL, json=dests())
    http.post(URL, **batch([], failures=[(400, 1002, 'Invalid parameter', 'Destination not whitelisted')]))
    run = run_module(exotel_trunk_destination.main, connection(destination=IP))
    r = run.result
    assert len(http.calls) == 2
    assert r['failed'] is True and r['changed'] is False
    assert details(r) == {'http_status': 207, 'error_code': 1002, 'error_description': 'Destination not whitelisted',
                          'request_id': REQUEST_ID, 'method': 'POST', 'path': PATH}
    assert r['msg'].startswith('Could not create destination %s on trunk %s: Exotel rejected POST' % (IP, TRUNK))


def test_ambiguous_post_is_not_repeated_and_found_by_rereading(http, run_module, sleeps):
    http.get(URL, json=dests())
    http.post(URL, status=502, body='bad gateway')
    http.get(URL, json=dests(D1))
    run = run_module(exotel_trunk_destination.main, connection(destination=SBC))
    assert calls(http) == [('GET', LIST, None), ('POST', PATH, post_body(SBC)), ('GET', LIST, None)]
    assert sleeps == []
    assert run.result['changed'] is True and run.result['destination'] == D1
    assert 'a re-read shows it exists' in warning_texts(run.result)[0]


def test_ambiguous_post_and_not_there_fails(http, run_module):
    http.get(URL, json=dests())
    http.post(URL, status=502, body='bad gateway')
    run = run_module(exotel_trunk_destination.main, connection(destination=SBC, retries=0))
    assert [c[0] for c in calls(http)] == ['GET', 'POST', 'GET']
    assert run.result['failed'] is True
    assert run.result['msg'].endswith('A re-read does not show destination %s: nothing was created. The write was sent 1 time; '
                                      'not sent again: retries=0 used.' % SBC)


def test_success_answer_without_the_item_is_settled_by_rereading(http, run_module):
    http.get(URL, json=dests())
    http.post(URL, json={'request_id': 'r2', 'response': []})
    http.get(URL, json=dests(D1))
    run = run_module(exotel_trunk_destination.main, connection(destination=SBC))
    assert [c[0] for c in calls(http)] == ['GET', 'POST', 'GET']
    assert run.result['destination'] == D1


@pytest.mark.parametrize('extra, expected', [
    (dict(destination='sbc.example.com;transport=udp'), 'destination must be a SIP destination'),
    (dict(destination='sbc.example.com:70000'), 'destination must be a SIP destination'),
    (dict(destination='sip:'), 'destination must be a SIP destination'),
    (dict(destination=SBC, priority=-1), 'priority must be an integer of 0 or more; got -1.'),
    (dict(destinations=[{'destination': SBC}, {'destination': 'sip:SBC.example.com:5061;transport=tls'}]),
     'destinations[1] is the same entry as destinations[0]: list each entry once.'),
    (dict(destinations=[{'destination': SBC, 'weight': -2}]), 'destinations[0].weight must be an integer of 0 or more'),
])
def test_bad_input_sends_nothing(http, run_module, extra, expected):
    run = run_module(exotel_trunk_destination.main, connection(**extra))
    assert len(http.calls) == 0
    assert run.result['failed'] is True
    assert run.result['msg'].startswith(expected)

# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""exotel_trunk_acl: exact calls and results, single entry and purge."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.exotel.trunking.plugins.modules import exotel_trunk_acl
from ansible_collections.exotel.trunking.tests.unit.plugins.exotel_envelopes import (
    ACCOUNT, TRUNK, calls, error, listing, single, warning_texts,
)
from ansible_collections.exotel.trunking.tests.unit.plugins.exotel_resource_fixtures import (
    REQUEST_ID, acl, connection, details, sub_path, sub_url,
)

URL = sub_url('whitelisted-ips')
PATH = sub_path('whitelisted-ips')
LIST = PATH + '?page_size=100'
A = acl('52001', '203.0.113.10')
B = acl('52002', '198.51.100.0', 24)
C = acl('52003', '192.0.2.7')


def acls(*items):
    return listing(list(items), path=PATH)


def test_adds_a_missing_ip_with_mask_32(http, run_module):
    http.get(URL, json=acls(B))
    http.post(URL, json=single(A, method='POST'))
    run = run_module(exotel_trunk_acl.main, connection(ip='203.0.113.10'), diff=True)
    assert calls(http) == [('GET', LIST, None), ('POST', PATH, {'ip': '203.0.113.10', 'mask': 32})]
    assert run.result['changed'] is True
    assert run.result['whitelisted_ip'] == A
    assert run.result['diff'] == {'before': {}, 'after': {'ip': '203.0.113.10', 'mask': 32}}
    assert set(run.result) == {'changed', 'whitelisted_ip', 'diff'}


def test_rerun_reads_only(http, run_module):
    http.get(URL, json=acls(B, A))
    run = run_module(exotel_trunk_acl.main, connection(ip='203.0.113.10', mask=32), diff=True)
    assert calls(http) == [('GET', LIST, None)]
    assert run.result['changed'] is False
    assert run.result['whitelisted_ip'] == A
    assert run.result['diff'] == {'before': {'ip': '203.0.113.10', 'mask': 32}, 'after': {'ip': '203.0.113.10', 'mask': 32}}


def test_check_mode_reads_only(http, run_module):
    http.get(URL, json=acls())
    run = run_module(exotel_trunk_acl.main, connection(ip='203.0.113.10'), check_mode=True)
    assert calls(http) == [('GET', LIST, None)]
    assert run.result['changed'] is True
    assert run.result['whitelisted_ip'] == {'ip': '203.0.113.10', 'mask': 32, 'trunk_sid': TRUNK}


def test_other_mask_is_updated_in_place(http, run_module):
    http.get(URL, json=acls(acl('52002', '198.51.100.0', 16)))
    http.put(URL + '/52002', json=single(B))
    run = run_module(exotel_trunk_acl.main, connection(ip='198.51.100.0', mask=24), diff=True)
    assert calls(http) == [('GET', LIST, None), ('PUT', PATH + '/52002', {'ip': '198.51.100.0', 'mask': 24})]
    assert run.result['changed'] is True
    assert run.result['diff'] == {'before': {'ip': '198.51.100.0', 'mask': 16}, 'after': {'ip': '198.51.100.0', 'mask': 24}}


def test_absent_deletes_by_id_query(http, run_module):
    http.get(URL, json=acls(A, C))
    http.delete(URL, json=single(C, method='DELETE'))
    run = run_module(exotel_trunk_acl.main, connection(ip='192.0.2.7', state='absent'), diff=True)
    assert calls(http) == [('GET', LIST, None), ('DELETE', PATH + '?id=52003', None)]
    assert run.result['changed'] is True and run.result['whitelisted_ip'] == {}
    assert run.result['diff'] == {'before': {'ip': '192.0.2.7', 'mask': 32}, 'after': {}}


def test_absent_with_another_mask_refuses(http, run_module):
    http.get(URL, json=acls(B))
    run = run_module(exotel_trunk_acl.main, connection(ip='198.51.100.0', mask=16, state='absent'))
    assert calls(http) == [('GET', LIST, None)]
    assert run.result['failed'] is True
    assert run.result['msg'] == ('Nothing was changed: 198.51.100.0 is whitelisted with mask 24, not 16: it was not '
                                 'removed. Omit mask to remove it whatever its mask.')


def test_absent_when_missing_and_404_on_delete_are_unchanged(http, run_module):
    http.get(URL, json=acls(A))
    http.delete(URL, status=404, json=error(404, 1000, 'Not Found', method='DELETE'))
    run = run_module(exotel_trunk_acl.main, connection(ip='203.0.113.10', state='absent'))
    assert [c[0] for c in calls(http)] == ['GET', 'DELETE']
    assert run.result['changed'] is False and 'failed' not in run.result


def test_purge_makes_the_acl_exact_adding_before_removing(http, run_module):
    http.get(URL, json=acls(C, acl('52002', '198.51.100.0', 16)))
    http.post(URL, json=single(A, method='POST'))
    http.put(URL + '/52002', json=single(B))
    http.delete(URL, json=single(C, method='DELETE'))
    entries = [{'ip': '203.0.113.10'}, {'ip': '198.51.100.0', 'mask': 24}]
    run = run_module(exotel_trunk_acl.main, connection(entries=entries, purge=True), diff=True)
    assert calls(http) == [
        ('GET', LIST, None),
        ('POST', PATH, {'ip': '203.0.113.10', 'mask': 32}),
        ('PUT', PATH + '/52002', {'ip': '198.51.100.0', 'mask': 24}),
        ('DELETE', PATH + '?id=52003', None),
    ]
    r = run.result
    assert r['changed'] is True
    assert r['added'] == [{'ip': '203.0.113.10', 'mask': 32}]
    assert r['updated'] == [{'ip': '198.51.100.0', 'mask': 24}]
    assert r['removed'] == [{'ip': '192.0.2.7', 'mask': 32}]
    assert r['whitelisted_ips'] == [B, A]
    assert r['diff'] == {
        'before': {'whitelisted_ips': [{'ip': '192.0.2.7', 'mask': 32}, {'ip': '198.51.100.0', 'mask': 16}]},
        'after': {'whitelisted_ips': [{'ip': '198.51.100.0', 'mask': 24}, {'ip': '203.0.113.10', 'mask': 32}]}}


def test_purge_rerun_reads_only(http, run_module):
    http.get(URL, json=acls(B, A))
    entries = [{'ip': '203.0.113.10'}, {'ip': '198.51.100.0', 'mask': 24}]
    run = run_module(exotel_trunk_acl.main, connection(entries=entries, purge=True))
    assert calls(http) == [('GET', LIST, None)]
    assert run.result['changed'] is False
    assert (run.result['added'], run.result['updated'], run.result['removed']) == ([], [], [])


def test_purge_check_mode_reads_only(http, run_module):
    http.get(URL, json=acls(C))
    run = run_module(exotel_trunk_acl.main, connection(entries=[{'ip': '203.0.113.10'}], purge=True),
                     check_mode=True, diff=True)
    assert calls(http) == [('GET', LIST, None)]
    assert run.result['changed'] is True
    assert run.result['diff']['after'] == {'whitelisted_ips': [{'ip': '203.0.113.10', 'mask': 32}]}
    assert run.result['removed'] == [{'ip': '192.0.2.7', 'mask': 32}]


def test_empty_entries_with_purge_empties_the_acl(http, run_module):
    http.get(URL, json=acls(A, C))
    http.delete(URL, json=single(A, method='DELETE'))
    run = run_module(exotel_trunk_acl.main, connection(entries=[], purge=True))
    assert calls(http) == [('GET', LIST, None), ('DELETE', PATH + '?id=52001', None), ('DELETE', PATH + '?id=52003', None)]
    assert run.result['whitelisted_ips'] == []


def test_entries_without_purge_leave_others(http, run_module):
    http.get(URL, json=acls(C))
    http.post(URL, json=single(A, method='POST'))
    run = run_module(exotel_trunk_acl.main, connection(entries=[{'ip': '203.0.113.10'}]))
    assert [c[0] for c in calls(http)] == ['GET', 'POST']
    assert run.result['removed'] == [] and run.result['whitelisted_ips'] == [C, A]


def test_duplicate_after_a_race_returns_the_existing_entry(http, run_module):
    http.get(URL, json=acls())
    http.post(URL, json=error(409, 1008, 'Duplicate resource', 'Ip 203.0.113.10 is already whitelisted', method='POST'))
    http.get(URL, json=acls(A))
    run = run_module(exotel_trunk_acl.main, connection(ip='203.0.113.10'))
    assert calls(http) == [('GET', LIST, None), ('POST', PATH, {'ip': '203.0.113.10', 'mask': 32}), ('GET', LIST, None)]
    assert 'failed' not in run.result
    assert run.result['changed'] is False
    assert run.result['whitelisted_ip'] == A


def test_duplicate_after_a_race_with_another_mask_is_then_updated(http, run_module):
    http.get(URL, json=acls())
    http.post(URL, json=error(409, 1008, 'Duplicate resource', method='POST'))
    http.get(URL, json=acls(acl('52001', '203.0.113.10', 24)))
    http.put(URL + '/52001', json=single(A))
    run = run_module(exotel_trunk_acl.main, connection(ip='203.0.113.10'))
    assert [c[0] for c in calls(http)] == ['GET', 'POST', 'GET', 'PUT']
    assert run.result['changed'] is True and run.result['whitelisted_ip'] == A


def test_ambiguous_post_then_found_is_reported_created(http, run_module, sleeps):
    http.get(URL, json=acls())
    http.post(URL, status=503, body='Service Unavailable')
    http.get(URL, json=acls(A))
    run = run_module(exotel_trunk_acl.main, connection(ip='203.0.113.10'))
    assert [c[0] for c in calls(http)] == ['GET', 'POST', 'GET']
    assert sleeps == []
    assert run.result['changed'] is True and run.result['whitelisted_ip'] == A
    assert warning_texts(run.result)[0].startswith('Exotel did not confirm the new whitelisted IP 203.0.113.10/32')


def test_ambiguous_post_then_not_found_fails_with_what_was_done(http, run_module):
    http.get(URL, json=acls(C))
    http.post(URL, status=504, body='')
    entries = [{'ip': '203.0.113.10'}]
    run = run_module(exotel_trunk_acl.main, connection(entries=entries, purge=True, retries=1))
    r = run.result
    assert [c[0] for c in calls(http)] == ['GET', 'POST', 'GET', 'POST', 'GET']
    assert r['failed'] is True and r['changed'] is False
    assert r['msg'] == ('Could not create whitelisted IP 203.0.113.10/32 on trunk %s: Exotel answered POST %s with '
                        'HTTP 504 and a body that is not JSON: (empty body). A re-read does not show whitelisted IP '
                        '203.0.113.10/32: nothing was created. The write was sent 2 times; not sent again: retries=1 used.' % (TRUNK, PATH))
    assert r['whitelisted_ips'] == [C] and r['removed'] == []


def test_refusal_fails_with_exotel_details(http, run_module):
    http.get(URL, json=acls())
    http.post(URL, status=400, json=error(400, 1002, 'Invalid parameter', 'Invalid ip', method='POST'))
    run = run_module(exotel_trunk_acl.main, connection(ip='203.0.113.10'))
    assert len(http.calls) == 2
    assert details(run.result) == {'http_status': 400, 'error_code': 1002, 'error_description': 'Invalid ip',
                                   'request_id': REQUEST_ID, 'method': 'POST', 'path': PATH}


def test_unknown_trunk_hint(http, run_module):
    http.get(URL, status=404, json=error(404, 1000, 'Not Found'))
    run = run_module(exotel_trunk_acl.main, connection(ip='203.0.113.10'))
    assert run.result['msg'] == (
        'Could not read the whitelisted ips of trunk %s: Exotel rejected GET %s: HTTP 404, error 1000, Not Found, '
        'request_id %s. Check trunk_sid: the trunk %s does not exist in account %s (or belongs to another account).'
        % (TRUNK, LIST, REQUEST_ID, TRUNK, ACCOUNT))


@pytest.mark.parametrize('extra, expected', [
    (dict(ip='203.0.113.300'), "ip must be an IPv4 address, e.g. 203.0.113.10; got '203.0.113.300'."),
    (dict(ip='10.0.0.0', mask=8), 'mask must be a prefix length from 16 to 32; got 8.'),
    (dict(entries=[{'ip': 'x'}, {'ip': '10.0.0.1', 'mask': 40}]),
     ("entries[0].ip must be an IPv4 address, e.g. 203.0.113.10; got 'x'. entries[1].mask must be a prefix length "
      "from 16 to 32; got 40.")),
    (dict(entries=[{'ip': '10.0.0.1'}, {'ip': '10.0.0.1', 'mask': 24}]),
     'entries[1] is the same entry as entries[0]: list each entry once.'),
    (dict(ip='10.0.0.1', purge=True), "purge requires entries and state=present: it makes the trunk's list exactly entries."),
    (dict(entries=[], purge=True, state='absent'),
     "purge requires entries and state=present: it makes the trunk's list exactly entries."),
    (dict(ip='10.0.0.1', trunk_sid='../x'), 'trunk_sid must be a trunk SID'),
])
def test_bad_input_sends_nothing(http, run_module, extra, expected):
    run = run_module(exotel_trunk_acl.main, connection(**extra))
    assert len(http.calls) == 0
    assert run.result['failed'] is True
    assert run.result['msg'].startswith(expected)

# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The write engine itself (_kind.py, _resource.py), driven with a small Kind over HTTP mocked at the
transport: the plan's order and refusals, create once, delete once, lost answers settled by a
re-read, the duplicate (1008) race, check mode, the outcome so far on a failure, parallel steps."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest
import requests

from ansible_collections.exotel.trunking.plugins.module_utils._client import ExotelClient
from ansible_collections.exotel.trunking.plugins.module_utils._errors import ExotelError
from ansible_collections.exotel.trunking.plugins.module_utils._kind import Kind
from ansible_collections.exotel.trunking.plugins.module_utils._resource import (
    Outcome, Refusal, StepError, ensure, list_result, plan, single_result,
)
from ansible_collections.exotel.trunking.tests.unit.plugins.exotel_envelopes import (
    ACCOUNT, KEY, TOKEN, TRUNK, calls, error, listing, single,
)
from ansible_collections.exotel.trunking.tests.unit.plugins.exotel_resource_fixtures import acl, sub_path, sub_url

URL, PATH = sub_url('whitelisted-ips'), sub_path('whitelisted-ips')
LIST = PATH + '?page_size=100'
A, B, C = acl('1', '192.0.2.1'), acl('2', '192.0.2.2', 24), acl('3', '192.0.2.3')


class Ips(Kind):
    """A plain kind: whitelisted IPs keyed by ip, mask compared (results ``ip`` and ``ips``)."""

    segment = 'whitelisted-ips'
    noun = 'ip'
    fields = ('ip', 'mask')

    def key(self, item):
        return item.get('ip')

    def missing(self, want):
        return 'no room for %s.' % want['ip'] if want.get('mask') == 0 else None

    def conflict(self, item, want, state):
        return 'keep %s.' % item['ip'] if state == 'absent' and item.get('mask') == 24 else None


def kind(retries=0):
    client = ExotelClient(account_sid=ACCOUNT, api_key=KEY, api_token=TOKEN, region='mumbai', retries=retries)
    return Ips(client, TRUNK)


def want(ip, mask=32):
    return dict(ip=ip, mask=mask)


def ips(*items):
    return listing(list(items), path=PATH)


def steps(the_plan):
    return [(s.verb, s.subject['ip']) for s in the_plan.steps]


# ---------------------------------------------------------------- plan (no request at all)

def test_plan_adds_and_updates_before_it_removes():
    the_plan = plan(kind(), [A, B], [want('192.0.2.3'), want('192.0.2.2', 32)], purge=True)
    assert steps(the_plan) == [('create', '192.0.2.3'), ('update', '192.0.2.2'), ('delete', '192.0.2.1')]
    assert the_plan.steps[1].body == {'mask': 32}
    assert the_plan.before == [A, B]


def test_plan_without_purge_keeps_the_others():
    assert steps(plan(kind(), [A, B], [want('192.0.2.1')])) == []


def test_plan_absent_deletes_every_copy():
    copy = acl('9', '192.0.2.1')
    assert steps(plan(kind(), [A, copy, C], [want('192.0.2.1')], state='absent')) == [
        ('delete', '192.0.2.1'), ('delete', '192.0.2.1')]


def test_plan_purge_removes_duplicates_of_a_wanted_entry():
    copy = acl('9', '192.0.2.1')
    the_plan = plan(kind(), [A, copy], [want('192.0.2.1')], purge=True)
    assert [(s.verb, s.have['id']) for s in the_plan.steps] == [('delete', '9')]


def test_plan_refuses_with_every_problem_and_no_steps():
    with pytest.raises(Refusal) as info:
        plan(kind(), [B], [want('192.0.2.9', 0), want('192.0.2.2')], state='absent')
    assert info.value.message == 'Nothing was changed: keep 192.0.2.2.'
    with pytest.raises(Refusal) as info:
        plan(kind(), [], [want('192.0.2.9', 0), want('192.0.2.8', 0)])
    assert info.value.message == 'Nothing was changed: no room for 192.0.2.9. no room for 192.0.2.8.'
    assert info.value.error is None


# ---------------------------------------------------------------- create once

def test_create_is_one_post_and_the_answer_is_the_item(http):
    http.get(URL, json=ips(A))
    http.post(URL, json=single(C, method='POST'))
    outcome = ensure(kind(), [want('192.0.2.3')])
    assert calls(http) == [('GET', LIST, None), ('POST', PATH, {'ip': '192.0.2.3', 'mask': 32})]
    assert outcome.added == [C] and outcome.after == [A, C] and outcome.changed is True
    assert outcome.warnings == []


def test_create_whose_answer_was_lost_is_settled_by_a_reread(http):
    http.get(URL, json=ips(A))
    http.post(URL, status=504, body='<html>Gateway Timeout</html>')
    http.get(URL, json=ips(A, C))
    outcome = ensure(kind(), [want('192.0.2.3')])
    assert [c[0] for c in calls(http)] == ['GET', 'POST', 'GET']   # never a second POST
    assert outcome.added == [C]
    assert outcome.warnings[0].startswith('Exotel did not confirm the new ip 192.0.2.3 (')
    assert outcome.warnings[0].endswith('a re-read shows it exists.')


def test_create_whose_answer_was_lost_and_that_is_not_there_fails_once(http):
    http.get(URL, json=ips(A))
    http.post(URL, status=502, body='<html>Bad Gateway</html>')
    http.get(URL, json=ips(A))
    with pytest.raises(StepError) as info:
        ensure(kind(), [want('192.0.2.3')])
    assert [c[0] for c in calls(http)] == ['GET', 'POST', 'GET']
    assert info.value.step.verb == 'create'
    assert info.value.error.http_status == 502
    assert info.value.error.message.endswith('A re-read does not show ip 192.0.2.3: nothing was created.'
        + ' The write was sent 1 time; not sent again: retries=0 used.')
    assert info.value.outcome.changed is False


def test_duplicate_1008_race_returns_the_existing_item_and_compares_it(http):
    raced = acl('7', '192.0.2.3', 24)
    http.get(URL, json=ips(A))
    http.post(URL, json=error(409, 1008, 'Duplicate resource', method='POST'))
    http.get(URL, json=ips(A, raced))
    http.put(URL + '/7', json=single(acl('7', '192.0.2.3')))
    outcome = ensure(kind(), [want('192.0.2.3')])
    assert [c[0] for c in calls(http)] == ['GET', 'POST', 'GET', 'PUT']
    assert calls(http)[3] == ('PUT', PATH + '/7', {'mask': 32})
    assert outcome.added == []   # a parallel run created it
    assert outcome.updated == [(acl('7', '192.0.2.3'), {'mask': 32})]


def test_duplicate_1008_race_that_already_agrees_changes_nothing(http):
    http.get(URL, json=ips(A))
    http.post(URL, json=error(409, 1008, 'Duplicate resource', method='POST'))
    http.get(URL, json=ips(A, C))
    outcome = ensure(kind(), [want('192.0.2.3')])
    assert outcome.changed is False and outcome.after == [A, C]


def test_an_update_after_a_create_keeps_the_item_counted_as_added(http):
    class Defaults(Ips):
        def create_body(self, want):
            return {'ip': want['ip']}   # the server picks mask 32; 24 is written afterwards

    http.get(URL, json=ips())
    http.post(URL, json=single(C, method='POST'))
    http.put(URL + '/3', json=single(acl('3', '192.0.2.3', 24)))
    outcome = ensure(Defaults(kind().client, TRUNK), [want('192.0.2.3', 24)])
    assert [c[0] for c in calls(http)] == ['GET', 'POST', 'PUT']
    assert outcome.added == [acl('3', '192.0.2.3', 24)] and outcome.updated == []


# ---------------------------------------------------------------- sent again after a re-read shows nothing happened

LOST = requests.exceptions.ConnectionError('Connection aborted: RemoteDisconnected')
POST_C = ('POST', PATH, {'ip': '192.0.2.3', 'mask': 32})
READ = ('GET', LIST, None)


def test_lost_post_answer_and_reread_absent_posts_again(http, sleeps):
    http.get(URL, json=ips(A))
    http.post(URL, body=LOST)
    http.get(URL, json=ips(A))
    http.post(URL, json=single(C, method='POST'))
    outcome = ensure(kind(retries=2), [want('192.0.2.3')])
    assert calls(http) == [READ, POST_C, READ, POST_C]
    assert len(sleeps) == 1
    assert outcome.added == [C] and outcome.after == [A, C] and outcome.warnings == []


def test_lost_post_answer_and_reread_present_posts_nothing_more(http, sleeps):
    http.get(URL, json=ips(A))
    http.post(URL, body=LOST)
    http.get(URL, json=ips(A, C))
    outcome = ensure(kind(retries=2), [want('192.0.2.3')])
    assert calls(http) == [READ, POST_C, READ]
    assert sleeps == []
    assert outcome.added == [C]
    assert outcome.warnings[0].startswith('Exotel did not confirm the new ip 192.0.2.3 (Could not reach Exotel at ')


def test_post_sent_again_that_meets_a_duplicate_counts_as_created_by_this_run(http, sleeps):
    # The first POST was carried out but the re-read came too early to show it: the second gets 1008.
    http.get(URL, json=ips(A))
    http.post(URL, status=502, body='<html>Bad Gateway</html>')
    http.get(URL, json=ips(A))
    http.post(URL, json=error(409, 1008, 'Duplicate resource', method='POST'))
    http.get(URL, json=ips(A, C))
    outcome = ensure(kind(retries=2), [want('192.0.2.3')])
    assert calls(http) == [READ, POST_C, READ, POST_C, READ]
    assert outcome.added == [C] and outcome.changed is True
    assert 'HTTP 502' in outcome.warnings[0] and outcome.warnings[0].endswith('a re-read shows it exists.')


def test_post_that_never_gets_an_answer_is_sent_one_plus_retries_times(http, sleeps):
    http.get(URL, json=ips(A))
    http.post(URL, body=LOST)
    http.get(URL, json=ips(A))
    with pytest.raises(StepError) as info:
        ensure(kind(retries=2), [want('192.0.2.3')])
    assert calls(http) == [READ] + [POST_C, READ] * 3
    assert len(sleeps) == 2
    assert info.value.error.unreachable is True
    assert info.value.error.message.endswith('A re-read does not show ip 192.0.2.3: nothing was created. '
                                             'The write was sent 3 times; not sent again: retries=2 used.')
    assert info.value.outcome.changed is False


def test_post_refused_with_a_400_is_neither_reread_nor_sent_again(http, sleeps):
    http.get(URL, json=ips(A))
    http.post(URL, status=400, json=error(400, 1002, 'Invalid parameter', method='POST'))
    with pytest.raises(StepError):
        ensure(kind(retries=2), [want('192.0.2.3')])
    assert calls(http) == [READ, POST_C]


def test_update_with_a_malformed_answer_not_applied_is_sent_again(http, sleeps):
    http.get(URL, json=ips(B))
    http.put(URL + '/2', status=200, body='{"response": {"data": ')
    http.get(URL, json=ips(B))
    http.put(URL + '/2', json=single(acl('2', '192.0.2.2')))
    outcome = ensure(kind(retries=1), [want('192.0.2.2')])
    assert calls(http) == [READ, ('PUT', PATH + '/2', {'mask': 32}), READ, ('PUT', PATH + '/2', {'mask': 32})]
    assert outcome.updated == [(acl('2', '192.0.2.2'), {'mask': 32})] and outcome.warnings == []


def test_delete_with_a_failure_body_coded_500_still_there_is_sent_again(http, sleeps):
    http.get(URL, json=ips(A))
    http.delete(URL, status=200, json=error(500, 500, 'Internal Server Error', method='DELETE'))
    http.get(URL, json=ips(A))
    http.delete(URL, json=single(None, method='DELETE'))
    outcome = ensure(kind(retries=1), [want('192.0.2.1')], state='absent')
    assert calls(http) == [READ, ('DELETE', PATH + '?id=1', None), READ, ('DELETE', PATH + '?id=1', None)]
    assert outcome.removed == [A] and outcome.after == []


# ---------------------------------------------------------------- update and delete once

def test_update_whose_answer_was_lost_is_settled_by_a_reread(http):
    http.get(URL, json=ips(B))
    http.put(URL + '/2', status=504, body='')
    http.get(URL, json=ips(acl('2', '192.0.2.2')))
    outcome = ensure(kind(), [want('192.0.2.2')])
    assert [c[0] for c in calls(http)] == ['GET', 'PUT', 'GET']
    assert outcome.updated == [(acl('2', '192.0.2.2'), {'mask': 32})]
    assert 'a re-read shows it applied' in outcome.warnings[0]


def test_update_whose_answer_was_lost_and_not_applied_fails(http):
    http.get(URL, json=ips(B))
    http.put(URL + '/2', status=504, body='')
    http.get(URL, json=ips(B))
    with pytest.raises(StepError) as info:
        ensure(kind(), [want('192.0.2.2')])
    assert info.value.error.message.endswith('A re-read does not show the change: nothing is claimed.'
        + ' The write was sent 1 time; not sent again: retries=0 used.')


def test_delete_is_by_id_query_and_404_means_already_gone(http):
    http.get(URL, json=ips(A, C))
    http.delete(URL, json=single(None, method='DELETE'))
    http.delete(URL, status=404, json=error(404, 1000, 'Not Found', method='DELETE'))
    outcome = ensure(kind(), [want('192.0.2.1'), want('192.0.2.3')], state='absent')
    assert calls(http) == [('GET', LIST, None), ('DELETE', PATH + '?id=1', None), ('DELETE', PATH + '?id=3', None)]
    assert outcome.removed == [A]   # the other was gone already
    assert outcome.after == []


def test_delete_whose_answer_was_lost_is_settled_by_a_reread(http):
    http.get(URL, json=ips(A))
    http.delete(URL, status=502, body='')
    http.get(URL, json=ips(A))
    with pytest.raises(StepError) as info:
        ensure(kind(), [want('192.0.2.1')], state='absent')
    assert info.value.error.message.endswith('A re-read shows ip 192.0.2.1 is still there.'
        + ' The write was sent 1 time; not sent again: retries=0 used.')
    assert [c[0] for c in calls(http)] == ['GET', 'DELETE', 'GET']


# ---------------------------------------------------------------- check mode, failures, parallel steps

def test_check_mode_reads_only_and_predicts(http):
    http.get(URL, json=ips(A, B))
    outcome = ensure(kind(), [want('192.0.2.3'), want('192.0.2.2')], purge=True, check_mode=True)
    assert calls(http) == [('GET', LIST, None)]
    assert outcome.added == [{'ip': '192.0.2.3', 'mask': 32, 'trunk_sid': TRUNK}]
    assert outcome.updated == [(dict(B, mask=32), {'mask': 32})]
    assert outcome.removed == [A]
    assert outcome.after == [dict(B, mask=32), {'ip': '192.0.2.3', 'mask': 32, 'trunk_sid': TRUNK}]


def test_a_failed_step_stops_the_run_with_the_outcome_so_far(http):
    http.get(URL, json=ips(A))
    http.post(URL, json=single(B, method='POST'))
    http.post(URL, status=400, json=error(400, 1002, 'Invalid IP', method='POST'))
    with pytest.raises(StepError) as info:
        ensure(kind(), [want('192.0.2.2', 24), want('192.0.2.3')], purge=True)
    assert [c[0] for c in calls(http)] == ['GET', 'POST', 'POST']   # the delete of A is never sent
    assert info.value.outcome.added == [B] and info.value.outcome.after == [A, B]
    assert kind().step_failure(info.value.step, info.value.error).startswith(
        'Could not create ip 192.0.2.3 on trunk %s: Exotel rejected POST' % TRUNK)


def test_a_failed_read_raises_the_exotel_error(http):
    http.get(URL, status=404, json=error(404, 1000, 'Not Found'))
    with pytest.raises(ExotelError) as info:
        ensure(kind(), [want('192.0.2.3')])
    assert kind().read_failure(info.value).endswith(
        'Check trunk_sid: the trunk %s does not exist in account %s (or belongs to another account).' % (TRUNK, ACCOUNT))


def test_parallel_steps_are_all_tried_and_recorded_in_plan_order(http):
    http.get(URL, json=ips(acl('1', '192.0.2.1', 24), B, acl('3', '192.0.2.3', 24)))
    http.put(URL + '/1', json=single(A))
    http.put(URL + '/2', status=400, json=error(400, 1002, 'Invalid mask', method='PUT'))
    http.put(URL + '/3', json=single(C))
    outcome = ensure(kind(), [want('192.0.2.1'), want('192.0.2.2'), want('192.0.2.3')], workers=3)
    assert sorted(c[1] for c in calls(http)[1:]) == [PATH + '/1', PATH + '/2', PATH + '/3']
    assert outcome.updated == [(A, {'mask': 32}), (C, {'mask': 32})]
    assert [(step.have['id'], exc.error_code) for step, exc in outcome.failed] == [('2', 1002)]
    assert outcome.planned == 3
    assert outcome.after == [A, B, C]


# ---------------------------------------------------------------- results

def test_single_and_list_results():
    outcome = Outcome([A, B])
    outcome.update(B, dict(B, mask=32), {'mask': 32})
    outcome.remove(A)
    outcome.create(C)
    k = kind()
    assert single_result(k, outcome, [want('192.0.2.2')], diff=True) == {
        'changed': True, 'ip': dict(B, mask=32),
        'diff': {'before': {'ip': '192.0.2.2', 'mask': 24}, 'after': {'ip': '192.0.2.2', 'mask': 32}}}
    assert single_result(k, outcome, [want('192.0.2.1')], diff=True)['ip'] == {}
    result = list_result(k, outcome, [], diff=True)
    assert result['ips'] == [dict(B, mask=32), C]
    assert result['added'] == [{'ip': '192.0.2.3', 'mask': 32}]
    assert result['updated'] == [{'ip': '192.0.2.2', 'mask': 32}]
    assert result['removed'] == [{'ip': '192.0.2.1', 'mask': 32}]
    assert result['diff']['after'] == {'ips': [{'ip': '192.0.2.2', 'mask': 32}, {'ip': '192.0.2.3', 'mask': 32}]}

# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Fault injection through real ansible-playbook runs against the emulator.

Every case ends either in success with the emulator's final state equal to what the task
reported, or in a clean failure (no traceback, Exotel's details) with nothing half-done.
"""

import pytest

from conftest import TOKEN, TRUNK, mapping_state, writes

NUMBER = {'trunk_sid': TRUNK, 'phone_number': '+918040264208', 'mode': 'flow'}   # fixture: id 41523, pstn
PUT = {'method': 'PUT', 'path_regex': r'/phone-numbers/41523$'}
LOOKUP = {'method': 'GET', 'path_regex': r'/trunk-maps$'}


def assert_clean_failure(run, result):
    assert result['failed'] is True
    assert result['changed'] is False
    assert 'Traceback' not in run.output and 'Traceback' not in result.get('msg', '')
    assert 'Traceback' not in str(result.get('exception', '')), result.get('exception')
    assert TOKEN not in run.output


# ---------------------------------------------------------------- faults the client rides out

@pytest.mark.parametrize('fault', [
    pytest.param({'kind': 'status', 'status': 429, 'count': 2, 'retry_after': '1', 'match': LOOKUP}, id='429-burst-retry-after'),
    pytest.param({'kind': 'status', 'status': 429, 'count': 2, 'match': LOOKUP}, id='429-burst-without-retry-after'),
    pytest.param({'kind': 'status', 'status': 503, 'body': 'html', 'count': 2, 'match': PUT}, id='503-html-on-put'),
    pytest.param({'kind': 'status', 'status': 502, 'body': 'html', 'count': 1, 'match': LOOKUP}, id='502-html-on-read'),
    pytest.param({'kind': 'drop', 'count': 1, 'match': PUT}, id='dropped-connection-on-put'),
    pytest.param({'kind': 'latency', 'seconds': 3, 'count': 1, 'match': PUT}, id='put-slower-than-timeout'),
])
def test_transient_faults_end_in_the_requested_state(emulator, play, fault):
    emulator.add_faults([fault])
    run = play(dict(NUMBER, timeout=2), emulator_url=emulator.url)
    result = run.result
    assert result.get('failed') is not True, result.get('msg')
    assert result['changed'] is True
    assert result['mapping']['mode'] == 'flow'
    assert mapping_state(emulator, '41523')['mode'] == 'flow'
    # The PUT held by the latency fault is logged when its 3 s are over; the module gave up on it after 2 s and
    # the play may have ended before.
    assert emulator.wait_idle(), 'the emulator is still handling a request'
    faulted = [e for e in emulator.requests_log() if e.get('fault')]
    assert len(faulted) == fault['count']
    # An idempotent re-run after the fault makes no write.
    before = len(writes(emulator))
    again = play(NUMBER, emulator_url=emulator.url).result
    assert again['changed'] is False
    assert len(writes(emulator)) == before


@pytest.mark.parametrize('fault', [
    pytest.param({'kind': 'malformed', 'count': 1, 'match': PUT}, id='malformed-json'),
    pytest.param({'kind': 'failure_body_200', 'code': 500, 'count': 1, 'match': PUT}, id='http-200-with-failure-body-500'),
    pytest.param({'kind': 'status', 'status': 500, 'count': 1, 'match': PUT}, id='http-500'),
])
def test_unclear_answer_to_put_is_checked_by_a_reread_and_sent_again(emulator, play, fault):
    # The fault came instead of the write: the lookup shows pstn, so the same PUT is sent again.
    emulator.add_faults([fault])
    run = play(NUMBER, emulator_url=emulator.url)
    result = run.result
    assert result.get('failed') is not True, result.get('msg')
    assert result['changed'] is True and result['mapping']['mode'] == 'flow'
    assert mapping_state(emulator, '41523')['mode'] == 'flow'
    assert [(e['method'], e['path'].rsplit('/', 1)[-1], e.get('fault')) for e in emulator.requests_log()] == [
        ('GET', 'trunk-maps', None), ('PUT', '41523', fault['kind']), ('GET', 'trunk-maps', None), ('PUT', '41523', None)]
    assert 'warnings' not in result   # the second answer showed the new mode


@pytest.mark.parametrize('fault, expected', [
    pytest.param({'kind': 'failure_body_200', 'code': 500, 'count': 10, 'match': PUT},
                 'HTTP 200 (code 500 in the body)', id='persistent-http-200-with-failure-body'),
    pytest.param({'kind': 'malformed', 'count': 10, 'match': PUT},
                 'a body that is not valid JSON', id='persistent-malformed-json'),
    pytest.param({'kind': 'redirect', 'status': 307, 'location': '/elsewhere', 'count': 1, 'match': PUT},
                 'redirect (HTTP 307 to /elsewhere)', id='redirect-on-put'),
    pytest.param({'kind': 'ignore_change', 'count': 1, 'match': PUT},
                 "instead of 'flow'", id='success-envelope-that-ignores-the-change'),
    pytest.param({'kind': 'status', 'status': 503, 'body': 'html', 'count': 10, 'match': PUT},
                 'HTTP 503 and a body that is not JSON: <html><head><title>503 Service Unavailable', id='persistent-503-html'),
])
def test_failures_are_clean_and_leave_nothing_half_done(emulator, play, fault, expected):
    emulator.add_faults([fault])
    run = play(dict(NUMBER, retries=2), emulator_url=emulator.url)
    result = run.result
    assert_clean_failure(run, result)
    assert expected in result['msg'], result['msg']
    assert "A re-read shows the mapping still has mode 'pstn': nothing was changed." in result['msg'] \
        or result['http_status'] == 200
    assert mapping_state(emulator, '41523')['mode'] == 'pstn'
    assert result['mapping']['mode'] == 'pstn'
    # Within the budget: a transient fault is written 1 + retries times; a redirect or an answer that
    # ignores the change once (sending it again would get the same answer).
    puts = len([e for e in emulator.requests_log() if e['method'] == 'PUT'])
    assert puts == (3 if fault['kind'] in ('failure_body_200', 'malformed', 'status') else 1)
    if puts == 3:
        assert result['msg'].endswith('The write was sent 3 times; not sent again: retries=2 used.')


def test_failure_body_carries_exotel_details(emulator, play):
    emulator.add_faults([{'kind': 'failure_body_200', 'code': 500, 'count': 2, 'match': PUT}])
    result = play(dict(NUMBER, retries=1), emulator_url=emulator.url).result
    assert result['failed'] is True and result['changed'] is False
    assert result['http_status'] == 200 and result['method'] == 'PUT'
    assert result['error_code'] == 500
    assert len(result['request_id']) == 32
    assert mapping_state(emulator, '41523')['mode'] == 'pstn'


def test_retry_after_beyond_the_budget_fails_at_once(emulator, play):
    emulator.add_faults([{'kind': 'status', 'status': 429, 'count': 1, 'retry_after': '600', 'match': LOOKUP}])
    run = play(dict(NUMBER, max_retry_wait=5), emulator_url=emulator.url)
    result = run.result
    assert_clean_failure(run, result)
    assert 'Exotel asked to retry after 600s; max_retry_wait=5s' in result['msg']
    assert writes(emulator) == []


# ---------------------------------------------------------------- a write that happened, an answer that was lost

def test_lost_answer_to_put_without_retries_is_settled_by_reading_back(emulator, play):
    emulator.add_faults([{'kind': 'lost_answer', 'count': 1, 'match': PUT}])
    run = play(dict(NUMBER, retries=0), emulator_url=emulator.url)
    result = run.result
    assert result.get('failed') is not True, result.get('msg')
    assert result['changed'] is True and result['mapping']['mode'] == 'flow'
    assert mapping_state(emulator, '41523')['mode'] == 'flow'
    assert len([e for e in emulator.requests_log() if e['method'] == 'PUT']) == 1
    assert 'a re-read shows the mapping now has mode flow' in run.output


@pytest.mark.parametrize('kind, expected_log, warned', [
    # The POST was carried out, its answer lost: the re-read shows the mapping, so no second POST.
    pytest.param('lost_answer', [('GET', 'trunk-maps', 404), ('POST', 'phone-numbers', 200), ('GET', 'phone-numbers', 200)],
                 True, id='lost-answer-created-never-posted-twice'),
    # The connection dropped before the POST was carried out: the re-read shows nothing, so it is sent again.
    pytest.param('drop', [('GET', 'trunk-maps', 404), ('POST', 'phone-numbers', None), ('GET', 'phone-numbers', 200),
                          ('POST', 'phone-numbers', 200)], False, id='dropped-nothing-created-posted-again'),
])
def test_unanswered_post_creates_exactly_one_mapping(emulator, play, kind, expected_log, warned):
    emulator.add_faults([{'kind': kind, 'count': 1, 'match': {'method': 'POST'}}])
    empty = 'trempty00000000000000000000000001'
    run = play({'trunk_sid': empty, 'phone_number': '+918040260002', 'mode': 'flow'},
               module='exotel.trunking.exotel_trunk_number', emulator_url=emulator.url)
    result = run.result
    assert result.get('failed') is not True, result.get('msg')
    assert result['changed'] is True
    assert result['mapping']['phone_number'] == '+918040260002' and result['mapping']['mode'] == 'flow'
    assert [(e['method'], e['path'].rsplit('/', 1)[-1], e['status']) for e in emulator.requests_log()] == expected_log
    assert [m['phone_number'] for m in emulator.store.trunks[empty]['phone-numbers']] == ['+918040260002']
    assert ('a re-read shows it exists' in run.output) is warned

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
    faulted = [e for e in emulator.requests_log() if e.get('fault')]
    assert len(faulted) == fault['count']
    # An idempotent re-run after the fault makes no write.
    before = len(writes(emulator))
    again = play(NUMBER, emulator_url=emulator.url).result
    assert again['changed'] is False
    assert len(writes(emulator)) == before


def test_malformed_json_answer_to_put_is_settled_by_reading_back(emulator, play):
    emulator.add_faults([{'kind': 'malformed', 'count': 1, 'match': PUT}])
    result = play(NUMBER, emulator_url=emulator.url).result
    # The malformed answer came instead of the write: a re-read shows pstn, so nothing is claimed.
    assert_clean_failure_or_truth(result, emulator)


def assert_clean_failure_or_truth(result, emulator):
    state = mapping_state(emulator, '41523')['mode']
    if result.get('failed'):
        assert result['changed'] is False
        assert state == 'pstn'
        assert 'not valid JSON' in result['msg']
        assert 'nothing was changed' in result['msg']
    else:
        assert result['changed'] is True and state == 'flow'


@pytest.mark.parametrize('fault, expected', [
    pytest.param({'kind': 'failure_body_200', 'code': 500, 'count': 1, 'match': PUT},
                 'HTTP 200 (code 500 in the body)', id='http-200-with-failure-body'),
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


def test_failure_body_carries_exotel_details(emulator, play):
    emulator.add_faults([{'kind': 'failure_body_200', 'code': 500, 'count': 1, 'match': PUT}])
    result = play(NUMBER, emulator_url=emulator.url).result
    assert result['failed'] is True and result['changed'] is False
    assert result['http_status'] == 200 and result['method'] == 'PUT'
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


def test_lost_answer_to_post_is_never_posted_twice(emulator, play):
    emulator.add_faults([{'kind': 'lost_answer', 'count': 1, 'match': {'method': 'POST'}}])
    empty = 'trempty00000000000000000000000001'
    run = play({'trunk_sid': empty, 'phone_number': '+918040260002', 'mode': 'flow'},
               module='exotel.trunking.exotel_trunk_number', emulator_url=emulator.url)
    result = run.result
    assert result.get('failed') is not True, result.get('msg')
    assert result['changed'] is True
    assert result['mapping']['phone_number'] == '+918040260002' and result['mapping']['mode'] == 'flow'
    assert len([e for e in emulator.requests_log() if e['method'] == 'POST']) == 1
    assert [m['phone_number'] for m in emulator.store.trunks[empty]['phone-numbers']] == ['+918040260002']
    assert 'a re-read shows it exists' in run.output

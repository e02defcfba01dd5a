# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""exotel_trunk: exact calls and results."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.exotel.trunking.plugins.modules import exotel_trunk
from ansible_collections.exotel.trunking.tests.unit.plugins.exotel_envelopes import (
    ACCOUNT, TOKEN, TRUNK, calls, error, listing, single, warning_texts,
)
from ansible_collections.exotel.trunking.tests.unit.plugins.exotel_resource_fixtures import (
    REQUEST_ID, TRUNKS, TRUNKS_PATH, connection, details, trunk,
)

LIST = TRUNKS_PATH + '?page_size=100'
BY_SID = TRUNKS_PATH + '?trunk_sid=%s&page_size=100' % TRUNK
NEW = {'trunk_name': 'voice_ai_prod', 'nso_code': 'ANY-ANY', 'domain_name': '%s.pstn.exotel.com' % ACCOUNT}
OTHER = trunk('other', 'trmum1aaaaaaaaaaaaaaaaaaaa1n')


def args(**kw):
    return connection(**dict(dict(trunk_sid=None, trunk_name='voice_ai_prod'), **kw))


def trunks(*items):
    return listing(list(items), path=TRUNKS_PATH)


def test_creates_with_defaults(http, run_module):
    http.get(TRUNKS, json=trunks(OTHER))
    http.post(TRUNKS, json=single(trunk(), method='POST'))
    run = run_module(exotel_trunk.main, args(), diff=True)
    assert calls(http) == [('GET', LIST, None), ('POST', TRUNKS_PATH, NEW)]
    assert run.result['changed'] is True
    assert run.result['trunk'] == trunk()
    assert run.result['diff'] == {'before': {}, 'after': NEW}
    assert 'warnings' not in run.result


def test_rerun_reads_only(http, run_module):
    http.get(TRUNKS, json=trunks(OTHER, trunk()))
    run = run_module(exotel_trunk.main, args(nso_code='ANY-ANY'))
    assert calls(http) == [('GET', LIST, None)]
    assert run.result == {'changed': False, 'trunk': trunk()}


def test_finds_the_name_on_a_later_page(http, run_module):
    page2 = TRUNKS_PATH + '?offset=100&page_size=100'
    http.get(TRUNKS, json=listing([OTHER] * 100, next_page_uri=page2, path=TRUNKS_PATH))
    http.get(TRUNKS, json=trunks(trunk()))
    run = run_module(exotel_trunk.main, args())
    assert calls(http) == [('GET', LIST, None), ('GET', page2, None)]
    assert run.result['changed'] is False


def test_check_mode_reads_only_and_predicts(http, run_module):
    http.get(TRUNKS, json=trunks())
    run = run_module(exotel_trunk.main, args(), check_mode=True, diff=True)
    assert calls(http) == [('GET', LIST, None)]
    assert run.result['changed'] is True
    assert run.result['trunk'] == NEW
    assert run.result['diff'] == {'before': {}, 'after': NEW}


def test_updates_nso_code_in_place(http, run_module):
    http.get(TRUNKS, json=trunks(trunk(nso_code='IN-ANY')))
    http.put(TRUNKS + '/' + TRUNK, json=single(trunk()))
    run = run_module(exotel_trunk.main, args(nso_code='ANY-ANY'), diff=True)
    assert calls(http) == [('GET', LIST, None), ('PUT', TRUNKS_PATH + '/' + TRUNK, {'nso_code': 'ANY-ANY'})]
    assert run.result['changed'] is True
    assert run.result['diff']['before']['nso_code'] == 'IN-ANY'
    assert run.result['diff']['after']['nso_code'] == 'ANY-ANY'


def test_renames_by_sid(http, run_module):
    http.get(TRUNKS, json=trunks(trunk('old_name')))
    http.put(TRUNKS + '/' + TRUNK, json=single(trunk()))
    run = run_module(exotel_trunk.main, args(trunk_sid=TRUNK))
    assert calls(http) == [('GET', BY_SID, None), ('PUT', TRUNKS_PATH + '/' + TRUNK, {'trunk_name': 'voice_ai_prod'})]
    assert run.result['changed'] is True and run.result['trunk']['trunk_name'] == 'voice_ai_prod'


def test_unknown_sid_is_not_created(http, run_module):
    http.get(TRUNKS, json={'request_id': 'r1', 'response': []})
    run = run_module(exotel_trunk.main, args(trunk_sid=TRUNK))
    assert calls(http) == [('GET', BY_SID, None)]
    assert run.result['failed'] is True
    assert run.result['msg'] == ('Nothing was changed: There is no trunk %s in account %s; omit trunk_sid to create a '
                                 'trunk named voice_ai_prod.' % (TRUNK, ACCOUNT))


def test_other_domain_warns(http, run_module):
    http.get(TRUNKS, json=trunks(trunk()))
    run = run_module(exotel_trunk.main, args(domain_name='other.pstn.exotel.com'))
    assert run.result['changed'] is False
    assert warning_texts(run.result) == [
        'Trunk voice_ai_prod has the domain %s.pstn.exotel.com, not other.pstn.exotel.com: Exotel cannot change '
        'the domain of an existing trunk.' % ACCOUNT]


def test_duplicate_name_in_http_200_after_a_race_returns_the_existing_trunk(http, run_module):
    http.get(TRUNKS, json=trunks())
    http.post(TRUNKS, json=error(409, 1008, 'Duplicate resource', 'Trunk name voice_ai_prod already exists', method='POST'))
    http.get(TRUNKS, json=trunks(trunk()))
    run = run_module(exotel_trunk.main, args())
    assert calls(http) == [('GET', LIST, None), ('POST', TRUNKS_PATH, NEW), ('GET', LIST, None)]
    assert 'failed' not in run.result
    assert run.result['changed'] is False
    assert run.result['trunk'] == trunk()


def test_lost_answer_to_create_is_not_retried_and_found_by_rereading(http, run_module, sleeps):
    http.get(TRUNKS, json=trunks())
    http.post(TRUNKS, status=504, body='<html>Gateway Timeout</html>')
    http.get(TRUNKS, json=trunks(trunk()))
    run = run_module(exotel_trunk.main, args())
    assert calls(http) == [('GET', LIST, None), ('POST', TRUNKS_PATH, NEW), ('GET', LIST, None)]
    assert sleeps == []
    assert run.result['changed'] is True
    assert run.result['trunk'] == trunk()
    assert warning_texts(run.result)[0].startswith(
        'Exotel did not confirm the new trunk voice_ai_prod (Exotel answered POST %s with HTTP 504' % TRUNKS_PATH)
    assert warning_texts(run.result)[0].endswith('a re-read shows it exists.')


def test_lost_answer_to_create_and_not_there_fails_after_the_retries(http, run_module, sleeps):
    # A 502 that never clears: each POST is followed by a re-read that does not show the trunk, then
    # POSTed again, 1 + retries (5 by default) times in all.
    http.get(TRUNKS, json=trunks())
    http.post(TRUNKS, status=502, body='<html>Bad Gateway</html>')
    run = run_module(exotel_trunk.main, args())
    r = run.result
    assert calls(http) == [('GET', LIST, None)] + [('POST', TRUNKS_PATH, NEW), ('GET', LIST, None)] * 6
    assert len(sleeps) == 5
    assert r['failed'] is True and r['changed'] is False
    assert r['msg'] == ('Could not create trunk voice_ai_prod on account %s: Exotel answered POST %s with HTTP 502 and '
                        'a body that is not JSON: <html>Bad Gateway</html>. A re-read does not show trunk voice_ai_prod: '
                        'nothing was created. The write was sent 6 times; not sent again: retries=5 used.' % (ACCOUNT, TRUNKS_PATH))
    assert details(r) == {'http_status': 502, 'error_code': None, 'error_description': None, 'request_id': None,
                          'method': 'POST', 'path': TRUNKS_PATH}
    assert r['trunk'] == {}


def test_invalid_nso_code_from_exotel_fails_with_details(http, run_module):
    http.get(TRUNKS, json=trunks())
    http.post(TRUNKS, status=400, json=error(400, 1002, 'Invalid parameter', 'Nso code is invalid', method='POST'))
    run = run_module(exotel_trunk.main, args())
    assert len(http.calls) == 2
    assert details(run.result) == {'http_status': 400, 'error_code': 1002, 'error_description': 'Nso code is invalid',
                                   'request_id': REQUEST_ID, 'method': 'POST', 'path': TRUNKS_PATH}


def test_absent_deletes_by_trunk_sid_query(http, run_module):
    http.get(TRUNKS, json=trunks(OTHER, trunk()))
    http.delete(TRUNKS, json=single(trunk(), method='DELETE'))
    run = run_module(exotel_trunk.main, args(state='absent'), diff=True)
    assert calls(http) == [('GET', LIST, None), ('DELETE', TRUNKS_PATH + '?trunk_sid=' + TRUNK, None)]
    assert run.result['changed'] is True
    assert run.result['trunk'] == {}
    assert run.result['diff'] == {'before': NEW, 'after': {}}


def test_absent_when_missing_reads_only(http, run_module):
    http.get(TRUNKS, json=trunks(OTHER))
    run = run_module(exotel_trunk.main, args(state='absent'))
    assert calls(http) == [('GET', LIST, None)]
    assert run.result['changed'] is False and run.result['trunk'] == {}


def test_absent_check_mode_does_not_delete(http, run_module):
    http.get(TRUNKS, json=trunks(trunk()))
    run = run_module(exotel_trunk.main, args(state='absent'), check_mode=True)
    assert calls(http) == [('GET', LIST, None)]
    assert run.result['changed'] is True and run.result['trunk'] == {}


def test_absent_by_sid_refuses_a_trunk_with_another_name(http, run_module):
    http.get(TRUNKS, json=trunks(trunk('prod_trunk')))
    run = run_module(exotel_trunk.main, args(trunk_sid=TRUNK, state='absent'))
    assert calls(http) == [('GET', BY_SID, None)]
    assert run.result['failed'] is True
    assert run.result['msg'] == ('Nothing was changed: Trunk %s is named prod_trunk, not voice_ai_prod: it was not '
                                 'deleted.' % TRUNK)


def test_absent_by_sid_alone(http, run_module):
    http.get(TRUNKS, json=trunks(trunk()))
    http.delete(TRUNKS, json=single(trunk(), method='DELETE'))
    run = run_module(exotel_trunk.main, args(trunk_sid=TRUNK, trunk_name=None, state='absent'))
    assert calls(http) == [('GET', BY_SID, None), ('DELETE', TRUNKS_PATH + '?trunk_sid=' + TRUNK, None)]
    assert run.result['changed'] is True


def test_lost_answer_to_delete_is_settled_by_rereading(http, run_module):
    http.get(TRUNKS, json=trunks(trunk()))
    http.delete(TRUNKS, status=504, body='gateway timeout')
    http.get(TRUNKS, json=trunks())
    run = run_module(exotel_trunk.main, args(state='absent', retries=1))
    assert [c[0] for c in calls(http)] == ['GET', 'DELETE', 'DELETE', 'GET']
    assert run.result['changed'] is True and 'failed' not in run.result


def test_unauthorized_read_fails_without_secrets(http, run_module):
    http.get(TRUNKS, status=401, json=error(401, 1010, 'Authorization failed'))
    run = run_module(exotel_trunk.main, args())
    assert run.result['msg'].startswith('Could not read the trunks of account %s: Exotel rejected GET %s: HTTP 401'
                                        % (ACCOUNT, LIST))
    assert TOKEN not in run.out


@pytest.mark.parametrize('option, value, expected', [
    ('trunk_name', 'voice-ai', ('trunk_name must be 1 to 16 letters, digits and "_", e.g. voice_ai_prod; got '
                                "'voice-ai'.")),
    ('trunk_name', 'a' * 17, 'trunk_name must be 1 to 16 letters'),
    ('trunk_sid', 'tr/../x', 'trunk_sid must be a trunk SID (letters, digits, "_" and "-")'),
    ('nso_code', 'any any', 'nso_code must be two parts in capitals or digits joined by "-", e.g. ANY-ANY'),
    ('domain_name', 'not a domain', 'domain_name must be a DNS name'),
])
def test_bad_input_sends_nothing(http, run_module, option, value, expected):
    run = run_module(exotel_trunk.main, args(**{option: value}))
    assert len(http.calls) == 0
    assert run.result['failed'] is True
    assert run.result['msg'].startswith(expected)


def test_present_needs_a_name(http, run_module):
    run = run_module(exotel_trunk.main, args(trunk_name=None, trunk_sid=TRUNK))
    assert len(http.calls) == 0
    assert run.result['msg'] == 'state is present but all of the following are missing: trunk_name'

# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""exotel_trunk_credential: write-only password, update_password, and no secret in any output."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.exotel.trunking.plugins.modules import exotel_trunk_credential
from ansible_collections.exotel.trunking.tests.unit.plugins.exotel_envelopes import (
    TOKEN, TRUNK, calls, error, listing, single, warning_texts,
)
from ansible_collections.exotel.trunking.tests.unit.plugins.exotel_resource_fixtures import (
    connection, credential, sub_path, sub_url,
)

URL = sub_url('credentials')
PATH = sub_path('credentials')
LIST = PATH + '?page_size=100'
SECRET = 'Pbx_S3cret_771'
PBX = credential('54001', 'pbx_main', 'main_pbx')
OTHER = credential('54002', 'pbx_backup')


def creds(*items):
    return listing(list(items), path=PATH)


def args(**kw):
    return connection(**dict(dict(user_name='pbx_main', password=SECRET, friendly_name='main_pbx'), **kw))


def test_creates_with_password(http, run_module):
    http.get(URL, json=creds(OTHER))
    http.post(URL, json=single(PBX, method='POST'))
    run = run_module(exotel_trunk_credential.main, args(), diff=True)
    assert calls(http) == [('GET', LIST, None),
                           ('POST', PATH, {'user_name': 'pbx_main', 'password': SECRET, 'friendly_name': 'main_pbx'})]
    assert run.result['changed'] is True
    assert run.result['credential'] == PBX
    assert run.result['password_set'] is True
    assert run.result['diff'] == {'before': {},
                                  'after': {'user_name': 'pbx_main', 'friendly_name': 'main_pbx', 'password': '********'}}
    assert SECRET not in run.out and TOKEN not in run.out


def test_rerun_on_create_reads_only(http, run_module):
    http.get(URL, json=creds(PBX))
    run = run_module(exotel_trunk_credential.main, args(), diff=True)
    assert calls(http) == [('GET', LIST, None)]
    assert run.result['changed'] is False and run.result['password_set'] is False
    assert run.result['diff']['before'] == run.result['diff']['after'] == {'user_name': 'pbx_main', 'friendly_name': 'main_pbx'}


def test_update_password_always_puts_the_password_every_run(http, run_module):
    http.get(URL, json=creds(PBX))
    http.put(URL + '/54001', json=single(PBX))
    run = run_module(exotel_trunk_credential.main, args(update_password='always'), diff=True)
    assert calls(http) == [('GET', LIST, None), ('PUT', PATH + '/54001', {'password': SECRET})]
    assert run.result['changed'] is True and run.result['password_set'] is True
    assert run.result['diff']['after'] == {'user_name': 'pbx_main', 'friendly_name': 'main_pbx', 'password': '********'}
    assert SECRET not in run.out


def test_update_password_always_sends_it_once_on_create(http, run_module):
    http.get(URL, json=creds())
    http.post(URL, json=single(PBX, method='POST'))
    run = run_module(exotel_trunk_credential.main, args(update_password='always'))
    assert [c[0] for c in calls(http)] == ['GET', 'POST']
    assert run.result['changed'] is True


def test_friendly_name_updated_without_password(http, run_module):
    http.get(URL, json=creds(credential('54001', 'pbx_main', 'old')))
    http.put(URL + '/54001', json=single(PBX))
    run = run_module(exotel_trunk_credential.main, args())
    assert calls(http) == [('GET', LIST, None), ('PUT', PATH + '/54001', {'friendly_name': 'main_pbx'})]
    assert run.result['changed'] is True and run.result['password_set'] is False


def test_check_mode_reads_only(http, run_module):
    http.get(URL, json=creds())
    run = run_module(exotel_trunk_credential.main, args(), check_mode=True)
    assert calls(http) == [('GET', LIST, None)]
    assert run.result['changed'] is True
    assert run.result['credential'] == {'user_name': 'pbx_main', 'friendly_name': 'main_pbx', 'trunk_sid': TRUNK}
    assert SECRET not in run.out


def test_create_without_password_fails_before_writing(http, run_module):
    http.get(URL, json=creds())
    run = run_module(exotel_trunk_credential.main, args(password=None))
    assert calls(http) == [('GET', LIST, None)]
    assert run.result['msg'] == ('Nothing was changed: password is required to create the credential pbx_main on '
                                 'trunk %s.' % TRUNK)


def test_existing_without_password_is_fine(http, run_module):
    http.get(URL, json=creds(PBX))
    run = run_module(exotel_trunk_credential.main, args(password=None))
    assert run.result['changed'] is False


def test_absent_deletes_by_id_query(http, run_module):
    http.get(URL, json=creds(OTHER, PBX))
    http.delete(URL, json=single(PBX, method='DELETE'))
    run = run_module(exotel_trunk_credential.main, args(password=None, state='absent'))
    assert calls(http) == [('GET', LIST, None), ('DELETE', PATH + '?id=54001', None)]
    assert run.result['changed'] is True and run.result['credential'] == {}


def test_ambiguous_post_then_found(http, run_module):
    http.get(URL, json=creds())
    http.post(URL, status=504, body='')
    http.get(URL, json=creds(PBX))
    run = run_module(exotel_trunk_credential.main, args())
    assert [c[0] for c in calls(http)] == ['GET', 'POST', 'GET']
    assert run.result['changed'] is True and run.result['credential'] == PBX
    assert warning_texts(run.result)[0].startswith('Exotel did not confirm the new credential pbx_main')
    assert SECRET not in run.out


def test_ambiguous_password_put_cannot_be_verified_and_fails(http, run_module):
    http.get(URL, json=creds(PBX))
    http.put(URL + '/54001', status=504, body='')
    run = run_module(exotel_trunk_credential.main, args(update_password='always', retries=0))
    assert [c[0] for c in calls(http)] == ['GET', 'PUT', 'GET']
    assert run.result['failed'] is True
    assert run.result['msg'].endswith('A re-read does not show the change: nothing is claimed. '
                                      'The write was sent 1 time; not sent again: retries=0 used.')
    assert SECRET not in run.out


def test_server_refusal_echoing_the_password_is_masked(http, run_module):
    http.get(URL, json=creds())
    http.post(URL, status=400, json=error(400, 1002, 'Invalid parameter', 'Invalid password %s' % SECRET, method='POST'))
    run = run_module(exotel_trunk_credential.main, args())
    assert run.result['failed'] is True
    assert SECRET not in run.out


@pytest.mark.parametrize('extra, expected', [
    (dict(password='has space!'), ('password must be letters, digits and "_" only (Exotel refuses other characters); '
                                   'the value given has others. It was not sent.')),
    (dict(friendly_name='main pbx'), 'friendly_name must be up to 32 letters, digits and "_"'),
    (dict(friendly_name='x' * 33), 'friendly_name must be up to 32 letters'),
    (dict(user_name='pbx main'), 'user_name must be 1 to 64 letters, digits, "_", "." and "-"'),
    (dict(trunk_sid='a?b'), 'trunk_sid must be a trunk SID'),
])
def test_bad_input_sends_nothing(http, run_module, extra, expected):
    run = run_module(exotel_trunk_credential.main, args(**extra))
    assert len(http.calls) == 0
    assert run.result['failed'] is True
    assert run.result['msg'].startswith(expected)
    assert 'has space!' not in run.out

# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""exotel_trunk_alias: the trunk_external_alias setting, set by a batch POST, removed by name."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.exotel.trunking.plugins.modules import exotel_trunk_alias
from ansible_collections.exotel.trunking.tests.unit.plugins.exotel_envelopes import (
    TRUNK, calls, error, listing, single, warning_texts,
)
from ansible_collections.exotel.trunking.tests.unit.plugins.exotel_resource_fixtures import (
    REQUEST_ID, batch, connection, details, setting, sub_path, sub_url,
)

URL = sub_url('settings')
PATH = sub_path('settings')
LIST = PATH + '?page_size=100'
ALIAS = '+918040264208'
OTHER_SETTING = setting('x', name='other_setting', id_='55002')


def settings(*items):
    return listing(list(items), path=PATH)


def body(value):
    return {'settings': [{'name': 'trunk_external_alias', 'value': value}]}


def test_sets_the_alias(http, run_module):
    http.get(URL, json=settings(OTHER_SETTING))
    http.post(URL, **batch([setting(ALIAS)]))
    run = run_module(exotel_trunk_alias.main, connection(alias=ALIAS), diff=True)
    assert calls(http) == [('GET', LIST, None), ('POST', PATH, body(ALIAS))]
    assert run.result['changed'] is True
    assert run.result['alias'] == ALIAS and run.result['setting'] == setting(ALIAS)
    assert run.result['diff'] == {'before': {}, 'after': {'name': 'trunk_external_alias', 'value': ALIAS}}


def test_rerun_reads_only(http, run_module):
    http.get(URL, json=settings(setting(ALIAS)))
    run = run_module(exotel_trunk_alias.main, connection(alias=ALIAS))
    assert calls(http) == [('GET', LIST, None)]
    assert run.result['changed'] is False and run.result['alias'] == ALIAS


def test_another_value_is_replaced_by_the_same_post(http, run_module):
    http.get(URL, json=settings(setting('+918040260000')))
    http.post(URL, **batch([setting(ALIAS)]))
    run = run_module(exotel_trunk_alias.main, connection(alias=ALIAS), diff=True)
    assert calls(http) == [('GET', LIST, None), ('POST', PATH, body(ALIAS))]
    assert run.result['diff'] == {'before': {'name': 'trunk_external_alias', 'value': '+918040260000'},
                                  'after': {'name': 'trunk_external_alias', 'value': ALIAS}}


def test_check_mode_reads_only(http, run_module):
    http.get(URL, json=settings(setting('+918040260000')))
    run = run_module(exotel_trunk_alias.main, connection(alias=ALIAS), check_mode=True)
    assert calls(http) == [('GET', LIST, None)]
    assert run.result['changed'] is True and run.result['alias'] == ALIAS


def test_absent_deletes_by_name(http, run_module):
    http.get(URL, json=settings(OTHER_SETTING, setting(ALIAS)))
    http.delete(URL, json=single(setting(ALIAS), method='DELETE'))
    run = run_module(exotel_trunk_alias.main, connection(state='absent'), diff=True)
    assert calls(http) == [('GET', LIST, None), ('DELETE', PATH + '?name=trunk_external_alias', None)]
    assert run.result['changed'] is True
    assert run.result['alias'] is None and run.result['setting'] == {}
    assert run.result['diff']['after'] == {}


def test_absent_without_alias_reads_only(http, run_module):
    http.get(URL, json=settings(OTHER_SETTING))
    run = run_module(exotel_trunk_alias.main, connection(state='absent'))
    assert calls(http) == [('GET', LIST, None)]
    assert run.result['changed'] is False


def test_refused_in_a_207_batch(http, run_module):
    http.get(URL, json=settings())
    http.post(URL, **batch([], failures=[(400, 1002, 'Invalid parameter', 'Invalid PhoneNumber')]))
    run = run_module(exotel_trunk_alias.main, connection(alias=ALIAS))
    assert details(run.result) == {'http_status': 207, 'error_code': 1002, 'error_description': 'Invalid PhoneNumber',
                                   'request_id': REQUEST_ID, 'method': 'POST', 'path': PATH}
    assert run.result['msg'].startswith('Could not create setting trunk_external_alias on trunk %s' % TRUNK)


def test_lost_answer_to_an_update_is_settled_by_rereading(http, run_module):
    http.get(URL, json=settings(setting('+918040260000')))
    http.post(URL, status=504, body='')
    http.get(URL, json=settings(setting(ALIAS)))
    run = run_module(exotel_trunk_alias.main, connection(alias=ALIAS))
    assert [c[0] for c in calls(http)] == ['GET', 'POST', 'GET']
    assert run.result['changed'] is True and run.result['alias'] == ALIAS
    assert 'a re-read shows it applied' in warning_texts(run.result)[0]


def test_unknown_trunk(http, run_module):
    http.get(URL, status=403, json=error(403, 1003, 'Authorization failed'))
    run = run_module(exotel_trunk_alias.main, connection(alias=ALIAS))
    assert run.result['msg'].startswith('Could not read the settings of trunk %s' % TRUNK)
    assert 'Check trunk_sid' in run.result['msg']


@pytest.mark.parametrize('extra, expected', [
    (dict(alias='918040264208'), 'alias must be an E.164 phone number'),
    (dict(alias=None), 'state is present but all of the following are missing: alias'),
    (dict(alias=ALIAS, trunk_sid='x/y'), 'trunk_sid must be a trunk SID'),
])
def test_bad_input_sends_nothing(http, run_module, extra, expected):
    run = run_module(exotel_trunk_alias.main, connection(**extra))
    assert len(http.calls) == 0
    assert run.result['msg'].startswith(expected)

# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""exotel_trunk_info: exact calls and results, filters, failures."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.exotel.trunking.plugins.modules import exotel_trunk_info
from ansible_collections.exotel.trunking.tests.unit.plugins.exotel_envelopes import TRUNK, calls, error, listing
from ansible_collections.exotel.trunking.tests.unit.plugins.exotel_resource_fixtures import (
    REQUEST_ID, TRUNKS, TRUNKS_PATH, connection, details, trunk,
)

LIST = TRUNKS_PATH + '?page_size=100'
BY_SID = TRUNKS_PATH + '?trunk_sid=%s&page_size=100' % TRUNK
OTHER = trunk('other', 'trmum1aaaaaaaaaaaaaaaaaaaa1n')


def trunks(*items):
    return listing(list(items), path=TRUNKS_PATH)


@pytest.mark.parametrize('filters, path, names', [
    ({}, LIST, ['other', 'voice_ai_prod']),
    ({'trunk_name': 'voice_ai_prod'}, LIST, ['voice_ai_prod']),
    ({'trunk_name': 'nope'}, LIST, []),
    ({'trunk_sid': TRUNK}, BY_SID, ['voice_ai_prod']),
])
def test_info_lists_and_filters(http, run_module, filters, path, names):
    http.get(TRUNKS, json=trunks(OTHER, trunk()))
    a = connection(trunk_sid=None)
    a.update(filters)
    run = run_module(exotel_trunk_info.main, a, check_mode=True)
    assert calls(http) == [('GET', path, None)]
    assert run.result['changed'] is False
    assert [t['trunk_name'] for t in run.result['trunks']] == names


def test_info_empty_account(http, run_module):
    http.get(TRUNKS, json={'request_id': 'r1', 'response': []})
    run = run_module(exotel_trunk_info.main, connection(trunk_sid=None))
    assert run.result['trunks'] == []


def test_info_bad_input_sends_nothing(http, run_module):
    run = run_module(exotel_trunk_info.main, connection(trunk_sid='a b'))
    assert len(http.calls) == 0
    assert run.result['msg'].startswith('trunk_sid must be a trunk SID')


def test_info_returns_the_trunks_exactly_as_exotel_lists_them(http, run_module):
    http.get(TRUNKS, json=trunks(trunk(), OTHER))
    run = run_module(exotel_trunk_info.main, connection(trunk_sid=None))
    assert run.result == {'changed': False, 'trunks': [trunk(), OTHER]}


def test_info_walks_every_page(http, run_module):
    page2 = TRUNKS_PATH + '?offset=100&page_size=100'
    http.get(TRUNKS, json=listing([OTHER] * 100, next_page_uri=page2, path=TRUNKS_PATH))
    http.get(TRUNKS, json=trunks(trunk()))
    run = run_module(exotel_trunk_info.main, connection(trunk_sid=None, trunk_name='voice_ai_prod'))
    assert calls(http) == [('GET', LIST, None), ('GET', page2, None)]
    assert run.result['trunks'] == [trunk()]


def test_info_filters_by_sid_even_when_the_server_ignores_the_filter(http, run_module):
    http.get(TRUNKS, json=trunks(OTHER, trunk()))
    run = run_module(exotel_trunk_info.main, connection(trunk_sid=TRUNK, trunk_name='voice_ai_prod'))
    assert calls(http) == [('GET', BY_SID, None)]
    assert run.result['trunks'] == [trunk()]


def test_info_name_and_sid_of_different_trunks_find_nothing(http, run_module):
    http.get(TRUNKS, json=trunks(trunk()))
    run = run_module(exotel_trunk_info.main, connection(trunk_sid=TRUNK, trunk_name='other'))
    assert run.result['trunks'] == []


def test_info_read_failure_carries_exotels_answer(http, run_module):
    http.get(TRUNKS, status=401, json=error(401, 1010, 'Authentication failed'))
    run = run_module(exotel_trunk_info.main, connection(trunk_sid=None))
    r = run.result
    assert r['failed'] is True and r['changed'] is False
    assert r['msg'].startswith('Could not read the trunks of account ameyo5m: Exotel rejected GET %s: HTTP 401, error 1010' % LIST)
    assert 'Check account_sid, api_key and api_token' in r['msg']
    assert details(r) == {'http_status': 401, 'error_code': 1010, 'error_description': 'Authentication failed',
                          'request_id': REQUEST_ID, 'method': 'GET', 'path': LIST}
    assert 'trunks' not in r


@pytest.mark.parametrize('option, value, expected', [
    ('trunk_name', 'voice ai', 'trunk_name must be 1 to 16 letters, digits and "_", e.g. voice_ai_prod'),
    ('trunk_name', 'x' * 17, 'trunk_name must be 1 to 16 letters, digits and "_"'),
    ('trunk_sid', 'trunk/../other', 'trunk_sid must be a trunk SID (letters, digits, "_" and "-"), e.g. trmum1f708622631150902801a1n'),
])
def test_info_bad_filter_fails_before_any_request(http, run_module, option, value, expected):
    run = run_module(exotel_trunk_info.main, connection(**{'trunk_sid': None, option: value}))
    assert len(http.calls) == 0
    assert run.result['msg'].startswith(expected)


def test_a_trunk_module_takes_exophone_rate_limit_so_the_group_can_set_it(http, run_module):
    # module_defaults for group/exotel.trunking.exotel gives every module the same options.
    http.get(TRUNKS, json=trunks(trunk()))
    run = run_module(exotel_trunk_info.main, dict(connection(trunk_sid=None), exophone_rate_limit=10), check_mode=True)
    assert calls(http) == [('GET', LIST, None)]
    assert [t['trunk_name'] for t in run.result['trunks']] == ['voice_ai_prod']

# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""_client: one transport and one retry policy under the client of each API family."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.exotel.trunking.plugins.module_utils._client import USER_AGENT, ExotelClient
from ansible_collections.exotel.trunking.tests.unit.plugins.exotel_envelopes import ACCOUNT, BASE, KEY, NUMBERS, TOKEN, listing


def client(**kw):
    return ExotelClient(ACCOUNT, KEY, TOKEN, region='mumbai', **kw)


def test_the_families_share_one_transport_and_one_retry_policy():
    c = client(retries=2, max_retry_wait=30)
    assert c.trunk.transport is c.transport and c.exophones.transport is c.transport
    assert c.transport.retrier is c.retrier and (c.retrier.retries, c.retrier.max_retry_wait) == (2, 30)
    assert c.trunk.pacer is not c.exophones.pacer


def test_every_request_has_basic_auth_and_the_user_agent_and_no_credential_in_the_url(http):
    http.get(NUMBERS, json=listing([]))
    list(client().trunk.iter_list(NUMBERS[len(BASE):]))
    request = http.calls[0].request
    assert request.headers['Authorization'].startswith('Basic ')
    assert request.headers['User-Agent'] == USER_AGENT
    assert KEY not in request.url and TOKEN not in request.url


def test_redact_hides_the_token_and_the_auth_header_value():
    c = client()
    header = c.transport.session.headers['Authorization'][len('Basic '):]
    assert c.redact('a %s b %s' % (TOKEN, header)) == 'a ******** b ********'


def test_stats_count_the_requests(http):
    http.get(NUMBERS, json=listing([]))
    c = client()
    list(c.trunk.iter_list(NUMBERS[len(BASE):]))
    assert c.stats == {'requests': 1, 'retries': 0, 'waited': 0.0}

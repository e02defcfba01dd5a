# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""_trunks: the account's trunks as a Kind (found by name or SID, the bodies of a create and an update)."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.exotel.trunking.plugins.module_utils._client import ExotelClient
from ansible_collections.exotel.trunking.plugins.module_utils._trunks import Trunks
from ansible_collections.exotel.trunking.tests.unit.plugins.exotel_envelopes import ACCOUNT, KEY, TOKEN, TRUNK


def trunks(sid=None):
    return Trunks(ExotelClient(ACCOUNT, KEY, TOKEN, region='mumbai'), sid)


def test_the_list_path_and_the_query_by_sid():
    assert trunks().path() == '/v2/accounts/%s/trunks' % ACCOUNT
    assert trunks().list_query() is None and trunks(TRUNK).list_query() == {'trunk_sid': TRUNK}


def test_keyed_by_name_or_by_sid_when_given_one():
    item = {'trunk_sid': TRUNK, 'trunk_name': 'voice_ai'}
    assert trunks().key(item) == 'voice_ai' and trunks(TRUNK).key(item) == TRUNK


def test_a_create_fills_in_the_documented_defaults():
    want = {'trunk_name': 'voice_ai', 'nso_code': None, 'domain_name': None}
    assert trunks().create_body(want) == {'trunk_name': 'voice_ai', 'nso_code': 'ANY-ANY',
                                          'domain_name': '%s.pstn.exotel.com' % ACCOUNT}


def test_an_update_never_sends_the_domain():
    have = {'trunk_name': 'a', 'nso_code': 'ANY-ANY', 'domain_name': 'x.pstn.exotel.com'}
    assert trunks().update_body(have, {'trunk_name': 'b', 'nso_code': 'ANY-ANY', 'domain_name': 'y.example.com'}) == {
        'trunk_name': 'b'}
    assert trunks().update_body(have, dict(have)) is None


def test_a_delete_by_sid_checks_the_name_and_an_unknown_sid_is_missing():
    item = {'trunk_sid': TRUNK, 'trunk_name': 'other'}
    assert trunks(TRUNK).conflict(item, {'trunk_name': 'voice_ai'}, 'absent') == (
        'Trunk %s is named other, not voice_ai: it was not deleted.' % TRUNK)
    assert trunks(TRUNK).missing({'trunk_name': 'voice_ai'}) == (
        'There is no trunk %s in account %s; omit trunk_sid to create a trunk named voice_ai.' % (TRUNK, ACCOUNT))
    assert trunks().missing({'trunk_name': 'voice_ai'}) is None

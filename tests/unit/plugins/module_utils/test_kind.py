# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""_kind: what a Kind says of its list by default (addressing, keys, comparing, messages). The safe writes
(create_once, update_once, delete_once) are driven through the engine in test_engine.py."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.exotel.trunking.plugins.module_utils._client import ExotelClient
from ansible_collections.exotel.trunking.plugins.module_utils._engine import Step
from ansible_collections.exotel.trunking.plugins.module_utils._errors import ExotelError
from ansible_collections.exotel.trunking.plugins.module_utils._kind import first_match
from ansible_collections.exotel.trunking.tests.unit.plugins.exotel_envelopes import ACCOUNT, KEY, TOKEN, TRUNK
from ansible_collections.exotel.trunking.tests.unit.plugins.module_utils.test_engine import Ips


def kind():
    return Ips(ExotelClient(ACCOUNT, KEY, TOKEN, region='mumbai'), TRUNK)


def test_paths_are_quoted_under_the_trunk():
    assert kind().path('a/b') == '/v2/accounts/%s/trunks/%s/whitelisted-ips/a%%2Fb' % (ACCOUNT, TRUNK)


def test_names_of_the_result_keys_come_from_the_noun():
    assert (kind().singular, kind().plural) == ('ip', 'ips')


def test_update_body_holds_only_the_fields_that_differ_and_are_wanted():
    k = kind()
    assert k.update_body({'ip': '192.0.2.1', 'mask': 32}, {'ip': '192.0.2.1', 'mask': 24}) == {'mask': 24}
    assert k.update_body({'ip': '192.0.2.1', 'mask': 32}, {'ip': '192.0.2.1', 'mask': None}) is None


def test_new_item_and_merge_predict_the_item():
    k = kind()
    assert k.new_item({'ip': '192.0.2.1', 'mask': None}) == {'ip': '192.0.2.1', 'trunk_sid': TRUNK}
    assert k.merge({'id': '7', 'ip': '192.0.2.1', 'mask': 32}, None, {'mask': 24, 'other': 1}) == {'id': '7', 'ip': '192.0.2.1',
                                                                                                   'mask': 24}


def test_first_match_by_key():
    items = [{'ip': '192.0.2.1', 'id': '1'}, {'ip': '192.0.2.2', 'id': '2'}]
    assert first_match(kind(), items, {'ip': '192.0.2.2'}) == items[1]
    assert first_match(kind(), items, {'ip': '192.0.2.3'}) is None


def test_a_read_failure_for_an_unknown_trunk_says_to_check_trunk_sid():
    message = kind().read_failure(ExotelError('Exotel rejected GET /x: HTTP 404.', http_status=404, error_code=1000))
    assert message == ('Could not read the ips of trunk %s: Exotel rejected GET /x: HTTP 404. Check trunk_sid: the trunk %s '
                       'does not exist in account %s (or belongs to another account).' % (TRUNK, TRUNK, ACCOUNT))


def test_an_unreachable_host_is_reported_as_it_is():
    error = ExotelError('Could not reach Exotel at https://x: refused.', unreachable=True)
    assert kind().read_failure(error) == error.message


def test_a_step_failure_names_the_verb_the_item_and_the_trunk():
    step = Step('create', want={'ip': '192.0.2.9'})
    assert kind().step_failure(step, ExotelError('HTTP 400')) == 'Could not create ip 192.0.2.9 on trunk %s: HTTP 400' % TRUNK

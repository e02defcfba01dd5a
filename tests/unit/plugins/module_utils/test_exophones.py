# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""_exophones: an ExoPhone in one shape whatever Exotel's casing, flows compared by app id, numbers in either form."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.exotel.trunking.plugins.module_utils._client import ExotelClient
from ansible_collections.exotel.trunking.plugins.module_utils._exophones import (
    ExoPhones,
    app_id_of,
    country_of,
    e164,
    exophone as read_exophone,
    flow_url,
    same_number,
)
from ansible_collections.exotel.trunking.tests.unit.plugins.exotel_envelopes import ACCOUNT, KEY, TOKEN


def client(**kw):
    return ExotelClient(ACCOUNT, KEY, TOKEN, **dict(dict(region='mumbai'), **kw))


@pytest.mark.parametrize('url, app_id', [
    ('http://my.exotel.com/ameyo5m/exoml/start_voice/245678', '245678'),
    ('https://my.in.exotel.com/ameyo5m/exoml/start_voice/245678/', '245678'),
    ('https://my.exotel.com/exoml/start/245678', '245678'),
    ('http://my.exotel.in/exoml/start/245678?x=1', '245678'),
    ('https://my.exotel.com/exoml/start/flow_id', None),
    ('', None),
    (None, None),
])
def test_app_ids_are_the_digits_at_the_end_of_any_flow_url(url, app_id):
    assert app_id_of(url) == app_id


def test_flow_urls_are_built_in_the_documented_form():
    assert flow_url(client(), '245678') == 'https://my.in.exotel.com/ameyo5m/exoml/start_voice/245678'
    assert flow_url(client(region='singapore'), '1', 'sms') == 'https://my.exotel.com/ameyo5m/exoml/start_sms/1'


def test_exophones_are_read_in_any_casing_and_wrapping():
    raw = {'incoming_phone_number': {'Sid': 12, 'PhoneNumber': '+918040264208', 'FriendlyName': 'x',
                                     'VoiceUrl': 'https://my.exotel.com/a/exoml/start_voice/9', 'SMSUrl': None}}
    item = read_exophone(raw)
    assert (item['sid'], item['phone_number'], item['friendly_name'], item['app_id'], item['sms_url']) == (
        '12', '+918040264208', 'x', '9', None)
    assert read_exophone({'foo': 1}) is None and read_exophone([]) is None


@pytest.mark.parametrize('have, want, same', [
    ('+918040264208', '+918040264208', True),
    ('918040264208', '+918040264208', True),
    ('08040264208', '+918040264208', True),
    ('08040264209', '+918040264208', False),
    ('+918040264208', '+918040264209', False),
    (None, '+918040264208', False),
])
def test_numbers_are_matched_in_e164_and_national_form(have, want, same):
    assert same_number(have, want) is same


def test_country_and_e164():
    assert country_of('+918040264208') == ('IN', '8040264208')
    assert country_of('+4420') == (None, '4420')
    assert e164({'phone_number': '08040264208'}, '+918040264208') == '+918040264208'
    assert e164({'phone_number': '08040264208'}) is None


def test_flows_are_compared_by_app_id_not_by_url():
    kind = ExoPhones(ExotelClient(ACCOUNT, KEY, TOKEN), state='present', allow_purchase=False, allow_release=False,
                     release_mapped=False, country=None, number_type=None)
    have = {'voice_url': 'http://my.exotel.com/exoml/start/245678', 'app_id': '245678', 'friendly_name': 'a'}
    want = {'voice_url': 'https://my.exotel.com/%s/exoml/start_voice/245678' % ACCOUNT, 'app_id': '245678',
            'friendly_name': None}
    assert kind.update_body(have, want) is None
    assert kind.update_body(have, dict(want, app_id='245679', voice_url='u/245679')) == {'VoiceUrl': 'u/245679'}

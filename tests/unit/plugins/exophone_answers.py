# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""ExoPhone API (v2_beta) answers as documented, for the unit tests: bare objects, pages, RestException."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
from urllib.parse import parse_qsl

from ansible_collections.exotel.trunking.plugins.module_utils._exophones import app_id_of
from ansible_collections.exotel.trunking.tests.unit.plugins.exotel_envelopes import ACCOUNT, BASE, KEY, TOKEN

BETA = '/v2_beta/Accounts/%s' % ACCOUNT
LIST = BETA + '/IncomingPhoneNumbers'
LIST_URL = BASE + LIST
FIRST_PAGE = LIST + '?Page=0&PageSize=100'
AVAILABLE = BETA + '/AvailablePhoneNumbers'
LOOKUP_URL = BASE + '/v2/accounts/%s/trunk-maps' % ACCOUNT
SID = '9eeafc8ab479a386dc95f854f9d7cd8a'
PHONE = '+918040264208'
FLOW = 'https://my.in.exotel.com/%s/exoml/start_voice/%s'
SMS_FLOW = 'https://my.in.exotel.com/%s/exoml/start_sms/%s'


def exophone(sid=SID, phone=PHONE, name='Support line', voice_url=None, sms_url=None, **more):
    item = {'sid': sid, 'phone_number': phone, 'friendly_name': name, 'capabilities': {'voice': True, 'sms': True},
            'country': 'IN', 'region': 'KA', 'voice_url': voice_url, 'sms_url': sms_url}
    item.update(more)
    return item


def parsed(item):
    """``item`` as the modules return it: with the flow ids parsed from its URLs."""
    return dict(item, app_id=app_id_of(item.get('voice_url')), sms_app_id=app_id_of(item.get('sms_url')))


def page(items, number=0, size=100, next_page=True):
    """One page of the list as documented (OLD form, with the page URIs)."""
    uri = 'http://twilix.exotel.com%s?Page=%%d&PageSize=%d' % (LIST, size)
    return {'page': number, 'page_size': size, 'uri': uri % number, 'first_page_uri': uri % 0,
            'next_page_uri': uri % (number + 1) if next_page else None,
            'previous_page_uri': uri % (number - 1) if number else None, 'incoming_phone_numbers': items}


def rest(status, code, message):
    return {'RestException': {'Status': status, 'Code': code, 'Message': message}}


def form_calls(http):
    """(method, path?query, form or JSON body or None) of every request sent."""
    out = []
    for call in http.calls:
        req = call.request
        body = req.body
        if isinstance(body, bytes):
            body = body.decode('utf-8')
        if body and req.headers.get('Content-Type') == 'application/x-www-form-urlencoded':
            body = dict(parse_qsl(body, keep_blank_values=True))
        elif body:
            body = json.loads(body)
        out.append((req.method, req.url.replace(BASE, ''), body or None))
    return out


def connection(**kw):
    """Module args: the connection options and ``kw`` (None values dropped)."""
    base = dict(account_sid=ACCOUNT, api_key=KEY, api_token=TOKEN, region='mumbai')
    base.update(kw)
    return dict((k, v) for k, v in base.items() if v is not None)

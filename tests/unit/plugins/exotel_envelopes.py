# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Exotel API envelopes as documented, for the unit tests."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json

BASE = 'https://api.in.exotel.com'
ACCOUNT = 'ameyo5m'
KEY = 'key_8c0f1e'
TOKEN = 'tok_S3cr3t_9f2b77d1'
TRUNK = 'trmum1f708622631150902801a1n'
NUMBERS = BASE + '/v2/accounts/%s/trunks/%s/phone-numbers' % (ACCOUNT, TRUNK)
LOOKUP = BASE + '/v2/accounts/%s/trunk-maps' % ACCOUNT


def mapping(id_='41523', phone='+918040264208', mode='pstn', trunk=TRUNK):
    return {'id': id_, 'phone_number': phone, 'trunk_sid': trunk, 'mode': mode,
            'date_created': '2026-01-23T13:28:11Z', 'date_updated': '2026-01-23T13:41:59Z'}


def single(data, method='PUT', code=200, request_id='c719cd56eb5943e789e1bdbd4ce1515a'):
    return {'request_id': request_id, 'method': method, 'http_code': code,
            'response': {'code': code, 'error_data': None, 'status': 'success', 'data': data}}


def listing(items, next_page_uri=None, offset=0, page_size=100, path=None):
    path = path or '/v2/accounts/%s/trunks/%s/phone-numbers' % (ACCOUNT, TRUNK)
    return {'request_id': '785471d288054cbf8c677b75e0b5f2f8', 'method': 'GET', 'http_code': 200,
            'metadata': {'page_size': page_size, 'first_page_uri': '%s?offset=0&page_size=%s' % (path, page_size),
                         'prev_page_uri': None, 'next_page_uri': next_page_uri},
            'response': [{'code': 200, 'error_data': None, 'status': 'success', 'data': i} for i in items]}


def error(http, code, message, description=None, method='GET', request_id='e45544e19a7f4d5d956fefe63fe3c6b6'):
    return {'request_id': request_id, 'method': method, 'http_code': http,
            'response': {'code': http, 'status': 'failure', 'data': None,
                         'error_data': {'code': code, 'message': message, 'description': description or message}}}


def calls(http):
    """(method, path?query, json body or None) of every request sent."""
    out = []
    for call in http.calls:
        req = call.request
        body = json.loads(req.body) if req.body else None
        out.append((req.method, req.url.replace(BASE, ''), body))
    return out


def warning_texts(result):
    """The warnings of a module result as plain strings (ansible-core 2.19+ returns structured warnings)."""
    out = []
    for w in result.get('warnings', []):
        out.append(w['event']['msg'] if isinstance(w, dict) else w)
    return out

# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Trunks and trunk list items as Exotel returns them, for the unit tests of the trunk-as-code modules."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.exotel.trunking.tests.unit.plugins.exotel_envelopes import ACCOUNT, BASE, KEY, TOKEN, TRUNK

DATE = '2026-01-23T13:28:11Z'
TRUNKS_PATH = '/v2/accounts/%s/trunks' % ACCOUNT
TRUNKS = BASE + TRUNKS_PATH
REQUEST_ID = 'e45544e19a7f4d5d956fefe63fe3c6b6'
ERROR_KEYS = ('http_status', 'error_code', 'error_description', 'request_id', 'method', 'path')


def sub_path(segment, *more):
    return '/'.join(('/v2/accounts/%s/trunks/%s/%s' % (ACCOUNT, TRUNK, segment),) + more)


def sub_url(segment, *more):
    return BASE + sub_path(segment, *more)


def connection(**kw):
    """Module args: the connection options, the trunk, and ``kw`` (None values dropped)."""
    base = dict(account_sid=ACCOUNT, api_key=KEY, api_token=TOKEN, region='mumbai', trunk_sid=TRUNK)
    base.update(kw)
    return dict((k, v) for k, v in base.items() if v is not None)


def stamp(item, id_=None):
    item = dict(item, date_created=DATE, date_updated=DATE)
    if id_ is not None:
        item['id'] = id_
    if 'trunk_name' not in item:
        item['trunk_sid'] = TRUNK
    return item


def trunk(name='voice_ai_prod', sid=TRUNK, nso_code='ANY-ANY'):
    return stamp({'trunk_sid': sid, 'trunk_name': name, 'nso_code': nso_code, 'status': 'active',
                  'auth_type': 'ip whitelist', 'domain_name': '%s.pstn.exotel.com' % ACCOUNT})


def acl(id_, ip, mask=32):
    return stamp({'ip': ip, 'mask': mask, 'friendly_name': None}, id_)


def destination(id_, value, priority=0, weight=1):
    return stamp({'destination': value, 'type': 'public', 'priority': priority, 'weight': weight}, id_)


def credential(id_, user_name, friendly_name=None):
    return stamp({'user_name': user_name, 'friendly_name': friendly_name}, id_)


def setting(value, name='trunk_external_alias', id_='55001'):
    return stamp({'name': name, 'value': value}, id_)


def batch(items, failures=(), method='POST'):
    """A batch answer (POST destination-uris / settings): HTTP 207 when an item failed."""
    envelopes = [{'code': 200, 'error_data': None, 'status': 'success', 'data': i} for i in items]
    for http, code, message, description in failures:
        envelopes.append({'code': http, 'status': 'failure', 'data': None,
                          'error_data': {'code': code, 'message': message, 'description': description}})
    status = 207 if failures else 200
    payload = {'request_id': REQUEST_ID, 'method': method, 'http_code': status,
               'metadata': {'total': len(envelopes), 'success': len(items), 'failed': len(failures)},
               'response': envelopes}
    return dict(status=status, json=payload)


def details(result):
    return dict((k, result.get(k)) for k in ERROR_KEYS)

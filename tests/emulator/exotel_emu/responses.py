# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The handlers of the documented endpoints (moto's "responses"): each takes a Request, returns a Response.

What each endpoint accepts and answers is in docs/docsite/rst/api_reference.rst ("Endpoints").
"""

import re
import urllib.parse

from . import urls
from .envelopes import Response, batch, error_item, failure, ok_item, page, single
from .exceptions import ApiError, duplicate
from .models import SUB_RESOURCES, find_item, public
from .validation import (check_credential, check_destination, check_ip, check_mask, check_mode, check_nso_code,
                         check_phone_number, check_setting, check_trunk_name, field)

DEFAULT_PAGE_SIZE = 50
# The largest page the emulator hands out; a larger page_size is silently capped to it.
MAX_PAGE_SIZE = 100


class Api:
    """The documented endpoints, on the store of an Emulator (``emulator.store``, read at each call)."""

    def __init__(self, emulator):
        self.emu = emulator

    @property
    def store(self):
        return self.emu.store

    # The routes of the API (urls.py), the exception its handlers raise, and how it is answered.
    ROUTES = urls.ROUTES
    Error = ApiError

    def route(self, method, rest):
        """(bound handler, path parameters) for ``method`` and ``rest``, or (None, None)."""
        name, params = urls.route(method, rest, self.ROUTES)
        return (None, None) if name is None else (getattr(self, name), params)

    def handle(self, req, rest):
        handler, params = self.route(req.method, rest)
        try:
            if handler is None:
                raise self.error('not_found', 'No such resource: %s %s' % (req.method, req.path))
            return handler(req, **params)
        except self.Error as exc:
            return self.answer_error(req, exc)

    @staticmethod
    def error(kind, description):
        """The error of ``kind`` (``not_found``, ``invalid``) with ``description``."""
        return ApiError({'not_found': 1000, 'invalid': 1002}[kind], description)

    @staticmethod
    def answer_error(req, exc):
        return failure(req.method, exc)

    # ---- lists ----------------------------------------------------------------------------

    def paginate(self, req, items, extra_query=None):
        offset = self._int_arg(req, 'offset', 0, 0)
        page_size = min(self._int_arg(req, 'page_size', DEFAULT_PAGE_SIZE, 1), self.emu.config['max_page_size'])
        if not items and self.emu.config['omit_empty_metadata']:
            return page(req.method, [])
        extra = ''.join('&%s=%s' % (k, urllib.parse.quote(v, safe='')) for k, v in (extra_query or {}).items() if v is not None)

        def uri(start):
            return '%s?offset=%d&page_size=%d%s' % (req.path, start, page_size, extra)

        metadata = {
            'page_size': page_size,
            'first_page_uri': uri(0),
            'prev_page_uri': uri(max(0, offset - page_size)) if offset > 0 else None,
            'next_page_uri': uri(offset + page_size) if offset + page_size < len(items) else None,
        }
        return page(req.method, items[offset:offset + page_size], metadata)

    @classmethod
    def _int_arg(cls, req, name, default, minimum):
        value = req.arg(name)
        if value is None or value == '':
            return default
        if not re.match(r'^[0-9]+$', value) or int(value) < minimum:
            raise cls.error('invalid', 'Invalid %s' % name)
        return int(value)

    # ---- trunks ---------------------------------------------------------------------------

    def _unique_trunk_name(self, account_sid, name, record=None):
        check_trunk_name(name)
        for other in self.store.account_trunks(account_sid):
            if other is not record and other['trunk']['trunk_name'] == name:
                raise duplicate('Trunk name %s already exists' % name)

    def create_trunk(self, req):
        body = req.body
        name = field(body, 'trunk_name', str, what='TrunkName')
        check_trunk_name(name)
        nso_code = field(body, 'nso_code', str, what='NsoCode')
        check_nso_code(nso_code)
        domain = field(body, 'domain_name', str, what='DomainName')
        if domain != '%s.pstn.exotel.com' % req.account_sid:
            raise ApiError(1002, 'Invalid DomainName')
        self._unique_trunk_name(req.account_sid, name)
        now = self.store.now()
        sid = self.store.new_trunk_sid()
        trunk = {'trunk_sid': sid, 'trunk_name': name, 'status': 'active', 'auth_type': 'ip whitelist',
                 'nso_code': nso_code, 'domain_name': domain, 'date_created': now, 'date_updated': now}
        record = {'account_sid': req.account_sid, 'trunk': trunk}
        for kind in SUB_RESOURCES:
            record[kind] = []
        self.store.trunks[sid] = record
        return single(req.method, dict(trunk))

    def list_trunks(self, req):
        sid = req.arg('trunk_sid')
        items = [dict(r['trunk']) for r in self.store.account_trunks(req.account_sid)
                 if sid is None or r['trunk']['trunk_sid'] == sid]
        return self.paginate(req, items, {'trunk_sid': sid})

    def update_trunk(self, req, trunk):
        record = self.store.trunk(req.account_sid, trunk)
        body = req.body
        changes = {}
        name = field(body, 'trunk_name', str, required=False)
        if name is not None:
            self._unique_trunk_name(req.account_sid, name, record)
            changes['trunk_name'] = name
        auth_type = field(body, 'auth_type', str, required=False)
        if auth_type is not None:
            changes['auth_type'] = auth_type
        nso_code = field(body, 'nso_code', str, required=False)
        if nso_code is not None:
            check_nso_code(nso_code)
            changes['nso_code'] = nso_code
        if not changes:
            raise ApiError(1001, 'One of trunk_name, auth_type, nso_code is mandatory')
        record['trunk'].update(changes, date_updated=self.store.now())
        return single(req.method, dict(record['trunk']))

    def delete_trunk(self, req):
        sid = req.arg('trunk_sid')
        if not sid:
            raise ApiError(1001, 'TrunkSid is mandatory')
        record = self.store.trunk(req.account_sid, sid)
        del self.store.trunks[sid]
        return single(req.method, dict(record['trunk']))

    # ---- trunk-maps lookup ----------------------------------------------------------------

    def lookup(self, req):
        exophone = req.arg('exophone')
        if not exophone:
            raise ApiError(1001, 'Exophone is mandatory')
        check_phone_number(exophone)
        trunk_sid = req.arg('trunk_sid')
        for record in self.store.account_trunks(req.account_sid):
            if trunk_sid and record['trunk']['trunk_sid'] != trunk_sid:
                continue
            for item in record['phone-numbers']:
                if item['phone_number'] == exophone:
                    data = {'exophone': exophone, 'trunk_sid': item['trunk_sid'],
                            'phone_number_id': item['id'], 'mode': item['mode']}
                    if self.emu.config['trunk_maps_flat']:
                        return Response(200, data)
                    return single(req.method, data)
        raise ApiError(1000, 'Exophone %s is not mapped%s' % (exophone, ' to trunk %s' % trunk_sid if trunk_sid else ''))

    # ---- sub-resources --------------------------------------------------------------------

    def list_sub(self, req, trunk, kind):
        record = self.store.trunk(req.account_sid, trunk)
        items = record[kind]
        extra = {}
        if kind == 'credentials' and req.arg('id') is not None:
            extra['id'] = req.arg('id')
            items = [i for i in items if i['id'] == req.arg('id')]
        return self.paginate(req, [public(kind, i) for i in items], extra)

    def delete_sub(self, req, trunk, kind):
        record = self.store.trunk(req.account_sid, trunk)
        key = 'name' if kind == 'settings' else 'id'
        value = req.arg(key)
        if not value:
            raise ApiError(1001, '%s is mandatory' % key)
        item = find_item(record[kind], value, key)
        record[kind].remove(item)
        return single(req.method, public(kind, item))

    def create_sub(self, req, trunk, kind):
        record = self.store.trunk(req.account_sid, trunk)
        creator = {
            'phone-numbers': self._create_number, 'whitelisted-ips': self._create_acl,
            'destination-uris': self._create_destinations, 'credentials': self._create_credential,
            'settings': self._create_settings,
        }[kind]
        return creator(req, record)

    def update_sub(self, req, trunk, kind, item_id):
        record = self.store.trunk(req.account_sid, trunk)
        updater = {
            'phone-numbers': self._update_number, 'whitelisted-ips': self._update_acl,
            'destination-uris': self._update_destination, 'credentials': self._update_credential,
        }.get(kind)
        if updater is None:
            raise ApiError(1000, 'No such resource: %s %s' % (req.method, req.path))
        item = find_item(record[kind], item_id)
        changes = updater(req, record, item)
        item.update(changes)
        item['date_updated'] = self.store.now()
        return single(req.method, public(kind, item))

    # phone numbers

    def _create_number(self, req, record):
        phone = field(req.body, 'phone_number', str, what='PhoneNumber')
        check_phone_number(phone)
        mode = check_mode(req.body, required=False)
        exophones = self.store.accounts[req.account_sid]['exophones']
        if exophones and phone not in exophones:
            raise ApiError(1002, 'Invalid PhoneNumber: %s is not an ExoPhone of this account' % phone)
        for other in self.store.account_trunks(req.account_sid):
            for item in other['phone-numbers']:
                if item['phone_number'] == phone:
                    raise duplicate('PhoneNumber %s is already mapped to trunk %s' % (phone, other['trunk']['trunk_sid']))
        item = self.store.new_item(record, {'phone_number': phone, 'mode': mode})
        item = {k: item[k] for k in ('id', 'phone_number', 'trunk_sid', 'date_created', 'date_updated', 'mode')}
        record['phone-numbers'].append(item)
        return single(req.method, dict(item))

    @staticmethod
    def _update_number(req, record, item):
        del record
        phone = field(req.body, 'phone_number', str, what='PhoneNumber')
        mode = check_mode(req.body, required=True)
        check_phone_number(phone)
        if phone != item['phone_number']:
            raise ApiError(1002, 'Invalid PhoneNumber: %s does not match the phone number of id %s' % (phone, item['id']))
        return {'mode': mode}

    # whitelisted IPs

    @staticmethod
    def _unique_ip(record, ip, item=None):
        check_ip(ip)
        for other in record['whitelisted-ips']:
            if other is not item and other['ip'] == ip:
                raise duplicate('Ip %s is already whitelisted' % ip)

    def _create_acl(self, req, record):
        ip = field(req.body, 'ip', str, what='Ip')
        check_ip(ip)
        mask = field(req.body, 'mask', int, required=False)
        mask = 32 if mask is None else mask
        check_mask(mask)
        friendly_name = field(req.body, 'friendly_name', str, required=False)
        self._unique_ip(record, ip)
        item = self.store.new_item(record, {'ip': ip, 'mask': mask, 'friendly_name': friendly_name})
        record['whitelisted-ips'].append(item)
        return single(req.method, dict(item))

    def _update_acl(self, req, record, item):
        changes = {}
        ip = field(req.body, 'ip', str, required=False)
        if ip is not None:
            self._unique_ip(record, ip, item)
            changes['ip'] = ip
        mask = field(req.body, 'mask', int, required=False)
        if mask is not None:
            check_mask(mask)
            changes['mask'] = mask
        if not changes:
            raise ApiError(1001, 'Ip is mandatory')
        return changes

    # batches: destination URIs (appended) and settings (upserted by name)

    @staticmethod
    def _batch(req, key, noun, write_one):
        """A batch POST (destinations, settings): check the list, then each entry on its own (207 when some fail)."""
        entries = req.body.get(key)
        if entries is None or entries == []:
            raise ApiError(1001, '%s is mandatory' % key.capitalize())
        if not isinstance(entries, list):
            raise ApiError(1007, '%s must be an array' % key)
        items = []
        for entry in entries:
            try:
                if not isinstance(entry, dict):
                    raise ApiError(1007, 'each %s must be an object' % noun)
                item = write_one(entry)
            except ApiError as exc:
                items.append(error_item(exc))
                continue
            items.append(ok_item(dict(item)))
        return batch(req.method, items)

    def _create_destinations(self, req, record):
        def write_one(entry):
            value = field(entry, 'destination', str, what='Destination')
            if not value.strip():
                raise ApiError(1001, 'Destination is mandatory')
            stored = check_destination(value, record['whitelisted-ips'])
            item = self.store.new_item(record, {'destination': stored, 'type': 'public', 'priority': 0, 'weight': 1})
            record['destination-uris'].append(item)
            return item
        return self._batch(req, 'destinations', 'destination', write_one)

    def _create_settings(self, req, record):
        def write_one(entry):
            name = field(entry, 'name', str, what='Name')
            value = field(entry, 'value', str, what='Value')
            check_setting(name, value)
            existing = [s for s in record['settings'] if s['name'] == name]
            if existing:
                existing[0].update(value=value, date_updated=self.store.now())
                return existing[0]
            item = self.store.new_item(record, {'name': name, 'value': value})
            record['settings'].append(item)
            return item
        return self._batch(req, 'settings', 'setting', write_one)

    @staticmethod
    def _update_destination(req, record, item):
        del record, item
        changes = {}
        for name in ('priority', 'weight'):
            value = field(req.body, name, int, required=False)
            if value is not None:
                if value < 0:
                    raise ApiError(1002, 'Invalid %s' % name)
                changes[name] = value
        if not changes:
            raise ApiError(1001, 'Priority or Weight is mandatory')
        return changes

    # credentials

    def _create_credential(self, req, record):
        user_name = field(req.body, 'user_name', str, what='UserName')
        password = field(req.body, 'password', str, what='Password')
        friendly_name = field(req.body, 'friendly_name', str, required=False)
        check_credential(user_name, password, friendly_name)
        item = self.store.new_item(record, {'user_name': user_name, 'friendly_name': friendly_name, 'password': password})
        record['credentials'].append(item)
        return single(req.method, public('credentials', item))

    @staticmethod
    def _update_credential(req, record, item):
        del record, item
        changes = {}
        for name in ('user_name', 'password', 'friendly_name'):
            value = field(req.body, name, str, required=False)
            if value is not None:
                changes[name] = value
        if not changes:
            raise ApiError(1001, 'One of user_name, password, friendly_name is mandatory')
        check_credential(changes.get('user_name'), changes.get('password'), changes.get('friendly_name'))
        return changes

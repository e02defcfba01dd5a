# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""A stateful local emulator of Exotel's dynamic SIP trunk API (v2), for tests and demos.

Standard library only. It answers every endpoint of section 4 of the API reference
(``/work/shared/exotel-api.md``) under ``/v2/accounts/{account_sid}`` with Exotel's envelopes,
error catalogue, pagination, batch answers and a per-account rate limit, and has an admin API
under ``/_emulator/`` (state, reset, request log, config, fault injection).

Command line (see ``tests/emulator/README.md``)::

    python tests/emulator/exotel_emulator.py serve --port 0 [--fixture F] [--rate-limit 200] [--port-file F]
    python tests/emulator/exotel_emulator.py start --state-dir DIR [--port N] [--fixture F] [--rate-limit N]
    python tests/emulator/exotel_emulator.py stop --state-dir DIR

From Python (pytest)::

    with Emulator(rate_limit=0) as emu:
        requests.get(emu.url + '/_emulator/state')
"""

import argparse
import base64
import binascii
import copy
import ipaddress
import json
import math
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_FIXTURE = os.path.join(HERE, 'fixture.json')

DEFAULT_PAGE_SIZE = 50
# The largest page the emulator hands out; a larger page_size is silently capped to it.
MAX_PAGE_SIZE = 100
DEFAULT_RATE_LIMIT = 200
RATE_WINDOW_SECONDS = 60
# Error code used in the body of a 429 answer (Exotel documents none for the trunk API).
RATE_LIMIT_ERROR_CODE = 429
MAX_LOG_ENTRIES = 100000

MODES = ('pstn', 'flow')
E164_RE = re.compile(r'^\+[1-9][0-9]{7,14}$')
TRUNK_NAME_RE = re.compile(r'^[A-Za-z0-9_]{1,16}$')
NSO_CODE_RE = re.compile(r'^[A-Z0-9]+-[A-Z0-9]+$')
SAFE_TEXT_RE = re.compile(r'^[A-Za-z0-9_]+$')
SETTING_NAME_RE = re.compile(r'^[A-Za-z][A-Za-z0-9_]{0,63}$')
FQDN_RE = re.compile(r'^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$')
DESTINATION_RE = re.compile(r'^(?P<host>[^:;]+)(:(?P<port>[0-9]{1,5}))?(;transport=(?P<transport>[A-Za-z]+))?$')
ACCOUNT_PATH_RE = re.compile(r'^/v2/accounts/(?P<account>[^/]+)(?P<rest>/.*)?$')

# Key order of the objects, as in Exotel's examples (cosmetic).
KEY_ORDER = ('phone_number', 'ip', 'mask', 'friendly_name', 'destination', 'user_name', 'name', 'value', 'trunk_sid',
             'date_created', 'date_updated', 'type', 'priority', 'weight', 'mode')
SUB_RESOURCES = ('phone-numbers', 'whitelisted-ips', 'destination-uris', 'credentials', 'settings')
FAULT_KINDS = ('status', 'latency', 'drop', 'lost_answer', 'malformed', 'ignore_change', 'redirect', 'failure_body_200')

ERRORS = {
    1000: (404, 'Not Found'),
    1001: (400, 'Mandatory Parameter missing'),
    1002: (400, 'Invalid parameter'),
    1003: (403, 'Authorization failed'),
    1007: (400, 'Invalid request body,failed parsing'),
    1008: (409, 'Duplicate resource'),
    1010: (401, 'Authorization failed'),
    1011: (415, 'unsupported content type'),
}


class ApiError(Exception):
    """An Exotel error answer: HTTP status, error code, message, description."""

    def __init__(self, code, description=None, http_status=None, body_code=None):
        status, message = ERRORS[code]
        super().__init__(description or message)
        self.code = code
        self.message = message
        self.description = description or message
        self.http_status = status if http_status is None else http_status
        self.body_code = status if body_code is None else body_code


def duplicate(description):
    """Exotel answers duplicates with HTTP 200 and a 409 / 1008 body."""
    return ApiError(1008, description, http_status=200, body_code=409)


def new_request_id():
    return uuid.uuid4().hex


def iso(ts):
    return time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime(ts))


def error_data(code, message, description):
    return {'code': code, 'message': message, 'description': description}


def error_item(exc):
    return {'code': exc.body_code, 'status': 'failure', 'data': None,
            'error_data': error_data(exc.code, exc.message, exc.description)}


def ok_item(data):
    return {'code': 200, 'error_data': None, 'status': 'success', 'data': data}


def load_fixture(fixture):
    """A fixture as a dict: ``fixture`` may be a dict, a path, or None (the default fixture)."""
    if isinstance(fixture, dict):
        return copy.deepcopy(fixture)
    with open(fixture or DEFAULT_FIXTURE, encoding='utf-8') as handle:
        return json.load(handle)


def expand_numbers(entries, default_date):
    """Expand ``{"generate": {...}}`` entries of a trunk's ``phone_numbers`` list into mappings."""
    result = []
    for entry in entries or []:
        gen = entry.get('generate') if isinstance(entry, dict) else None
        if gen is None:
            result.append(entry)
            continue
        count = int(gen.get('count', 0))
        start_id = int(gen.get('start_id', 50000))
        width = int(gen.get('digits', 4))
        first = int(gen.get('first', 0))
        modes = gen.get('modes') or [gen.get('mode', 'pstn')]
        for index in range(count):
            result.append({
                'id': str(start_id + index),
                'phone_number': '%s%0*d' % (gen['prefix'], width, first + index),
                'mode': modes[index % len(modes)],
                'date_created': gen.get('date_created', default_date),
                'date_updated': gen.get('date_updated', default_date),
            })
    return result


class Store:
    """All accounts and trunks, and everything hanging off the trunks. Not thread-safe by itself."""

    def __init__(self, fixture, clock):
        self.clock = clock
        default_date = fixture.get('default_date', '2026-01-23T13:28:11Z')
        self.accounts = {}
        for account in fixture.get('accounts', []):
            self.accounts[account['sid']] = {
                'sid': account['sid'], 'api_key': account['api_key'], 'api_token': account['api_token'],
                'exophones': list(account.get('exophones', [])),
            }
        self.trunks = {}
        max_id = 0
        for spec in fixture.get('trunks', []):
            sid = spec['trunk_sid']
            account_sid = spec['account_sid']
            created = spec.get('date_created', default_date)
            trunk = {
                'trunk_sid': sid,
                'trunk_name': spec['trunk_name'],
                'status': spec.get('status', 'active'),
                'auth_type': spec.get('auth_type', 'ip whitelist'),
                'nso_code': spec.get('nso_code', 'ANY-ANY'),
                'domain_name': spec.get('domain_name', '%s.pstn.exotel.com' % account_sid),
                'date_created': created,
                'date_updated': spec.get('date_updated', created),
            }
            record = {'account_sid': account_sid, 'trunk': trunk}
            numbers = expand_numbers(spec.get('phone_numbers'), default_date)
            record['phone-numbers'] = [self._fill(sid, n, created, {'mode': None}) for n in numbers]
            record['whitelisted-ips'] = [
                self._fill(sid, a, created, {'mask': 32, 'friendly_name': None}) for a in spec.get('whitelisted_ips', [])]
            record['destination-uris'] = [
                self._fill(sid, self._sip(d), created, {'type': 'public', 'priority': 0, 'weight': 1})
                for d in spec.get('destination_uris', [])]
            record['credentials'] = [
                self._fill(sid, c, created, {'friendly_name': None}) for c in spec.get('credentials', [])]
            record['settings'] = [self._fill(sid, s, created, {}) for s in spec.get('settings', [])]
            self.trunks[sid] = record
            for kind in SUB_RESOURCES:
                for item in record[kind]:
                    if str(item.get('id', '')).isdigit():
                        max_id = max(max_id, int(item['id']))
        self.next_id = max(max_id + 1, int(fixture.get('next_id', 100000)))

    @staticmethod
    def _sip(item):
        item = dict(item)
        if not item['destination'].startswith('sip:'):
            item['destination'] = 'sip:' + item['destination']
        return item

    @staticmethod
    def _fill(trunk_sid, item, created, defaults):
        filled = dict(defaults)
        filled.update(item)
        filled['id'] = str(filled['id'])
        filled['trunk_sid'] = trunk_sid
        filled.setdefault('date_created', created)
        filled.setdefault('date_updated', filled['date_created'])
        first = ['id'] + [k for k in KEY_ORDER if k in filled]
        return dict([(k, filled[k]) for k in first] + [(k, v) for k, v in filled.items() if k not in first])

    def now(self):
        return iso(self.clock())

    def new_id(self):
        value = self.next_id
        self.next_id += 1
        return str(value)

    def new_trunk_sid(self):
        while True:
            sid = 'trmum1%019xa1n' % secrets.randbits(76)
            if sid not in self.trunks:
                return sid

    def trunk(self, account_sid, trunk_sid):
        record = self.trunks.get(trunk_sid)
        if record is None or record['account_sid'] != account_sid:
            raise ApiError(1000, 'Trunk %s not found' % trunk_sid)
        return record

    def account_trunks(self, account_sid):
        return [r for r in self.trunks.values() if r['account_sid'] == account_sid]

    def dump(self):
        accounts = [{'sid': a['sid'], 'api_key': a['api_key'], 'api_token_set': True, 'exophones': list(a['exophones'])}
                    for a in self.accounts.values()]
        trunks = {}
        for sid, record in self.trunks.items():
            entry = dict(record['trunk'], account_sid=record['account_sid'])
            for kind in SUB_RESOURCES:
                entry[kind.replace('-', '_')] = [public(kind, item, dump=True) for item in record[kind]]
            trunks[sid] = entry
        return {'accounts': accounts, 'trunks': trunks, 'next_id': self.next_id}


def public(kind, item, dump=False):
    """The item as the API shows it: credentials never carry their password."""
    if kind != 'credentials':
        return dict(item)
    shown = {k: v for k, v in item.items() if k != 'password'}
    if dump:
        shown['password_set'] = bool(item.get('password'))
    return shown


def redact_body(value):
    """A request body for the log, with any password replaced."""
    if isinstance(value, dict):
        return {k: ('<redacted>' if k in ('password', 'api_token') and v is not None else redact_body(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [redact_body(v) for v in value]
    return value


class Request:
    """What a handler needs of one API request."""

    def __init__(self, method, path, query, body, account_sid, api_key):
        self.method = method
        self.path = path
        self.query = query
        self.body = body
        self.account_sid = account_sid
        self.api_key = api_key

    def arg(self, name):
        values = self.query.get(name)
        return values[-1] if values else None


class Response:
    """An answer: status, JSON payload (or raw bytes), headers."""

    def __init__(self, status, payload=None, headers=None, raw=None, content_type='application/json'):
        self.status = status
        self.payload = payload
        self.headers = dict(headers or {})
        self.raw = raw
        self.content_type = content_type

    def body(self):
        if self.raw is not None:
            return self.raw
        if self.payload is None:
            return b''
        return json.dumps(self.payload).encode('utf-8')


def single(method, data, http_status=200):
    return Response(http_status, {'request_id': new_request_id(), 'method': method, 'http_code': http_status,
                                  'response': ok_item(data)})


def failure(method, exc):
    return Response(exc.http_status, {'request_id': new_request_id(), 'method': method, 'http_code': exc.http_status,
                                      'response': error_item(exc)})


def batch(method, items):
    failed = sum(1 for item in items if item['status'] == 'failure')
    status = 207 if failed else 200
    return Response(status, {'request_id': new_request_id(), 'method': method, 'http_code': status,
                             'metadata': {'total': len(items), 'success': len(items) - failed, 'failed': failed},
                             'response': items})


def field(body, name, kind, required=True, what=None):
    """``body[name]`` checked for type: missing -> 1001 (if required), wrong type -> 1007."""
    value = body.get(name)
    if value is None:
        if required:
            raise ApiError(1001, '%s is mandatory' % (what or name))
        return None
    if kind is int:
        ok = isinstance(value, int) and not isinstance(value, bool)
    else:
        ok = isinstance(value, kind)
    if not ok:
        raise ApiError(1007, '%s must be of type %s' % (name, 'integer' if kind is int else 'string'))
    return value


def check_phone_number(value):
    if value == '' or len(value) > 16:
        raise ApiError(1000, 'PhoneNumber not found')
    if not E164_RE.match(value):
        raise ApiError(1002, 'Invalid PhoneNumber')


def check_ip(value):
    try:
        ipaddress.IPv4Address(value)
    except ValueError as exc:
        raise ApiError(1002, 'Invalid ip') from exc


def check_mask(value):
    if not 16 <= value <= 32:
        raise ApiError(1002, 'mask should be in-between 16 and 32')


def find_item(items, item_id, key='id'):
    for item in items:
        if item.get(key) == item_id:
            return item
    raise ApiError(1000, '%s not found' % item_id)


class Api:
    """The documented endpoints, on a Store. Each handler takes a Request and returns a Response."""

    def __init__(self, emulator):
        self.emu = emulator
        trunk = r'/trunks/(?P<trunk>[^/]+)/(?P<kind>%s)' % '|'.join(re.escape(k) for k in SUB_RESOURCES)
        self.routes = [
            ('POST', re.compile(r'^/trunks$'), self.create_trunk),
            ('GET', re.compile(r'^/trunks$'), self.list_trunks),
            ('DELETE', re.compile(r'^/trunks$'), self.delete_trunk),
            ('PUT', re.compile(r'^/trunks/(?P<trunk>[^/]+)$'), self.update_trunk),
            ('GET', re.compile(r'^/trunk-maps$'), self.lookup),
            ('POST', re.compile('^%s$' % trunk), self.create_sub),
            ('GET', re.compile('^%s$' % trunk), self.list_sub),
            ('DELETE', re.compile('^%s$' % trunk), self.delete_sub),
            ('PUT', re.compile(r'^%s/(?P<item_id>[^/]+)$' % trunk), self.update_sub),
        ]

    @property
    def store(self):
        return self.emu.store

    def route(self, method, rest):
        for route_method, pattern, handler in self.routes:
            match = pattern.match(rest)
            if match and route_method == method:
                return handler, match.groupdict()
        return None, None

    def handle(self, req, rest):
        handler, params = self.route(req.method, rest)
        if handler is None:
            return failure(req.method, ApiError(1000, 'No such resource: %s %s' % (req.method, req.path)))
        try:
            return handler(req, **params)
        except ApiError as exc:
            return failure(req.method, exc)

    # ---- lists ----------------------------------------------------------------------------

    def paginate(self, req, items, extra_query=None):
        offset = self._int_arg(req, 'offset', 0, 0)
        page_size = min(self._int_arg(req, 'page_size', DEFAULT_PAGE_SIZE, 1), self.emu.config['max_page_size'])
        if not items and self.emu.config['omit_empty_metadata']:
            return Response(200, {'request_id': new_request_id(), 'method': req.method, 'http_code': 200, 'response': []})
        extra = ''.join('&%s=%s' % (k, urllib.parse.quote(v, safe='')) for k, v in (extra_query or {}).items() if v is not None)

        def uri(start):
            return '%s?offset=%d&page_size=%d%s' % (req.path, start, page_size, extra)

        page = items[offset:offset + page_size]
        metadata = {
            'page_size': page_size,
            'first_page_uri': uri(0),
            'prev_page_uri': uri(max(0, offset - page_size)) if offset > 0 else None,
            'next_page_uri': uri(offset + page_size) if offset + page_size < len(items) else None,
        }
        return Response(200, {'request_id': new_request_id(), 'method': req.method, 'http_code': 200,
                              'metadata': metadata, 'response': [ok_item(item) for item in page]})

    @staticmethod
    def _int_arg(req, name, default, minimum):
        value = req.arg(name)
        if value is None or value == '':
            return default
        if not re.match(r'^[0-9]+$', value) or int(value) < minimum:
            raise ApiError(1002, 'Invalid %s' % name)
        return int(value)

    # ---- trunks ---------------------------------------------------------------------------

    def create_trunk(self, req):
        body = req.body
        name = field(body, 'trunk_name', str, what='TrunkName')
        if not TRUNK_NAME_RE.match(name):
            raise ApiError(1002, 'Invalid TrunkName')
        nso_code = field(body, 'nso_code', str, what='NsoCode')
        if not NSO_CODE_RE.match(nso_code):
            raise ApiError(1002, 'Nso code is invalid')
        domain = field(body, 'domain_name', str, what='DomainName')
        if domain != '%s.pstn.exotel.com' % req.account_sid:
            raise ApiError(1002, 'Invalid DomainName')
        for record in self.store.account_trunks(req.account_sid):
            if record['trunk']['trunk_name'] == name:
                raise duplicate('Trunk name %s already exists' % name)
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
            if not TRUNK_NAME_RE.match(name):
                raise ApiError(1002, 'Invalid TrunkName')
            for other in self.store.account_trunks(req.account_sid):
                if other is not record and other['trunk']['trunk_name'] == name:
                    raise duplicate('Trunk name %s already exists' % name)
            changes['trunk_name'] = name
        auth_type = field(body, 'auth_type', str, required=False)
        if auth_type is not None:
            changes['auth_type'] = auth_type
        nso_code = field(body, 'nso_code', str, required=False)
        if nso_code is not None:
            if not NSO_CODE_RE.match(nso_code):
                raise ApiError(1002, 'Nso code is invalid')
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

    def _new_item(self, record, fields):
        now = self.store.now()
        item = {'id': self.store.new_id()}
        item.update(fields)
        item.update(trunk_sid=record['trunk']['trunk_sid'], date_created=now, date_updated=now)
        return item

    # phone numbers

    def _create_number(self, req, record):
        phone = field(req.body, 'phone_number', str, what='PhoneNumber')
        check_phone_number(phone)
        mode = self._mode(req.body, required=False)
        exophones = self.store.accounts[req.account_sid]['exophones']
        if exophones and phone not in exophones:
            raise ApiError(1002, 'Invalid PhoneNumber: %s is not an ExoPhone of this account' % phone)
        for other in self.store.account_trunks(req.account_sid):
            for item in other['phone-numbers']:
                if item['phone_number'] == phone:
                    raise duplicate('PhoneNumber %s is already mapped to trunk %s' % (phone, other['trunk']['trunk_sid']))
        item = self._new_item(record, {'phone_number': phone, 'mode': mode})
        item = {k: item[k] for k in ('id', 'phone_number', 'trunk_sid', 'date_created', 'date_updated', 'mode')}
        record['phone-numbers'].append(item)
        return single(req.method, dict(item))

    @staticmethod
    def _mode(body, required):
        mode = field(body, 'mode', str, required=required, what='Mode')
        if mode is not None and mode not in MODES:
            raise ApiError(1002, 'Invalid mode %s: expected pstn or flow' % mode)
        return mode

    def _update_number(self, req, record, item):
        del record
        phone = field(req.body, 'phone_number', str, what='PhoneNumber')
        mode = self._mode(req.body, required=True)
        check_phone_number(phone)
        if phone != item['phone_number']:
            raise ApiError(1002, 'Invalid PhoneNumber: %s does not match the phone number of id %s' % (phone, item['id']))
        return {'mode': mode}

    # whitelisted IPs

    def _create_acl(self, req, record):
        ip = field(req.body, 'ip', str, what='Ip')
        check_ip(ip)
        mask = field(req.body, 'mask', int, required=False)
        mask = 32 if mask is None else mask
        check_mask(mask)
        friendly_name = field(req.body, 'friendly_name', str, required=False)
        for item in record['whitelisted-ips']:
            if item['ip'] == ip:
                raise duplicate('Ip %s is already whitelisted' % ip)
        item = self._new_item(record, {'ip': ip, 'mask': mask, 'friendly_name': friendly_name})
        record['whitelisted-ips'].append(item)
        return single(req.method, dict(item))

    @staticmethod
    def _update_acl(req, record, item):
        changes = {}
        ip = field(req.body, 'ip', str, required=False)
        if ip is not None:
            check_ip(ip)
            for other in record['whitelisted-ips']:
                if other is not item and other['ip'] == ip:
                    raise duplicate('Ip %s is already whitelisted' % ip)
            changes['ip'] = ip
        mask = field(req.body, 'mask', int, required=False)
        if mask is not None:
            check_mask(mask)
            changes['mask'] = mask
        if not changes:
            raise ApiError(1001, 'Ip is mandatory')
        return changes

    # destination URIs (batch)

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
            stored = self._check_destination(value, record)
            item = self._new_item(record, {'destination': stored, 'type': 'public', 'priority': 0, 'weight': 1})
            record['destination-uris'].append(item)
            return item
        return self._batch(req, 'destinations', 'destination', write_one)

    @staticmethod
    def _check_destination(value, record):
        bare = value[4:] if value.startswith('sip:') else value
        match = DESTINATION_RE.match(bare)
        if not match:
            raise ApiError(1002, 'Destination is not a valid Ip or Fqdn')
        host, port, transport = match.group('host'), match.group('port'), match.group('transport')
        if port is not None and not 1 <= int(port) <= 65535:
            raise ApiError(1002, 'Invalid port %s' % port)
        if transport is not None and transport.lower() not in ('tls', 'tcp'):
            raise ApiError(1002, 'Invalid transport %s: expected tls or tcp' % transport)
        try:
            address = ipaddress.IPv4Address(host)
        except ValueError:
            if re.match(r'^[0-9.]+$', host) or not FQDN_RE.match(host):
                raise ApiError(1002, 'Destination is not a valid Ip or Fqdn') from None
        else:
            networks = [ipaddress.IPv4Network('%s/%d' % (a['ip'], a['mask']), strict=False) for a in record['whitelisted-ips']]
            if not any(address in network for network in networks):
                raise ApiError(1002, 'Destination not whitelisted')
        return 'sip:' + bare

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
        self._check_credential(user_name, password, friendly_name)
        item = self._new_item(record, {'user_name': user_name, 'friendly_name': friendly_name, 'password': password})
        record['credentials'].append(item)
        return single(req.method, public('credentials', item))

    @staticmethod
    def _check_credential(user_name, password, friendly_name):
        if user_name is not None and not user_name:
            raise ApiError(1001, 'UserName is mandatory')
        if password is not None and not SAFE_TEXT_RE.match(password):
            raise ApiError(1002, 'Invalid password: only letters, digits and _ are allowed')
        if friendly_name is not None and (len(friendly_name) > 32 or not SAFE_TEXT_RE.match(friendly_name)):
            raise ApiError(1002, 'Invalid friendly_name: up to 32 letters, digits and _')

    def _update_credential(self, req, record, item):
        del record, item
        changes = {}
        for name in ('user_name', 'password', 'friendly_name'):
            value = field(req.body, name, str, required=False)
            if value is not None:
                changes[name] = value
        if not changes:
            raise ApiError(1001, 'One of user_name, password, friendly_name is mandatory')
        self._check_credential(changes.get('user_name'), changes.get('password'), changes.get('friendly_name'))
        return changes

    # settings (batch, upsert by name)

    def _create_settings(self, req, record):
        def write_one(entry):
            name = field(entry, 'name', str, what='Name')
            value = field(entry, 'value', str, what='Value')
            if not SETTING_NAME_RE.match(name):
                raise ApiError(1002, 'Invalid setting name %s' % name)
            if name == 'trunk_external_alias' and not E164_RE.match(value):
                raise ApiError(1002, 'Invalid PhoneNumber')
            existing = [s for s in record['settings'] if s['name'] == name]
            if existing:
                existing[0].update(value=value, date_updated=self.store.now())
                return existing[0]
            item = self._new_item(record, {'name': name, 'value': value})
            record['settings'].append(item)
            return item
        return self._batch(req, 'settings', 'setting', write_one)


class RateLimiter:
    """Sliding-window limiter: at most ``limit`` requests per account in any 60 seconds."""

    def __init__(self, clock):
        self.clock = clock
        self.hits = {}
        self.lock = threading.Lock()

    def reset(self):
        with self.lock:
            self.hits = {}

    def check(self, account, limit):
        """Record a request; return (allowed, headers)."""
        if not limit:
            return True, {}
        now = self.clock()
        with self.lock:
            hits = [t for t in self.hits.get(account, []) if t > now - RATE_WINDOW_SECONDS]
            allowed = len(hits) < limit
            if allowed:
                hits.append(now)
            self.hits[account] = hits
            reset_in = max(1, int(math.ceil(hits[0] + RATE_WINDOW_SECONDS - now))) if hits else RATE_WINDOW_SECONDS
            headers = {
                'X-RateLimit-Limit': str(limit),
                'X-RateLimit-Remaining': str(max(0, limit - len(hits))),
                'X-RateLimit-Reset': str(int(math.ceil(now)) + reset_in),
            }
            if not allowed:
                headers['Retry-After'] = str(reset_in)
            return allowed, headers


def _raw_query(query_string):
    return urllib.parse.parse_qs(query_string, keep_blank_values=True)


def _flat_query(parsed):
    return {k: v[0] if len(v) == 1 else v for k, v in parsed.items()}


def _normalise_faults(value):
    rules = value.get('faults', value) if isinstance(value, dict) else value
    if isinstance(rules, dict):
        rules = [rules]
    if not isinstance(rules, list):
        raise ValueError('faults must be a rule, a list of rules or {"faults": [...]}')
    result = []
    for rule in rules:
        if not isinstance(rule, dict) or rule.get('kind') not in FAULT_KINDS:
            raise ValueError('each fault needs a kind, one of %s' % ', '.join(FAULT_KINDS))
        rule = dict(rule)
        match = rule.get('match') or {}
        if not isinstance(match, dict):
            raise ValueError('match must be an object with method and/or path_regex')
        if match.get('path_regex'):
            re.compile(match['path_regex'])
        rule['match'] = match
        rule['count'] = int(rule.get('count', 1))
        rule.setdefault('hits', 0)
        result.append(rule)
    return result


class Handler(BaseHTTPRequestHandler):
    """Dispatches to the admin API or the Exotel API of ``self.server.emulator``."""

    protocol_version = 'HTTP/1.1'
    server_version = 'ExotelEmulator/1.0'
    # Headers and body leave in separate writes: without TCP_NODELAY each answer waits ~40 ms.
    disable_nagle_algorithm = True

    def version_string(self):
        return self.server_version

    # BaseHTTPRequestHandler calls do_<METHOD>.
    def do_GET(self):  # noqa: N802 pylint: disable=invalid-name
        self.dispatch()

    def do_POST(self):  # noqa: N802 pylint: disable=invalid-name
        self.dispatch()

    def do_PUT(self):  # noqa: N802 pylint: disable=invalid-name
        self.dispatch()

    def do_DELETE(self):  # noqa: N802 pylint: disable=invalid-name
        self.dispatch()

    def do_PATCH(self):  # noqa: N802 pylint: disable=invalid-name
        self.dispatch()

    def log_message(self, format, *args):  # pylint: disable=redefined-builtin
        if self.server.emulator.verbose:
            sys.stderr.write('%s - %s\n' % (self.address_string(), format % args))

    @property
    def emu(self):
        return self.server.emulator

    def read_body(self):
        if 'chunked' in self.headers.get('Transfer-Encoding', '').lower():
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b';')[0].strip() or b'0', 16)
                if size == 0:
                    self.rfile.readline()
                    break
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
            return b''.join(chunks)
        length = int(self.headers.get('Content-Length') or 0)
        return self.rfile.read(length) if length else b''

    def send(self, response):
        body = response.body()
        self.send_response(response.status)
        if body or response.raw is not None:
            self.send_header('Content-Type', response.content_type)
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        if self.command != 'HEAD':
            self.wfile.write(body)

    def dispatch(self):
        parsed = urllib.parse.urlsplit(self.path)
        path = parsed.path.rstrip('/') or '/'
        query = _raw_query(parsed.query)
        raw = self.read_body()
        if path == '/_emulator' or path.startswith('/_emulator/'):
            self.send(self.emu.admin(self.command, path, query, raw))
            return
        self.api_request(path, query, raw)

    def api_request(self, path, query, raw):
        emu = self.emu
        try:
            body = json.loads(raw.decode('utf-8')) if raw else None
        except ValueError:
            body = None
        entry = {'method': self.command, 'path': path, 'query': _flat_query(query), 'json': redact_body(body),
                 'user': self.auth_user(), 'status': None}
        rule = emu.take_fault(self.command, path)
        if rule is not None:
            entry['fault'] = rule['kind']
        response = None
        if rule is not None and rule['kind'] == 'latency':
            emu.sleep(float(rule.get('seconds', 1)))
        elif rule is not None and rule['kind'] == 'drop':
            emu.record(entry)
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return
        elif rule is not None and rule['kind'] in ('status', 'malformed', 'redirect', 'failure_body_200'):
            response = fault_response(rule, self.command, self.path)
        if response is None:
            response = emu.api(self.command, path, query, raw, self.headers, ignore_change=rule is not None and rule['kind'] == 'ignore_change')
        entry['status'] = response.status
        emu.record(entry)
        if rule is not None and rule['kind'] == 'lost_answer':
            # The request was carried out; its answer never reaches the client.
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return
        self.send(response)

    def auth_user(self):
        credentials = parse_basic(self.headers.get('Authorization'))
        return credentials[0] if credentials else None


def parse_basic(header):
    """(user, password) from a Basic Authorization header, or None."""
    if not header or not header.lower().startswith('basic '):
        return None
    try:
        decoded = base64.b64decode(header[6:].strip(), validate=True).decode('utf-8')
    except (binascii.Error, UnicodeDecodeError):
        return None
    if ':' not in decoded:
        return None
    user, password = decoded.split(':', 1)
    return user, password


def reason_phrase(status):
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return 'Error'


def fault_response(rule, method, full_path):
    kind = rule['kind']
    headers = dict(rule.get('headers') or {})
    if kind == 'status':
        status = int(rule.get('status', 503))
        if rule.get('retry_after') is not None:
            headers['Retry-After'] = str(rule['retry_after'])
        body = rule.get('body', 'json')
        phrase = reason_phrase(status)
        if body == 'html':
            html = '<html><head><title>%d %s</title></head><body><center><h1>%d %s</h1></center><hr><center>nginx</center></body></html>\n' % (
                status, phrase, status, phrase)
            return Response(status, raw=html.encode('utf-8'), headers=headers, content_type='text/html')
        if body == 'empty':
            return Response(status, headers=headers)
        return Response(status, {'request_id': new_request_id(), 'method': method, 'http_code': status,
                                 'response': {'code': status, 'status': 'failure', 'data': None,
                                              'error_data': error_data(int(rule.get('error_code', status)), phrase,
                                                                       rule.get('description', phrase))}},
                        headers=headers)
    if kind == 'malformed':
        text = json.dumps({'request_id': new_request_id(), 'method': method, 'http_code': 200,
                           'response': {'code': 200, 'error_data': None, 'status': 'success', 'data': {'id': '0'}}})
        return Response(200, raw=text[:len(text) // 2].encode('utf-8'), headers=headers)
    if kind == 'redirect':
        headers['Location'] = rule.get('location') or full_path
        return Response(int(rule.get('status', 302)), headers=headers)
    code = int(rule.get('code', 500))
    phrase = reason_phrase(code)
    return Response(200, {'request_id': new_request_id(), 'method': method, 'http_code': 200,
                          'response': {'code': code, 'status': 'failure', 'data': None,
                                       'error_data': error_data(int(rule.get('error_code', code)), rule.get('message', phrase),
                                                                rule.get('description', phrase))}}, headers=headers)


class Emulator:
    """The emulator: state, config, log, faults, and (once started) an HTTP server in a thread.

    ``fixture``: a path or a dict (default: ``fixture.json`` beside this file).
    ``clock``: a function returning epoch seconds (rate limit and dates); ``sleep``: used by the
    ``latency`` fault. Both are injectable so tests need no real waiting.
    """

    def __init__(self, fixture=None, host='127.0.0.1', port=0, rate_limit=DEFAULT_RATE_LIMIT, trunk_maps_flat=False,
                 max_page_size=MAX_PAGE_SIZE, faults=None, clock=None, sleep=None, verbose=False):
        self.fixture = load_fixture(fixture)
        self.host = host
        self.port = port
        self.clock = clock or time.time
        self.sleep = sleep or time.sleep
        self.verbose = verbose
        self.initial_config = {'rate_limit': int(rate_limit), 'trunk_maps_flat': bool(trunk_maps_flat),
                               'max_page_size': int(max_page_size), 'omit_empty_metadata': False}
        self.initial_faults = _normalise_faults(faults or [])
        self.lock = threading.RLock()
        self.limiter = RateLimiter(self.clock)
        self.api_impl = Api(self)
        self.server = None
        self.thread = None
        self.store = None
        self.config = None
        self.faults = None
        self.log = None
        self.reset()

    # ---- lifecycle ------------------------------------------------------------------------

    def reset(self, fixture=None):
        with self.lock:
            if fixture is not None:
                self.fixture = load_fixture(fixture)
            self.store = Store(self.fixture, self.clock)
            self.config = dict(self.initial_config)
            self.faults = copy.deepcopy(self.initial_faults)
            self.log = []
            self.limiter.reset()

    def bind(self):
        self.server = ThreadingHTTPServer((self.host, self.port), Handler)
        self.server.daemon_threads = True
        self.server.emulator = self
        self.port = self.server.server_address[1]
        return self

    def start(self):
        """Serve in a background thread; returns self."""
        if self.server is None:
            self.bind()
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={'poll_interval': 0.05},
                                       name='exotel-emulator', daemon=True)
        self.thread.start()
        return self

    def serve_forever(self):
        if self.server is None:
            self.bind()
        self.server.serve_forever()

    def stop(self):
        if self.server is not None:
            if self.thread is not None:
                self.server.shutdown()
                self.thread.join(5)
            self.server.server_close()
            self.server = None
            self.thread = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()

    @property
    def url(self):
        return 'http://%s:%d' % (self.host, self.port)

    # ---- helpers for tests ----------------------------------------------------------------

    def add_faults(self, faults):
        with self.lock:
            self.faults.extend(_normalise_faults(faults))

    def requests_log(self):
        with self.lock:
            return copy.deepcopy(self.log)

    def record(self, entry):
        with self.lock:
            entry['seq'] = len(self.log) + 1
            entry['time'] = iso(self.clock())
            self.log.append(entry)
            if len(self.log) > MAX_LOG_ENTRIES:
                del self.log[:len(self.log) - MAX_LOG_ENTRIES]

    def take_fault(self, method, path):
        """The first fault rule that matches and still has uses left (its count is used up by one)."""
        with self.lock:
            for rule in self.faults:
                if rule['count'] <= 0:
                    continue
                match = rule['match']
                if match.get('method') and match['method'].upper() != method:
                    continue
                if match.get('path_regex') and not re.search(match['path_regex'], path):
                    continue
                rule['count'] -= 1
                rule['hits'] += 1
                return copy.deepcopy(rule)
        return None

    # ---- the Exotel API -------------------------------------------------------------------

    def api(self, method, path, query, raw, headers, ignore_change=False):
        match = ACCOUNT_PATH_RE.match(path)
        if not match:
            return failure(method, ApiError(1000, 'No such resource: %s' % path))
        account_sid = urllib.parse.unquote(match.group('account'))
        rest = match.group('rest') or ''
        credentials = parse_basic(headers.get('Authorization'))
        account = self.store.accounts.get(account_sid)
        if credentials is None:
            return failure(method, ApiError(1010, 'Authorization failed: no Basic credentials'))
        if account is None or credentials[0] != account['api_key'] or credentials[1] != account['api_token']:
            return failure(method, ApiError(1010, 'Authorization failed'))
        allowed, limit_headers = self.limiter.check(account_sid, self.config['rate_limit'])
        if not allowed:
            description = 'Rate limit of %d requests per minute exceeded' % self.config['rate_limit']
            return Response(429, {'request_id': new_request_id(), 'method': method, 'http_code': 429,
                                  'response': {'code': 429, 'status': 'failure', 'data': None,
                                               'error_data': error_data(RATE_LIMIT_ERROR_CODE, 'Too Many Requests', description)}},
                            headers=limit_headers)
        body = {}
        if method in ('POST', 'PUT'):
            content_type = (headers.get('Content-Type') or '').split(';')[0].strip().lower()
            if content_type != 'application/json':
                response = failure(method, ApiError(1011, 'unsupported content type: %s' % (content_type or 'none')))
                response.headers.update(limit_headers)
                return response
            try:
                body = json.loads(raw.decode('utf-8')) if raw.strip() else {}
            except (ValueError, UnicodeDecodeError):
                body = None
            if not isinstance(body, dict):
                response = failure(method, ApiError(1007))
                response.headers.update(limit_headers)
                return response
        req = Request(method, path, query, body, account_sid, credentials[0])
        with self.lock:
            if ignore_change and method in ('POST', 'PUT', 'DELETE'):
                response = self._ignoring_change(req, rest)
            else:
                response = self.api_impl.handle(req, rest)
        response.headers.update(limit_headers)
        return response

    def _ignoring_change(self, req, rest):
        """Answer as if the write happened, but keep the state, and show the old object for a PUT."""
        original = self.store
        self.store = copy.deepcopy(original)
        try:
            response = self.api_impl.handle(req, rest)
        finally:
            self.store = original
        handler, params = self.api_impl.route(req.method, rest)
        if req.method == 'PUT' and response.status == 200 and handler is not None:
            try:
                if 'kind' in params:
                    old = find_item(self.store.trunk(req.account_sid, params['trunk'])[params['kind']], params['item_id'])
                    old = public(params['kind'], old)
                else:
                    old = dict(self.store.trunk(req.account_sid, params['trunk'])['trunk'])
            except ApiError:
                return response
            response.payload['response']['data'] = old
        return response

    # ---- the admin API --------------------------------------------------------------------

    def admin(self, method, path, query, raw):
        try:
            body = json.loads(raw.decode('utf-8')) if raw.strip() else None
        except (ValueError, UnicodeDecodeError):
            return Response(400, {'error': 'body is not JSON'})
        action = path[len('/_emulator'):].strip('/')
        try:
            return self._admin(method, action, query, body)
        except (ValueError, TypeError, KeyError, OSError) as exc:
            return Response(400, {'error': '%s: %s' % (type(exc).__name__, exc)})

    def _admin(self, method, action, query, body):
        with self.lock:
            if (method, action) == ('GET', 'state'):
                state = self.store.dump()
                state['config'] = dict(self.config)
                return Response(200, state)
            if (method, action) == ('POST', 'reset'):
                body = body or {}
                self.reset(fixture=body.get('fixture') or body.get('fixture_path'))
                return Response(200, {'reset': True})
            if (method, action) == ('GET', 'log'):
                entries = self.log
                if query.get('method'):
                    entries = [e for e in entries if e['method'] == query['method'][-1].upper()]
                return Response(200, {'count': len(entries), 'entries': copy.deepcopy(entries)})
            if (method, action) == ('DELETE', 'log'):
                self.log = []
                return Response(200, {'count': 0, 'entries': []})
            if (method, action) == ('GET', 'config'):
                return Response(200, dict(self.config))
            if (method, action) == ('PUT', 'config'):
                return Response(200, self._set_config(body))
            if (method, action) == ('GET', 'faults'):
                return Response(200, {'faults': copy.deepcopy(self.faults)})
            if (method, action) == ('POST', 'faults'):
                self.faults.extend(_normalise_faults(body))
                return Response(200, {'faults': copy.deepcopy(self.faults)})
            if (method, action) == ('DELETE', 'faults'):
                self.faults = []
                return Response(200, {'faults': []})
        return Response(404, {'error': 'no admin endpoint %s /_emulator/%s' % (method, action)})

    def _set_config(self, body):
        if not isinstance(body, dict):
            raise ValueError('config must be a JSON object')
        types = {'rate_limit': int, 'max_page_size': int, 'trunk_maps_flat': bool, 'omit_empty_metadata': bool}
        for key, value in body.items():
            if key not in types:
                raise ValueError('unknown config key %s (known: %s)' % (key, ', '.join(sorted(types))))
            if not isinstance(value, types[key]) or (types[key] is int and (isinstance(value, bool) or value < 0)):
                raise ValueError('%s must be %s' % (key, 'a non-negative integer' if types[key] is int else 'a boolean'))
            if key == 'max_page_size' and value < 1:
                raise ValueError('max_page_size must be at least 1')
        self.config.update(body)
        return dict(self.config)


# ---- command line ---------------------------------------------------------------------------

def _load_faults_file(path):
    if not path:
        return None
    with open(path, encoding='utf-8') as handle:
        return json.load(handle)


def cmd_serve(args):
    emu = Emulator(fixture=args.fixture, host=args.host, port=args.port, rate_limit=args.rate_limit,
                   trunk_maps_flat=args.trunk_maps_flat, faults=_load_faults_file(args.faults), verbose=args.verbose)
    emu.bind()

    def _terminate(signum, frame):
        del signum, frame
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _terminate)
    if args.port_file:
        tmp = args.port_file + '.tmp'
        with open(tmp, 'w', encoding='utf-8') as handle:
            handle.write('%d\n' % emu.port)
        os.replace(tmp, args.port_file)
    print('Exotel emulator listening on %s' % emu.url, flush=True)
    try:
        emu.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        emu.server.server_close()
    return 0


def _answers(url, timeout=1.0):
    try:
        with urllib.request.urlopen(url + '/_emulator/config', timeout=timeout) as answer:
            return answer.status == 200
    except (OSError, urllib.error.URLError):
        return False


def _pid_alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _is_emulator(pid):
    """True when ``pid`` runs this emulator (or when /proc cannot tell)."""
    try:
        with open('/proc/%d/cmdline' % pid, 'rb') as handle:
            return b'exotel_emulator' in handle.read()
    except OSError:
        return _pid_alive(pid)


def _read(path):
    try:
        with open(path, encoding='utf-8') as handle:
            return handle.read().strip()
    except OSError:
        return None


def _write(path, text):
    with open(path, 'w', encoding='utf-8') as handle:
        handle.write(text + '\n')


def cmd_start(args):
    state_dir = os.path.abspath(args.state_dir)
    os.makedirs(state_dir, exist_ok=True)
    pid_file, port_file, url_file = (os.path.join(state_dir, n) for n in ('pid', 'port', 'url'))
    pid, url = _read(pid_file), _read(url_file)
    if pid and pid.isdigit() and url and _is_emulator(int(pid)) and _answers(url):
        sys.stderr.write('Exotel emulator already running (pid %s)\n' % pid)
        print(url)
        return 0
    for stale in (pid_file, port_file, url_file):
        if os.path.exists(stale):
            os.remove(stale)
    command = [sys.executable, os.path.abspath(__file__), 'serve', '--host', args.host, '--port', str(args.port),
               '--rate-limit', str(args.rate_limit), '--port-file', port_file]
    for option, value in (('--fixture', args.fixture), ('--faults', args.faults)):
        if value:
            command += [option, os.path.abspath(value)]
    if args.trunk_maps_flat:
        command.append('--trunk-maps-flat')
    if args.verbose:
        command.append('--verbose')
    with open(os.path.join(state_dir, 'emulator.log'), 'ab') as log, open(os.devnull, 'rb') as devnull:
        # The child outlives this command on purpose: "stop" ends it.
        process = subprocess.Popen(command, stdin=devnull, stdout=log, stderr=log,  # pylint: disable=consider-using-with
                                   start_new_session=True, close_fds=True)
    _write(pid_file, str(process.pid))
    deadline = time.monotonic() + args.wait
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.stderr.write('Exotel emulator exited with status %s; see %s\n' % (
                process.returncode, os.path.join(state_dir, 'emulator.log')))
            os.remove(pid_file)
            return 1
        port = _read(port_file)
        if port and port.isdigit():
            url = 'http://%s:%s' % (args.host, port)
            if _answers(url):
                _write(url_file, url)
                print(url)
                return 0
        time.sleep(0.05)
    sys.stderr.write('Exotel emulator did not answer within %.0f s; stopping it\n' % args.wait)
    process.terminate()
    return 1


def cmd_stop(args):
    state_dir = os.path.abspath(args.state_dir)
    pid = _read(os.path.join(state_dir, 'pid'))
    if pid and pid.isdigit() and _is_emulator(int(pid)):
        pid = int(pid)
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        deadline = time.monotonic() + 5
        while _pid_alive(pid) and _is_emulator(pid) and time.monotonic() < deadline:
            time.sleep(0.05)
            try:
                os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                pass
        if _pid_alive(pid) and _is_emulator(pid):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
    for name in ('pid', 'port', 'url'):
        path = os.path.join(state_dir, name)
        if os.path.exists(path):
            os.remove(path)
    return 0


def build_parser():
    parser = argparse.ArgumentParser(prog='exotel_emulator.py', description='Local emulator of the Exotel trunk API (v2).')
    commands = parser.add_subparsers(dest='command', required=True)

    def common(sub, default_port):
        sub.add_argument('--host', default='127.0.0.1', help='address to bind (default 127.0.0.1)')
        sub.add_argument('--port', type=int, default=default_port, help='port to bind; 0 picks a free one')
        sub.add_argument('--fixture', help='fixture JSON file (default: tests/emulator/fixture.json)')
        sub.add_argument('--rate-limit', type=int, default=DEFAULT_RATE_LIMIT, help='requests per minute per account; 0 disables')
        sub.add_argument('--faults', help='JSON file with fault rules to install at start')
        sub.add_argument('--trunk-maps-flat', action='store_true', help='answer /trunk-maps in the flat documented form')
        sub.add_argument('--verbose', action='store_true', help='print one line per request on stderr')

    serve = commands.add_parser('serve', help='run in the foreground')
    common(serve, 0)
    serve.add_argument('--port-file', help='write the bound port to this file once listening')
    serve.set_defaults(func=cmd_serve)

    start = commands.add_parser('start', help='run in the background; prints the base URL')
    common(start, 0)
    start.add_argument('--state-dir', required=True, help='directory for pid, port, url and emulator.log')
    start.add_argument('--wait', type=float, default=15.0, help='seconds to wait for it to answer')
    start.set_defaults(func=cmd_start)

    stop = commands.add_parser('stop', help='stop the background emulator of --state-dir (idempotent)')
    stop.add_argument('--state-dir', required=True)
    stop.set_defaults(func=cmd_stop)
    return parser


def main(argv=None):
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == '__main__':
    sys.exit(main())

# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The emulator's state: accounts, trunks and the items hanging off a trunk, the accounts' ExoPhones and the
numbers on offer, loaded from a fixture.

The objects and their fields are the ones of docs/docsite/rst/api_reference.rst ("Endpoints").
The fixture format is described in tests/emulator/README.md.
"""

import copy
import json
import os
import secrets
import time

from .exceptions import ApiError

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_FIXTURE = os.path.join(HERE, 'fixture.json')

# Key order of the objects, as in Exotel's examples (cosmetic).
KEY_ORDER = ('phone_number', 'ip', 'mask', 'friendly_name', 'destination', 'user_name', 'name', 'value', 'trunk_sid',
             'date_created', 'date_updated', 'type', 'priority', 'weight', 'mode')
# Key order of an ExoPhone, as in Exotel's examples (cosmetic).
EXOPHONE_KEYS = ('sid', 'phone_number', 'friendly_name', 'capabilities', 'country', 'region', 'voice_url', 'sms_url',
                 'date_created', 'date_updated')
# The lists a trunk carries, by the path segment of their endpoint.
SUB_RESOURCES = ('phone-numbers', 'whitelisted-ips', 'destination-uris', 'credentials', 'settings')
# Defaults of the fields a fixture may leave out, by sub-resource.
ITEM_DEFAULTS = {
    'phone-numbers': {'mode': None},
    'whitelisted-ips': {'mask': 32, 'friendly_name': None},
    'destination-uris': {'type': 'public', 'priority': 0, 'weight': 1},
    'credentials': {'friendly_name': None},
    'settings': {},
}


def iso(ts):
    return time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime(ts))


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


def find_item(items, item_id, key='id'):
    for item in items:
        if item.get(key) == item_id:
            return item
    raise ApiError(1000, '%s not found' % item_id)


def public(kind, item, dump=False):
    """The item as the API shows it: credentials never carry their password."""
    if kind != 'credentials':
        return dict(item)
    shown = {k: v for k, v in item.items() if k != 'password'}
    if dump:
        shown['password_set'] = bool(item.get('password'))
    return shown


def exophone(spec, default_date):
    """An ExoPhone of a fixture, with its defaults."""
    item = {'sid': spec['sid'], 'phone_number': spec['phone_number'],
            'friendly_name': spec.get('friendly_name', spec['phone_number']),
            'capabilities': spec.get('capabilities', {'voice': True, 'sms': True}),
            'country': spec.get('country', 'IN'), 'region': spec.get('region'),
            'voice_url': spec.get('voice_url'), 'sms_url': spec.get('sms_url'),
            'date_created': spec.get('date_created', default_date)}
    item['date_updated'] = spec.get('date_updated', item['date_created'])
    extra = {k: v for k, v in spec.items() if k not in item}
    item.update(extra)
    return item


def load_exophones(fixture, default_date):
    """(ExoPhones by account SID, the numbers on offer) from a fixture (see tests/emulator/README.md)."""
    by_account = {}
    for account in fixture.get('accounts', []):
        by_account[account['sid']] = [exophone(e, default_date) for e in account.get('incoming_phone_numbers', [])]
    available = [dict(entry) for entry in fixture.get('available_phone_numbers', [])]
    for entry in available:
        entry.setdefault('friendly_name', entry['phone_number'])
        entry.setdefault('capabilities', {'voice': True, 'sms': False})
        entry.setdefault('country', 'IN')
        entry.setdefault('region', None)
        entry.setdefault('number_type', 'Landline')
        entry.setdefault('rental_price', '0.000000')
    return by_account, available


class Store:
    """All accounts and trunks, and everything hanging off the trunks. Not thread-safe by itself.

    ``trunks`` maps a trunk SID to a record ``{'account_sid', 'trunk', <each of SUB_RESOURCES>: [items]}``.
    """

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
            record = self._load_trunk(spec, default_date)
            self.trunks[record['trunk']['trunk_sid']] = record
            for kind in SUB_RESOURCES:
                for item in record[kind]:
                    if str(item.get('id', '')).isdigit():
                        max_id = max(max_id, int(item['id']))
        self.next_id = max(max_id + 1, int(fixture.get('next_id', 100000)))
        self.exophones, self.available = load_exophones(fixture, default_date)

    def _load_trunk(self, spec, default_date):
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
        for kind in SUB_RESOURCES:
            if kind == 'phone-numbers':
                items = expand_numbers(spec.get('phone_numbers'), default_date)
            else:
                items = spec.get(kind.replace('-', '_'), [])
            if kind == 'destination-uris':
                items = [self._sip(item) for item in items]
            record[kind] = [self._fill(sid, item, created, ITEM_DEFAULTS[kind]) for item in items]
        return record

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

    def new_item(self, record, fields):
        """A new item of ``record``'s trunk: a fresh id, ``fields``, trunk_sid and today's dates."""
        now = self.now()
        item = {'id': self.new_id()}
        item.update(fields)
        item.update(trunk_sid=record['trunk']['trunk_sid'], date_created=now, date_updated=now)
        return item

    def dump(self):
        accounts = [{'sid': a['sid'], 'api_key': a['api_key'], 'api_token_set': True, 'exophones': list(a['exophones'])}
                    for a in self.accounts.values()]
        trunks = {}
        for sid, record in self.trunks.items():
            entry = dict(record['trunk'], account_sid=record['account_sid'])
            for kind in SUB_RESOURCES:
                entry[kind.replace('-', '_')] = [public(kind, item, dump=True) for item in record[kind]]
            trunks[sid] = entry
        exophones = {sid: [{k: v for k, v in e.items() if k != 'offer'} for e in items] for sid, items in self.exophones.items()}
        return {'accounts': accounts, 'trunks': trunks, 'next_id': self.next_id, 'exophones': exophones,
                'available_phone_numbers': copy.deepcopy(self.available)}

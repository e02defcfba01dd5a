# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

# This module_utils file is internal to exotel.trunking: its name starts with "_" and its
# interface may change without notice. Do not import it from other collections.

"""The account's ExoPhones (Exotel's ``IncomingPhoneNumbers``, the v2_beta API) and their flows.

- reading: ``exophone`` turns an object as Exotel answers it (snake_case or PascalCase, bare or
  wrapped) into one shape with ``sid``, ``phone_number``, ``friendly_name``, ``voice_url``,
  ``sms_url`` and the flow ids ``app_id`` and ``sms_app_id`` parsed from the URLs;
  ``iter_exophones``, ``get_exophone`` and ``find_exophone`` read them;
- flows are compared by app id, never by whole URL (its host and form vary across Exotel's docs):
  ``app_id_of`` and ``flow_url``;
- ``search_available``: a number on offer, with its rental price;
- ``trunk_mapping``: the trunk a number is mapped to, from the trunk API's number lookup;
- ``ExoPhones``: the ``Kind`` of exotel_exophone for the write engine (``_engine.py``).
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import re
from urllib.parse import quote, urlsplit

from ansible_collections.exotel.trunking.plugins.module_utils._answers import pick
from ansible_collections.exotel.trunking.plugins.module_utils._engine import Refusal
from ansible_collections.exotel.trunking.plugins.module_utils._errors import ExotelError
from ansible_collections.exotel.trunking.plugins.module_utils._kind import Kind
from ansible_collections.exotel.trunking.plugins.module_utils._mapping import lookup
from ansible_collections.exotel.trunking.plugins.module_utils._options import DIGITS_RE, E164_RE

SEGMENT = 'IncomingPhoneNumbers'
LIST_KEYS = ('incoming_phone_numbers', 'IncomingPhoneNumbers', 'incomingPhoneNumbers')
# Exotel's names of each field, the documented one first.
NAMES = {
    'sid': ('sid', 'Sid', 'exophone_sid'),
    'phone_number': ('phone_number', 'PhoneNumber', 'phoneNumber'),
    'friendly_name': ('friendly_name', 'FriendlyName', 'friendlyName'),
    'voice_url': ('voice_url', 'VoiceUrl', 'VoiceURL', 'voiceUrl'),
    'sms_url': ('sms_url', 'SMSUrl', 'SmsUrl', 'SMSURL', 'smsUrl'),
}
# What a write sends for each field (form-encoded, the documented names only).
FORM = (('friendly_name', 'FriendlyName'), ('voice_url', 'VoiceUrl'), ('sms_url', 'SMSUrl'))
# The host of flow URLs built from an app id, by region (the Exotel dashboard's host).
FLOW_HOSTS = {'singapore': 'https://my.exotel.com', 'mumbai': 'https://my.in.exotel.com'}
NUMBER_TYPES = ('Landline', 'Mobile', 'TollFree')
# Country of a number by its calling code, for the search among available numbers (``country`` overrides).
COUNTRIES = (('971', 'AE'), ('91', 'IN'), ('65', 'SG'), ('60', 'MY'), ('62', 'ID'), ('63', 'PH'))


def app_id_of(url):
    """The flow (app) id at the end of a flow URL, whatever its host and form; None when there is none."""
    if not isinstance(url, str) or not url.strip():
        return None
    last = urlsplit(url.strip()).path.rstrip('/').rsplit('/', 1)[-1]
    return last if DIGITS_RE.match(last) else None


def flow_url(client, app_id, flow='voice'):
    """The documented flow URL of ``app_id``: ``https://my.exotel.com/{account_sid}/exoml/start_voice/{app_id}``
    (``my.in.exotel.com`` for Mumbai, ``start_sms`` for an SMS flow)."""
    return '%s/%s/exoml/start_%s/%s' % (FLOW_HOSTS[client.region], quote(client.account_sid, safe=''), flow, app_id)


def exophone(raw):
    """An ExoPhone as Exotel answered it, in one shape (see the module docstring); None when it is not one.

    Every field Exotel gave is kept; the ones it did not give are None.
    """
    if isinstance(raw, dict):
        raw = pick(raw, 'incoming_phone_number', 'IncomingPhoneNumber') or raw
    if not isinstance(raw, dict):
        return None
    item = dict(raw)
    for field, names in NAMES.items():
        item[field] = pick(raw, *names)
    if item['sid'] is None and item['phone_number'] is None:
        return None
    for field in ('sid', 'phone_number'):
        if item[field] is not None:
            item[field] = str(item[field])
    item['app_id'] = app_id_of(item['voice_url'])
    item['sms_app_id'] = app_id_of(item['sms_url'])
    return item


def given(raw):
    """The fields of ``NAMES`` that an answer carries at all (under any of their names)."""
    if isinstance(raw, dict):
        raw = pick(raw, 'incoming_phone_number', 'IncomingPhoneNumber') or raw
    return set(f for f, names in NAMES.items() if isinstance(raw, dict) and any(n in raw for n in names))


def digits(number):
    return re.sub(r'[^0-9]', '', str(number or ''))


def same_number(have, want):
    """Whether Exotel's ``have`` is the E.164 number ``want``: equal, or the same digits, or ``want`` written
    nationally (a leading 0 for the country code)."""
    if have is None or want is None:
        return False
    if have == want or (digits(have) and digits(have) == digits(want)):
        return True
    national = digits(have)
    return str(have).strip().startswith('0') and len(national) > 6 and digits(want).endswith(national[1:]) \
        and str(want).startswith('+')


def exophones_path(client, *more):
    return client.exophones.path(SEGMENT, *more)


def iter_exophones(client):
    """Every ExoPhone of the account, page after page."""
    for raw in client.exophones.iter_pages(exophones_path(client), LIST_KEYS):
        item = exophone(raw)
        if item is not None:
            yield item


def get_exophone(client, sid):
    """The ExoPhone with ``sid`` (one request), or None when Exotel answers 404."""
    try:
        return exophone(client.exophones.request('GET', exophones_path(client, sid)))
    except ExotelError as exc:
        if exc.http_status == 404:
            return None
        raise


def find_exophone(client, phone_number=None, sid=None):
    """The ExoPhone with ``sid`` (one request) or else with ``phone_number`` (a walk of the list), or None."""
    if sid is not None:
        return get_exophone(client, sid)
    for item in iter_exophones(client):
        if same_number(item['phone_number'], phone_number):
            return item
    return None


def country_of(phone_number):
    for code, country in COUNTRIES:
        if phone_number.startswith('+' + code):
            return country, phone_number[len(code) + 1:]
    return None, phone_number[1:]


def search_available(client, phone_number, country=None, number_type=None):
    """The offer of ``phone_number`` among Exotel's available numbers, and where it was searched.

    Asks ``GET /AvailablePhoneNumbers/{country}/{type}?Contains=<national number>`` for ``number_type``
    (or each type in turn) and returns ``(offer, searched)``: the entry of the number as Exotel
    lists it (``rental_price``, ``number_type``, ...), with ``country`` and ``number_type`` filled in,
    or None; ``searched`` says where it looked, for messages. Raises ExotelError.
    """
    guessed, national = country_of(phone_number)
    country = country or guessed
    if country is None:
        return None, 'nowhere: the country of %s is not known, set country' % phone_number
    types = [number_type] if number_type else list(NUMBER_TYPES)
    for kind in types:
        path = client.exophones.path('AvailablePhoneNumbers', country, kind)
        answer = client.exophones.request('GET', path, query={'Contains': national})
        entries = answer if isinstance(answer, list) else pick(answer, 'available_phone_numbers', 'AvailablePhoneNumbers')
        for entry in entries if isinstance(entries, list) else []:
            if isinstance(entry, dict) and same_number(pick(entry, 'phone_number', 'PhoneNumber'), phone_number):
                offer = dict(entry)
                offer.setdefault('country', country)
                offer.setdefault('number_type', kind)
                return offer, None
    return None, 'country %s, %s' % (country, ', '.join(types))


def trunk_mapping(client, phone_number):
    """The trunk mapping of ``phone_number`` (``trunk_sid``, ``mode``, ``number_id``) from the number
    lookup, or None when it is mapped nowhere. Raises ExotelError when the lookup cannot tell."""
    found = lookup(client, phone_number, strict=True)
    if not found:
        return None
    first = found[0]
    return dict(trunk_sid=first['trunk_sid'], mode=first['mode'], number_id=first['id'])


def e164(item, fallback=None):
    """The E.164 form of an ExoPhone's number (``fallback`` when Exotel writes it otherwise), or None."""
    number = item.get('phone_number')
    if isinstance(number, str) and E164_RE.match(number):
        return number
    return fallback if fallback is not None and same_number(number, fallback) else None


class ExoPhones(Kind):
    """The account's ExoPhones as a ``Kind``: one wanted entry, found by ``sid`` or ``phone_number``.

    Wanted: ``sid``, ``phone_number``, ``friendly_name``, ``voice_url`` and ``sms_url`` (what to send),
    ``app_id`` and ``sms_app_id`` (what to compare; None: compare the URL). A field that is None is
    left as it is. ``rules``: ``state``, ``allow_purchase``, ``allow_release``, ``release_mapped``,
    ``country``, ``number_type``. What ``current`` learns for the rules is kept: ``offer`` (the
    number's rental offer, and ``searched``: where), ``mapping`` (its trunk mapping) and ``problem``
    (why that cannot be known). A read that fails there refuses the run (``Refusal``) before any write.
    """

    noun = 'ExoPhone'
    singular = 'exophone'
    fields = ('phone_number', 'friendly_name', 'app_id', 'voice_url', 'sms_app_id', 'sms_url')
    id_field = 'sid'

    def __init__(self, client, **rules):
        super(ExoPhones, self).__init__(client)
        self.rules = rules
        self.offer = self.mapping = self.problem = self.searched = None

    def path(self, *more):
        return exophones_path(self.client, *more)

    def read(self):
        return list(iter_exophones(self.client))

    def key(self, item):
        return item.get('sid') or item.get('phone_number')

    def label(self, item):
        return item.get('phone_number') or item.get('sid')

    def matches(self, items, want):
        if want.get('sid'):
            return [i for i in items if i.get('sid') == want['sid']]
        return [i for i in items if same_number(i.get('phone_number'), want['phone_number'])]

    def current(self, wanted):
        want = wanted[0]
        found = find_exophone(self.client, want.get('phone_number'), want.get('sid'))
        rules = self.rules
        if found is None and rules['state'] == 'present' and rules['allow_purchase'] and not want.get('sid'):
            try:
                self.offer, self.searched = search_available(self.client, want['phone_number'], rules['country'],
                                                             rules['number_type'])
            except ExotelError as exc:
                raise Refusal('Could not find out whether phone number %s can be bought (the search among the numbers '
                              'Exotel offers failed): %s' % (want['phone_number'], exc.message), exc)
        elif found is not None and rules['state'] == 'absent' and rules['allow_release'] and not rules['release_mapped']:
            number = e164(found, want.get('phone_number'))
            if number is None:
                self.problem = 'its number %r is not in E.164 form, so its trunk mapping cannot be looked up' % (
                    found.get('phone_number'))
                return [found]
            try:
                self.mapping = trunk_mapping(self.client, number)
            except ExotelError as exc:
                raise Refusal('ExoPhone %s was not released: whether it is still mapped to a trunk is not known, the '
                              'number lookup failed: %s Set release_mapped=true to release it anyway.' % (
                                  number, exc.message.rstrip('.') + '.'), exc)
        return [] if found is None else [found]

    def conflict(self, item, want, state):
        if want.get('sid') and want.get('phone_number') and not same_number(item.get('phone_number'), want['phone_number']):
            return 'ExoPhone %s is %s, not %s: check sid and phone_number.' % (
                want['sid'], item.get('phone_number'), want['phone_number'])
        if state != 'absent':
            return None
        label = self.label(item)
        if not self.rules['allow_release']:
            return ('Releasing ExoPhone %s is permanent (Exotel may give the number to another account): set '
                    'allow_release=true to release it.' % label)
        if self.rules['release_mapped']:
            return None
        if self.problem:
            return ('ExoPhone %s was not released: it may still be mapped to a trunk, and %s. Set release_mapped=true '
                    'to release it anyway.' % (label, self.problem))
        if self.mapping:
            return ('ExoPhone %s is still mapped to trunk %s (mode %s): unmap it first (exotel.trunking.exotel_trunk_number '
                    'with state=absent), or set release_mapped=true to release it anyway.' % (
                        label, self.mapping['trunk_sid'], self.mapping['mode']))
        return None

    def missing(self, want):
        where = 'account %s' % self.client.account_sid
        if want.get('sid'):
            return 'There is no ExoPhone with sid %s in %s.' % (want['sid'], where)
        if not self.rules['allow_purchase']:
            return ('Phone number %s is not an ExoPhone of %s. Set allow_purchase=true to buy it (Exotel charges a '
                    'rental for it).' % (want['phone_number'], where))
        if self.offer is None:
            return 'Phone number %s cannot be bought: it is not among the numbers Exotel offers (searched: %s).' % (
                want['phone_number'], self.searched)
        return None

    # ---- comparing and writing

    def flow_differs(self, have, want, url_field, id_field):
        if want.get(url_field) is None:
            return False
        if want.get(id_field) is not None:
            return have.get(id_field) != want[id_field]
        return have.get(url_field) != want[url_field]

    def update_body(self, have, want):
        body = []
        if want.get('friendly_name') is not None and want['friendly_name'] != have.get('friendly_name'):
            body.append(('FriendlyName', want['friendly_name']))
        if self.flow_differs(have, want, 'voice_url', 'app_id'):
            body.append(('VoiceUrl', want['voice_url']))
        if self.flow_differs(have, want, 'sms_url', 'sms_app_id'):
            body.append(('SMSUrl', want['sms_url']))
        return dict(body) or None

    def create_body(self, want):
        body = [('PhoneNumber', want['phone_number'])]
        body.extend((name, want[field]) for field, name in FORM if want.get(field) is not None)
        return dict(body)

    def merge(self, have, want, body):
        item = dict(have)
        item.update((field, body[name]) for field, name in FORM if name in body)
        item['app_id'] = app_id_of(item.get('voice_url'))
        item['sms_app_id'] = app_id_of(item.get('sms_url'))
        return item

    def new_item(self, want):
        item = self.merge(dict(sid=None, phone_number=want['phone_number'], friendly_name=None, voice_url=None,
                               sms_url=None), want, self.create_body(want))
        item.update((k, self.offer.get(k)) for k in ('rental_price', 'currency', 'country', 'region') if k in self.offer)
        return item

    def answered(self, answer, before, body):
        """The items the write's answer shows for the engine: the ExoPhone, its missing fields taken from
        ``before`` as written with ``body`` (none when the answer shows no ExoPhone)."""
        item = exophone(answer)
        if item is None:
            return []
        written = self.merge(before, None, body)
        item.update((f, written.get(f)) for f in NAMES if f not in given(answer))
        item.update(app_id=app_id_of(item.get('voice_url')), sms_app_id=app_id_of(item.get('sms_url')))
        return [item]

    def post(self, body):
        before = dict(sid=None, phone_number=body['PhoneNumber'], friendly_name=None, voice_url=None, sms_url=None)
        return self.answered(self.client.exophones.request('POST', self.path(), form=body), before, body)

    def put(self, have, body):
        return self.answered(self.client.exophones.request('PUT', self.path(have['sid']), form=body), have, body)

    def delete(self, have):
        self.client.exophones.request('DELETE', self.path(have['sid']))

    # ---- messages

    def read_failure(self, exc):
        if exc.unreachable:
            return exc.message
        return 'Could not read the ExoPhones of account %s: %s' % (self.client.account_sid, exc.message)

    def step_failure(self, step, exc):
        verb = {'create': 'buy', 'update': 'update', 'delete': 'release'}[step.verb]
        return 'Could not %s ExoPhone %s in account %s: %s' % (verb, self.label(step.subject), self.client.account_sid,
                                                               exc.message)

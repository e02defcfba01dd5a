# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The handlers of the ExoPhone API (``/v2_beta/Accounts/{sid}/...``); its state is in ``models.Store``.

What each endpoint accepts and answers is in "ExoPhones" in docs/docsite/rst/api_reference.rst.
Answers are bare JSON (no envelope); errors are ``RestException`` bodies (``exceptions.RestError``).
What comes before a handler (auth, rate limit, form body) is in ``beta.py``.
"""

import re
import secrets
import urllib.parse

from . import urls
from .envelopes import Response
from .exceptions import RestError
from .models import EXOPHONE_KEYS, exophone
from .responses import Api
from .validation import E164_RE

NUMBER_TYPES = ('Landline', 'Mobile', 'TollFree')
# What PUT accepts (POST takes PhoneNumber too), and the field each one sets.
WRITABLE = {'FriendlyName': 'friendly_name', 'VoiceUrl': 'voice_url', 'SMSUrl': 'sms_url'}
COUNTRY_NAMES = {'IN': 'India', 'SG': 'Singapore', 'MY': 'Malaysia', 'ID': 'Indonesia'}
DEFAULT_PAGE_SIZE = 50
URL_RE = re.compile(r'^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[^\s]*)?$')


def check_url(name, value):
    if not value or len(value) > 2048 or not URL_RE.match(value):
        raise RestError(400, 'INVALID_PARAMETER', '%s must be an http or https URL' % name)


def check_form(form, allowed):
    """The fields a form sets (``WRITABLE`` names only); an unknown parameter or a bad value is a 400."""
    unknown = sorted(k for k in form if k not in allowed)
    if unknown:
        raise RestError(400, 'INVALID_PARAMETER', 'Unknown parameter %s' % ', '.join(unknown))
    changes = {}
    for name, field in WRITABLE.items():
        if name not in form:
            continue
        value = form[name]
        if name == 'FriendlyName':
            if not value.strip() or len(value) > 64:
                raise RestError(400, 'INVALID_PARAMETER', 'FriendlyName must be 1 to 64 characters')
        else:
            check_url(name, value)
        changes[field] = value
    return changes


class ExoPhoneApi(Api):
    """The ExoPhone endpoints: bare JSON answers, ``RestException`` errors (``Api`` gives the dispatch)."""

    ROUTES = urls.BETA_ROUTES
    Error = RestError

    @staticmethod
    def error(kind, description):
        return {'not_found': RestError(404, 'NOT_FOUND', description),
                'invalid': RestError(400, 'INVALID_PARAMETER', description)}[kind]

    @staticmethod
    def answer_error(req, exc):
        return Response(exc.status, exc.body())

    def numbers(self, req):
        return self.store.exophones.setdefault(req.account_sid, [])

    def find(self, req, sid):
        for item in self.numbers(req):
            if item['sid'] == sid:
                return item
        raise RestError(404, 'NOT_FOUND', 'ExoPhone %s not found' % sid)

    @staticmethod
    def public(item):
        first = [k for k in EXOPHONE_KEYS if k in item]
        return dict([(k, item[k]) for k in first] + [(k, v) for k, v in item.items() if k not in first and k != 'offer'])

    # ---- IncomingPhoneNumbers -------------------------------------------------------------

    def list_numbers(self, req):
        page = self._int_arg(req, 'Page', 0, 0)
        size = min(self._int_arg(req, 'PageSize', DEFAULT_PAGE_SIZE, 1), self.emu.config['max_page_size'])
        items = self.numbers(req)

        def uri(number):
            return '%s?Page=%d&PageSize=%d' % (req.path, number, size)

        payload = {'page': page, 'page_size': size, 'uri': uri(page), 'first_page_uri': uri(0),
                   'next_page_uri': uri(page + 1) if (page + 1) * size < len(items) else None,
                   'previous_page_uri': uri(page - 1) if page > 0 else None,
                   'incoming_phone_numbers': [self.public(i) for i in items[page * size:(page + 1) * size]]}
        if self.emu.config['exophones_omit_next_page_uri']:
            for key in ('uri', 'first_page_uri', 'next_page_uri', 'previous_page_uri'):
                del payload[key]
        return Response(200, payload)

    def get_number(self, req, sid):
        return Response(200, self.public(self.find(req, sid)))

    def update_number(self, req, sid):
        item = self.find(req, sid)
        item.update(check_form(req.body, WRITABLE), date_updated=self.store.now())
        return Response(200, self.public(item))

    def purchase(self, req):
        form = req.body
        phone = form.get('PhoneNumber')
        if not phone:
            raise RestError(400, 'MISSING_PARAMETER', 'PhoneNumber is mandatory')
        if not E164_RE.match(phone):
            raise RestError(400, 'INVALID_PARAMETER', 'Invalid PhoneNumber %s' % phone)
        changes = check_form(form, set(WRITABLE) | {'PhoneNumber'})
        offers = [o for o in self.store.available if o['phone_number'] == phone]
        if not offers:
            raise RestError(400, 'NOT_AVAILABLE', 'PhoneNumber %s is not available' % phone)
        offer = offers[0]
        self.store.available.remove(offer)
        now = self.store.now()
        item = exophone(dict(sid=secrets.token_hex(16), phone_number=phone, friendly_name=phone, capabilities=offer['capabilities'],
                             country=offer['country'], region=offer['region'], date_created=now), now)
        item.update(changes)
        item['offer'] = offer
        self.numbers(req).append(item)
        answer = self.public(item)
        answer.update(rental_price=offer['rental_price'], currency=offer.get('currency', 'INR'))
        return Response(200, answer)

    def release(self, req, sid):
        item = self.find(req, sid)
        self.numbers(req).remove(item)
        self.store.available.append(item.get('offer') or {
            'phone_number': item['phone_number'], 'friendly_name': item['phone_number'], 'capabilities': item['capabilities'],
            'country': item['country'], 'region': item['region'], 'number_type': 'Landline', 'rental_price': '0.000000'})
        for record in self.store.account_trunks(req.account_sid):
            record['phone-numbers'] = [m for m in record['phone-numbers'] if m['phone_number'] != item['phone_number']]
        return Response(202, {'Status': 202, 'Message': 'Accepted'})

    # ---- AvailablePhoneNumbers ------------------------------------------------------------

    def countries(self, req):
        codes = sorted(set(o['country'] for o in self.store.available))
        return Response(200, {'uri': req.path, 'countries': [
            {'country_code': c, 'country': COUNTRY_NAMES.get(c, c), 'uri': '%s/%s' % (req.path, c)} for c in codes]})

    def available(self, req, country, number_type):
        if number_type not in NUMBER_TYPES:
            raise RestError(404, 'NOT_FOUND', 'No such number type %s (Landline, Mobile or TollFree)' % number_type)
        contains = req.arg('Contains')
        region = req.arg('InRegion')
        sms = (req.arg('IncomingSMS') or '').lower() == 'true'
        found = [dict(o) for o in self.store.available if o['country'] == country and o['number_type'] == number_type
                 and (not contains or contains in o['phone_number']) and (not region or o['region'] == region)
                 and (not sms or o['capabilities'].get('sms'))]
        return Response(200, found[:self._int_arg(req, 'PageSize', len(found) or 1, 1)])


def parse_form(raw):
    """A form-encoded body as a dict (the last value of a repeated name), or None when it cannot be read."""
    try:
        text = raw.decode('utf-8')
        return {k: v[-1] for k, v in urllib.parse.parse_qs(text, keep_blank_values=True, strict_parsing=bool(text)).items()}
    except (UnicodeDecodeError, ValueError):
        return None

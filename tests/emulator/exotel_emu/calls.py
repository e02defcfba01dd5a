# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The handlers of the Calls API (``/v1/Accounts/{sid}/Calls.json`` and ``/Calls/{CallSid}.json``).

What they accept and answer is in "Calls" in docs/docsite/rst/api_reference.rst; the records come
from the call world in ``traffic.py``. Errors are ``{"RestException": {"Status", "Message"}}``.
What comes before a handler (auth, rate limit) is in ``v1.py``.
"""

import re
import urllib.parse

from . import urls
from .envelopes import Response
from .exceptions import RestError
from .responses import Api
from .traffic import DIRECTIONS, STATUSES, e164, parse_shown_time

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 100
MAX_NUMBERS = 5
MAX_SIDS = 100
MAX_RANGE_SECONDS = 31 * 86400
MAX_AGE_SECONDS = 183 * 86400
FILTERS = ('DateCreated', 'To', 'From', 'PhoneNumber', 'Status', 'Direction', 'Duration', 'Price', 'Sid', 'SortBy')
CURSORS = ('Before', 'After')
PARAMETERS = FILTERS + CURSORS + ('PageSize', 'details')
RANGE_PART_RE = re.compile(r'^(gte|lte|eq):(.+)$')


def bad(message):
    return RestError(400, None, message)


def ranges(name, text, parse):
    """``{operator: value}`` of ``gte:A;lte:B`` or ``eq:A`` (each value through ``parse``); 400 otherwise."""
    found = {}
    for part in text.split(';'):
        match = RANGE_PART_RE.match(part.strip())
        if not match or match.group(1) in found:
            raise bad('Invalid %s %r: expected gte:VALUE;lte:VALUE or eq:VALUE' % (name, text))
        try:
            found[match.group(1)] = parse(match.group(2).strip())
        except ValueError:
            raise bad('Invalid %s %r: a value is not of the documented form' % (name, text)) from None
    if 'eq' in found and len(found) > 1:
        raise bad('Invalid %s %r: eq cannot be combined with gte or lte' % (name, text))
    return found


def seconds(text):
    if not re.match(r'^[0-9]+s$', text):
        raise ValueError(text)
    return int(text[:-1])


def within(value, bounds):
    if value is None:
        return False
    value = float(value)
    return (('eq' not in bounds or value == bounds['eq']) and ('gte' not in bounds or value >= bounds['gte'])
            and ('lte' not in bounds or value <= bounds['lte']))


class CallsApi(Api):
    """The Calls endpoints on the emulator's call world (``emulator.traffic``); ``Api`` gives the dispatch."""

    ROUTES = urls.V1_ROUTES
    Error = RestError

    @staticmethod
    def error(kind, description):
        if kind == 'not_found':
            return RestError(404, None, description + ' (only the JSON form, with the .json suffix, is emulated)')
        return bad(description)

    @staticmethod
    def answer_error(req, exc):
        return Response(exc.status, exc.body())

    @property
    def traffic(self):
        return self.emu.traffic

    # ---- filters ----------------------------------------------------------------------------

    @staticmethod
    def numbers(req, name):
        value = req.arg(name)
        if value is None:
            return None
        given = [n.strip() for n in value.split(',') if n.strip()]
        if not given:
            raise bad('Invalid %s: no number given' % name)
        if len(given) > MAX_NUMBERS:
            raise bad('%s takes at most %d numbers, got %d' % (name, MAX_NUMBERS, len(given)))
        found = [e164(n) for n in given]
        if None in found:
            raise bad('Invalid %s %s: expected E.164 (+918040264208) or national (08040264208) numbers'
                      % (name, given[found.index(None)]))
        return set(found)

    def window(self, req, now):
        """(earliest, latest) shown epoch seconds of DateCreated; the last 31 days by default."""
        text = req.arg('DateCreated')
        if text is None:
            return now - MAX_RANGE_SECONDS, now
        bounds = ranges('DateCreated', text, parse_shown_time)
        if 'eq' in bounds:
            raise bad('Invalid DateCreated %r: use gte: and lte:' % text)
        low, high = bounds.get('gte'), bounds.get('lte', now)
        low = high - MAX_RANGE_SECONDS if low is None else low
        if low > high:
            raise bad('Invalid DateCreated %r: gte is after lte' % text)
        if high - low > MAX_RANGE_SECONDS:
            raise bad('Invalid DateCreated %r: a range may span at most one month' % text)
        if low < now - MAX_AGE_SECONDS:
            raise bad('Invalid DateCreated %r: at most 6 months back' % text)
        return low, high

    def matcher(self, req, now):
        """A predicate on shown records, from the request's filters (each checked first)."""
        unknown = sorted(k for k in req.query if k not in PARAMETERS)
        if unknown:
            raise bad('Unknown parameter %s' % ', '.join(unknown))
        low, high = self.window(req, now)
        to, from_, exophones = self.numbers(req, 'To'), self.numbers(req, 'From'), self.numbers(req, 'PhoneNumber')
        status, direction = req.arg('Status'), req.arg('Direction')
        if status is not None and status not in STATUSES:
            raise bad('Invalid Status %s (one of %s)' % (status, ', '.join(STATUSES)))
        if direction is not None and direction not in DIRECTIONS:
            raise bad('Invalid Direction %s (one of %s)' % (direction, ', '.join(DIRECTIONS)))
        duration = None if req.arg('Duration') is None else ranges('Duration', req.arg('Duration'), seconds)
        price = None if req.arg('Price') is None else ranges('Price', req.arg('Price'), float)
        sids = None
        if req.arg('Sid') is not None:
            sids = set(s.strip() for s in req.arg('Sid').split(',') if s.strip())
            if not sids or len(sids) > MAX_SIDS:
                raise bad('Sid takes 1 to %d call SIDs' % MAX_SIDS)

        def match(record):
            created = parse_shown_time(record['DateCreated'])
            return (low <= created <= high and (to is None or e164(record['To']) in to)
                    and (from_ is None or e164(record['From']) in from_)
                    and (exophones is None or e164(record['PhoneNumberSid']) in exophones)
                    and (status is None or record['Status'] == status)
                    and (direction is None or record['Direction'] == direction)
                    and (duration is None or within(record['Duration'], duration))
                    and (price is None or within(record['Price'], price))
                    and (sids is None or record['Sid'] in sids))
        return match

    # ---- endpoints --------------------------------------------------------------------------

    def list_calls(self, req):
        traffic = self.traffic
        world_now, shift = traffic.world.now(), traffic.world.shift()
        match = self.matcher(req, world_now + shift)
        sort = req.arg('SortBy') or 'DateCreated:desc'
        if sort not in ('DateCreated:asc', 'DateCreated:desc'):
            raise bad('Invalid SortBy %s (DateCreated:asc or DateCreated:desc)' % sort)
        size = min(self._int_arg(req, 'PageSize', DEFAULT_PAGE_SIZE, 1), MAX_PAGE_SIZE, self.emu.config['max_page_size'])
        calls = [c for c in traffic.calls if c['account_sid'] == req.account_sid and traffic.phase(c, world_now) != 'ongoing']
        descending = sort.endswith(':desc')
        calls.sort(key=self.sort_key, reverse=descending)
        shown = [(c, traffic.record(c, world_now, shift)) for c in calls]
        listed = [(c, r) for c, r in shown if match(r)]
        start, end = self.cursor_slice(req, [self.sort_key(call) for call, dummy in listed], descending, size)
        records = [record for dummy, record in listed]
        page = records[start:end]
        filters = [(k, req.arg(k)) for k in FILTERS if req.arg(k) is not None] + [('PageSize', str(size))]

        def uri(extra=()):
            return '%s?%s' % (req.path, urllib.parse.urlencode(filters + list(extra), quote_via=urllib.parse.quote))
        last_next = '' if self.emu.config.get('calls_blank_next_page_uri') else None
        metadata = {'Total': len(records), 'PageSize': size, 'FirstPageUri': uri(),
                    'PrevPageUri': uri([('Before', page[0]['Sid'])]) if page and start > 0 else None,
                    'NextPageUri': uri([('After', page[-1]['Sid'])]) if page and end < len(records) else last_next}
        return Response(200, {'Metadata': metadata, 'Calls': page})

    @staticmethod
    def sort_key(call):
        return call['created'], call['seq']

    def cursor_slice(self, req, keys, descending, size):
        """(start, end) of the page in ``keys`` (sorted): after the ``After`` call, before the ``Before`` call, or the first.

        A cursor is a call SID of the account; the page starts next to where that call sorts, so a
        cursor still works when its call has meanwhile left the window.
        """
        after, before = req.arg('After'), req.arg('Before')
        if after is not None and before is not None:
            raise bad('Give Before or After, not both')
        cursor = after if after is not None else before
        if cursor is None:
            return 0, size
        call = next((c for c in self.traffic.calls if c['sid'] == cursor and c['account_sid'] == req.account_sid), None)
        if call is None:
            raise bad('Invalid %s %s: not a call of this account' % ('After' if after is not None else 'Before', cursor))
        key = self.sort_key(call)
        # The position where ``key`` sorts among ``keys``: the first key past it in the list's order.
        position = next((i for i, k in enumerate(keys) if (k < key if descending else k > key) or k == key), len(keys))
        if after is not None:
            start = position + 1 if position < len(keys) and keys[position] == key else position
            return start, start + size
        return max(0, position - size), position

    def get_call(self, req, sid):
        traffic = self.traffic
        for call in traffic.calls:
            if call['sid'] == sid and call['account_sid'] == req.account_sid:
                record = traffic.record(call)
                if (req.arg('details') or '').lower() == 'true':
                    record['Details'] = self.details(call, record)
                return Response(200, {'Call': record})
        raise RestError(404, None, 'Call %s not found' % sid)

    @staticmethod
    def details(call, record):
        """``Details`` of ``details=true``: one leg (the caller) for a call that was not answered, two otherwise."""
        final = record['EndTime'] is not None
        answered = call['status'] == 'completed'
        leg2 = ('completed' if answered else None) if final else None
        return {'ConversationDuration': call['duration'] if final else None, 'Leg1Status': call['status'] if final else None,
                'Leg2Status': leg2, 'Legs': []}

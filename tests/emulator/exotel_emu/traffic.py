# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The call world of the Calls API (v1): inbound calls placed by traffic streams, their outcomes and records.

State only (moto's "models"); the endpoints that read it are in ``calls.py``, its admin calls in
``calls_admin.py``. How it behaves is described in tests/emulator/README.md ("Calls and traffic").

- ``WorldClock``: the call world's time, which runs ``factor`` times as fast as the emulator's
  clock while its present stays the emulator's present (the past is compressed behind it).
- Routes: a call's route is decided when it is placed, from how its number is routed at that
  moment (the trunk mapping's mode, the ExoPhone's flow); each route has a health (the share of
  calls that fail, are busy, go unanswered or are cancelled, and how long answered calls last).
- ``Traffic``: the streams, the call records, and ``advance()``, which places every call whose
  time has come. The emulator calls it before each API request, so a routing change made by a
  request affects exactly the calls placed after it.
"""

import calendar
import re
import secrets
import time

IST_OFFSET = 19800  # Exotel's timestamps carry no zone; IST (+05:30) is assumed.
STATUSES = ('queued', 'ringing', 'in-progress', 'completed', 'failed', 'busy', 'no-answer', 'canceled')
DIRECTIONS = ('inbound', 'outbound-dial', 'outbound-api')
# The outcomes a route's health gives shares of; ``completed`` takes what is left.
OUTCOMES = ('failed', 'busy', 'no-answer', 'canceled')
# Seconds a call rings before it ends (or is answered), by outcome.
RING_SECONDS = {'completed': 5, 'failed': 0, 'busy': 3, 'no-answer': 30, 'canceled': 10}
DEFAULT_DURATION = (30, 180)
# Seconds (call-world time) after a call ends before Duration, Price and EndTime are filled in.
DEFAULT_FINAL_AFTER = 120
UNROUTED = 'unrouted'
MAX_CALLS = 50000
NUMBER_FORMS = ('national', 'e164')
VALUE_TYPES = ('string', 'number', 'mixed')
E164_RE = re.compile(r'^\+[1-9][0-9]{7,14}$')
APP_ID_RE = re.compile(r'/([0-9]+)/?$')


def shown_time(ts):
    """``YYYY-MM-DD HH:MM:SS`` in IST, without a zone, as Exotel writes its timestamps."""
    return time.strftime('%Y-%m-%d %H:%M:%S', time.gmtime(ts + IST_OFFSET))


def parse_shown_time(text):
    """Epoch seconds of a zone-less IST timestamp; ValueError when it has another form."""
    return calendar.timegm(time.strptime(text, '%Y-%m-%d %H:%M:%S')) - IST_OFFSET


def e164(number):
    """The E.164 form of a number given in E.164 or Indian national form (``0`` and 10 digits), else None."""
    number = (number or '').strip()
    if E164_RE.match(number):
        return number
    if re.match(r'^0[1-9][0-9]{9}$', number):
        return '+91' + number[1:]
    return None


def national(number):
    """An Indian E.164 number in national form (``+918040264208`` -> ``08040264208``); others unchanged."""
    return '0' + number[3:] if number.startswith('+91') and len(number) == 13 else number


def app_id(url):
    match = APP_ID_RE.search(url or '')
    return match.group(1) if match else None


class WorldClock:
    """The call world's time: ``factor`` times as fast as ``clock``; ``shift()`` maps it onto the emulator's present."""

    def __init__(self, clock):
        self.clock = clock
        self.factor = 1.0
        self.real_anchor = self.world_anchor = clock()

    def now(self):
        return self.world_anchor + self.factor * (self.clock() - self.real_anchor)

    def set_factor(self, factor):
        now = self.now()
        self.real_anchor, self.world_anchor, self.factor = self.clock(), now, float(factor)

    def shift(self):
        """What to add to a call-world time to show it (the world's present is shown as the emulator's present)."""
        return self.clock() - self.now()


def check_health(name, health):
    """A route's health with its defaults; ValueError naming the route and the field."""
    if not isinstance(health, dict):
        raise ValueError('routes.%s must be an object such as {"failed": 0.4}' % name)
    unknown = sorted(set(health) - set(OUTCOMES) - {'duration'})
    if unknown:
        raise ValueError('routes.%s: unknown field %s (known: %s, duration)' % (name, ', '.join(unknown), ', '.join(OUTCOMES)))
    checked = {}
    for outcome in OUTCOMES:
        share = health.get(outcome, 0)
        if isinstance(share, bool) or not isinstance(share, (int, float)) or not 0 <= share <= 1:
            raise ValueError('routes.%s.%s must be a share from 0 to 1' % (name, outcome))
        checked[outcome] = float(share)
    if sum(checked.values()) > 1 + 1e-9:
        raise ValueError('routes.%s: the shares of %s add up to more than 1' % (name, ', '.join(OUTCOMES)))
    duration = health.get('duration', list(DEFAULT_DURATION))
    if not (isinstance(duration, list) and len(duration) == 2 and all(isinstance(d, int) and not isinstance(d, bool)
                                                                      for d in duration) and 1 <= duration[0] <= duration[1]):
        raise ValueError('routes.%s.duration must be [min, max] whole seconds, 1 <= min <= max' % name)
    checked['duration'] = list(duration)
    return checked


def default_health(route):
    health = check_health(route, {})
    if route == UNROUTED:
        health['failed'] = 1.0
    return health


def route_of(store, account_sid, number):
    """The keys to look a call's route health up by, most specific first, for a call to ``number`` now."""
    exophone = next((e for e in store.exophones.get(account_sid, []) if e['phone_number'] == number), None)
    app = app_id(exophone.get('voice_url')) if exophone else None
    for record in store.account_trunks(account_sid):
        for item in record['phone-numbers']:
            if item['phone_number'] == number:
                if item['mode'] == 'flow':
                    return ['flow:%s' % app, 'flow'] if app else ['flow']
                return ['pstn']
    return ['app:%s' % app, 'unmapped'] if app else [UNROUTED]


class Traffic:
    """Streams of inbound calls and the records they leave, in call-world time (``self.world``)."""

    def __init__(self, clock):
        self.world = WorldClock(clock)
        self.final_after = DEFAULT_FINAL_AFTER
        self.number_form = 'national'
        self.value_type = 'string'
        self.routes = {}
        self.credit = {}
        self.streams = []
        self.calls = []
        self.next_seq = 1
        self.next_stream = 1

    # ---- settings ---------------------------------------------------------------------------

    def health(self, keys):
        """(route name, health) of the first of ``keys`` with a health set, else the last key's default."""
        for key in keys:
            if key in self.routes:
                return key, self.routes[key]
        return keys[-1], default_health(keys[-1])

    def settings(self):
        return {'clock_factor': self.world.factor, 'final_after': self.final_after, 'number_form': self.number_form,
                'value_type': self.value_type, 'routes': dict(self.routes), 'now': shown_time(self.world.clock())}

    def configure(self, body):
        """Apply ``PUT /_emulator/traffic``: clock_factor, final_after, number_form, value_type, routes.

        Place the calls that are due first (``advance``): a new factor or health applies from now on.
        """
        if not isinstance(body, dict):
            raise ValueError('traffic settings must be a JSON object')
        known = ('clock_factor', 'final_after', 'number_form', 'value_type', 'routes')
        unknown = sorted(set(body) - set(known))
        if unknown:
            raise ValueError('unknown traffic setting %s (known: %s)' % (', '.join(unknown), ', '.join(known)))
        factor = body.get('clock_factor', self.world.factor)
        if isinstance(factor, bool) or not isinstance(factor, (int, float)) or not 0 < factor <= 100000:
            raise ValueError('clock_factor must be a number greater than 0 (at most 100000)')
        final_after = body.get('final_after', self.final_after)
        if isinstance(final_after, bool) or not isinstance(final_after, int) or final_after < 0:
            raise ValueError('final_after must be whole seconds, 0 or more')
        for key, choices in (('number_form', NUMBER_FORMS), ('value_type', VALUE_TYPES)):
            if key in body and body[key] not in choices:
                raise ValueError('%s must be one of %s' % (key, ', '.join(choices)))
        routes = body.get('routes') or {}
        if not isinstance(routes, dict):
            raise ValueError('routes must be an object: route name -> health or null')
        checked = {name: None if health is None else check_health(name, health) for name, health in routes.items()}
        self.world.set_factor(factor)
        self.final_after = final_after
        self.number_form = body.get('number_form', self.number_form)
        self.value_type = body.get('value_type', self.value_type)
        for name, health in checked.items():
            if health is None:
                self.routes.pop(name, None)
            else:
                self.routes[name] = health
        return self.settings()

    # ---- streams ----------------------------------------------------------------------------

    def add_stream(self, store, body):
        """A stream from ``POST /_emulator/traffic/streams`` (see the README); ValueError names the bad field."""
        if not isinstance(body, dict):
            raise ValueError('a stream must be a JSON object')
        account_sid = body.get('account_sid') or next(iter(store.accounts))
        if account_sid not in store.accounts:
            raise ValueError('account_sid %s is not an account of the fixture' % account_sid)
        numbers = body.get('numbers')
        if not isinstance(numbers, list) or not numbers or not all(isinstance(n, str) and E164_RE.match(n) for n in numbers):
            raise ValueError('numbers must be a non-empty list of E.164 numbers such as "+918040264209"')
        known = set(e['phone_number'] for e in store.exophones.get(account_sid, []))
        known.update(m['phone_number'] for r in store.account_trunks(account_sid) for m in r['phone-numbers'])
        unknown = [n for n in numbers if n not in known]
        if unknown:
            raise ValueError('%s is neither an ExoPhone of %s nor mapped to one of its trunks' % (unknown[0], account_sid))
        rate = body.get('calls_per_minute')
        if isinstance(rate, bool) or not isinstance(rate, (int, float)) or not 0 < rate <= 6000:
            raise ValueError('calls_per_minute must be a number greater than 0 (at most 6000): calls to each number per minute')
        limits = {}
        for key in ('count', 'minutes', 'backfill_minutes'):
            value = body.get(key)
            if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0
                                      or (key == 'count' and (not isinstance(value, int) or value < 1))):
                raise ValueError('%s must be %s' % (key, 'a whole number of at least 1' if key == 'count' else 'minutes, 0 or more'))
            limits[key] = value
        start = self.world.now() - 60 * (limits['backfill_minutes'] or 0)
        stream = {'id': self.next_stream, 'account_sid': account_sid, 'numbers': list(numbers),
                  'calls_per_minute': rate, 'next': start, 'left': limits['count'],
                  'until': None if limits['minutes'] is None else start + 60 * limits['minutes'], 'placed': 0}
        self.next_stream += 1
        self.streams.append(stream)
        self.advance(store)
        return self.stream_view(stream)

    def stream_view(self, stream):
        shift = self.world.shift()
        return {'id': stream['id'], 'account_sid': stream['account_sid'], 'numbers': list(stream['numbers']),
                'calls_per_minute': stream['calls_per_minute'], 'placed': stream['placed'],
                'count_left': stream['left'], 'active': self.active(stream),
                'until': None if stream['until'] is None else shown_time(stream['until'] + shift)}

    @staticmethod
    def active(stream):
        return stream['left'] != 0 and (stream['until'] is None or stream['next'] <= stream['until'])

    def stop_streams(self, stream_id=None):
        kept = [s for s in self.streams if stream_id is not None and s['id'] != stream_id]
        stopped = len(self.streams) - len(kept)
        self.streams = kept
        return stopped

    # ---- placing calls ----------------------------------------------------------------------

    def advance(self, store):
        """Place every call of every stream whose time has come, in time order; returns how many were placed."""
        now = self.world.now()
        placed = 0
        while True:
            due = [s for s in self.streams if self.active(s) and s['next'] <= now]
            if not due:
                return placed
            stream = min(due, key=lambda s: (s['next'], s['id']))
            for number in stream['numbers']:
                self.place(store, stream['account_sid'], number, stream['next'])
                placed += 1
            stream['placed'] += 1
            stream['next'] += 60.0 / stream['calls_per_minute']
            if stream['left'] is not None:
                stream['left'] -= 1

    def place(self, store, account_sid, number, when):
        """Record one inbound call to ``number`` at call-world time ``when``, its outcome decided by its route now."""
        route, health = self.health(route_of(store, account_sid, number))
        status = self.pick((route, number), health)
        seq = self.next_seq
        self.next_seq += 1
        low, high = health['duration']
        duration = low + (seq * 37) % (high - low + 1) if status == 'completed' else 0
        end = when + RING_SECONDS[status] + duration
        call = {'seq': seq, 'sid': secrets.token_hex(16), 'account_sid': account_sid, 'to': number,
                'from': '+9198%08d' % ((seq * 7919) % 100000000), 'route': route, 'status': status,
                'created': when, 'end': end, 'duration': duration,
                'price': 0.5 * -(-duration // 60), 'direction': 'inbound'}
        self.calls.append(call)
        if len(self.calls) > MAX_CALLS:
            del self.calls[:len(self.calls) - MAX_CALLS]
        return call

    def pick(self, key, health):
        """The outcome of the next call of ``key`` (route, number): shares kept exactly (smooth weighted round robin)."""
        weights = dict((o, health[o]) for o in OUTCOMES)
        weights['completed'] = max(0.0, 1.0 - sum(weights.values()))
        credit = self.credit.setdefault(key, {})
        for outcome, weight in weights.items():
            credit[outcome] = credit.get(outcome, 0.0) + weight
        chosen = max(('completed',) + OUTCOMES, key=lambda o: (credit[o], o == 'completed'))
        credit[chosen] -= 1.0
        return chosen

    # ---- what a call looks like now -----------------------------------------------------------

    def phase(self, call, now=None):
        """``ongoing`` (not listed), ``ended`` (listed, not final) or ``final``."""
        now = self.world.now() if now is None else now
        if now < call['end']:
            return 'ongoing'
        return 'final' if now >= call['end'] + self.final_after else 'ended'

    def value(self, amount, seq, text):
        as_text = self.value_type == 'string' or (self.value_type == 'mixed' and seq % 2 == 0)
        return text if as_text else amount

    def number(self, value):
        return national(value) if self.number_form == 'national' else value

    def record(self, call, now=None, shift=None):
        """The call as the Calls API shows it (the ``Call`` object), at call-world time ``now``."""
        now = self.world.now() if now is None else now
        shift = self.world.shift() if shift is None else shift
        phase = self.phase(call, now)
        status = call['status']
        if phase == 'ongoing':
            status = 'ringing' if now < call['created'] + RING_SECONDS[call['status']] else 'in-progress'
        final = phase == 'final'
        return {
            'Sid': call['sid'], 'ParentCallSid': None, 'DateCreated': shown_time(call['created'] + shift),
            'DateUpdated': shown_time((call['end'] + (self.final_after if final else 0) if phase != 'ongoing'
                                       else call['created']) + shift),
            'AccountSid': call['account_sid'], 'To': self.number(call['to']), 'From': self.number(call['from']),
            'PhoneNumberSid': self.number(call['to']), 'Status': status,
            'StartTime': shown_time(call['created'] + shift), 'EndTime': shown_time(call['end'] + shift) if final else None,
            'Duration': self.value(call['duration'], call['seq'], str(call['duration'])) if final else None,
            'Price': self.value(call['price'], call['seq'], '%.3f' % call['price']) if final else None,
            'Direction': call['direction'], 'AnsweredBy': None, 'ForwardedFrom': None, 'CallerName': None,
            'Uri': '/v1/Accounts/%s/Calls.json/%s' % (call['account_sid'], call['sid']), 'RecordingUrl': None,
        }

    def dump(self):
        """Every call as the emulator holds it (``GET /_emulator/calls``): E.164 numbers, route, phase."""
        now, shift = self.world.now(), self.world.shift()
        return [{'sid': c['sid'], 'account_sid': c['account_sid'], 'to': c['to'], 'from': c['from'], 'route': c['route'],
                 'status': c['status'], 'duration': c['duration'], 'phase': self.phase(c, now),
                 'date_created': shown_time(c['created'] + shift)} for c in self.calls]

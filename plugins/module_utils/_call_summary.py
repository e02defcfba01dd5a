# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

# This module_utils file is internal to exotel.trunking: its name starts with "_" and its
# interface may change without notice. Do not import it from other collections.
"""Call records of Exotel's Calls API (v1) read leniently, callers' numbers masked, and the outcome summary.

No HTTP here: the Calls client fetches the records, this file says what they mean. See "Calls" in
docs/docsite/rst/api_reference.rst for the forms Exotel uses (national or E.164 numbers, durations
as strings or numbers, timestamps without a zone, records that are not final yet).
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import calendar
import datetime
import math
import re
import time

# Exotel writes timestamps without a zone; they are read as India time (+05:30), see the API reference.
IST_OFFSET_SECONDS = 19800
# At most this many numbers in one To, From or PhoneNumber filter (documented).
NUMBERS_PER_REQUEST = 5
# The largest documented PageSize of the bulk call details.
MAX_PAGE_SIZE = 100
ANSWERED = 'completed'
# Ended calls that did not reach anyone: they count against a route. ``canceled`` (the caller hung up
# first) counts in the total but not as a failure.
FAILURE_STATUSES = ('failed', 'busy', 'no-answer')
# The statuses of a call that has ended; the ratios are shares of these calls.
ENDED_STATUSES = (ANSWERED, 'canceled') + FAILURE_STATUSES
E164_RE = re.compile(r'^\+[1-9][0-9]{7,14}$')
NATIONAL_RE = re.compile(r'^0[1-9][0-9]{9}$')
TIME_FORMATS = ('%Y-%m-%d %H:%M:%S', '%Y-%m-%dT%H:%M:%S')
ZONE_RE = re.compile(r'(Z|[+-][0-9]{2}:?[0-9]{2})$')


def _field(raw, *names):
    """The first of ``names`` present in ``raw`` (Exotel's PascalCase first, then other spellings)."""
    for name in names:
        if name in raw:
            return raw[name]
    return None


def e164(number, country_code='91'):
    """``number`` in E.164: as given when it is E.164, ``+<country_code>...`` for a national ``0...`` number,
    ``+`` added to bare international digits; None when empty. Anything else is returned stripped, as given."""
    if number is None:
        return None
    text = re.sub(r'[\s()-]', '', str(number))
    if not text:
        return None
    if E164_RE.match(text):
        return text
    if NATIONAL_RE.match(text):
        return '+%s%s' % (country_code, text[1:])
    if text.isdigit() and text.startswith(country_code) and len(text) == len(country_code) + 10:
        return '+' + text
    return text


def mask_number(number):
    """A caller's number with every digit but the last four replaced by ``X`` (``+91XXXXXX5678``); None stays None."""
    if number is None:
        return None
    text = str(number)
    total = sum(1 for c in text if c.isdigit())
    seen = 0
    masked = []
    for char in text:
        if char.isdigit():
            seen += 1
            masked.append(char if seen > total - 4 else 'X')
        else:
            masked.append(char)
    return ''.join(masked)


def whole_seconds(value):
    """A duration as an int from ``17``, ``17.0``, ``"17"`` or ``"17.0"``; None when empty or not a number."""
    number = decimal(value)
    if number is None or number < 0 or number != int(number):
        return None
    return int(number)


def decimal(value):
    """A number from an int, a float or a numeric string (``"1.500"``); None when empty or not a number."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return value if math.isfinite(value) else None
    try:
        number = float(str(value).strip())
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def epoch(value, zone_offset=IST_OFFSET_SECONDS):
    """Epoch seconds of an Exotel timestamp: ``YYYY-MM-DD HH:MM:SS`` without a zone is read at ``zone_offset``
    seconds east of UTC; an ISO 8601 time with ``Z`` or an offset keeps its own. None when it has no such form."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    offset = zone_offset
    zone = ZONE_RE.search(text)
    if zone:
        text = text[:zone.start()]
        found = zone.group(1)
        if found == 'Z':
            offset = 0
        else:
            sign = -1 if found[0] == '-' else 1
            digits = found[1:].replace(':', '')
            offset = sign * (int(digits[:2]) * 3600 + int(digits[2:]) * 60)
    text = text.split('.')[0]
    for pattern in TIME_FORMATS:
        try:
            return calendar.timegm(time.strptime(text, pattern)) - offset
        except ValueError:
            continue
    return None


def iso_time(seconds, zone_offset=IST_OFFSET_SECONDS):
    """An ISO 8601 time with its offset (``2027-01-15T13:30:00+05:30``) for epoch ``seconds``; None stays None."""
    if seconds is None:
        return None
    zone = datetime.timezone(datetime.timedelta(seconds=zone_offset))
    return datetime.datetime.fromtimestamp(seconds, zone).isoformat()


def parse_record(raw, country_code='91'):
    """A call record of the Calls API as a plain dict, whatever forms Exotel used; None when ``raw`` is not a record.

    Keys: ``sid``, ``to``, ``from`` and ``phone_number`` (E.164 where the number allows), ``status`` and
    ``direction`` (lower case), ``date_created`` and ``end_time`` (epoch seconds or None), ``duration``
    (whole seconds or None), ``price`` (a number or None) and ``final``: False while Exotel has not
    filled in the call's end time or duration yet.
    """
    if not isinstance(raw, dict):
        return None
    status = _field(raw, 'Status', 'status')
    direction = _field(raw, 'Direction', 'direction')
    duration = whole_seconds(_field(raw, 'Duration', 'duration'))
    end_time = epoch(_field(raw, 'EndTime', 'end_time'))
    return {
        'sid': _field(raw, 'Sid', 'sid'),
        'to': e164(_field(raw, 'To', 'to'), country_code),
        'from': e164(_field(raw, 'From', 'from'), country_code),
        'phone_number': e164(_field(raw, 'PhoneNumberSid', 'phone_number_sid', 'PhoneNumber'), country_code),
        'status': status.strip().lower() if isinstance(status, str) else None,
        'direction': direction.strip().lower() if isinstance(direction, str) else None,
        'date_created': epoch(_field(raw, 'DateCreated', 'date_created')),
        'end_time': end_time,
        'duration': duration,
        'price': decimal(_field(raw, 'Price', 'price')),
        'final': end_time is not None and duration is not None,
    }


def number_of(record, numbers):
    """Which of ``numbers`` (E.164) a parsed record belongs to: its ExoPhone, else To, else From; None if none."""
    wanted = set(numbers)
    for key in ('phone_number', 'to', 'from'):
        if record.get(key) in wanted:
            return record[key]
    return None


def public_record(record, reveal_caller_numbers=False):
    """A parsed record as results show it: the caller's number masked unless ``reveal_caller_numbers``.

    The caller is ``from`` of an inbound call and ``to`` of an outbound one; the other side is the account's number.
    """
    inbound = (record.get('direction') or 'inbound') == 'inbound'
    caller_key = 'from' if inbound else 'to'
    shown = {
        'sid': record.get('sid'), 'date_created': iso_time(record.get('date_created')),
        'end_time': iso_time(record.get('end_time')), 'to': record.get('to'), 'from': record.get('from'),
        'phone_number': record.get('phone_number'), 'status': record.get('status'), 'direction': record.get('direction'),
        'duration': record.get('duration'), 'price': record.get('price'), 'final': record.get('final'),
    }
    if not reveal_caller_numbers:
        shown[caller_key] = mask_number(shown[caller_key])
    return shown


def percentile(values, share):
    """The nearest-rank percentile: the smallest value with at least ``share`` of the values at or below it."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(1, int(math.ceil(share * len(ordered)))) - 1]


def median(values):
    """The median (the mean of the two middle values for an even count); None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2.0


def ratio(part, whole):
    return round(part / float(whole), 4) if whole else None


def summarize_records(records):
    """The outcome summary of parsed records.

    ``calls``: all records; ``by_status``: calls per status; ``ended``: calls with an ended status
    (completed, failed, busy, no-answer, canceled); ``answered`` (completed) and ``failed`` (failed, busy,
    no-answer) calls; ``answer_ratio`` and ``failure_ratio``: their shares of the ended calls (None
    without ended calls), rounded to 4 places; ``median_duration`` and ``p90_duration``: seconds of the
    answered calls whose duration is known (nearest-rank p90; None without any); ``not_final``: records
    whose end time or duration Exotel has not filled in yet.
    """
    by_status = {}
    for record in records:
        status = record.get('status') or 'unknown'
        by_status[status] = by_status.get(status, 0) + 1
    ended = sum(n for s, n in by_status.items() if s in ENDED_STATUSES)
    answered = by_status.get(ANSWERED, 0)
    failed = sum(by_status.get(s, 0) for s in FAILURE_STATUSES)
    durations = [r['duration'] for r in records if r.get('status') == ANSWERED and r.get('duration') is not None]
    return {
        'calls': len(records), 'by_status': by_status, 'ended': ended, 'answered': answered, 'failed': failed,
        'answer_ratio': ratio(answered, ended), 'failure_ratio': ratio(failed, ended),
        'median_duration': median(durations), 'p90_duration': percentile(durations, 0.9),
        'not_final': sum(1 for r in records if not r.get('final')),
    }


def summarize(records, numbers):
    """``{'total': summary, 'numbers': {number: summary}}`` of parsed ``records`` for the E.164 ``numbers``.

    Every one of ``numbers`` has an entry (a number without calls has a summary of zeros); a record
    that belongs to none of them is left out, and each record counts once. A record seen twice
    (the same ``sid``, e.g. on two pages while the list moved) counts once.
    """
    numbers = unique(numbers)
    per_number = dict((n, []) for n in numbers)
    seen = set()
    for record in records:
        sid = record.get('sid')
        if sid is not None:
            if sid in seen:
                continue
            seen.add(sid)
        number = number_of(record, numbers)
        if number is not None:
            per_number[number].append(record)
    every = [r for n in numbers for r in per_number[n]]
    return {'total': summarize_records(every), 'numbers': dict((n, summarize_records(per_number[n])) for n in numbers)}


def unique(numbers):
    """``numbers`` without repeats, in their order."""
    seen = set()
    return [n for n in numbers if not (n in seen or seen.add(n))]


def number_groups(numbers, size=NUMBERS_PER_REQUEST):
    """``numbers`` (repeats dropped, order kept) in groups of at most ``size``: one filter each."""
    numbers = unique(numbers)
    return [numbers[i:i + size] for i in range(0, len(numbers), size)]


def request_count(calls_per_group, page_size=MAX_PAGE_SIZE):
    """How many requests reading the groups costs: each group one page at least, one more per further page.

    ``calls_per_group``: how many calls each group of numbers had in the window. The sum over the
    groups of ``max(1, ceil(calls / page_size))``; with no calls at all that is ``ceil(N / 5)`` for N numbers.
    """
    return sum(max(1, int(math.ceil(calls / float(page_size)))) for calls in calls_per_group)

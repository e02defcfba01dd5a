# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

# This module_utils file is internal to exotel.trunking: its name starts with "_" and its
# interface may change without notice. Do not import it from other collections.
"""The Calls API (v1) client: the calls to a list of numbers over a window, read with as few requests as it takes.

``CallsReader`` groups the numbers five at a time (one ``To`` filter each), asks each group for
``DateCreated=gte:...;lte:...`` with ``PageSize=100`` and follows ``Metadata.NextPageUri``; what the
records mean is in ``_call_summary.py``. See "Calls" in docs/docsite/rst/api_reference.rst.

``CallsReader`` talks HTTP only through ``send(path, query) -> JSON object`` (paced, retried, failures
raised as ``ExotelError``): ``send_through(client)`` gives it the Calls API client (``_calls_api.py``).
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import time
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

from ansible_collections.exotel.trunking.plugins.module_utils._call_summary import (
    IST_OFFSET_SECONDS, MAX_PAGE_SIZE, number_groups, parse_record,
)
from ansible_collections.exotel.trunking.plugins.module_utils._answers import json_dumps, pick
from ansible_collections.exotel.trunking.plugins.module_utils._errors import ExotelError

# Exotel keeps call details this far back, and one DateCreated range spans at most this much (documented).
MAX_AGE_SECONDS = 183 * 86400
MAX_RANGE_SECONDS = 31 * 86400
# A server that never clears NextPageUri must not keep a task busy forever.
MAX_PAGES = 10000


class CallWindowError(ValueError):
    """A window of calls that Exotel cannot answer; the message names the option and the expected form."""


def calls_path(account_sid):
    """``/v1/Accounts/{sid}/Calls.json``, the account SID quoted."""
    return '/v1/Accounts/%s/Calls.json' % quote(str(account_sid), safe='')


def shown_time(seconds):
    """Epoch ``seconds`` as Exotel writes times: ``YYYY-MM-DD HH:MM:SS`` in India time, without a zone."""
    return time.strftime('%Y-%m-%d %H:%M:%S', time.gmtime(int(seconds) + IST_OFFSET_SECONDS))


def date_filter(since, until):
    """The ``DateCreated`` filter of the window ``since``..``until`` (epoch seconds, both included)."""
    return 'gte:%s;lte:%s' % (shown_time(since), shown_time(until))


def window(now, since=None, until=None, last=None):
    """(since, until) in epoch seconds from ``last`` minutes before ``now``, or from ``since``/``until``
    (``until`` defaults to ``now``). Raises CallWindowError for a window Exotel cannot answer."""
    if last is not None:
        if since is not None or until is not None:
            raise CallWindowError('last cannot be combined with since or until')
        if last <= 0:
            raise CallWindowError('last must be a number of minutes greater than 0; got %r' % (last,))
        since, until = now - 60 * last, now
    if since is None:
        raise CallWindowError('give last (minutes) or since (and optionally until)')
    until = now if until is None else until
    if since >= until:
        raise CallWindowError('since must be before until')
    if until - since > MAX_RANGE_SECONDS:
        raise CallWindowError('the window from since to until may span at most 31 days (Exotel answers at most one month)')
    if since < now - MAX_AGE_SECONDS:
        raise CallWindowError('since may be at most 183 days back (Exotel keeps call details for about 6 months)')
    return since, until


class CallsReader(object):
    """Reads the calls to numbers over a window through ``send`` (see the module docstring)."""

    def __init__(self, send, account_sid, page_size=MAX_PAGE_SIZE):
        self.send = send
        self.path = calls_path(account_sid)
        self.page_size = page_size
        self.requests = 0

    def read(self, numbers, since, until):
        """Parsed records (``_call_summary.parse_record``) of the calls to ``numbers`` (E.164) from ``since`` to ``until``.

        One walk per group of five numbers; ``self.requests`` counts the requests made.
        """
        records = []
        for group in number_groups(numbers):
            query = {'To': ','.join(group), 'DateCreated': date_filter(since, until), 'PageSize': self.page_size}
            records.extend(self.walk(query))
        return records

    def walk(self, query):
        """The records of every page of one filtered list, following ``Metadata.NextPageUri``.

        Stops on a null, empty or missing ``NextPageUri``, one seen before, a page without calls, or MAX_PAGES.
        """
        filters, path, seen = dict(query), self.path, set()
        found = []
        for dummy in range(MAX_PAGES):
            payload = self.send(path, query)
            self.requests += 1
            calls = pick(payload, 'Calls', 'calls')
            if calls is None and isinstance(payload, dict):
                calls = []
            if not isinstance(calls, list):
                raise ExotelError('Exotel answered GET %s with an answer whose Calls are not a list: %s' % (
                    path, json_dumps(payload)[:200]), method='GET', path=path, unclear=True)
            found.extend(r for r in (parse_record(c) for c in calls) if r is not None)
            meta = pick(payload, 'Metadata', 'metadata')
            next_uri = pick(meta, 'NextPageUri', 'next_page_uri')
            if not calls or not isinstance(next_uri, str) or not next_uri.strip() or next_uri in seen:
                return found
            seen.add(next_uri)
            path, query = self.follow(next_uri, filters), None
        return found

    def follow(self, uri, filters):
        """A server-given page URI as a path on our base URL: only our own ``Calls.json``, never another host.

        The URI is sent as given when it carries every one of ``filters`` (the documented case); a
        filter it lacks is added, so that a next page can never widen the read to other numbers or times.
        """
        parts = urlsplit(uri.strip())
        if not parts.path.endswith(self.path):
            raise ExotelError('Exotel gave a NextPageUri outside this account\'s calls (%s); refusing to follow it.' % uri[:200],
                              method='GET', path=self.path)
        given = parse_qsl(parts.query, keep_blank_values=True)
        missing = [(k, v) for k, v in filters.items() if k not in dict(given)]
        query = urlencode(given + missing) if missing else parts.query
        return self.path + ('?' + query if query else '')


def send_through(client):
    """``send(path, query)`` for ``CallsReader``: GET through the Calls API client of ``client`` (``client.calls``),
    with the one transport's retries and the family's pacer."""
    def send(path, query=None):
        return client.calls.request('GET', path, query=query)
    return send

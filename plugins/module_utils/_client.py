# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

# This module_utils file is internal to exotel.trunking: its name starts with "_" and its
# interface may change without notice. Do not import it from other collections.

"""The one HTTP client of exotel.trunking: ``ExotelClient`` talks to Exotel's two API families.

- the trunk API (``/v2/accounts/{sid}/...``): JSON bodies, answers in the v2 envelope, lists paged
  with ``offset``/``page_size`` and ``metadata.next_page_uri``;
- the ExoPhone API (``/v2_beta/Accounts/{sid}/...``): form-encoded bodies, bare JSON answers,
  ``RestException`` error bodies, lists paged with ``Page``/``PageSize`` and ``next_page_uri``.

Base URL, Basic auth header, quoted paths, the request loop (one retry policy for both families, a
pacer for each, from ``_retries.py``; failures below HTTP worded in ``_transport.py``), answers
checked in ``_envelopes.py``, pagination. It raises ``ExotelError`` (``_errors.py``) and knows
nothing of Ansible modules (``_module.py`` does).
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import base64
import threading
import time

from ansible.module_utils.ansible_release import __version__ as ANSIBLE_VERSION
from ansible.module_utils.six.moves.urllib.parse import parse_qsl, quote, urlencode, urlsplit

from ansible_collections.exotel.trunking.plugins.module_utils._envelopes import Answers, item_data, json_dumps, pick, to_int
from ansible_collections.exotel.trunking.plugins.module_utils._errors import ExotelError
from ansible_collections.exotel.trunking.plugins.module_utils._retries import (
    CONNECT_RETRIES,
    IDEMPOTENT_METHODS,
    RETRY_STATUSES,
    Attempts,
    Pacer,
    WaitBudget,
    backoff,
    give_up,
    jitter,
    retry_after,
    retry_status,
    seconds,
)
from ansible_collections.exotel.trunking.plugins.module_utils._transport import describe_failure, requests

# A copy of galaxy.yml's version (tests/unit/plugins/module_utils/test_collection_version.py keeps them equal).
COLLECTION_VERSION = '0.1.0'
USER_AGENT = 'exotel.trunking/%s ansible-core/%s' % (COLLECTION_VERSION, ANSIBLE_VERSION)

REGION_URLS = {
    'singapore': 'https://api.exotel.com',
    'mumbai': 'https://api.in.exotel.com',
}

# Largest page size we ask for when walking a list (the server may cap it lower).
LIST_PAGE_SIZE = 100
# A server that never clears next_page_uri must not keep a task busy forever.
MAX_PAGES = 10000
# Seconds to wait for a TCP connection (and TLS handshake) before giving up on it; ``timeout`` when
# smaller. An API host answers a connection within milliseconds; waiting longer only delays the error.
CONNECT_TIMEOUT = 5

# Requests of one task in flight at once (a bulk task's parallel writes). A write that waits to be sent
# again holds no slot, so other writes go on meanwhile.
MAX_IN_FLIGHT = 8

# The API families: each has its own rate limit, so its own pacer. A path under BETA_PREFIX belongs
# to the ExoPhone API, any other to the trunk API.
TRUNK_API = 'trunk'
EXOPHONE_API = 'exophones'
BETA_PREFIX = '/v2_beta/'
# Exotel's documented limit for the ExoPhone API: requests per minute per account.
EXOPHONE_RATE_LIMIT = 50


def api_family(path):
    """The API family of a path built by :meth:`ExotelClient.account_path` or :meth:`ExotelClient.beta_path`."""
    return EXOPHONE_API if path.startswith(BETA_PREFIX) else TRUNK_API


class ExotelClient(object):
    """A session against one Exotel account."""

    def __init__(self, account_sid, api_key, api_token, region='singapore', api_url=None, timeout=30,
                 validate_certs=True, retries=5, max_retry_wait=120, rate_limit=200, sleep=None, clock=None,
                 session=None, ca_path=None, exophone_rate_limit=EXOPHONE_RATE_LIMIT):
        self.account_sid = account_sid
        self.region = region
        self.base_url = (api_url or REGION_URLS[region]).rstrip('/')
        self.timeout = timeout
        # requests takes (connect, read): a host that does not accept the connection fails fast.
        self.timeouts = (min(timeout, CONNECT_TIMEOUT), timeout)
        self.validate_certs = validate_certs
        # What requests verifies the server's certificate with: a CA bundle file or directory, or
        # True (certifi, or REQUESTS_CA_BUNDLE from the environment), or False.
        self.verify = ca_path if (validate_certs and ca_path) else bool(validate_certs)
        self.retries = max(0, retries)
        self.max_retry_wait = max(0, max_retry_wait)
        self.sleep = sleep or _sleep
        self.clock = clock or _clock
        self.pacer = Pacer(rate_limit, self.sleep, self.clock)
        # max_retry_wait: the wall time retry waits may add to the task (overlapping waits count once).
        self.wait_budget = WaitBudget(self.max_retry_wait, self.clock)
        # One pacer per API family: the trunk API's (``pacer``, ``rate_limit``) and the ExoPhone API's.
        self.pacers = {TRUNK_API: self.pacer, EXOPHONE_API: Pacer(exophone_rate_limit, self.sleep, self.clock)}
        self._lock = threading.Lock()
        self.in_flight = threading.BoundedSemaphore(MAX_IN_FLIGHT)
        # Per thread: the retry budget of the write being sent (``within``), shared by its requests.
        self._local = threading.local()
        self._secrets = [s for s in (api_token,) if s]
        raw = ('%s:%s' % (api_key, api_token)).encode('utf-8')
        auth_value = base64.b64encode(raw).decode('ascii')
        self._secrets.append(auth_value)
        self.session = session or requests.Session()
        self.session.headers.update({
            'Authorization': 'Basic ' + auth_value,
            'Accept': 'application/json',
            'User-Agent': USER_AGENT,
        })
        region_note = ' (region %s)' % region if self.base_url == REGION_URLS.get(region) else ''
        self.answers = Answers(self.redact, self.base_url + region_note)
        # Counts of what happened, for callers that report it.
        self.stats = {'requests': 0, 'retries': 0, 'waited': 0.0}

    # ------------------------------------------------------------------ helpers

    def _count(self, key, amount):
        with self._lock:
            self.stats[key] += amount

    def redact(self, text):
        """Remove anything secret from a text that may reach the user."""
        text = '' if text is None else str(text)
        for secret in self._secrets:
            text = text.replace(secret, '********')
        return text

    def account_path(self, *segments):
        """``/v2/accounts/{sid}/seg/seg`` with every segment quoted (no path injection)."""
        parts = ['v2', 'accounts', self.account_sid] + [str(s) for s in segments]
        return '/' + '/'.join(quote(p, safe='') for p in parts)

    def beta_path(self, *segments):
        """``/v2_beta/Accounts/{sid}/seg/seg`` (the ExoPhone API) with every segment quoted."""
        parts = ['v2_beta', 'Accounts', self.account_sid] + [str(s) for s in segments]
        return '/' + '/'.join(quote(p, safe='') for p in parts)

    # ------------------------------------------------------------------ requests

    def request(self, method, path, query=None, body=None, form=None):
        """Send one API call (with retries) and return the checked JSON answer.

        ``path`` is an already quoted path from :meth:`account_path` or :meth:`beta_path` (or a
        server-given page URI); it says the API family, and so the pacer and how the answer is
        checked: the trunk API's envelope, or the ExoPhone API's bare JSON (an object or a list;
        ``{}`` for an empty success). ``body`` is sent as JSON, ``form`` form-encoded.
        """
        family = api_family(path)
        url = self.base_url + path
        if query:
            url += ('&' if '?' in url else '?') + urlencode(query)
        shown = path + ('?' + urlencode(query) if query else '')
        headers = {}
        data = None
        if form is not None:
            headers['Content-Type'] = 'application/x-www-form-urlencoded'
            data = urlencode(form)
        elif body is not None:
            headers['Content-Type'] = 'application/json'
            data = json_dumps(body)
        idempotent = method in IDEMPOTENT_METHODS
        attempts = getattr(self._local, 'attempts', None) or Attempts(self.retries)
        connect_failures = 0
        while True:
            self.pacers[family].wait()
            self._count('requests', 1)
            wait = None
            try:
                with self.in_flight:
                    response = self.session.request(method, url, data=data, headers=headers, timeout=self.timeouts,
                                                    verify=self.verify, allow_redirects=False)
            except requests.exceptions.RequestException as exc:
                cause, kind = describe_failure(exc, self.base_url, self.timeouts)
                # kind 'final': a retry cannot help (name not resolved, TLS failure, bad URL).
                # kind 'connect': the request never reached the server (refused, no connection in
                # time): safe to retry for any method, but only a few times.
                # kind 'answer': the server may have acted on it (read timeout, dropped answer).
                failure = self.answers.error('Could not reach Exotel at %s: %s' % (self.base_url, cause), method, shown,
                                             retryable=kind == 'answer', unreachable=True, transient=kind != 'final')
                if kind == 'connect':
                    connect_failures += 1
                if kind == 'final' or (kind == 'answer' and not idempotent) or connect_failures > CONNECT_RETRIES:
                    raise failure
            else:
                try:
                    return self.answers.check(response, method, shown, bare=family == EXOPHONE_API)
                except ExotelError as exc:
                    failure = exc
                # HTTP 429 (or a 200 whose failure body says 429) for any method; 502, 503, 504 only
                # when sending again cannot do more.
                status = retry_status(failure)
                if status not in RETRY_STATUSES or not (idempotent or status == 429):
                    raise failure
                wait = retry_after(response)
            self.pause(attempts, failure, wait)

    def within(self, attempts, send):
        """``send()``, with the retries of every request it makes counted in ``attempts`` (one write's budget)."""
        self._local.attempts = attempts
        try:
            return send()
        finally:
            self._local.attempts = None

    def pause(self, attempts, failure, wait=None):
        """Wait before sending again: backoff, or ``wait`` seconds when the server asked for them.

        Raises ``failure`` instead, noting which budget is spent, when ``attempts`` has no retry left or
        when ``max_retry_wait`` leaves no time for the wait (``WaitBudget``: wall time, overlapping waits
        of parallel writes count once).
        """
        if attempts.spent:
            raise give_up(failure, attempts, 'retries=%d' % attempts.retries)
        left = self.wait_budget.left()
        if wait is not None and wait > left:
            raise give_up(failure, attempts, 'max_retry_wait=%ss' % self.max_retry_wait,
                          'Exotel asked to retry after %ss; max_retry_wait=%ss allows %.0fs more' % (
                              seconds(wait), self.max_retry_wait, left))
        delay = self.wait_budget.take(backoff(attempts.used) if wait is None else jitter(wait))
        if delay is None:
            raise give_up(failure, attempts, 'max_retry_wait=%ss' % self.max_retry_wait)
        self._count('retries', 1)
        self._count('waited', delay)
        self.sleep(delay)
        attempts.used += 1

    # ------------------------------------------------------------------ reading

    def get_object(self, method, path, query=None, body=None):
        """Send a call whose answer is a single-object envelope and return its ``data``."""
        payload = self.request(method, path, query=query, body=body)
        resp = payload.get('response')
        if not isinstance(resp, dict) or 'data' not in resp:
            raise self.answers.error('Exotel answered %s %s with an envelope without response.data: %s' % (
                method, path, self.answers.excerpt(json_dumps(payload))), method, path, request_id=payload.get('request_id'),
                retryable=True)
        return resp.get('data')

    def iter_list(self, path, query=None):
        """Yield the objects of a paginated list, page after page, following ``next_page_uri``.

        Stops on a null/empty next_page_uri, a URI seen before, a page with no items, or MAX_PAGES.
        """
        query = dict(query or {})
        query.setdefault('page_size', LIST_PAGE_SIZE)
        page_path, page_query = path, query
        seen = set()
        for dummy in range(MAX_PAGES):
            payload = self.request('GET', page_path, query=page_query)
            items = payload.get('response')
            if items is None:
                items = []
            if not isinstance(items, list):
                shown = page_path + ('?' + urlencode(page_query) if page_query else '')
                raise self.answers.error('Exotel answered GET %s with a response that is not a list: %s' % (
                    shown, self.answers.excerpt(json_dumps(payload))), 'GET', shown,
                    request_id=payload.get('request_id'), retryable=True)
            for item in items:
                data = item_data(item)
                if data is not None:
                    yield data
            meta = payload.get('metadata')
            next_uri = meta.get('next_page_uri') if isinstance(meta, dict) else None
            if not items or not next_uri or not isinstance(next_uri, str) or next_uri in seen:
                return
            seen.add(next_uri)
            page_path, page_query = self._follow(next_uri, path)

    def _follow(self, uri, list_path):
        """Turn a server-given page URI into a path on our base URL; never follow it to another host."""
        parts = urlsplit(uri)
        prefix = urlsplit(self.base_url).path.rstrip('/')
        page_path = parts.path
        if prefix and page_path.startswith(prefix + '/'):
            page_path = page_path[len(prefix):]
        if not page_path.startswith(self.account_path() + '/'):
            raise self.answers.error('Exotel gave a next_page_uri outside this account (%s); refusing to follow it.' % (
                self.answers.excerpt(uri)), 'GET', list_path)
        return page_path + ('?' + parts.query if parts.query else ''), None

    def iter_pages(self, path, keys, page_size=LIST_PAGE_SIZE):
        """Yield the objects of an ExoPhone API list, page after page (``Page`` from 0, ``PageSize``).

        ``keys``: the names the list's array may have (``incoming_phone_numbers``, ...); a bare
        array is accepted too. The next page is the query of ``next_page_uri`` asked of ``path`` on
        our own base URL (its host and path are never followed). Without ``next_page_uri`` in the
        answer, a full page (as many items as the answer's ``page_size``, else as asked for) means
        there may be another one. Stops on a null/empty ``next_page_uri``, one seen before, a page
        with no items or with only items already seen (a server that ignores ``Page``), or MAX_PAGES.
        """
        query = {'Page': 0, 'PageSize': page_size}
        seen_uris, seen_items = set(), set()
        for dummy in range(MAX_PAGES):
            payload = self.request('GET', path, query=query)
            shown = path + '?' + urlencode(query)
            if isinstance(payload, list):
                items = payload
            elif any(k in payload for k in keys):
                items = pick(payload, *keys)
                items = [] if items is None else items
            elif not payload or pick(payload, 'page', 'page_size', 'Page', 'PageSize') is not None:
                items = []   # no array at all: an empty list
            else:
                items = None
            if not isinstance(items, list):
                raise self.answers.error('Exotel answered GET %s with an answer that is not a list of %s: %s' % (
                    shown, keys[0], self.answers.excerpt(json_dumps(payload))), 'GET', shown, retryable=True)
            fresh = [i for i in items if json_dumps(i) not in seen_items]
            for item in fresh:
                seen_items.add(json_dumps(item))
                yield item
            if not fresh or isinstance(payload, list):
                return
            query = self._next_page_query(payload, query, len(items), seen_uris)
            if query is None:
                return

    @staticmethod
    def _next_page_query(payload, query, count, seen_uris):
        """The query of the page after the one ``payload`` answered to ``query``, or None when it was the last."""
        names = ('next_page_uri', 'NextPageUri', 'nextPageUri')
        next_uri = pick(payload, *names)
        if isinstance(next_uri, str) and next_uri.strip():
            parts = urlsplit(next_uri.strip())
            if not parts.query or next_uri in seen_uris:
                return None
            seen_uris.add(next_uri)
            return dict(parse_qsl(parts.query, keep_blank_values=True))
        if any(name in payload for name in names):
            return None   # present and null: the last page
        size = to_int(pick(payload, 'page_size', 'PageSize', 'pageSize')) or to_int(query.get('PageSize'))
        if size and count >= size:
            page = to_int(query.get('Page')) or 0
            return dict(query, Page=page + 1)
        return None


def _clock():
    """The real clock of waits and pacing; tests replace it with one that only moves when they sleep."""
    return time.monotonic()


def _sleep(seconds_):
    """The real wait between retries; tests replace it (no test ever sleeps)."""
    time.sleep(seconds_)

# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

# This module_utils file is internal to exotel.trunking: its name starts with "_" and its
# interface may change without notice. Do not import it from other collections.

"""The one HTTP client of exotel.trunking, and the glue every module shares.

- ``ExotelClient`` talks to the Exotel trunk API: base URL, Basic auth header, quoted paths,
  retries honouring ``Retry-After``, envelope checking, pagination. It raises ``ExotelError``.
- ``exotel_argument_spec``, ``validate_options``, ``client_from_module`` and ``fail_from_error``
  are what modules use: one argument spec, one input check, one place that turns errors into
  ``fail_json``.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import base64
import collections
import ipaddress
import json
import os
import random
import re
import socket
import ssl
import threading
import time
import traceback

from ansible.module_utils.ansible_release import __version__ as ANSIBLE_VERSION
from ansible.module_utils.basic import env_fallback, missing_required_lib
from ansible.module_utils.six.moves.urllib.parse import quote, urlencode, urlsplit

REQUESTS_IMPORT_ERROR = None
try:
    import requests
except ImportError:
    requests = None
    REQUESTS_IMPORT_ERROR = traceback.format_exc()

try:
    from urllib3.util.retry import Retry as _Urllib3Retry
except ImportError:
    _Urllib3Retry = None

COLLECTION_VERSION = '0.1.0'
USER_AGENT = 'exotel.trunking/%s ansible-core/%s' % (COLLECTION_VERSION, ANSIBLE_VERSION)

REGION_URLS = {
    'singapore': 'https://api.exotel.com',
    'mumbai': 'https://api.in.exotel.com',
}

# The environment variable each connection option falls back to.
ENV_VARS = {
    'account_sid': 'EXOTEL_ACCOUNT_SID',
    'api_key': 'EXOTEL_API_KEY',
    'api_token': 'EXOTEL_API_TOKEN',
    'region': 'EXOTEL_REGION',
    'api_url': 'EXOTEL_API_URL',
}

# Statuses after which a request is tried again (when the method allows it).
RETRY_STATUSES = frozenset((429, 502, 503, 504))
# Backoff: first wait about BACKOFF_BASE seconds, doubling, each wait at most BACKOFF_MAX.
BACKOFF_BASE = 1.0
BACKOFF_MAX = 30.0
# Largest page size we ask for when walking a list (the server may cap it lower).
LIST_PAGE_SIZE = 100
# A server that never clears next_page_uri must not keep a task busy forever.
MAX_PAGES = 10000
# Seconds to wait for a TCP connection (and TLS handshake) before giving up on it; ``timeout`` when
# smaller. An API host answers a connection within milliseconds; waiting longer only delays the error.
CONNECT_TIMEOUT = 5
# A connection that was refused or timed out is tried at most this many more times (within
# ``retries``): a wrong host or port must fail within seconds, not after the whole retry budget.
CONNECT_RETRIES = 2
# The oldest requests without known credential leaks (CVE-2024-47081: .netrc credentials sent to
# another host; CVE-2023-32681: Proxy-Authorization leaked on redirects). Older ones work, with a warning.
REQUESTS_FLOOR = (2, 32, 4)
# Length of a body excerpt quoted in an error message.
EXCERPT_CHARS = 200

SID_RE = re.compile(r'^[A-Za-z0-9_-]{1,64}$')
E164_RE = re.compile(r'^\+[0-9]{8,15}$')
DIGITS_RE = re.compile(r'^[0-9]{1,20}$')
MODES = ('pstn', 'flow')


class ExotelError(Exception):
    """The one error type of the collection. Never holds credentials."""

    def __init__(self, message, http_status=None, error_code=None, error_description=None,
                 request_id=None, method=None, path=None, retryable=False, unreachable=False):
        super(ExotelError, self).__init__(message)
        self.message = message
        self.http_status = http_status
        self.error_code = error_code
        self.error_description = error_description
        self.request_id = request_id
        self.method = method
        self.path = path
        # True when the request may or may not have been acted on (timeouts, 5xx, lost answers).
        self.retryable = retryable
        # True when no HTTP answer came at all (connection refused, name not resolved, TLS failure,
        # timeout): asking the same host another way cannot help.
        self.unreachable = unreachable

    def note(self, text):
        """Append ``text`` to the message (what a re-read or the retry budget showed); returns self."""
        message = self.message.rstrip()
        if message and message[-1] not in '.!?':
            message += '.'
        self.message = '%s %s' % (message, text)
        self.args = (self.message,)
        return self

    def details(self):
        """The structured keys a failed task returns next to ``msg``."""
        return dict(
            http_status=self.http_status,
            error_code=self.error_code,
            error_description=self.error_description,
            request_id=self.request_id,
            method=self.method,
            path=self.path,
        )


def to_int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def item_data(item):
    """The object inside a list item: items are envelopes ``{code, status, data}``; accept bare objects too."""
    if isinstance(item, dict) and isinstance(item.get('data'), dict):
        return item['data']
    if isinstance(item, dict) and 'status' not in item and 'error_data' not in item:
        return item
    return None


class Pacer(object):
    """Client-side pacing: at most ``per_minute`` request starts in any 60-second window.

    Thread-safe, so one task's parallel writes share the account's budget and never cause
    their own HTTP 429s. ``per_minute`` of 0 (or None) turns pacing off.
    """

    WINDOW = 60.0

    def __init__(self, per_minute, sleep, clock):
        self.per_minute = per_minute or 0
        self.sleep = sleep
        self.clock = clock
        self.starts = collections.deque()
        self.lock = threading.Lock()
        self.waited = 0.0

    def wait(self):
        if self.per_minute <= 0:
            return
        while True:
            with self.lock:
                now = self.clock()
                while self.starts and self.starts[0] <= now - self.WINDOW:
                    self.starts.popleft()
                if len(self.starts) < self.per_minute:
                    self.starts.append(now)
                    return
                delay = self.starts[0] + self.WINDOW - now
                self.waited += delay
            self.sleep(delay)


class ExotelClient(object):
    """A session against one Exotel account."""

    def __init__(self, account_sid, api_key, api_token, region='singapore', api_url=None, timeout=30,
                 validate_certs=True, retries=5, max_retry_wait=120, rate_limit=200, sleep=None, clock=None,
                 session=None, ca_path=None):
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
        self.clock = clock or time.monotonic
        self.pacer = Pacer(rate_limit, self.sleep, self.clock)
        self._lock = threading.Lock()
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

    def _error(self, message, method, path, **kwargs):
        return ExotelError(self.redact(message), method=method, path=path, **kwargs)

    def _excerpt(self, text):
        text = re.sub(r'\s+', ' ', self.redact(text or '')).strip()
        if len(text) > EXCERPT_CHARS:
            text = text[:EXCERPT_CHARS] + '...'
        return text or '(empty body)'

    def _retry_after(self, response):
        """Seconds the server asked us to wait, or None."""
        value = response.headers.get('Retry-After')
        if not value:
            return None
        if _Urllib3Retry is not None:
            try:
                return max(0.0, float(_Urllib3Retry().parse_retry_after(value)))
            except Exception:  # pylint: disable=broad-except
                return None
        seconds = to_int(value.strip())
        return None if seconds is None else max(0.0, float(seconds))

    def _backoff(self, attempt):
        ceiling = min(BACKOFF_MAX, BACKOFF_BASE * (2 ** attempt))
        return ceiling / 2 + random.uniform(0, ceiling / 2)

    # ------------------------------------------------------------------ requests

    def request(self, method, path, query=None, body=None):
        """Send one API call (with retries) and return the checked JSON envelope.

        ``path`` is an already quoted path from :meth:`account_path` (or a server-given page URI).
        """
        url = self.base_url + path
        if query:
            url += ('&' if '?' in url else '?') + urlencode(query)
        shown = path + ('?' + urlencode(query) if query else '')
        headers = {}
        data = None
        if body is not None:
            headers['Content-Type'] = 'application/json'
            data = _json_dumps(body)
        # GET, PUT and DELETE are idempotent: repeating them cannot do more than once.
        idempotent = method in ('GET', 'PUT', 'DELETE', 'HEAD')
        attempt = 0
        connect_failures = 0
        while True:
            self.pacer.wait()
            self._count('requests', 1)
            failure = None
            wait = None
            try:
                response = self.session.request(method, url, data=data, headers=headers, timeout=self.timeouts,
                                                verify=self.verify, allow_redirects=False)
            except requests.exceptions.RequestException as exc:
                cause, kind = self._transport_cause(exc)
                # kind 'final': a retry cannot help (name not resolved, TLS failure, bad URL).
                # kind 'connect': the request never reached the server (refused, no connection in
                # time): safe to retry for any method, but only a few times.
                # kind 'answer': the server may have acted on it (read timeout, dropped answer).
                failure = self._error('Could not reach Exotel at %s: %s' % (self.base_url, cause), method, shown,
                                      retryable=kind == 'answer', unreachable=True)
                if kind == 'connect':
                    connect_failures += 1
                if kind == 'final' or attempt >= self.retries or (kind == 'answer' and not idempotent) \
                        or connect_failures > CONNECT_RETRIES:
                    raise failure
            else:
                if response.status_code in RETRY_STATUSES and (idempotent or response.status_code == 429) \
                        and attempt < self.retries:
                    wait = self._retry_after(response)
                    failure = self._response_error(response, method, shown)
                else:
                    return self._check(response, method, shown)
            delay = self._backoff(attempt) if wait is None else wait + random.uniform(0, 1)
            with self._lock:
                left = self.max_retry_wait - self.stats['waited']
            if left <= 0 or (wait is not None and wait > left):
                if wait is not None:
                    failure.note('(Exotel asked to retry after %ss; max_retry_wait=%ss allows %.0fs more)' % (
                        _fmt(wait), self.max_retry_wait, max(0, left)))
                raise failure
            delay = min(delay, left)
            self._count('retries', 1)
            self._count('waited', delay)
            self.sleep(delay)
            attempt += 1

    def _transport_cause(self, exc):
        """What went wrong below HTTP, in plain words, and whether a retry can help.

        Returns ``(text, kind)`` with kind ``final``, ``connect`` or ``answer`` (see :meth:`request`).
        """
        parts = urlsplit(self.base_url)
        host = parts.hostname or self.base_url
        try:
            port = parts.port or (443 if parts.scheme == 'https' else 80)
        except ValueError:
            port = None
        where = '%s:%s' % (host, port) if port else host
        chain = _exception_chain(exc)
        kind_name = type(exc).__name__
        if any(isinstance(e, ssl.SSLCertVerificationError) for e in chain) or 'CERTIFICATE_VERIFY_FAILED' in _chain_text(chain):
            detail = _ssl_detail(chain)
            return ('the TLS certificate of %s could not be verified (%s). If a proxy or a private CA signs it, '
                    'give its CA bundle in ca_path (or REQUESTS_CA_BUNDLE); validate_certs=false only for a test '
                    'server you trust (%s).' % (host, detail, kind_name)), 'final'
        if isinstance(exc, requests.exceptions.SSLError) or any(isinstance(e, ssl.SSLError) for e in chain):
            hint = ''
            if parts.scheme == 'https':
                hint = (' Is it a plain-HTTP server (like the local emulator)? Then api_url must start with '
                        'http://.')
            return 'the TLS handshake with %s failed (%s).%s (%s)' % (where, _ssl_detail(chain), hint, kind_name), 'final'
        text = _chain_text(chain)
        if any(isinstance(e, socket.gaierror) for e in chain) or 'NameResolutionError' in text \
                or re.search(r'Name or service not known|not resolve|name resolution|nodename nor servname|'
                             r'getaddrinfo failed|No address associated', text):
            return ('the host name %s could not be resolved (no such host, or no DNS). Check api_url, or region '
                    'for the Exotel hosts (%s).' % (host, kind_name)), 'final'
        if isinstance(exc, requests.exceptions.ConnectTimeout):
            return ('no connection to %s within %s s: a firewall, a proxy or a wrong host may be in the way '
                    '(%s).' % (where, _fmt(self.timeouts[0]), kind_name)), 'connect'
        if isinstance(exc, requests.exceptions.Timeout):
            return 'no answer within %s s (timeout) (%s).' % (_fmt(self.timeout), kind_name), 'answer'
        if any(isinstance(e, ConnectionRefusedError) for e in chain) or _refused(text):
            return ('the connection to %s was refused: nothing is listening there. Check the host and port of '
                    'api_url (%s).' % (where, kind_name)), 'connect'
        if isinstance(exc, (requests.exceptions.InvalidURL, requests.exceptions.InvalidHeader,
                            requests.exceptions.InvalidSchema, requests.exceptions.MissingSchema)):
            return '%s (%s).' % (_short(exc), kind_name), 'final'
        if any(type(e).__name__ == 'NewConnectionError' for e in chain):
            return 'no connection to %s (%s: %s).' % (where, kind_name, _short(chain[-1])), 'connect'
        return 'the connection failed before an answer arrived (%s: %s).' % (kind_name, _short(chain[-1])), 'answer'

    def _response_error(self, response, method, path):
        """An ExotelError describing an HTTP answer that is not a success."""
        try:
            payload = response.json()
        except ValueError:
            payload = None
        if isinstance(payload, dict):
            return self._envelope_error(payload, response.status_code, method, path)
        return self._error(
            'Exotel answered %s %s with HTTP %s and a body that is not JSON: %s' % (
                method, path, response.status_code, self._excerpt(response.text)),
            method, path, http_status=response.status_code, retryable=response.status_code >= 500)

    def _envelope_error(self, payload, http_status, method, path, reason=None):
        resp = payload.get('response')
        code = description = message = None
        if isinstance(resp, dict):
            err = resp.get('error_data')
            if isinstance(err, dict):
                code = to_int(err.get('code'))
                message = err.get('message')
                description = err.get('description') or message
            body_code = to_int(resp.get('code'))
            if body_code is not None and body_code >= 400 and (http_status is None or http_status < 400):
                http_status_shown = '%s (code %s in the body)' % (http_status, body_code)
            else:
                http_status_shown = str(http_status)
        else:
            http_status_shown = str(http_status)
        request_id = payload.get('request_id')
        parts = ['Exotel rejected %s %s: HTTP %s' % (method, path, http_status_shown)]
        if code is not None:
            parts.append('error %s' % code)
        if message or description:
            text = message or ''
            if description and description != message:
                text = '%s: %s' % (text, description) if text else description
            parts.append(str(text))
        if reason:
            parts.append(reason)
        if request_id:
            parts.append('request_id %s' % request_id)
        msg = ', '.join(parts)
        if http_status == 401 or code == 1010:
            msg += ('. Check account_sid, api_key and api_token: a wrong account SID fails exactly like a wrong key, '
                    'and API keys are per region, so a key of the other region fails the same way. This request went '
                    'to %s%s.' % (
                        self.base_url, ' (region %s)' % self.region if self.base_url == REGION_URLS.get(self.region) else ''))
        return self._error(msg, method, path, http_status=http_status, error_code=code,
                           error_description=self.redact(description) if description else description,
                           request_id=request_id, retryable=http_status is not None and http_status >= 500)

    def _check(self, response, method, path):
        """Return the JSON envelope of a successful answer or raise ExotelError."""
        status = response.status_code
        if 300 <= status < 400:
            raise self._error(
                'Exotel answered %s %s with a redirect (HTTP %s to %s); redirects are not followed, '
                'nothing is assumed to have changed. Check api_url.' % (
                    method, path, status, self._excerpt(response.headers.get('Location'))),
                method, path, http_status=status, retryable=True)
        if status >= 400:
            raise self._response_error(response, method, path)
        try:
            payload = response.json()
        except ValueError:
            raise self._error(
                'Exotel answered %s %s with HTTP %s and a body that is not valid JSON: %s' % (
                    method, path, status, self._excerpt(response.text)),
                method, path, http_status=status, retryable=True)
        if not isinstance(payload, dict):
            raise self._error('Exotel answered %s %s with HTTP %s and JSON that is not an object: %s' % (
                method, path, status, self._excerpt(response.text)), method, path, http_status=status, retryable=True)
        resp = payload.get('response')
        if isinstance(resp, dict):
            code = to_int(resp.get('code'))
            if resp.get('status') == 'failure' or (code is not None and code >= 400):
                raise self._envelope_error(payload, status, method, path)
        elif isinstance(resp, list):
            failed = [i for i in resp if isinstance(i, dict) and (i.get('status') == 'failure' or (to_int(i.get('code')) or 0) >= 400)]
            meta = payload.get('metadata') if isinstance(payload.get('metadata'), dict) else {}
            if failed or (to_int(meta.get('failed')) or 0) > 0:
                first = failed[0] if failed else {}
                raise self._envelope_error(
                    dict(payload, response=first), status, method, path,
                    reason='%s of %s items failed' % (len(failed) or meta.get('failed'), len(resp)))
        return payload

    # ------------------------------------------------------------------ reading

    def get_object(self, method, path, query=None, body=None):
        """Send a call whose answer is a single-object envelope and return its ``data``."""
        payload = self.request(method, path, query=query, body=body)
        resp = payload.get('response')
        if not isinstance(resp, dict) or 'data' not in resp:
            raise self._error('Exotel answered %s %s with an envelope without response.data: %s' % (
                method, path, self._excerpt(_json_dumps(payload))), method, path, request_id=payload.get('request_id'),
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
                raise self._error('Exotel answered GET %s with a response that is not a list: %s' % (
                    shown, self._excerpt(_json_dumps(payload))), 'GET', shown,
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
            raise self._error('Exotel gave a next_page_uri outside this account (%s); refusing to follow it.' % (
                self._excerpt(uri)), 'GET', list_path)
        return page_path + ('?' + parts.query if parts.query else ''), None


def _sleep(seconds):
    """The real wait between retries; tests replace it (no test ever sleeps)."""
    time.sleep(seconds)


def _json_dumps(value):
    return json.dumps(value, sort_keys=True)


def _short(exc):
    text = str(exc)
    return text if len(text) <= 160 else text[:160] + '...'


def _refused(text):
    return 'Connection refused' in text or 'Errno 111' in text


def _exception_chain(exc):
    """``exc`` and the errors inside it (urllib3 wraps the socket's error in ``reason``/``args``)."""
    chain, seen = [], set()
    current = exc
    while isinstance(current, BaseException) and id(current) not in seen:
        seen.add(id(current))
        chain.append(current)
        nested = getattr(current, 'reason', None)
        if not isinstance(nested, BaseException):
            nested = next((a for a in current.args if isinstance(a, BaseException)), None)
        if nested is None:
            nested = current.__cause__ or current.__context__
        current = nested
    return chain


def _chain_text(chain):
    return ' '.join(str(e) for e in chain)


def _ssl_detail(chain):
    """The OpenSSL reason of a TLS failure (e.g. WRONG_VERSION_NUMBER, self-signed certificate)."""
    for error in reversed(chain):
        detail = getattr(error, 'verify_message', None) or getattr(error, 'reason', None)
        if isinstance(detail, str) and detail:
            return detail
    return _short(chain[-1])


def _fmt(seconds):
    return ('%.1f' % seconds).rstrip('0').rstrip('.')


# ---------------------------------------------------------------------- module glue

def exotel_argument_spec():
    """The connection options of every module (documented in doc_fragments/_exotel.py)."""
    return dict(
        account_sid=dict(type='str', required=True, fallback=(env_fallback, [ENV_VARS['account_sid']])),
        api_key=dict(type='str', required=True, no_log=False, fallback=(env_fallback, [ENV_VARS['api_key']])),
        api_token=dict(type='str', required=True, no_log=True, fallback=(env_fallback, [ENV_VARS['api_token']])),
        # Not `choices`: the region is accepted in any case, and checked in validate_options.
        region=dict(type='str', default='singapore', fallback=(env_fallback, [ENV_VARS['region']])),
        api_url=dict(type='str', fallback=(env_fallback, [ENV_VARS['api_url']])),
        allow_insecure_http=dict(type='bool', default=False),
        ca_path=dict(type='path'),
        timeout=dict(type='int', default=30),
        validate_certs=dict(type='bool', default=True),
        retries=dict(type='int', default=5),
        max_retry_wait=dict(type='int', default=120),
        rate_limit=dict(type='int', default=200),
    )


def option_name(module, name):
    """``name``, or ``EXOTEL_X (name)`` when the value came from its environment variable.

    The module cannot see whether the task set the option, so a value equal to the variable's is
    taken to come from it (the likelier source when a task does not set it).
    """
    env = ENV_VARS.get(name)
    if env and env in os.environ and module.params.get(name) == os.environ[env]:
        return '%s (from the environment variable %s)' % (name, env)
    return name


def phone_hint(value):
    """A hint for a phone number that lost its "+": YAML reads an unquoted +91... as an integer."""
    if isinstance(value, int) or (isinstance(value, str) and re.match(r'^[0-9]{8,15}$', value)):
        return (' It looks like a number without its "+": YAML reads an unquoted +918040264208 as the integer '
                '918040264208. Quote it: "+918040264208".')
    return ''


def check_option(module, name, pattern, expected, value=None, label=None):
    """Fail (naming the option and its expected form) unless the option matches ``pattern``."""
    if value is None:
        value = module.params.get(name)
    if value is None:
        return
    if not isinstance(value, str) or not pattern.match(value):
        hint = phone_hint(value) if pattern is E164_RE else ''
        module.fail_json(msg='%s must be %s; got %r.%s' % (
            label or option_name(module, name), expected, value if name != 'api_token' else '***', hint))


def is_loopback(host):
    """Whether ``host`` (a URL's host name) is this machine: localhost, 127.0.0.0/8 or ::1."""
    host = (host or '').lower().rstrip('.')
    if host == 'localhost' or host.endswith('.localhost'):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def validate_options(module):
    """Check the connection options before any request is sent."""
    params = module.params
    for name in ('account_sid', 'api_key', 'api_token'):
        value = params.get(name)
        if value is None or not value.strip():
            env = ENV_VARS[name]
            module.fail_json(msg='%s is empty: set it in the task (or module_defaults) or in the environment variable '
                                 '%s. An empty value usually comes from an unset variable or vault entry.' % (
                                     option_name(module, name), env))
    for name in ('api_key', 'api_token'):
        if re.search(r'[\s\x00-\x1f\x7f]', params[name]):
            module.fail_json(msg='%s contains a space, a line break or another control character (the value is not shown); '
                                 'check how it was copied, e.g. a trailing newline from a file.' % option_name(module, name))
    check_option(module, 'account_sid', SID_RE, 'an Exotel account SID (letters, digits, "_" and "-")')
    region = params.get('region')
    if region is not None:
        normal = region.strip().lower() if isinstance(region, str) else region
        if normal not in REGION_URLS:
            module.fail_json(msg='%s must be one of %s (in any case); got %r.' % (
                option_name(module, 'region'), ', '.join(REGION_URLS), region))
        params['region'] = normal
    if params.get('api_url'):
        check_api_url(module)
    for name, low in (('timeout', 1), ('retries', 0), ('max_retry_wait', 0), ('rate_limit', 0)):
        if params.get(name) is not None and params[name] < low:
            module.fail_json(msg='%s must be an integer of at least %s; got %s.' % (name, low, params[name]))
    ca_path = params.get('ca_path')
    if ca_path is not None and not os.path.exists(ca_path):
        module.fail_json(msg='ca_path must be an existing CA bundle file (PEM) or a directory of CA certificates; '
                             '%r does not exist.' % ca_path)


def check_api_url(module):
    """api_url: a base URL (no credentials, query, fragment or API version), TLS unless to loopback."""
    url = module.params['api_url']
    label = option_name(module, 'api_url')
    parts = urlsplit(url)
    if parts.password:
        module.no_log_values.add(parts.password)
    try:
        valid_port = parts.port is None or 0 < parts.port < 65536
    except ValueError:
        valid_port = False
    if parts.scheme not in ('http', 'https') or not parts.hostname or parts.username or parts.password \
            or parts.query or parts.fragment or not valid_port:
        module.fail_json(msg='%s must be a base URL like https://api.exotel.com or http://127.0.0.1:8480 '
                             '(http or https, a host, an optional port and path; no credentials, query or fragment); '
                             'got %r.' % (label, _strip_userinfo(url)))
    segments = [p for p in parts.path.split('/') if p]
    versioned = [p for p in segments if re.match(r'^v[0-9]+(_beta)?$', p, re.I) or p.lower() == 'accounts']
    if versioned:
        module.fail_json(msg='%s must be the base URL without the API path: remove "/%s" (got %r). The modules add '
                             '/v2/accounts/<account_sid>/... themselves; Exotel\'s docs show the full path. Use e.g. '
                             'https://api.exotel.com.' % (label, '/'.join(segments[segments.index(versioned[0]):]),
                                                          _strip_userinfo(url)))
    if parts.scheme == 'http' and not is_loopback(parts.hostname) and not module.params.get('allow_insecure_http'):
        module.fail_json(msg='%s uses http:// to %s: the API key and token would travel unencrypted. Use https://, or '
                             'set allow_insecure_http=true if this plain-HTTP endpoint is on a network you trust '
                             '(http:// to localhost, 127.0.0.0/8 and ::1 is always allowed).' % (label, parts.hostname))


def _version_tuple(text):
    return tuple(int(part) for part in re.findall(r'[0-9]+', str(text).split('+', 1)[0])[:3]) or (0,)


def _dotted(version):
    return '.'.join(str(part) for part in version)


def _strip_userinfo(url):
    return re.sub(r'//[^/@]*@', '//***@', url)


def client_from_module(module, sleep=None):
    """Validate the connection options and build the client; fails the module cleanly on bad input."""
    if requests is None:
        module.fail_json(msg=missing_required_lib('requests'), exception=REQUESTS_IMPORT_ERROR)
    validate_options(module)
    if _version_tuple(getattr(requests, '__version__', '')) < REQUESTS_FLOOR:
        module.warn('requests %s is older than %s, which fixes known credential leaks (CVE-2024-47081, '
                    'CVE-2023-32681); upgrade it on the host that runs the module: python3 -m pip install '
                    '"requests>=%s".' % (requests.__version__, _dotted(REQUESTS_FLOOR), _dotted(REQUESTS_FLOOR)))
    params = module.params
    https = urlsplit(params.get('api_url') or REGION_URLS[params['region']]).scheme == 'https'
    if not params['validate_certs'] and https:
        module.warn('validate_certs is false: the TLS certificate of the Exotel API host is not verified.')
        try:
            import urllib3
            urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)
        except (ImportError, AttributeError):
            pass
    if params.get('ca_path') and not (params['validate_certs'] and https):
        module.warn('ca_path is not used: %s.' % (
            'validate_certs is false' if https else 'api_url uses http://, so there is no certificate to verify'))
    return ExotelClient(
        account_sid=params['account_sid'], api_key=params['api_key'], api_token=params['api_token'],
        region=params['region'], api_url=params.get('api_url'), timeout=params['timeout'],
        validate_certs=params['validate_certs'], retries=params['retries'],
        max_retry_wait=params['max_retry_wait'], rate_limit=params['rate_limit'], sleep=sleep,
        ca_path=params.get('ca_path'))


def fail_from_error(module, error, msg=None, **result):
    """The one place an ExotelError becomes ``fail_json``: one message plus the structured keys."""
    details = error.details()
    details.update(result)
    details.setdefault('changed', False)
    module.fail_json(msg=msg or error.message, **details)

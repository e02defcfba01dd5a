# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

# This module_utils file is internal to exotel.trunking: its name starts with "_" and its
# interface may change without notice. Do not import it from other collections.

"""The one HTTP transport of exotel.trunking, below the client of each API family: the ``requests``
session, base URL, Basic auth header and User-Agent, TLS verification (CA bundle), timeouts, the limit of
requests in flight, redaction of secrets from every text that may reach the user, and what a failure
below HTTP (no answer at all) means, in plain words. Each request goes through the one retry policy
(``_retries.Retrier``); the family says how its answers are checked (``check``) and paces its own requests.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import base64
import re
import socket
import ssl
import threading
import traceback
from urllib.parse import quote, urlencode, urlsplit

from ansible_collections.exotel.trunking.plugins.module_utils._answers import Answers, json_dumps
from ansible_collections.exotel.trunking.plugins.module_utils._errors import ExotelError
from ansible_collections.exotel.trunking.plugins.module_utils._retries import Pacer, retry_after, seconds

REQUESTS_IMPORT_ERROR = None
try:
    import requests
except ImportError:
    requests = None
    REQUESTS_IMPORT_ERROR = traceback.format_exc()

# Seconds to wait for a TCP connection (and TLS handshake) before giving up on it; ``timeout`` when
# smaller. An API host answers a connection within milliseconds; waiting longer only delays the error.
CONNECT_TIMEOUT = 5
# Requests of one task in flight at once (a bulk task's parallel writes). A write that waits to be sent
# again holds no slot, so other writes go on meanwhile.
MAX_IN_FLIGHT = 8


class Transport(object):
    """HTTP to one Exotel host with one pair of credentials; ``target`` names it in messages (the 401 hint)."""

    def __init__(self, base_url, api_key, api_token, retrier, user_agent, timeout, verify, target=None, session=None):
        self.base_url = base_url.rstrip('/')
        self.retrier = retrier
        # requests takes (connect, read): a host that does not accept the connection fails fast.
        self.timeouts = (min(timeout, CONNECT_TIMEOUT), timeout)
        # What requests verifies the server's certificate with: a CA bundle file or directory, or
        # True (certifi, or REQUESTS_CA_BUNDLE from the environment), or False.
        self.verify = verify
        self.in_flight = threading.BoundedSemaphore(MAX_IN_FLIGHT)
        auth_value = base64.b64encode(('%s:%s' % (api_key, api_token)).encode('utf-8')).decode('ascii')
        self._secrets = [s for s in (api_token, auth_value) if s]
        self.session = session or requests.Session()
        self.session.headers.update({
            'Authorization': 'Basic ' + auth_value,
            'Accept': 'application/json',
            'User-Agent': user_agent,
        })
        self.answers = Answers(self.redact, target or self.base_url)

    def redact(self, text):
        """Remove anything secret from a text that may reach the user."""
        text = '' if text is None else str(text)
        for secret in self._secrets:
            text = text.replace(secret, '********')
        return text

    def request(self, method, path, check, pacer, query=None, body=None, form=None):
        """Send one API call, with the retries of the one policy, and return ``check``'s answer.

        ``path`` is an already quoted path (or a server-given page URI); ``check(response, method, shown)``
        is the family's check of an answer; ``pacer`` its pacer. ``body`` is sent as JSON, ``form``
        form-encoded.
        """
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
        return self.retrier.call(method, lambda: self.exchange(method, url, shown, data, headers, check, pacer))

    def exchange(self, method, url, shown, data, headers, check, pacer):
        """One try: wait for the pacer and a slot, send, check the answer. Raises ExotelError."""
        pacer.wait()
        try:
            with self.in_flight:
                response = self.session.request(method, url, data=data, headers=headers, timeout=self.timeouts,
                                                verify=self.verify, allow_redirects=False)
        except requests.exceptions.RequestException as exc:
            cause, kind = describe_failure(exc, self.base_url, self.timeouts)
            raise self.answers.error('Could not reach Exotel at %s: %s' % (self.base_url, cause), method, shown,
                                     unclear=kind == 'unclear', unreachable=True, transient=kind != 'final')
        try:
            return check(response, method, shown)
        except ExotelError as exc:
            exc.retry_after = retry_after(response)
            raise


class FamilyClient(object):
    """The base of the client of one API family: the account, the family's path prefix (``PREFIX``), its own
    pacer, and its requests sent through the one transport and checked by the family's ``success``
    (``_answers.Answers.check`` handles what every family has in common)."""

    PREFIX = ()

    def __init__(self, transport, account_sid, rate_limit, sleep, clock):
        self.transport = transport
        self.answers = transport.answers
        self.account_sid = account_sid
        self.pacer = Pacer(rate_limit, sleep, clock)

    def path(self, *segments):
        """``/<PREFIX>/{account_sid}/seg/seg`` with every segment quoted (no path injection)."""
        parts = list(self.PREFIX) + [self.account_sid] + [str(s) for s in segments]
        return '/' + '/'.join(quote(p, safe='') for p in parts)

    def send(self, method, path, query=None, body=None, form=None):
        return self.transport.request(method, path, self.check, self.pacer, query=query, body=body, form=form)

    def check(self, response, method, path):
        return self.answers.check(response, method, path, self.success)

    def success(self, response, method, path):
        """What an answer that is not an HTTP failure holds; raises ExotelError on a failure in its body."""
        raise NotImplementedError


def describe_failure(exc, base_url, timeouts):
    """What went wrong below HTTP, in plain words, and whether a retry can help.

    ``timeouts`` is requests' ``(connect, read)``. Returns ``(text, kind)`` with kind ``final`` (a retry
    cannot help), ``not_sent`` (the request never reached the server) or ``unclear`` (the server may have
    acted on it).
    """
    parts = urlsplit(base_url)
    host = parts.hostname or base_url
    try:
        port = parts.port or (443 if parts.scheme == 'https' else 80)
    except ValueError:
        port = None
    where = '%s:%s' % (host, port) if port else host
    chain = _exception_chain(exc)
    text = ' '.join(str(e) for e in chain)
    kind_name = type(exc).__name__
    if any(isinstance(e, ssl.SSLCertVerificationError) for e in chain) or 'CERTIFICATE_VERIFY_FAILED' in text:
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
    if any(isinstance(e, socket.gaierror) for e in chain) or 'NameResolutionError' in text \
            or re.search(r'Name or service not known|not resolve|name resolution|nodename nor servname|'
                         r'getaddrinfo failed|No address associated', text):
        return ('the host name %s could not be resolved (no such host, or no DNS). Check api_url, or region '
                'for the Exotel hosts (%s).' % (host, kind_name)), 'final'
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return ('no connection to %s within %s s: a firewall, a proxy or a wrong host may be in the way '
                '(%s).' % (where, seconds(timeouts[0]), kind_name)), 'not_sent'
    if isinstance(exc, requests.exceptions.Timeout):
        return 'no answer within %s s (timeout) (%s).' % (seconds(timeouts[1]), kind_name), 'unclear'
    if any(isinstance(e, ConnectionRefusedError) for e in chain) or _refused(text):
        return ('the connection to %s was refused: nothing is listening there. Check the host and port of '
                'api_url (%s).' % (where, kind_name)), 'not_sent'
    if isinstance(exc, (requests.exceptions.InvalidURL, requests.exceptions.InvalidHeader,
                        requests.exceptions.InvalidSchema, requests.exceptions.MissingSchema)):
        return '%s (%s).' % (_short(exc), kind_name), 'final'
    if any(type(e).__name__ == 'NewConnectionError' for e in chain):
        return 'no connection to %s (%s: %s).' % (where, kind_name, _short(chain[-1])), 'not_sent'
    return 'the connection failed before an answer arrived (%s: %s).' % (kind_name, _short(chain[-1])), 'unclear'


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


def _ssl_detail(chain):
    """The OpenSSL reason of a TLS failure (e.g. WRONG_VERSION_NUMBER, self-signed certificate)."""
    for error in reversed(chain):
        detail = getattr(error, 'verify_message', None) or getattr(error, 'reason', None)
        if isinstance(detail, str) and detail:
            return detail
    return _short(chain[-1])

# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

# This module_utils file is internal to exotel.trunking: its name starts with "_" and its
# interface may change without notice. Do not import it from other collections.

"""The HTTP transport below the client: the ``requests`` import, and what a failure below HTTP (no
answer at all) means, in plain words."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import re
import socket
import ssl
import traceback

from ansible.module_utils.six.moves.urllib.parse import urlsplit

from ansible_collections.exotel.trunking.plugins.module_utils._retries import seconds

REQUESTS_IMPORT_ERROR = None
try:
    import requests
except ImportError:
    requests = None
    REQUESTS_IMPORT_ERROR = traceback.format_exc()


def describe_failure(exc, base_url, timeouts):
    """What went wrong below HTTP, in plain words, and whether a retry can help.

    ``timeouts`` is requests' ``(connect, read)``. Returns ``(text, kind)`` with kind ``final`` (a retry
    cannot help), ``connect`` (the request never reached the server) or ``answer`` (the server may have
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
                '(%s).' % (where, seconds(timeouts[0]), kind_name)), 'connect'
    if isinstance(exc, requests.exceptions.Timeout):
        return 'no answer within %s s (timeout) (%s).' % (seconds(timeouts[1]), kind_name), 'answer'
    if any(isinstance(e, ConnectionRefusedError) for e in chain) or _refused(text):
        return ('the connection to %s was refused: nothing is listening there. Check the host and port of '
                'api_url (%s).' % (where, kind_name)), 'connect'
    if isinstance(exc, (requests.exceptions.InvalidURL, requests.exceptions.InvalidHeader,
                        requests.exceptions.InvalidSchema, requests.exceptions.MissingSchema)):
        return '%s (%s).' % (_short(exc), kind_name), 'final'
    if any(type(e).__name__ == 'NewConnectionError' for e in chain):
        return 'no connection to %s (%s: %s).' % (where, kind_name, _short(chain[-1])), 'connect'
    return 'the connection failed before an answer arrived (%s: %s).' % (kind_name, _short(chain[-1])), 'answer'


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

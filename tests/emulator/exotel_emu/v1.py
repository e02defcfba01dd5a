# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What every Calls API request (``/v1/Accounts/{sid}/...``) goes through before its handler.

The same order as the other families (``gateway.py``, ``beta.py``): account path, auth, then the
rate limit (the Voice API's own, ``calls_rate_limit`` per account, 200 a minute by default). Every
refusal is a ``{"RestException": {"Status", "Message"}}`` body.
"""

import urllib.parse

from .envelopes import Request, Response
from .exceptions import RestError
from .gateway import parse_basic, serve
from .urls import V1_ACCOUNT_PATH_RE

# The rate limiter's key of an account's Calls API budget (the trunk API's key is the bare SID).
LIMIT_KEY = 'v1:%s'
DEFAULT_CALLS_RATE_LIMIT = 200


def refusal(status, message, headers=None):
    return Response(status, RestError(status, None, message).body(), headers=headers)


def _admit(emu, method, path, query, headers, limit_headers):
    """(Request, path below the account) of an admissible request, else the Response that refuses it."""
    match = V1_ACCOUNT_PATH_RE.match(path)
    if not match:
        return refusal(404, 'No such resource: %s' % path)
    account_sid = urllib.parse.unquote(match.group('account'))
    credentials = parse_basic(headers.get('Authorization'))
    account = emu.store.accounts.get(account_sid)
    if credentials is None or account is None or credentials[0] != account['api_key'] \
            or credentials[1] != account['api_token']:
        return refusal(401, 'Authentication failed')
    limit = emu.config['calls_rate_limit']
    allowed, found = emu.limiter.check(LIMIT_KEY % account_sid, limit)
    limit_headers.update(found)
    if not allowed:
        return refusal(429, 'Too many requests: at most %d a minute. Try again in %s seconds.' % (limit, found['Retry-After']))
    return Request(method, path, query, {}, account_sid, credentials[0]), match.group('rest') or ''


def call_v1_api(emu, method, path, query, raw, headers, ignore_change=False):
    """The answer of the Calls API of ``emu`` to one request (``query`` as parse_qs gives it)."""
    del raw
    limit_headers = {}
    admitted = _admit(emu, method, path, query, headers, limit_headers)
    return serve(emu, admitted, limit_headers, emu.calls_impl, ignore_change, _nothing_to_show)


def _nothing_to_show(emu, req, params, response):
    """The Calls API has no writes, so ``ignore_change`` has nothing to show."""
    del emu, req, params, response

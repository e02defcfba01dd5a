# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What every ExoPhone API request (``/v2_beta/Accounts/{sid}/...``) goes through before its handler.

The same order as the trunk API's gateway (``gateway.py``): account path, auth, the rate limit (the
ExoPhone API's own, ``exophone_rate_limit`` per account), then the content type: ``POST`` and ``PUT``
must be form-encoded. Every refusal is a ``RestException`` body.
"""

import urllib.parse

from .envelopes import Request, Response
from .exceptions import RestError
from .exophones import parse_form
from .gateway import parse_basic, serve
from .urls import BETA_ACCOUNT_PATH_RE

FORM_TYPE = 'application/x-www-form-urlencoded'
# The rate limiter's key of an account's ExoPhone API budget (the trunk API's key is the bare SID).
LIMIT_KEY = 'v2_beta:%s'


def refusal(status, code, message, headers=None):
    error = RestError(status, code, message)
    return Response(status, error.body(), headers=headers)


def _admit(emu, method, path, query, raw, headers, limit_headers):
    """(Request, path below the account) of an admissible request, else the Response that refuses it."""
    match = BETA_ACCOUNT_PATH_RE.match(path)
    if not match:
        return refusal(404, 'NOT_FOUND', 'No such resource: %s' % path)
    account_sid = urllib.parse.unquote(match.group('account'))
    credentials = parse_basic(headers.get('Authorization'))
    account = emu.store.accounts.get(account_sid)
    if credentials is None or account is None or credentials[0] != account['api_key'] \
            or credentials[1] != account['api_token']:
        return refusal(401, 'UNAUTHORIZED', 'Authentication failed')
    limit = emu.config['exophone_rate_limit']
    allowed, found = emu.limiter.check(LIMIT_KEY % account_sid, limit)
    limit_headers.update(found)
    if not allowed:
        return refusal(429, 'RATE_LIMIT_EXCEEDED', 'Rate limit exceeded. Try again in %s seconds.' % found['Retry-After'])
    form = {}
    if method in ('POST', 'PUT'):
        content_type = (headers.get('Content-Type') or '').split(';')[0].strip().lower()
        if content_type != FORM_TYPE:
            return refusal(415, 'UNSUPPORTED_CONTENT_TYPE', 'Content-Type must be %s, not %s' % (FORM_TYPE, content_type or 'none'))
        form = parse_form(raw)
        if form is None:
            return refusal(400, 'INVALID_PARAMETER', 'The body is not a valid form')
    return Request(method, path, query, form, account_sid, credentials[0]), match.group('rest') or ''


def call_beta_api(emu, method, path, query, raw, headers, ignore_change=False):
    """The answer of the ExoPhone API of ``emu`` to one request (``query`` as parse_qs gives it)."""
    limit_headers = {}
    admitted = _admit(emu, method, path, query, raw, headers, limit_headers)
    return serve(emu, admitted, limit_headers, emu.beta_impl, ignore_change, _show_old)


def _show_old(emu, req, params, response):
    """A PUT's answer under ``ignore_change``: the ExoPhone as it still is."""
    try:
        response.payload = emu.beta_impl.public(emu.beta_impl.find(req, params['sid']))
    except RestError:
        pass

# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What every API request goes through before its handler: account path, auth, rate limit, content type, JSON.

The order of these checks is given in tests/emulator/README.md ("Order of checks"); auth and the
rate limit are described in docs/docsite/rst/api_reference.rst.
"""

import base64
import binascii
import copy
import json
import urllib.parse

from .envelopes import Request, Response, failure, failure_answer
from .exceptions import ApiError
from .models import find_item, public
from .ratelimit import RATE_LIMIT_ERROR_CODE
from .urls import ACCOUNT_PATH_RE


def parse_basic(header):
    """(user, password) from a Basic Authorization header, or None."""
    if not header or not header.lower().startswith('basic '):
        return None
    try:
        decoded = base64.b64decode(header[6:].strip(), validate=True).decode('utf-8')
    except (binascii.Error, UnicodeDecodeError):
        return None
    if ':' not in decoded:
        return None
    user, password = decoded.split(':', 1)
    return user, password


def _json_object(raw):
    """The JSON object of a request body ({} when empty), or None when it is not one."""
    try:
        body = json.loads(raw.decode('utf-8')) if raw.strip() else {}
    except (ValueError, UnicodeDecodeError):
        return None
    return body if isinstance(body, dict) else None


def _admit(emu, method, path, query, raw, headers, limit_headers):
    """(Request, path below the account) of an admissible request, else the Response that refuses it.

    Fills ``limit_headers`` with the rate-limit headers once the request is authenticated.
    """
    match = ACCOUNT_PATH_RE.match(path)
    if not match:
        return failure(method, ApiError(1000, 'No such resource: %s' % path))
    account_sid = urllib.parse.unquote(match.group('account'))
    credentials = parse_basic(headers.get('Authorization'))
    account = emu.store.accounts.get(account_sid)
    if credentials is None:
        return failure(method, ApiError(1010, 'Authorization failed: no Basic credentials'))
    if account is None or credentials[0] != account['api_key'] or credentials[1] != account['api_token']:
        return failure(method, ApiError(1010, 'Authorization failed'))
    limit = emu.config['rate_limit']
    allowed, found = emu.limiter.check(account_sid, limit)
    limit_headers.update(found)
    if not allowed:
        description = 'Rate limit of %d requests per minute exceeded' % limit
        return failure_answer(method, 429, 429, RATE_LIMIT_ERROR_CODE, 'Too Many Requests', description)
    body = {}
    if method in ('POST', 'PUT'):
        content_type = (headers.get('Content-Type') or '').split(';')[0].strip().lower()
        if content_type != 'application/json':
            return failure(method, ApiError(1011, 'unsupported content type: %s' % (content_type or 'none')))
        body = _json_object(raw)
        if body is None:
            return failure(method, ApiError(1007))
    return Request(method, path, query, body, account_sid, credentials[0]), match.group('rest') or ''


def call_api(emu, method, path, query, raw, headers, ignore_change=False):
    """The answer of the API part of ``emu`` to one request (``query`` as parse_qs gives it)."""
    limit_headers = {}
    admitted = _admit(emu, method, path, query, raw, headers, limit_headers)
    return serve(emu, admitted, limit_headers, emu.api_impl, ignore_change, _show_old)


def serve(emu, admitted, limit_headers, impl, ignore_change, show_old):
    """The answer to an admitted request (``admitted`` is the refusal otherwise), with the rate-limit headers.

    ``impl`` (``responses.Api`` or ``exophones.ExoPhoneApi``) handles it. ``ignore_change``: answer
    as if a write happened, but keep the state; ``show_old(emu, req, params, response)`` then puts
    the object as it still is into a PUT's answer.
    """
    if isinstance(admitted, Response):
        response = admitted
    else:
        req, rest = admitted
        with emu.lock:
            if ignore_change and req.method in ('POST', 'PUT', 'DELETE'):
                original = emu.store
                emu.store = copy.deepcopy(original)
                try:
                    response = impl.handle(req, rest)
                finally:
                    emu.store = original
                handler, params = impl.route(req.method, rest)
                if req.method == 'PUT' and response.status == 200 and handler is not None:
                    show_old(emu, req, params, response)
            else:
                response = impl.handle(req, rest)
    response.headers.update(limit_headers)
    return response


def _show_old(emu, req, params, response):
    """The trunk API's PUT answer under ``ignore_change``: the trunk or item as it still is."""
    try:
        if 'kind' in params:
            old = find_item(emu.store.trunk(req.account_sid, params['trunk'])[params['kind']], params['item_id'])
            old = public(params['kind'], old)
        else:
            old = dict(emu.store.trunk(req.account_sid, params['trunk'])['trunk'])
    except ApiError:
        return
    response.payload['response']['data'] = old

# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Which handler answers which method and path: ``responses.Api`` after ``/v2/accounts/{sid}`` (the trunk
API), ``exophones.ExoPhoneApi`` after ``/v2_beta/Accounts/{sid}`` (the ExoPhone API), ``calls.CallsApi``
after ``/v1/Accounts/{sid}`` (the Calls API).

The tables follow "Endpoints", "ExoPhones" and "Calls" in docs/docsite/rst/api_reference.rst.
"""

import re

from .models import SUB_RESOURCES

ACCOUNT_PATH_RE = re.compile(r'^/v2/accounts/(?P<account>[^/]+)(?P<rest>/.*)?$')

_SUB = r'/trunks/(?P<trunk>[^/]+)/(?P<kind>%s)' % '|'.join(re.escape(k) for k in SUB_RESOURCES)

# (method, path below the account, name of the handler method of responses.Api)
URL_TABLE = (
    ('POST', r'/trunks', 'create_trunk'),
    ('GET', r'/trunks', 'list_trunks'),
    ('DELETE', r'/trunks', 'delete_trunk'),
    ('PUT', r'/trunks/(?P<trunk>[^/]+)', 'update_trunk'),
    ('GET', r'/trunk-maps', 'lookup'),
    ('POST', _SUB, 'create_sub'),
    ('GET', _SUB, 'list_sub'),
    ('DELETE', _SUB, 'delete_sub'),
    ('PUT', _SUB + r'/(?P<item_id>[^/]+)', 'update_sub'),
)

ROUTES = tuple((method, re.compile('^%s$' % path), name) for method, path, name in URL_TABLE)

BETA_ACCOUNT_PATH_RE = re.compile(r'^/v2_beta/Accounts/(?P<account>[^/]+)(?P<rest>/.*)?$')

_NUMBERS = r'/IncomingPhoneNumbers'
_NUMBER = _NUMBERS + r'/(?P<sid>[^/]+)'
_AVAILABLE = r'/AvailablePhoneNumbers'

# path below the account -> {method: name of the handler method of exophones.ExoPhoneApi}
BETA_URL_TABLE = {
    _NUMBERS: {'GET': 'list_numbers', 'POST': 'purchase'},
    _NUMBER: {'GET': 'get_number', 'PUT': 'update_number', 'DELETE': 'release'},
    _AVAILABLE: {'GET': 'countries'},
    _AVAILABLE + r'/(?P<country>[^/]+)/(?P<number_type>[^/]+)': {'GET': 'available'},
}

BETA_ROUTES = tuple((method, re.compile('^%s$' % path), name) for path, names in BETA_URL_TABLE.items()
                    for method, name in names.items())


V1_ACCOUNT_PATH_RE = re.compile(r'^/v1/Accounts/(?P<account>[^/]+)(?P<rest>/.*)?$')

# The Calls API (v1): (method, path below the account, name of the handler method of calls.CallsApi).
# Only the JSON form (the ``.json`` suffix) is emulated.
V1_URL_TABLE = (
    ('GET', r'/Calls\.json', 'list_calls'),
    ('GET', r'/Calls/(?P<sid>[^/.]+)\.json', 'get_call'),
)

V1_ROUTES = tuple((method, re.compile('^%s$' % path), name) for method, path, name in V1_URL_TABLE)


def route(method, rest, routes=ROUTES):
    """(handler name, path parameters) for ``method`` and ``rest``, or (None, None)."""
    for route_method, pattern, name in routes:
        match = pattern.match(rest)
        if match and route_method == method:
            return name, match.groupdict()
    return None, None

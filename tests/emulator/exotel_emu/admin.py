# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The admin API under ``/_emulator/`` (state, reset, log, config, faults): no auth, no rate limit, not logged.

Its calls are listed in tests/emulator/README.md ("Admin API"); those of the call world are in ``calls_admin.py``.
"""

import copy
import json

from .calls_admin import CALL_ACTIONS
from .envelopes import Response
from .faults import normalise_faults

# The run-time settings of PUT /_emulator/config and their types.
CONFIG_TYPES = {'rate_limit': int, 'max_page_size': int, 'trunk_maps_flat': bool, 'omit_empty_metadata': bool,
                'exophone_rate_limit': int, 'exophones_omit_next_page_uri': bool, 'calls_rate_limit': int,
                'calls_blank_next_page_uri': bool}


def call_admin(emu, method, path, query, raw):
    """The answer of the admin API of ``emu`` to one request (``path`` starts with /_emulator)."""
    try:
        body = json.loads(raw.decode('utf-8')) if raw.strip() else None
    except (ValueError, UnicodeDecodeError):
        return Response(400, {'error': 'body is not JSON'})
    action = path[len('/_emulator'):].strip('/')
    handler = ACTIONS.get((method, action))
    if handler is None:
        return Response(404, {'error': 'no admin endpoint %s /_emulator/%s' % (method, action)})
    try:
        with emu.lock:
            return Response(200, handler(emu, query, body))
    except (ValueError, TypeError, KeyError, OSError) as exc:
        return Response(400, {'error': '%s: %s' % (type(exc).__name__, exc)})


def get_state(emu, query, body):
    del query, body
    state = emu.store.dump()
    state['config'] = dict(emu.config)
    return state


def reset(emu, query, body):
    del query
    body = body or {}
    emu.reset(fixture=body.get('fixture') or body.get('fixture_path'))
    return {'reset': True}


def get_log(emu, query, body):
    del body
    entries = emu.log
    if query.get('method'):
        entries = [e for e in entries if e['method'] == query['method'][-1].upper()]
    return {'count': len(entries), 'entries': copy.deepcopy(entries)}


def clear_log(emu, query, body):
    del query, body
    emu.log = []
    return {'count': 0, 'entries': []}


def get_config(emu, query, body):
    del query, body
    return dict(emu.config)


def set_config(emu, query, body):
    del query
    if not isinstance(body, dict):
        raise ValueError('config must be a JSON object')
    for key, value in body.items():
        if key not in CONFIG_TYPES:
            raise ValueError('unknown config key %s (known: %s)' % (key, ', '.join(sorted(CONFIG_TYPES))))
        kind = CONFIG_TYPES[key]
        if not isinstance(value, kind) or (kind is int and (isinstance(value, bool) or value < 0)):
            raise ValueError('%s must be %s' % (key, 'a non-negative integer' if kind is int else 'a boolean'))
        if key == 'max_page_size' and value < 1:
            raise ValueError('max_page_size must be at least 1')
    emu.config.update(body)
    return dict(emu.config)


def get_faults(emu, query, body):
    del query, body
    return {'faults': copy.deepcopy(emu.faults)}


def add_faults(emu, query, body):
    del query
    emu.faults.extend(normalise_faults(body))
    return get_faults(emu, None, None)


def clear_faults(emu, query, body):
    del query, body
    emu.faults = []
    return {'faults': []}


ACTIONS = {
    ('GET', 'state'): get_state,
    ('POST', 'reset'): reset,
    ('GET', 'log'): get_log,
    ('DELETE', 'log'): clear_log,
    ('GET', 'config'): get_config,
    ('PUT', 'config'): set_config,
    ('GET', 'faults'): get_faults,
    ('POST', 'faults'): add_faults,
    ('DELETE', 'faults'): clear_faults,
}
ACTIONS.update(CALL_ACTIONS)

# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The admin calls of the call world (``/_emulator/traffic``, ``/_emulator/calls``), merged into ``admin.ACTIONS``.

They are listed in tests/emulator/README.md ("Calls and traffic"). Each first places the calls that
are due, so what it shows or changes starts from the present.
"""


def _due(emu):
    emu.traffic.advance(emu.store)
    return emu.traffic


def get_traffic(emu, query, body):
    del query, body
    traffic = _due(emu)
    settings = traffic.settings()
    settings['streams'] = [traffic.stream_view(s) for s in traffic.streams]
    settings['calls'] = len(traffic.calls)
    return settings


def set_traffic(emu, query, body):
    del query
    _due(emu).configure(body)
    return get_traffic(emu, None, None)


def add_stream(emu, query, body):
    del query
    return _due(emu).add_stream(emu.store, body)


def stop_streams(emu, query, body):
    del body
    value = (query.get('id') or [None])[-1]
    if value is not None and not value.isdigit():
        raise ValueError('id must be a stream id (a whole number)')
    return {'stopped': _due(emu).stop_streams(None if value is None else int(value))}


def get_calls(emu, query, body):
    del body
    calls = _due(emu).dump()
    for key in ('to', 'route', 'phase', 'status'):
        if query.get(key):
            calls = [c for c in calls if c[key] == query[key][-1]]
    return {'count': len(calls), 'calls': calls}


def clear_calls(emu, query, body):
    del query, body
    _due(emu).calls = []
    return {'count': 0, 'calls': []}


CALL_ACTIONS = {
    ('GET', 'traffic'): get_traffic,
    ('PUT', 'traffic'): set_traffic,
    ('POST', 'traffic/streams'): add_stream,
    ('DELETE', 'traffic/streams'): stop_streams,
    ('GET', 'calls'): get_calls,
    ('DELETE', 'calls'): clear_calls,
}

# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""ansible-rulebook event source: numbers of a trunk whose mode differs from the desired one.

It reads the trunk with the collection's own client and option checks (plugins/module_utils), the
same code the modules run, found beside this file in its ansible_collections tree.
"""

import asyncio
import datetime
import math
import os
import sys
from typing import Any, Callable, Dict, List

DOCUMENTATION = r"""
---
short_description: Report the numbers of an Exotel trunk whose mode differs from the desired one
description:
  - An ansible-rulebook event source plugin that reads the phone-number mappings of a trunk every
    O(interval) seconds (one list read, page after page) and compares each listed number's mode with
    the desired one. A mapping without a mode routes like V(pstn).
  - It emits an event when the set of drifted or missing numbers changes, including the first
    check that finds drift, and once when everything is back in the desired mode (C(in_sync=true)).
  - Each event has the key C(mode_drift) with C(trunk_sid), C(in_sync), C(drifted), C(missing), C(numbers) and
    C(checked_at). C(drifted) lists the drifted numbers with C(phone_number), C(id), C(mode) and C(desired);
    C(missing) the listed numbers not mapped to the trunk; C(numbers) the drifted numbers as entries with
    C(phone_number) and the desired C(mode), ready for the C(numbers) option of
    M(exotel.trunking.exotel_number_mode) in a repair task.
  - A failed read emits an event whose C(mode_drift) has C(trunk_sid), C(checked_at) and C(error) (with C(msg),
    C(http_status), C(error_code), C(error_description), C(request_id), C(method) and C(path)) once, until a
    read succeeds again.
  - The connection options are those of the modules, with the same E(EXOTEL_*) environment variables
    and checks. It needs ansible-core and requests where ansible-rulebook runs.
options:
  trunk_sid:
    description:
      - The trunk SID.
    type: str
    required: true
  numbers:
    description:
      - The numbers to watch, in the form of the C(numbers) option of M(exotel.trunking.exotel_number_mode)
        (E.164 strings, or dicts with C(phone_number) and C(mode)).
    type: list
    elements: raw
    required: true
  mode:
    description:
      - The desired mode of the entries that do not set their own.
    type: str
    choices: [pstn, flow]
  interval:
    description:
      - Seconds between two reads (a number greater than 0).
    type: float
    default: 60
  account_sid:
    description:
      - Account SID. Falls back to E(EXOTEL_ACCOUNT_SID).
    type: str
  api_key:
    description:
      - API key. Falls back to E(EXOTEL_API_KEY).
    type: str
  api_token:
    description:
      - API token. Falls back to E(EXOTEL_API_TOKEN). Never appears in events.
    type: str
  region:
    description:
      - V(singapore) or V(mumbai). Falls back to E(EXOTEL_REGION).
    type: str
    default: singapore
  api_url:
    description:
      - A base URL instead of the region's. Falls back to E(EXOTEL_API_URL).
    type: str
  timeout:
    description:
      - Seconds one request may take.
    type: int
    default: 30
  retries:
    description:
      - Retries of a request that failed for a passing reason (429, 502, 503, 504, connection errors).
    type: int
    default: 5
  validate_certs:
    description:
      - Verify the TLS certificate of the API host.
    type: bool
    default: true
"""

EXAMPLES = r"""
- exotel.trunking.mode_drift:
    trunk_sid: trmum1f708622631150902801a1n
    mode: flow
    numbers:
      - "+918040264208"
      - phone_number: "+918040264210"
        mode: pstn
    interval: 300
"""


class ArgumentError(ValueError):
    """A source argument that does not have its form; the message names it and the expected form."""


def collection():
    """The collection's module_utils, imported from the ansible_collections tree this file is in."""
    here = os.path.abspath(__file__)
    parts = here.split(os.sep)
    if 'ansible_collections' in parts:
        top = os.sep.join(parts[:len(parts) - 1 - parts[::-1].index('ansible_collections')]) or os.sep
        if top not in sys.path:
            sys.path.append(top)
    # pylint: disable=import-outside-toplevel
    from ansible_collections.exotel.trunking.plugins.module_utils import _errors, _mapping, _module, _options
    return _errors, _mapping, _module, _options


class _Options:
    """What the collection's option checks need of a module: params, fail_json, warn."""

    def __init__(self, params: Dict[str, Any]) -> None:
        self.params = params
        self.no_log_values = set()  # type: set
        self.warnings = []  # type: List[str]

    def fail_json(self, msg: str, **dummy: Any) -> None:
        raise ArgumentError('mode_drift: ' + msg)

    def warn(self, msg: str) -> None:
        self.warnings.append(msg)


def _interval(args: Dict[str, Any]) -> float:
    value = args.get('interval')
    value = 60 if value is None else value
    try:
        number = float(value) if not isinstance(value, bool) else 0.0
    except (TypeError, ValueError):
        number = 0.0
    if not (number > 0 and math.isfinite(number)):
        raise ArgumentError('mode_drift: interval must be a number greater than 0; got %r' % (value,))
    return number


def settings(args: Dict[str, Any], modules=None):
    """(options, wanted numbers, interval) from the source's arguments; raises ArgumentError.

    ``options.params`` holds the connection options as a module sees them: argument, else EXOTEL_* variable, else default.
    """
    options = (modules or collection())[3]
    spec = options.exotel_argument_spec()
    params = {}  # type: Dict[str, Any]
    for name, entry in spec.items():
        value = args.get(name)
        env = options.ENV_VARS.get(name)
        if value is None and env and env in os.environ:
            value = os.environ[env]
        if value is None:
            value = entry.get('default')
        if value is not None and entry.get('type') == 'int':
            try:
                value = int(value)
            except (TypeError, ValueError):
                raise ArgumentError('mode_drift: %s must be an integer; got %r' % (name, value))
        if value is not None and entry.get('type') == 'bool' and isinstance(value, str):
            value = value.lower() in ('true', 'yes', '1')
        params[name] = value
    params.update(trunk_sid=args.get('trunk_sid'), numbers=args.get('numbers'), mode=args.get('mode'))
    module = _Options(params)
    if not params['trunk_sid']:
        module.fail_json('trunk_sid is required: %s.' % options.SID_FORM)
    options.check_trunk_sid(module)
    if params['mode'] is not None and params['mode'] not in options.MODES:
        module.fail_json('mode must be one of %s; got %r.' % (', '.join(options.MODES), params['mode']))
    if not isinstance(params['numbers'], list) or not params['numbers']:
        module.fail_json('numbers must be a non-empty list of phone numbers in E.164 form (or dicts with phone_number and mode).')
    wanted = options.number_entries(module)
    options.validate_options(module)
    return module, wanted, _interval(args)


def compare(mappings: List[Dict[str, Any]], wanted: List[Dict[str, Any]], effective_mode: Callable[[Any], str]) -> Dict[str, Any]:
    """The drift of ``wanted`` (phone_number, mode) against the trunk's ``mappings``."""
    by_phone = dict((m.get('phone_number'), m) for m in mappings)
    drifted, missing = [], []
    for want in wanted:
        have = by_phone.get(want['phone_number'])
        if have is None:
            missing.append(want['phone_number'])
        elif effective_mode(have.get('mode')) != want['mode']:
            drifted.append({'phone_number': want['phone_number'], 'id': have.get('id'),
                            'mode': effective_mode(have.get('mode')), 'desired': want['mode']})
    return {'in_sync': not drifted and not missing, 'drifted': drifted, 'missing': missing,
            'numbers': [{'phone_number': d['phone_number'], 'mode': d['desired']} for d in drifted]}


def _now() -> str:
    return datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%S.%fZ')


async def watch(queue: asyncio.Queue, trunk_sid: str, wanted: List[Dict[str, Any]], read: Callable[[], List[Dict[str, Any]]],
                interval: float, modules, sleep=asyncio.sleep, clock: Callable[[], str] = _now) -> None:
    """Read, compare and report changes forever (until cancelled). ``read`` is blocking: it runs in a thread."""
    errors, mapping = modules[0], modules[1]
    loop = asyncio.get_running_loop()
    last = None  # type: Optional[tuple]
    failing = False
    while True:
        try:
            mappings = await loop.run_in_executor(None, read)
        except errors.ExotelError as exc:
            if not failing:
                failing = True
                error = dict(exc.details(), msg=exc.message)
                await queue.put({'mode_drift': {'trunk_sid': trunk_sid, 'error': error, 'checked_at': clock()}})
        else:
            failing = False
            drift = compare(mappings, wanted, mapping.effective_mode)
            key = (tuple(sorted((d['phone_number'], d['mode']) for d in drift['drifted'])), tuple(sorted(drift['missing'])))
            if key != last and (last is not None or not drift['in_sync']):
                await queue.put({'mode_drift': dict(drift, trunk_sid=trunk_sid, checked_at=clock())})
            last = key
        await sleep(interval)


async def main(queue: asyncio.Queue, args: Dict[str, Any]) -> None:
    """Entry point of the event source (ansible-rulebook calls it with the source's arguments)."""
    modules = collection()
    module, wanted, interval = settings(args, modules)
    client = modules[2].client_from_module(module)      # built and checked the way the modules build it
    trunk_sid = module.params['trunk_sid']

    def read():
        return list(modules[1].iter_mappings(client, trunk_sid))
    await watch(queue, trunk_sid, wanted, read, interval, modules)


if __name__ == '__main__':
    # Try it by hand with the EXOTEL_* variables set: python mode_drift.py TRUNK_SID MODE NUMBER...
    class MockQueue(asyncio.Queue):
        """A queue that prints the events."""

        async def put(self, item):
            print(item)  # noqa: T201

    asyncio.run(main(MockQueue(), {'trunk_sid': sys.argv[1], 'mode': sys.argv[2], 'numbers': sys.argv[3:], 'interval': 10}))

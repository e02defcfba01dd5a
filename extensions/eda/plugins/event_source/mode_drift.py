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
import types
from typing import Any, Callable, Dict, List

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

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
    """The collection's module_utils, by name. ansible-rulebook runs this file from the collection's place in
    an ansible_collections tree without putting that tree on sys.path: it is added here, once."""
    here = os.path.abspath(__file__)
    parts = here.split(os.sep)
    if 'ansible_collections' in parts:
        top = os.sep.join(parts[:len(parts) - 1 - parts[::-1].index('ansible_collections')]) or os.sep
        if top not in sys.path:
            sys.path.append(top)
    # pylint: disable=import-outside-toplevel
    from ansible_collections.exotel.trunking.plugins.module_utils import _client, _errors, _mapping, _options
    return types.SimpleNamespace(client=_client, errors=_errors, mapping=_mapping, options=_options)


def argument_spec(lib) -> Dict[str, Any]:
    """The one spec of the source's arguments: the modules' connection options and the source's own."""
    spec = lib.options.exotel_argument_spec()
    spec.update(
        trunk_sid=dict(type='str', required=True),
        numbers=dict(type='list', elements='raw', required=True),
        mode=dict(type='str', choices=list(lib.options.MODES)),
        interval=dict(type='float', default=60),
    )
    return spec


def settings(args: Dict[str, Any], lib=None):
    """(params, wanted numbers, interval) from the source's arguments; raises ArgumentError.

    ansible-core's ArgumentSpecValidator checks them against ``argument_spec`` (types, choices, required
    options, the EXOTEL_* environment variables, defaults), then the modules' own checks run, so every
    message is worded as a module words it.
    """
    lib = lib or collection()
    result = ArgumentSpecValidator(argument_spec(lib)).validate(dict(args))
    if result.error_messages:
        raise ArgumentError('mode_drift: ' + '; '.join(result.error_messages))
    params = result.validated_parameters
    try:
        lib.options.check_trunk_sid(params)
        if not params['numbers']:
            raise lib.options.OptionError('numbers must be a non-empty list of phone numbers in E.164 form (or dicts '
                                          'with phone_number and mode).')
        wanted = lib.options.number_entries(params)
        lib.options.validate_options(params)
    except lib.options.OptionError as exc:
        raise ArgumentError('mode_drift: ' + exc.message)
    interval = params['interval']
    if not (interval > 0 and math.isfinite(interval)):
        raise ArgumentError('mode_drift: interval must be a number greater than 0; got %r' % (args.get('interval'),))
    return params, wanted, interval


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
                interval: float, lib, sleep=asyncio.sleep, clock: Callable[[], str] = _now) -> None:
    """Read, compare and report changes forever (until cancelled). ``read`` is blocking: it runs in a thread."""
    errors, mapping = lib.errors, lib.mapping
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
    lib = collection()
    params, wanted, interval = settings(args, lib)
    client = lib.client.client_from_params(params)      # built the way the modules build it
    trunk_sid = params['trunk_sid']

    def read():
        return list(lib.mapping.iter_mappings(client, trunk_sid))
    await watch(queue, trunk_sid, wanted, read, interval, lib)


if __name__ == '__main__':
    # Try it by hand with the EXOTEL_* variables set: python mode_drift.py TRUNK_SID MODE NUMBER...
    class MockQueue(asyncio.Queue):
        """A queue that prints the events."""

        async def put(self, item):
            print(item)  # noqa: T201

    asyncio.run(main(MockQueue(), {'trunk_sid': sys.argv[1], 'mode': sys.argv[2], 'numbers': sys.argv[3:], 'interval': 10}))

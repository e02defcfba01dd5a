# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""ansible-rulebook event source: what callers of a set of numbers get, reported as degraded / recovered.

It reads the calls with the collection's own Calls client, summary and verdicts (plugins/module_utils:
_calls, _call_summary, _call_outcomes), the same code exotel_call_info runs, found beside this file in
its ansible_collections tree.
"""

import asyncio
import datetime
import os
import sys
import time
from typing import Any, Callable, Dict, List

DOCUMENTATION = r"""
---
short_description: Report when the calls to a set of Exotel numbers start failing, and when they stop
description:
  - An ansible-rulebook event source plugin that reads, every O(interval) seconds, the calls to O(numbers) over the
    last O(window) minutes from Exotel's Calls API (the read of M(exotel.trunking.exotel_call_info), numbers five
    a request, paged) and judges the share of ended calls that failed (status failed, busy or no-answer).
  - It emits C(degraded) when that failure ratio is above O(threshold) with at least O(min_calls) ended calls in
    the window, and C(recovered) once it has stayed at or below O(threshold) for O(recover_polls) judged polls in
    a row. A poll with fewer than O(min_calls) ended calls says nothing, so a quiet line emits nothing.
  - Each event has the key C(call_outcomes) with C(status) (C(degraded) or C(recovered)), C(previous), C(numbers)
    (the watched numbers), C(calls) (ended calls judged), C(failed), C(failure_ratio), C(answer_ratio),
    C(not_final), C(per_number) (for each watched number C(calls), C(failed) and C(failure_ratio)),
    C(threshold), C(min_calls), C(window), C(polls_below) and C(checked_at).
    Events carry counts and ratios only, never a caller's number.
  - A failed read emits one event whose C(call_outcomes) has C(error) (C(msg), C(http_status), C(error_code),
    C(error_description), C(request_id), C(method), C(path)) and C(checked_at), until a read succeeds again.
  - Once calls are routed elsewhere (for example to the PSTN) their outcomes say nothing about the route they left;
    the rulebook exotel.trunking.call_failover therefore moves numbers back only on the bot's health check.
  - The connection options are those of the modules, with the same E(EXOTEL_*) environment variables and checks.
    It needs ansible-core and requests where ansible-rulebook runs.
options:
  numbers:
    description:
      - The numbers (ExoPhones) whose incoming calls to judge together, E.164 strings.
    type: list
    elements: str
    required: true
  window:
    description:
      - Minutes of calls each poll judges, up to now (a number greater than 0, fractions allowed, at most 44640).
    type: float
    default: 10
  interval:
    description:
      - Seconds between two polls (a number greater than 0).
    type: float
    default: 60
  threshold:
    description:
      - The failure ratio (0 to below 1) above which the calls are C(degraded).
    type: float
    default: 0.3
  min_calls:
    description:
      - Ended calls a window needs before it is judged at all.
    type: int
    default: 10
  recover_polls:
    description:
      - Judged polls in a row at or below O(threshold) before C(recovered) is emitted.
    type: int
    default: 3
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
  rate_limit:
    description:
      - Requests per minute this source starts at most (Exotel allows 200 a minute on its Voice APIs).
    type: int
    default: 200
  validate_certs:
    description:
      - Verify the TLS certificate of the API host.
    type: bool
    default: true
"""

EXAMPLES = r"""
- exotel.trunking.call_outcomes:
    numbers: ["+918040264209", "+918040264211"]
    window: 10
    interval: 60
    threshold: 0.3
    min_calls: 10
    recover_polls: 3
"""

SOURCE = 'call_outcomes'
MAX_WINDOW_MINUTES = 31 * 24 * 60


def collection():
    """The collection's module_utils, imported from the ansible_collections tree this file is in."""
    here = os.path.abspath(__file__)
    parts = here.split(os.sep)
    if 'ansible_collections' in parts:
        top = os.sep.join(parts[:len(parts) - 1 - parts[::-1].index('ansible_collections')]) or os.sep
        if top not in sys.path:
            sys.path.append(top)
    # pylint: disable=import-outside-toplevel
    from ansible_collections.exotel.trunking.plugins.module_utils import (
        _call_outcomes, _call_summary, _calls, _client, _errors, _options, _source_options,
    )
    return dict(outcomes=_call_outcomes, summary=_call_summary, calls=_calls, client=_client, errors=_errors,
                options=_options, source=_source_options)


def settings(args: Dict[str, Any], modules=None):
    """(params, conf) from the source's arguments; raises SourceArgumentError naming the first bad one.

    ``params`` holds the connection options as a module sees them (ansible-core's ArgumentSpecValidator against the
    modules' spec: argument, else EXOTEL_* variable, else default), checked with the modules' own checks.
    """
    modules = modules or collection()
    source, options = modules['source'], modules['options']
    params = source.connection_params(SOURCE, args)
    numbers = args.get('numbers')
    if not isinstance(numbers, list) or not numbers:
        raise source.SourceArgumentError('%s: numbers must be a non-empty list of E.164 numbers, e.g. ["+918040264209"].' % SOURCE)
    for index, number in enumerate(numbers):
        source.checked(SOURCE, options.check_option, params, 'numbers', options.E164_RE, options.PHONE_FORM, value=number,
                       label='numbers[%d]' % index)
    conf = dict(
        numbers=modules['summary'].unique(numbers),
        window=source.number_arg(SOURCE, args, 'window', 10),
        interval=source.number_arg(SOURCE, args, 'interval', 60),
        threshold=source.number_arg(SOURCE, args, 'threshold', 0.3, low=0, inclusive=True, high=1),
        min_calls=source.number_arg(SOURCE, args, 'min_calls', 10, integer=True, low=1, inclusive=True),
        recover_polls=source.number_arg(SOURCE, args, 'recover_polls', 3, integer=True, low=1, inclusive=True),
    )
    if conf['window'] > MAX_WINDOW_MINUTES:
        raise source.SourceArgumentError('%s: window must be at most %d minutes (Exotel answers at most 31 days); got %r.' % (
            SOURCE, MAX_WINDOW_MINUTES, args.get('window')))
    source.checked(SOURCE, options.validate_options, params)
    return params, conf


def event(verdict: Dict[str, Any], summary: Dict[str, Any], conf: Dict[str, Any], checked_at: str) -> Dict[str, Any]:
    """The event of a verdict: counts and ratios of the watched numbers, never a caller's number."""
    total = summary['total']
    per_number = dict((number, {'calls': s['ended'], 'failed': s['failed'], 'failure_ratio': s['failure_ratio']})
                      for number, s in summary['numbers'].items())
    return {'call_outcomes': dict(
        verdict, numbers=list(conf['numbers']), answer_ratio=total['answer_ratio'], not_final=total['not_final'],
        per_number=per_number, threshold=conf['threshold'], min_calls=conf['min_calls'], window=conf['window'],
        checked_at=checked_at)}


def _now() -> str:
    return datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%S.%fZ')


async def watch(queue: asyncio.Queue, conf: Dict[str, Any], read: Callable[[], List[Dict[str, Any]]], modules,
                sleep=asyncio.sleep, clock: Callable[[], str] = _now) -> None:
    """Read, summarise, judge and report forever (until cancelled). ``read`` is blocking: it runs in a thread."""
    errors, summary_of = modules['errors'], modules['summary'].summarize
    judge = modules['outcomes'].OutcomeJudge(conf['threshold'], conf['min_calls'], conf['recover_polls'])
    loop = asyncio.get_running_loop()
    failing = False
    while True:
        try:
            records = await loop.run_in_executor(None, read)
        except errors.ExotelError as exc:
            if not failing:
                failing = True
                await queue.put({'call_outcomes': {'error': dict(exc.details(), msg=exc.message), 'checked_at': clock()}})
        else:
            failing = False
            summary = summary_of(records, conf['numbers'])
            verdict = judge.observe(summary['total'])
            if verdict is not None:
                await queue.put(event(verdict, summary, conf, clock()))
        await sleep(conf['interval'])


async def main(queue: asyncio.Queue, args: Dict[str, Any]) -> None:
    """Entry point of the event source (ansible-rulebook calls it with the source's arguments)."""
    modules = collection()
    params, conf = settings(args, modules)
    client = modules['client'].client_from_params(params)      # built the way the modules build it
    calls = modules['calls']
    reader = calls.CallsReader(calls.send_through(client), params['account_sid'])

    def read():
        since, until = calls.window(time.time(), last=conf['window'])
        return reader.read(conf['numbers'], since, until)
    await watch(queue, conf, read, modules)


if __name__ == '__main__':
    # Try it by hand with the EXOTEL_* variables set: python call_outcomes.py NUMBER... (prints the events)
    class MockQueue(asyncio.Queue):
        """A queue that prints the events."""

        async def put(self, item):
            print(item)  # noqa: T201

    asyncio.run(main(MockQueue(), {'numbers': sys.argv[1:], 'interval': 10, 'window': 10}))

# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""ansible-rulebook event source: a bot's health URL, reported as debounced up/down transitions."""

import asyncio
import datetime
import math
from typing import Any, Awaitable, Callable, Dict, Optional, Tuple
from urllib.parse import urlsplit, urlunsplit

import aiohttp

DOCUMENTATION = r"""
---
short_description: Watch a Voice AI bot's health URL and report when it goes down or comes back
description:
  - An ansible-rulebook event source plugin that requests a bot's health URL every O(interval) seconds.
  - A check succeeds when the answer's HTTP status is one of O(expect_status) (by default any 2xx
    status). A timeout, a refused connection, a TLS failure or any other status is a failed check.
    Redirects are not followed.
  - It emits an event only on a transition, after O(failures) failed checks in a row (C(down)) or
    O(successes) successful checks in a row (C(up)). A bot that flaps faster than that emits nothing.
  - The first state it establishes is emitted too (with C(previous=unknown)) unless O(emit_initial=false),
    so a rulebook started while the bot is down still fails over.
  - Each event has the key C(bot_health) with C(name), C(url), C(status), C(previous), C(consecutive),
    C(status_code), C(error) and C(checked_at). C(status) is C(up) or C(down); C(consecutive) the number of
    checks in a row that decided it; C(status_code) and C(error) describe the last check (C(error) is null
    when it passed); C(url) never shows credentials or the query string; C(checked_at) is an ISO 8601 UTC time.
options:
  url:
    description:
      - The health URL of the bot, http or https.
    type: str
    required: true
  name:
    description:
      - A name for the bot, copied into every event (useful with several sources).
      - Defaults to the URL's host name.
    type: str
  interval:
    description:
      - Seconds between two checks (a number greater than 0, fractions allowed).
    type: float
    default: 5
  timeout:
    description:
      - Seconds a check may take before it counts as failed (a number greater than 0).
    type: float
    default: 3
  failures:
    description:
      - Failed checks in a row before the bot is reported C(down).
    type: int
    default: 3
  successes:
    description:
      - Successful checks in a row before the bot is reported C(up).
    type: int
    default: 3
  expect_status:
    description:
      - The HTTP statuses that count as healthy. Empty (the default) means any 2xx status.
    type: list
    elements: int
    default: []
  headers:
    description:
      - Extra request headers, for example an C(Authorization) header. Their values never appear in events.
    type: dict
    default: {}
  verify_ssl:
    description:
      - Verify the TLS certificate of an https URL.
    type: bool
    default: true
  emit_initial:
    description:
      - Emit the first state established after start (C(previous=unknown)).
      - With V(false) only changes after that are emitted.
    type: bool
    default: true
"""

EXAMPLES = r"""
- exotel.trunking.bot_health:
    url: https://bot.example.com/healthz
    name: support-bot
    interval: 5
    timeout: 3
    failures: 3
    successes: 6
"""

UNKNOWN, UP, DOWN = 'unknown', 'up', 'down'

Probe = Callable[[], Awaitable[Tuple[bool, Optional[int], Optional[str]]]]


class ArgumentError(ValueError):
    """A source argument that does not have its form; the message names it and the expected form."""


def _number(args, name, default, kind, low):
    value = args.get(name)
    if value is None:
        value = default
    try:
        if isinstance(value, bool):
            raise ValueError(value)
        number = kind(value)
        if kind is int and number != float(value):
            raise ValueError(value)
    except (TypeError, ValueError):
        number = None
    if number is None or not math.isfinite(number) or (number < low if kind is int else number <= low):
        raise ArgumentError('bot_health: %s must be %s %s; got %r' % (
            name, 'an integer of at least' if kind is int else 'a number greater than', low, value))
    return number


def _flag(args, name, default):
    value = args.get(name)
    if value is None:
        value = default
    if isinstance(value, str) and value.lower() in ('true', 'false', 'yes', 'no'):
        value = value.lower() in ('true', 'yes')
    if not isinstance(value, bool):
        raise ArgumentError('bot_health: %s must be true or false; got %r' % (name, value))
    return value


def public_url(url):
    """The URL without credentials, query or fragment (what events show)."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc.rpartition('@')[2], parts.path, '', ''))


def settings(args: Dict[str, Any]) -> Dict[str, Any]:
    """The source's arguments, checked; raises ArgumentError naming the first bad one."""
    url = args.get('url')
    parts = urlsplit(url) if isinstance(url, str) else None
    try:
        valid_port = parts is not None and (parts.port is None or 0 < parts.port < 65536)
    except ValueError:
        valid_port = False
    if parts is None or parts.scheme not in ('http', 'https') or not parts.hostname or not valid_port:
        raise ArgumentError('bot_health: url must be an http:// or https:// URL with a host, '
                            'e.g. https://bot.example.com/healthz; got %r' % (public_url(url) if isinstance(url, str) else url))
    expect = args.get('expect_status') or []
    if not isinstance(expect, list) or not all(isinstance(s, int) and not isinstance(s, bool) and 100 <= s <= 599 for s in expect):
        raise ArgumentError('bot_health: expect_status must be a list of HTTP statuses (integers 100 to 599), e.g. [200, 204]; '
                            'got %r' % (expect,))
    headers = args.get('headers') or {}
    if not isinstance(headers, dict):
        raise ArgumentError('bot_health: headers must be a mapping of header names to values')
    name = args.get('name') or parts.hostname
    return dict(
        url=url, public_url=public_url(url), name=str(name), headers=dict((str(k), str(v)) for k, v in headers.items()),
        interval=_number(args, 'interval', 5, float, 0), timeout=_number(args, 'timeout', 3, float, 0),
        failures=_number(args, 'failures', 3, int, 1), successes=_number(args, 'successes', 3, int, 1),
        expect_status=list(expect), verify_ssl=_flag(args, 'verify_ssl', True), emit_initial=_flag(args, 'emit_initial', True))


class Debounce:
    """Turns a stream of check results into up/down transitions.

    ``observe(ok)`` returns the new state when the run of equal results reaches its threshold and
    the state differs from the current one, else None.
    """

    def __init__(self, failures: int, successes: int) -> None:
        self.failures = failures
        self.successes = successes
        self.state = UNKNOWN
        self.run = 0
        self.run_ok = None  # type: Optional[bool]

    def observe(self, ok: bool) -> Optional[str]:
        self.run = self.run + 1 if ok is self.run_ok else 1
        self.run_ok = ok
        wanted, needed = (UP, self.successes) if ok else (DOWN, self.failures)
        if self.state != wanted and self.run >= needed:
            self.state = wanted
            return wanted
        return None


def http_probe(session: aiohttp.ClientSession, conf: Dict[str, Any]) -> Probe:
    """One check of the URL: (healthy, HTTP status or None, error text or None)."""
    ssl = None if conf['verify_ssl'] else False

    async def probe():
        try:
            async with session.get(conf['url'], headers=conf['headers'], allow_redirects=False, ssl=ssl) as resp:
                status = resp.status
                await resp.read()
        except asyncio.TimeoutError:
            return False, None, 'no answer within %g seconds' % conf['timeout']
        except aiohttp.ClientError as exc:
            return False, None, '%s: %s' % (type(exc).__name__, exc)
        healthy = status in conf['expect_status'] if conf['expect_status'] else 200 <= status < 300
        return healthy, status, None if healthy else 'HTTP status %d' % status
    return probe


def _now() -> str:
    return datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%S.%fZ')


async def watch(queue: asyncio.Queue, conf: Dict[str, Any], probe: Probe,
                sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep, clock: Callable[[], str] = _now) -> None:
    """Check, debounce and report forever (until cancelled)."""
    debounce = Debounce(conf['failures'], conf['successes'])
    while True:
        ok, status_code, error = await probe()
        previous = debounce.state
        state = debounce.observe(ok)
        if state and (previous != UNKNOWN or conf['emit_initial']):
            await queue.put({'bot_health': {
                'name': conf['name'], 'url': conf['public_url'], 'status': state, 'previous': previous,
                'consecutive': debounce.run, 'status_code': status_code, 'error': error, 'checked_at': clock()}})
        await sleep(conf['interval'])


async def main(queue: asyncio.Queue, args: Dict[str, Any]) -> None:
    """Entry point of the event source (ansible-rulebook calls it with the source's arguments)."""
    conf = settings(args)
    timeout = aiohttp.ClientTimeout(total=conf['timeout'])
    async with aiohttp.ClientSession(timeout=timeout) as session:
        await watch(queue, conf, http_probe(session, conf))


if __name__ == '__main__':
    # Try it by hand: python bot_health.py URL (prints the events; Ctrl-C stops it).
    import sys

    class MockQueue(asyncio.Queue):
        """A queue that prints the events."""

        async def put(self, item):
            print(item)  # noqa: T201

    asyncio.run(main(MockQueue(), {'url': sys.argv[1] if len(sys.argv) > 1 else 'http://127.0.0.1:8080/healthz',
                                   'interval': 1, 'failures': 2, 'successes': 2}))

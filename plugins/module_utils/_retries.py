# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

# This module_utils file is internal to exotel.trunking: its name starts with "_" and its
# interface may change without notice. Do not import it from other collections.

"""When to try a request again and how long to wait: the backoff, ``Retry-After``, client-side pacing,
and ``settle``, which sends a write again after a re-read showed that it did not happen.

The request loop in ``_client.py`` only asks these; the waiting itself is the client's injectable sleep.
One request and the sends of the same write after a re-read share one budget (``Attempts``): at most
``retries`` + 1 sends. All retry waits of a task share ``max_retry_wait`` (``WaitBudget``), counted in wall
time: waits of parallel writes that overlap count once, so the budget bounds how much longer the task runs
because of retry waits, whatever the number of writes side by side. A failure that is not sent again because
one of the two budgets is spent says which (``give_up``).
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import collections
import random
import threading

from ansible_collections.exotel.trunking.plugins.module_utils._errors import ExotelError

try:
    from urllib3.util.retry import Retry as _Urllib3Retry
except ImportError:
    _Urllib3Retry = None

# Statuses after which a request is tried again (when the method allows it).
RETRY_STATUSES = frozenset((429, 502, 503, 504))
# Backoff: first wait about BACKOFF_BASE seconds, doubling, each wait at most BACKOFF_MAX.
BACKOFF_BASE = 1.0
BACKOFF_MAX = 30.0
# A connection that was refused or timed out is tried at most this many more times (within
# ``retries``): a wrong host or port must fail within seconds, not after the whole retry budget.
CONNECT_RETRIES = 2
# Methods whose repetition cannot do more than once.
IDEMPOTENT_METHODS = ('GET', 'PUT', 'DELETE', 'HEAD')


def give_up(failure, attempts, budget, why=None):
    """Note on ``failure`` that it is not sent again because ``budget`` is spent; returns ``failure``.

    ``budget`` names the option and its figure (``retries=5``, ``max_retry_wait=120s``) and is kept in
    ``failure.spent_budget`` for summaries; ``why`` says how it is spent (default: ``used`` for the
    retries, ``spent`` for the wait). ``attempts``: the sends so far are its retries used + 1.
    """
    if failure.spent_budget:
        return failure   # said once, by the first budget that stopped it
    what = 'The request' if failure.method in ('GET', 'HEAD') else 'The write'
    sent = attempts.used + 1
    failure.spent_budget = budget
    why = why or '%s %s' % (budget, 'used' if budget.startswith('retries') else 'spent')
    return failure.close('%s was sent %d time%s; not sent again: %s.' % (what, sent, '' if sent == 1 else 's', why))


class WaitBudget(object):
    """``max_retry_wait``: how much longer the task may run because of retry waits, in wall time.

    A wait from ``now`` for ``delay`` seconds costs only the part of it that no earlier wait already
    covers, so eight parallel writes that each wait 2 s side by side cost 2 s, not 16 s. Thread-safe.
    """

    def __init__(self, limit, clock):
        self.limit = max(0, limit)
        self.clock = clock
        self.spent = 0.0
        self.covered_until = None
        self.lock = threading.Lock()

    def allows(self, now):
        """Seconds a wait starting at ``now`` may last: what is left of the budget, plus what an earlier
        wait still covers."""
        covered = max(0.0, (self.covered_until or now) - now)
        return covered + max(0.0, self.limit - self.spent)

    def take(self, delay):
        """Reserve a wait of ``delay`` seconds from now: the seconds to wait (at most ``delay``), or None
        when the budget allows no wait at all."""
        with self.lock:
            now = self.clock()
            allowed = self.allows(now)
            if allowed <= 0:
                return None
            delay = min(delay, allowed)
            start = max(now, self.covered_until or now)
            end = now + delay
            if end > start:
                self.spent += end - start
                self.covered_until = end
            return delay

    def left(self):
        """Seconds a wait starting now may last."""
        with self.lock:
            return self.allows(self.clock())


class Attempts(object):
    """The retry budget of one request, or of one write with its sends after a re-read: ``retries``
    more sends after the first. ``used`` counts the retries taken so far."""

    def __init__(self, retries):
        self.retries = retries
        self.used = 0

    @property
    def spent(self):
        return self.used >= self.retries


def retry_status(error):
    """The status an answer that failed stands for: its HTTP status, or the code in the failure body of an
    HTTP 2xx answer (a 200 whose body says 503 is retried like a 503)."""
    if error.body_code is not None:
        return error.body_code
    return error.http_status


def settle(client, send, reread, unclear=None):
    """Send one write until its answer, or a re-read, shows what happened; send it again when a re-read
    shows that it did not happen and the failure was transient, within the write's retry budget.

    ``send()`` sends the write once (inside, the client retries what it may: HTTP 429, and for
    idempotent requests 502, 503, 504 and lost answers); its retries count in the same budget.
    When it fails with an unclear outcome (``retryable``: a 5xx, a lost, cut off or malformed answer, a
    redirect), ``reread(error)`` reads the state back and returns ``(True, result)`` when the write is
    shown done, or ``(False, note)`` when it is shown not done; it raises when the re-read fails or
    shows something that a new send cannot cure. Not done after a ``transient`` failure: wait as for
    a retry (``client.pause``) and send again. A create is thus sent again only after a re-read showed
    the object absent. ``unclear(error)`` says which failures call for a re-read (by default, the
    ``retryable`` ones).

    Returns ``(answer, None)`` when an answer shows success, ``(result, error)`` when a re-read after
    ``error`` shows the write done. Raises the last ExotelError, with the re-read's note, otherwise.
    """
    attempts = Attempts(client.retries)
    while True:
        try:
            return client.within(attempts, send), None
        except ExotelError as exc:
            error = exc
        if not (unclear(error) if unclear else error.retryable):
            raise error
        done, value = reread(error)
        if done:
            return value, error
        error.note(value)
        if not error.transient:
            raise error
        client.pause(attempts, error)


def backoff(attempt):
    """Seconds to wait before retry number ``attempt`` + 1: exponential, capped, with jitter."""
    ceiling = min(BACKOFF_MAX, BACKOFF_BASE * (2 ** attempt))
    return ceiling / 2 + random.uniform(0, ceiling / 2)


def jitter(seconds):
    """A wait the server asked for, plus up to a second, so parallel requests do not come back together."""
    return seconds + random.uniform(0, 1)


def retry_after(response):
    """Seconds the server asked us to wait (``Retry-After``: seconds or an HTTP date), or None."""
    value = response.headers.get('Retry-After')
    if not value:
        return None
    if _Urllib3Retry is not None:
        try:
            return max(0.0, float(_Urllib3Retry().parse_retry_after(value)))
        except Exception:  # pylint: disable=broad-except
            return None
    try:
        return max(0.0, float(int(value.strip())))
    except ValueError:
        return None


def seconds(value):
    """``value`` seconds as short text: 2, 0.5, 1.2."""
    return ('%.1f' % value).rstrip('0').rstrip('.')


class Pacer(object):
    """Client-side pacing: at most ``per_minute`` request starts in any 60-second window.

    Thread-safe, so one task's parallel writes share the account's budget and never cause
    their own HTTP 429s. ``per_minute`` of 0 (or None) turns pacing off.
    """

    WINDOW = 60.0

    def __init__(self, per_minute, sleep, clock):
        self.per_minute = per_minute or 0
        self.sleep = sleep
        self.clock = clock
        self.starts = collections.deque()
        self.lock = threading.Lock()
        self.waited = 0.0

    def wait(self):
        if self.per_minute <= 0:
            return
        while True:
            with self.lock:
                now = self.clock()
                while self.starts and self.starts[0] <= now - self.WINDOW:
                    self.starts.popleft()
                if len(self.starts) < self.per_minute:
                    self.starts.append(now)
                    return
                delay = self.starts[0] + self.WINDOW - now
                self.waited += delay
            self.sleep(delay)

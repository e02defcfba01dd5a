# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

# This module_utils file is internal to exotel.trunking: its name starts with "_" and its
# interface may change without notice. Do not import it from other collections.

"""When to try a request again and how long to wait: the backoff, ``Retry-After``, and client-side pacing.

The request loop in ``_client.py`` only asks these; the waiting itself is the client's injectable sleep.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import collections
import random
import threading

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

# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The per-account rate limit: a sliding window of 60 seconds (see "Rate limit" in docs/docsite/rst/api_reference.rst)."""

import math
import threading

DEFAULT_RATE_LIMIT = 200
# The ExoPhone API's limit (its own window per account; see beta.py).
DEFAULT_EXOPHONE_RATE_LIMIT = 50
RATE_WINDOW_SECONDS = 60
# Error code used in the body of a 429 answer (Exotel documents none for the trunk API).
RATE_LIMIT_ERROR_CODE = 429


class RateLimiter:
    """Sliding-window limiter: at most ``limit`` requests per account in any 60 seconds."""

    def __init__(self, clock):
        self.clock = clock
        self.hits = {}
        self.lock = threading.Lock()

    def reset(self):
        with self.lock:
            self.hits = {}

    def check(self, account, limit):
        """Record a request; return (allowed, headers)."""
        if not limit:
            return True, {}
        now = self.clock()
        with self.lock:
            hits = [t for t in self.hits.get(account, []) if t > now - RATE_WINDOW_SECONDS]
            allowed = len(hits) < limit
            if allowed:
                hits.append(now)
            self.hits[account] = hits
            reset_in = max(1, int(math.ceil(hits[0] + RATE_WINDOW_SECONDS - now))) if hits else RATE_WINDOW_SECONDS
            headers = {
                'X-RateLimit-Limit': str(limit),
                'X-RateLimit-Remaining': str(max(0, limit - len(hits))),
                'X-RateLimit-Reset': str(int(math.ceil(now)) + reset_in),
            }
            if not allowed:
                headers['Retry-After'] = str(reset_in)
            return allowed, headers

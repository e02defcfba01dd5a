# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The ``Emulator``: state, config, request log and fault rules, and (once started) an HTTP server in a thread."""

import contextlib
import copy
import threading
import time
from http.server import ThreadingHTTPServer

from .admin import call_admin
from .beta import call_beta_api
from .calls import CallsApi
from .exophones import ExoPhoneApi
from .faults import normalise_faults, take_fault
from .gateway import call_api
from .models import Store, iso, load_fixture
from .ratelimit import DEFAULT_EXOPHONE_RATE_LIMIT, DEFAULT_RATE_LIMIT, RateLimiter
from .responses import MAX_PAGE_SIZE, Api
from .server import Handler
from .traffic import Traffic
from .v1 import DEFAULT_CALLS_RATE_LIMIT, call_v1_api

MAX_LOG_ENTRIES = 100000


class Emulator:
    """The emulator: state, config, log, faults, and (once started) an HTTP server in a thread.

    ``fixture``: a path or a dict (default: ``fixture.json`` in tests/emulator).
    ``exophone_rate_limit``: the ExoPhone API's own limit per account (requests per minute; 0: off).
    ``calls_rate_limit``: the Calls API's (v1) own limit per account (requests per minute; 0: off).
    ``clock``: a function returning epoch seconds (rate limit and dates); ``sleep``: used by the
    ``latency`` fault. Both are injectable so tests need no real waiting.
    """

    def __init__(self, fixture=None, host='127.0.0.1', port=0, rate_limit=DEFAULT_RATE_LIMIT, trunk_maps_flat=False,
                 max_page_size=MAX_PAGE_SIZE, faults=None, clock=None, sleep=None, verbose=False,
                 exophone_rate_limit=DEFAULT_EXOPHONE_RATE_LIMIT, calls_rate_limit=DEFAULT_CALLS_RATE_LIMIT):
        self.fixture = load_fixture(fixture)
        self.host = host
        self.port = port
        self.clock = clock or time.time
        self.sleep = sleep or time.sleep
        self.verbose = verbose
        self.initial_config = {'rate_limit': int(rate_limit), 'trunk_maps_flat': bool(trunk_maps_flat),
                               'max_page_size': int(max_page_size), 'omit_empty_metadata': False,
                               'exophone_rate_limit': int(exophone_rate_limit), 'exophones_omit_next_page_uri': False,
                               'calls_rate_limit': int(calls_rate_limit), 'calls_blank_next_page_uri': False}
        self.initial_faults = normalise_faults(faults or [])
        self.lock = threading.RLock()
        self.handling = 0                       # requests arrived and not yet answered (in_flight, wait_idle)
        self.answered = threading.Condition()
        self.limiter = RateLimiter(self.clock)
        self.api_impl = Api(self)
        self.beta_impl = ExoPhoneApi(self)
        self.calls_impl = CallsApi(self)
        self.server = self.thread = None
        # Set by reset():
        self.store = self.config = self.faults = self.log = self.traffic = None
        self.reset()

    # ---- lifecycle ------------------------------------------------------------------------

    def reset(self, fixture=None):
        with self.lock:
            if fixture is not None:
                self.fixture = load_fixture(fixture)
            self.store = Store(self.fixture, self.clock)
            self.traffic = Traffic(self.clock)
            self.config = dict(self.initial_config)
            self.faults = copy.deepcopy(self.initial_faults)
            self.log = []
            self.limiter.reset()

    def bind(self):
        self.server = ThreadingHTTPServer((self.host, self.port), Handler)
        self.server.daemon_threads = True
        self.server.emulator = self
        self.port = self.server.server_address[1]
        return self

    def start(self):
        """Serve in a background thread; returns self."""
        if self.server is None:
            self.bind()
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={'poll_interval': 0.05},
                                       name='exotel-emulator', daemon=True)
        self.thread.start()
        return self

    def serve_forever(self):
        if self.server is None:
            self.bind()
        self.server.serve_forever()

    def stop(self):
        if self.server is not None:
            if self.thread is not None:
                self.server.shutdown()
                self.thread.join(5)
            self.server.server_close()
            self.server = None
            self.thread = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()

    @property
    def url(self):
        return 'http://%s:%d' % (self.host, self.port)

    # ---- helpers for tests ----------------------------------------------------------------

    def add_faults(self, faults):
        with self.lock:
            self.faults.extend(normalise_faults(faults))

    def requests_log(self):
        with self.lock:
            return copy.deepcopy(self.log)

    @contextlib.contextmanager
    def in_flight(self):
        """Counts an API request from its arrival until it is answered (or its connection closed)."""
        with self.answered:
            self.handling += 1
        try:
            yield
        finally:
            with self.answered:
                self.handling -= 1
                self.answered.notify_all()

    def wait_idle(self, timeout=30):
        """Wait until no API request is being handled; False when one still is after ``timeout`` seconds.

        A request held by a ``latency`` fault is carried out and logged when its delay is over: a client that
        gave up on it earlier may be done before that."""
        with self.answered:
            return self.answered.wait_for(lambda: self.handling == 0, timeout)

    def record(self, entry):
        with self.lock:
            entry['seq'] = len(self.log) + 1
            entry['time'] = iso(self.clock())
            self.log.append(entry)
            if len(self.log) > MAX_LOG_ENTRIES:
                del self.log[:len(self.log) - MAX_LOG_ENTRIES]

    def take_fault(self, method, path):
        """The first fault rule that matches and still has uses left (its count is used up by one)."""
        with self.lock:
            return take_fault(self.faults, method, path)

    # ---- the APIs (see gateway.py, beta.py, v1.py and admin.py) ------------------------------------

    def api(self, method, path, query, raw, headers, ignore_change=False):
        """The answer of the trunk API, of the ExoPhone API for a path under ``/v2_beta/``, of the Calls API under ``/v1/``.

        First the call world places the calls that are due, so a routing change made by this
        request affects only the calls placed after it.
        """
        with self.lock:
            self.traffic.advance(self.store)
        if path.startswith('/v1/'):
            return call_v1_api(self, method, path, query, raw, headers, ignore_change=ignore_change)
        if path.startswith('/v2_beta/'):
            return call_beta_api(self, method, path, query, raw, headers, ignore_change=ignore_change)
        return call_api(self, method, path, query, raw, headers, ignore_change=ignore_change)

    def admin(self, method, path, query, raw):
        return call_admin(self, method, path, query, raw)

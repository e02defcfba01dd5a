# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Fixtures of the Event-Driven Ansible tests: the event source plugins loaded as ansible-rulebook loads
them (by path), a scriptable fake HTTP server (a bot's health URL), the emulator, and polling with deadlines.

Run them with `.venvs/nox/bin/nox -s eda` (it builds .venvs/eda from requirements/eda.txt).
"""

import asyncio
import os
import runpy
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SOURCES = os.path.join(ROOT, 'extensions', 'eda', 'plugins', 'event_source')

# The emulator, its accounts and the collection tree come from the end-to-end suite's fixtures.
E2E = runpy.run_path(os.path.join(ROOT, 'tests', 'e2e', 'conftest.py'))
ACCOUNT, KEY, TOKEN, TRUNK, PAGED_TRUNK = (E2E[name] for name in ('ACCOUNT', 'KEY', 'TOKEN', 'TRUNK', 'PAGED_TRUNK'))
emulator = E2E['emulator']
collections_path = E2E['collections_path']


def load_source(name, collections_path=None):
    """The plugin's globals, loaded the way ansible-rulebook loads a source (runpy.run_path).

    With ``collections_path``, from the collection's place in that ansible_collections tree, as
    ansible-rulebook finds it through ansible-galaxy.
    """
    base = SOURCES
    if collections_path:
        base = os.path.join(collections_path, 'ansible_collections', 'exotel', 'trunking', 'extensions', 'eda', 'plugins', 'event_source')
    return runpy.run_path(os.path.join(base, name + '.py'))


def wait_for(predicate, timeout, what, interval=0.05):
    """Poll ``predicate`` until it returns a true value or ``timeout`` seconds pass (then fail saying ``what``)."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError('timed out after %ss waiting for %s' % (timeout, what))
        time.sleep(interval)


def drive(main, args, scenario, timeout=20):
    """Run an event source's ``main(queue, args)`` while the coroutine ``scenario(queue, task)`` runs.

    Returns what the scenario returns; main is cancelled when the scenario ends (or after ``timeout`` seconds).
    """
    async def run():
        queue = asyncio.Queue()
        task = asyncio.create_task(main(queue, args))
        try:
            return await asyncio.wait_for(scenario(queue, task), timeout)
        finally:
            task.cancel()
            try:
                await task
            except asyncio.CancelledError:
                pass
    return asyncio.run(run())


async def next_event(queue, task, timeout=10):
    """The next event main puts on the queue; fails when main ends or none comes in ``timeout`` seconds."""
    getter = asyncio.ensure_future(queue.get())
    done, dummy = await asyncio.wait([getter, task], timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
    if getter not in done:
        getter.cancel()
        if task in done:
            task.result()
        raise AssertionError('no event within %ss' % timeout)
    return getter.result()


class FakeBot(object):
    """A bot's health endpoint on 127.0.0.1 that a test scripts, takes down and brings back.

    ``answers``: the statuses of the next requests, in order; when they run out, ``steady`` answers
    (``flap=True`` alternates 503 and 200 for every request instead). ``hold`` makes every request
    wait for the event (a bot that does not answer) until it is set. ``stop()`` closes the port (a
    refused connection); ``start()`` opens it again on the same port.
    """

    def __init__(self, steady=200):
        self.steady = steady
        self.answers = []
        self.flap = False
        self.hold = None
        self.requests = []
        self.lock = threading.Lock()
        self.port = 0
        self.server = None
        self.thread = None

    def _handler(self):
        bot = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (the name http.server calls)
                with bot.lock:
                    bot.requests.append({'path': self.path, 'headers': dict(self.headers)})
                    if bot.answers:
                        status = bot.answers.pop(0)
                    elif bot.flap:
                        status = 503 if len(bot.requests) % 2 else 200
                    else:
                        status = bot.steady
                    hold = bot.hold
                if hold is not None:
                    hold.wait(30)
                body = b'{"ok": %s}' % (b'true' if status < 300 else b'false')
                self.send_response(status)
                if 300 <= status < 400:
                    self.send_header('Location', '/elsewhere')
                self.send_header('Content-Type', 'application/json')
                self.send_header('Content-Length', str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):  # pylint: disable=arguments-differ
                return

        return Handler

    def start(self):
        self.server = ThreadingHTTPServer(('127.0.0.1', self.port), self._handler())
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={'poll_interval': 0.05}, daemon=True)
        self.thread.start()
        return self

    def stop(self):
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.thread.join(10)
            self.server = None

    @property
    def url(self):
        return 'http://127.0.0.1:%d/healthz' % self.port

    def count(self):
        with self.lock:
            return len(self.requests)

    def script(self, answers=None, steady=None, flap=None):
        with self.lock:
            if answers is not None:
                self.answers = list(answers)
            if steady is not None:
                self.steady = steady
            if flap is not None:
                self.flap = flap


@pytest.fixture
def fake_bot():
    bot = FakeBot().start()
    try:
        yield bot
    finally:
        if bot.hold is not None:
            bot.hold.set()
        bot.stop()

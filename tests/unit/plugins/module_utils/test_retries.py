# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""_retries: the wall-time budget of max_retry_wait, the note of a spent budget, backoff and Retry-After."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import threading

import pytest

from ansible_collections.exotel.trunking.plugins.module_utils._client import ExotelClient
from ansible_collections.exotel.trunking.plugins.module_utils._errors import ExotelError
from ansible_collections.exotel.trunking.plugins.module_utils._retries import Attempts, WaitBudget, backoff, give_up

from ansible_collections.exotel.trunking.tests.unit.plugins.fake_time import FakeTime


def test_waits_side_by_side_cost_the_budget_once():
    clock = FakeTime()
    budget = WaitBudget(10, clock.clock)
    # Eight parallel writes each wait 2 s from the same moment: 2 s of wall time, not 16.
    assert [budget.take(2.0) for dummy in range(8)] == [2.0] * 8
    assert budget.spent == 2.0
    assert budget.left() == 10.0      # 2 s still covered by the waits under way, 8 s of budget


def test_a_wait_is_cut_to_what_the_budget_leaves_and_then_none_is_allowed():
    clock = FakeTime()
    budget = WaitBudget(3, clock.clock)
    assert budget.take(2.0) == 2.0
    assert budget.take(5.0) == 3.0    # 2 s covered already, 1 s of budget left
    assert budget.take(1.0) == 1.0    # inside a wait already counted: free
    assert budget.spent == 3.0
    clock.sleep(3.0)
    assert budget.take(0.5) is None and budget.left() == 0.0


def test_waits_one_after_the_other_add_up():
    clock = FakeTime()
    budget = WaitBudget(100, clock.clock)
    for delay in (1.0, 2.0, 4.0):
        assert budget.take(delay) == delay
        clock.sleep(delay)
    assert budget.spent == 7.0


def test_parallel_writes_with_a_real_thread_pool_share_the_wall_time_budget():
    """Eight threads of a bulk task pause five times each at the same fake moments: the client's budget
    of 20 s is not spent, though the waits add up to far more than 20 s."""
    clock = FakeTime()
    slept = []
    lock = threading.Lock()

    def sleep(seconds):
        with lock:
            slept.append(seconds)

    client = ExotelClient('acc', 'key', 'token', retries=5, max_retry_wait=20, sleep=sleep, clock=clock.clock)
    errors = []

    def write():
        attempts = Attempts(5)
        try:
            for dummy in range(5):
                client.pause(attempts, ExotelError('HTTP 503', method='PUT', transient=True))
        except ExotelError as exc:  # pragma: no cover - shown by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=write) for dummy in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(slept) == 40 and sum(slept) > 20
    assert client.wait_budget.spent <= 20


def test_a_spent_retry_budget_is_named_once_and_stays_last():
    error = ExotelError('Exotel answered PUT /x with HTTP 503', method='PUT', transient=True)
    attempts = Attempts(2)
    attempts.used = 2
    give_up(error, attempts, 'retries=2')
    error.note('A re-read shows the mapping still has mode \'pstn\': nothing was changed.')
    give_up(error, attempts, 'max_retry_wait=120s')
    assert error.message == ("Exotel answered PUT /x with HTTP 503. A re-read shows the mapping still has mode 'pstn': "
                             "nothing was changed. The write was sent 3 times; not sent again: retries=2 used.")
    assert error.spent_budget == 'retries=2'


def test_a_read_that_spent_the_wait_says_request_and_spent():
    error = give_up(ExotelError('HTTP 502', method='GET'), Attempts(5), 'max_retry_wait=120s')
    assert error.message == 'HTTP 502. The request was sent 1 time; not sent again: max_retry_wait=120s spent.'


def test_client_pause_names_the_spent_wait_budget():
    clock = FakeTime()
    client = ExotelClient('acc', 'key', 'token', retries=5, max_retry_wait=1, sleep=clock.sleep, clock=clock.clock)
    attempts = Attempts(5)
    failure = ExotelError('HTTP 503', method='PUT', transient=True)
    while True:
        try:
            client.pause(attempts, failure)
        except ExotelError as exc:
            assert exc is failure
            break
    assert failure.spent_budget == 'max_retry_wait=1s'
    assert failure.message.endswith('not sent again: max_retry_wait=1s spent.')
    assert sum(clock.slept) == pytest.approx(1.0)


@pytest.mark.parametrize('attempt, low, high', [(0, 0.5, 1.0), (1, 1.0, 2.0), (3, 4.0, 8.0), (10, 15.0, 30.0)])
def test_backoff_doubles_with_jitter_and_is_capped(attempt, low, high):
    for dummy in range(50):
        assert low <= backoff(attempt) <= high

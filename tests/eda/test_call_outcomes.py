# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The call_outcomes event source: argument checks (the modules' own), and main() against the emulator's call traffic.

The emulator's call world runs 60 times as fast as the clock, so a window of one minute is the calls of
the last second; every wait polls with a deadline.
"""

import asyncio
import json
import re

import pytest

from conftest import ACCOUNT, KEY, TOKEN, drive, load_source, next_event, wait_for

ENV = ('EXOTEL_ACCOUNT_SID', 'EXOTEL_API_KEY', 'EXOTEL_API_TOKEN', 'EXOTEL_REGION', 'EXOTEL_API_URL')
BOT = '+918040264209'       # mapped to the trunk with mode flow
SECOND = '+918040264211'    # not mapped: its calls run its ExoPhone's flow
CALLS = '/v1/Accounts/%s/Calls.json' % ACCOUNT
pytest.importorskip('ansible')


@pytest.fixture
def source(collections_path, monkeypatch):
    for name in ENV:
        monkeypatch.delenv(name, raising=False)
    return load_source('call_outcomes', collections_path)


def connection(emu, **more):
    args = {'account_sid': ACCOUNT, 'api_key': KEY, 'api_token': TOKEN, 'api_url': emu.url, 'interval': 0.1,
            'window': 1, 'min_calls': 10, 'threshold': 0.3, 'recover_polls': 2}
    args.update(more)
    return args


def traffic(emu, routes, factor=60, **stream):
    """Set the routes' health (calls of 5 to 10 s) and, with ``stream``, start calls."""
    with emu.lock:
        emu.traffic.advance(emu.store)
        emu.traffic.configure({'clock_factor': factor, 'routes': dict(
            (name, dict(health, duration=[5, 10])) for name, health in routes.items())})
        if stream:
            emu.traffic.add_stream(emu.store, stream)


def reads(emu):
    return [e for e in emu.requests_log() if e['path'] == CALLS]


@pytest.mark.parametrize('args, message', [
    ({}, 'call_outcomes: numbers must be a non-empty list of E.164 numbers, e.g. ["+918040264209"].'),
    ({'numbers': ['08040264209']},
     ("call_outcomes: numbers[0] must be an E.164 phone number: \"+\" then 8 to 15 digits, e.g. \"+918040264208\"; got '08040264209'. "
      'It looks like a number without its "+": YAML reads an unquoted +918040264208 as the integer 918040264208. Quote it: "+918040264208".')),
    ({'numbers': [BOT], 'threshold': 1}, 'call_outcomes: threshold must be a number of at least 0 and below 1; got 1'),
    ({'numbers': [BOT], 'min_calls': 0}, 'call_outcomes: min_calls must be a whole number of at least 1; got 0'),
    ({'numbers': [BOT], 'recover_polls': 'two'}, "call_outcomes: recover_polls must be a whole number of at least 1; got 'two'"),
    ({'numbers': [BOT], 'window': 0}, 'call_outcomes: window must be a number greater than 0; got 0'),
    ({'numbers': [BOT], 'window': 50000}, 'call_outcomes: window must be at most 44640 minutes (Exotel answers at most 31 days); got 50000.'),
    ({'numbers': [BOT], 'interval': -1}, 'call_outcomes: interval must be a number greater than 0; got -1'),
    ({'numbers': [BOT], 'account_sid': 'a/b', 'api_key': 'k', 'api_token': TOKEN},
     "call_outcomes: account_sid must be an Exotel account SID (letters, digits, \"_\" and \"-\"); got 'a/b'."),
    ({'numbers': [BOT], 'account_sid': 'a', 'api_key': 'k', 'api_token': TOKEN, 'timeout': 'soon'},
     "call_outcomes: argument 'timeout' is of type str and we were unable to convert to int..."),
])
def test_bad_arguments_fail_with_the_modules_wording(source, args, message):
    with pytest.raises(ValueError) as caught:
        source['settings'](args)
    if message.endswith('...'):     # ansible-core's wording: the quoting of the value differs between versions
        assert str(caught.value).startswith(message[:-3])
    else:
        assert str(caught.value) == message
    assert TOKEN not in str(caught.value)


def test_defaults_and_the_environment(source, monkeypatch):
    monkeypatch.setenv('EXOTEL_ACCOUNT_SID', 'acc_env')
    monkeypatch.setenv('EXOTEL_API_KEY', 'key_env')
    monkeypatch.setenv('EXOTEL_API_TOKEN', 'tok_env')
    params, conf = source['settings']({'numbers': [BOT, SECOND, BOT], 'min_calls': '20'})
    assert (params['account_sid'], params['api_key'], params['region']) == ('acc_env', 'key_env', 'singapore')
    assert conf == {'numbers': [BOT, SECOND], 'window': 10.0, 'interval': 60.0, 'threshold': 0.3, 'min_calls': 20,
                    'recover_polls': 3}


def test_degraded_then_recovered_with_counts_only(source, emulator):
    traffic(emulator, {'flow': {'failed': 0.6}, 'unmapped': {'failed': 0.6}},
            numbers=[BOT, SECOND], calls_per_minute=60, backfill_minutes=2)

    async def scenario(queue, task):
        degraded = (await next_event(queue, task))['call_outcomes']
        traffic(emulator, {'flow': {}, 'unmapped': {}})
        recovered = (await next_event(queue, task, timeout=20))['call_outcomes']
        return degraded, recovered

    degraded, recovered = drive(source['main'], connection(emulator, numbers=[BOT, SECOND]), scenario, timeout=40)
    assert sorted(degraded) == ['answer_ratio', 'calls', 'checked_at', 'failed', 'failure_ratio', 'min_calls', 'not_final',
                                'numbers', 'per_number', 'polls_below', 'previous', 'status', 'threshold', 'window']
    assert (degraded['status'], degraded['previous'], degraded['numbers']) == ('degraded', 'unknown', [BOT, SECOND])
    assert degraded['calls'] >= 10 and degraded['failure_ratio'] > 0.3
    assert degraded['failed'] == sum(n['failed'] for n in degraded['per_number'].values())
    assert sorted(degraded['per_number']) == [BOT, SECOND]
    assert (degraded['threshold'], degraded['min_calls'], degraded['window']) == (0.3, 10, 1.0)
    assert re.match(r'^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z$', degraded['checked_at'])
    assert (recovered['status'], recovered['previous'], recovered['polls_below']) == ('recovered', 'degraded', 2)
    assert recovered['failure_ratio'] <= 0.3
    callers = {c['from'] for c in emulator.traffic.dump()}
    shown = json.dumps([degraded, recovered])
    assert not any(c in shown or c[3:] in shown for c in callers)
    queries = {tuple(sorted(e['query'])) for e in reads(emulator)}
    assert queries <= {('DateCreated', 'PageSize', 'To'), ('After', 'DateCreated', 'PageSize', 'To')}
    assert {e['query']['To'] for e in reads(emulator) if 'After' not in e['query']} == {'%s,%s' % (BOT, SECOND)}


def test_nothing_while_there_are_too_few_calls(source, emulator):
    traffic(emulator, {'flow': {'failed': 1}}, numbers=[BOT], calls_per_minute=1, backfill_minutes=1)

    async def scenario(queue, task):
        await asyncio.get_running_loop().run_in_executor(None, lambda: wait_for(lambda: len(reads(emulator)) >= 5, 10, 'five reads'))
        return queue.empty()

    assert drive(source['main'], connection(emulator, numbers=[BOT]), scenario) is True


def test_a_failed_read_is_reported_once_with_exotels_details_and_no_token(source, emulator):
    async def scenario(queue, task):
        event = (await next_event(queue, task))['call_outcomes']
        await asyncio.get_running_loop().run_in_executor(None, lambda: wait_for(lambda: len(reads(emulator)) >= 4, 10, 'four reads'))
        assert queue.empty()
        return event

    event = drive(source['main'], connection(emulator, numbers=[BOT], api_key='wrong_key'), scenario)
    error = event['error']
    assert (error['http_status'], error['method'], error['error_description']) == (401, 'GET', 'Authentication failed')
    assert error['path'].startswith(CALLS + '?To=%2B918040264209&DateCreated=')
    assert error['msg'].startswith('Exotel rejected GET ') and TOKEN not in repr(event)

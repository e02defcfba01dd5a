# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The mode_drift event source: argument checks (the modules' own), and main() against the emulator."""

import asyncio

import pytest

from conftest import ACCOUNT, KEY, TOKEN, TRUNK, drive, load_source, next_event, wait_for

ENV = ('EXOTEL_ACCOUNT_SID', 'EXOTEL_API_KEY', 'EXOTEL_API_TOKEN', 'EXOTEL_REGION', 'EXOTEL_API_URL')
pytest.importorskip('ansible')


@pytest.fixture
def source(collections_path, monkeypatch):
    for name in ENV:
        monkeypatch.delenv(name, raising=False)
    return load_source('mode_drift', collections_path)


CRED = {'account_sid': 'a', 'api_key': 'k', 'api_token': TOKEN}


def connection(emu, **more):
    args = {'account_sid': ACCOUNT, 'api_key': KEY, 'api_token': TOKEN, 'api_url': emu.url, 'interval': 0.02}
    args.update(more)
    return args


def set_mode(emu, phone, mode):
    with emu.lock:
        for mapping in emu.store.trunks[TRUNK]['phone-numbers']:
            if mapping['phone_number'] == phone:
                mapping['mode'] = mode


@pytest.mark.parametrize('args, message', [
    # ansible-core's own wording for required options and choices, as a module gives it.
    ({'numbers': ['+918040264208'], 'mode': 'flow', 'account_sid': 'a', 'api_key': 'k', 'api_token': TOKEN},
     'mode_drift: missing required arguments: trunk_sid'),
    ({'trunk_sid': 'tr/../x', 'numbers': ['+918040264208'], 'mode': 'flow', **CRED},
     "mode_drift: trunk_sid must be a trunk SID (letters, digits, \"_\" and \"-\"), e.g. trmum1f708622631150902801a1n; got 'tr/../x'."),
    ({'trunk_sid': TRUNK, 'numbers': ['+918040264208'], 'mode': 'PSTN', 'account_sid': 'a', 'api_key': 'k', 'api_token': TOKEN},
     'mode_drift: value of mode must be one of: pstn, flow, got: PSTN'),
    ({'trunk_sid': TRUNK, 'numbers': ['+918040264208'], 'mode': 'flow'},
     'mode_drift: missing required arguments: account_sid, api_key, api_token'),
    ({'trunk_sid': TRUNK, 'numbers': ['+918040264208'], 'mode': 'flow', 'account_sid': 'a', 'api_key': 'k', 'api_token': TOKEN,
      'timeout': 'soon'},
     # (the quoting of the value differs between ansible-core versions: the message up to it is checked)
     "mode_drift: argument 'timeout' is of type str and we were unable to convert to int: ..."),
    ({'trunk_sid': TRUNK, 'numbers': [], 'mode': 'flow', **CRED},
     'mode_drift: numbers must be a non-empty list of phone numbers in E.164 form (or dicts with phone_number and mode).'),
    ({'trunk_sid': TRUNK, 'numbers': [918040264208], 'mode': 'flow', **CRED},
     ('mode_drift: Invalid numbers: numbers[0] must be an E.164 phone number: "+" then 8 to 15 digits, e.g. "+918040264208"; got '
     '918040264208. It looks like a number without its "+": YAML reads an unquoted +918040264208 as the integer 918040264208. '
      'Quote it: "+918040264208".')),
    ({'trunk_sid': TRUNK, 'numbers': ['+918040264208'], **CRED},
     'mode_drift: Invalid numbers: numbers[0].mode is required when the task has no mode (pstn or flow).'),
    ({'trunk_sid': TRUNK, 'numbers': ['+918040264208'], 'mode': 'flow', 'account_sid': '', 'api_key': 'k', 'api_token': TOKEN},
     ('mode_drift: account_sid is empty: set it in the task (or module_defaults) or in the environment variable EXOTEL_ACCOUNT_SID. '
     'An empty value usually comes from an unset variable or vault entry.')),
    ({'trunk_sid': TRUNK, 'numbers': ['+918040264208'], 'mode': 'flow', 'account_sid': 'a', 'api_key': 'k', 'api_token': TOKEN,
      'region': 'mars'}, "mode_drift: region must be one of singapore, mumbai (in any case); got 'mars'."),
    ({'trunk_sid': TRUNK, 'numbers': ['+918040264208'], 'mode': 'flow', 'account_sid': 'a', 'api_key': 'k', 'api_token': TOKEN,
      'interval': 0}, 'mode_drift: interval must be a number greater than 0; got 0'),
])
def test_bad_arguments_fail_with_the_modules_wording(source, args, message):
    with pytest.raises(source['ArgumentError']) as caught:
        source['settings'](args)
    if message.endswith('...'):
        assert str(caught.value).startswith(message[:-3])
    else:
        assert str(caught.value) == message
    assert TOKEN not in str(caught.value)


def test_connection_options_fall_back_to_the_environment(source, monkeypatch):
    monkeypatch.setenv('EXOTEL_ACCOUNT_SID', 'acc_env')
    monkeypatch.setenv('EXOTEL_API_KEY', 'key_env')
    monkeypatch.setenv('EXOTEL_API_TOKEN', 'tok_env')
    monkeypatch.setenv('EXOTEL_REGION', 'Mumbai')
    params, wanted, interval = source['settings']({'trunk_sid': TRUNK, 'mode': 'flow', 'interval': '30',
                                                   'numbers': ['+918040264208', {'phone_number': '+918040264210', 'mode': 'pstn'}]})
    assert (params['account_sid'], params['api_key'], params['api_token'], params['region'], params['api_url']) == (
        'acc_env', 'key_env', 'tok_env', 'mumbai', None)
    assert wanted == [{'phone_number': '+918040264208', 'number_id': None, 'mode': 'flow'},
                      {'phone_number': '+918040264210', 'number_id': None, 'mode': 'pstn'}]
    assert interval == 30.0


def test_reports_drift_when_it_changes_and_once_when_back_in_sync(source, emulator):
    # +918040264208 is pstn, +918040264209 flow, +918040264210 has no mode (routes like pstn).
    args = connection(emulator, trunk_sid=TRUNK, mode='flow', numbers=['+918040264208', '+918040264209', '+918040264210'])

    async def scenario(queue, task):
        seen = [(await next_event(queue, task))['mode_drift']]
        set_mode(emulator, '+918040264208', 'flow')
        seen.append((await next_event(queue, task))['mode_drift'])
        set_mode(emulator, '+918040264210', 'flow')
        seen.append((await next_event(queue, task))['mode_drift'])
        reads = len(emulator.requests_log())
        await asyncio.get_running_loop().run_in_executor(
            None, lambda: wait_for(lambda: len(emulator.requests_log()) >= reads + 3, 10, 'three more reads'))
        assert queue.empty()              # in sync and unchanged: no more events
        return seen

    first, second, third = drive(source['main'], args, scenario)
    for event in (first, second, third):
        assert event.pop('checked_at').endswith('Z') and event.pop('trunk_sid') == TRUNK
    assert first == {'in_sync': False, 'missing': [],
                     'drifted': [{'phone_number': '+918040264208', 'id': '41523', 'mode': 'pstn', 'desired': 'flow'},
                                 {'phone_number': '+918040264210', 'id': '41525', 'mode': 'pstn', 'desired': 'flow'}],
                     'numbers': [{'phone_number': '+918040264208', 'mode': 'flow'}, {'phone_number': '+918040264210', 'mode': 'flow'}]}
    assert second == {'in_sync': False, 'missing': [],
                      'drifted': [{'phone_number': '+918040264210', 'id': '41525', 'mode': 'pstn', 'desired': 'flow'}],
                      'numbers': [{'phone_number': '+918040264210', 'mode': 'flow'}]}
    assert third == {'in_sync': True, 'missing': [], 'drifted': [], 'numbers': []}
    log = emulator.requests_log()
    assert {(e['method'], e['path'], e['user']) for e in log} == {('GET', '/v2/accounts/%s/trunks/%s/phone-numbers' % (ACCOUNT, TRUNK), KEY)}


def test_in_sync_at_start_emits_nothing_and_missing_numbers_are_reported(source, emulator):
    args = connection(emulator, trunk_sid=TRUNK, numbers=[{'phone_number': '+918040264209', 'mode': 'flow'}, '+918040264208'],
                      mode='pstn')

    async def scenario(queue, task):
        await asyncio.get_running_loop().run_in_executor(
            None, lambda: wait_for(lambda: len(emulator.requests_log()) >= 3, 10, 'three reads'))
        assert queue.empty()
        with emulator.lock:
            emulator.store.trunks[TRUNK]['phone-numbers'] = [
                m for m in emulator.store.trunks[TRUNK]['phone-numbers'] if m['phone_number'] != '+918040264208']
        return (await next_event(queue, task))['mode_drift']

    event = drive(source['main'], args, scenario)
    assert (event['in_sync'], event['drifted'], event['missing']) == (False, [], ['+918040264208'])


def test_a_failed_read_is_reported_once_with_exotels_details_and_no_token(source, emulator):
    args = connection(emulator, trunk_sid=TRUNK, mode='flow', numbers=['+918040264208'], api_key='wrong_key', retries=0)

    async def scenario(queue, task):
        event = (await next_event(queue, task))['mode_drift']
        await asyncio.get_running_loop().run_in_executor(
            None, lambda: wait_for(lambda: len(emulator.requests_log()) >= 4, 10, 'four reads'))
        assert queue.empty()
        return event

    event = drive(source['main'], args, scenario)
    error = event['error']
    assert (error['http_status'], error['method'], error['path']) == (401, 'GET', '/v2/accounts/%s/trunks/%s/phone-numbers?page_size=100' % (
        ACCOUNT, TRUNK))
    assert error['request_id'] and error['msg'].startswith('Exotel rejected GET ')
    assert TOKEN not in repr(event)

# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The token never appears in any output, at any verbosity; bad input never reaches the server."""

import base64

import pytest

from conftest import KEY, TOKEN, TRUNK

SECRETS = (TOKEN, base64.b64encode(('%s:%s' % (KEY, TOKEN)).encode()).decode())


@pytest.mark.parametrize('args', [
    pytest.param({'trunk_sid': 'trunknotthere000000000000000000', 'phone_number': '+918040264208', 'mode': 'flow'}, id='unknown-trunk'),
    pytest.param({'trunk_sid': TRUNK, 'phone_number': '+918040264208', 'mode': 'flow'}, id='success'),
])
def test_token_never_appears_at_vvvv(emulator, play, args):
    run = play(args, emulator_url=emulator.url, verbosity=4, diff=True)
    assert 'Module under test' in run.output
    for secret in SECRETS:
        assert secret not in run.output
        assert secret not in str(run.results)
        assert secret not in str(emulator.requests_log())


def test_wrong_token_fails_with_region_hint_and_no_token(emulator, play):
    run = play({'trunk_sid': TRUNK, 'phone_number': '+918040264208', 'mode': 'flow', 'api_token': 'wrong_' + TOKEN},
               emulator_url=emulator.url, verbosity=4)
    result = run.result
    assert result['failed'] is True and result['http_status'] == 401 and result['error_code'] == 1010
    assert 'API keys are per region' in result['msg']
    assert TOKEN not in run.output


@pytest.mark.parametrize('option, value', [
    ('trunk_sid', '../../../other_account/trunks'),
    ('phone_number', '+91 8040264208'),
    ('account_sid', 'demo_account/../other_account'),
    ('number_id', '41523?id=1'),
])
def test_path_injection_is_refused_before_any_request(emulator, play, option, value):
    args = {'trunk_sid': TRUNK, 'phone_number': '+918040264208', 'mode': 'flow', option: value}
    result = play(args, emulator_url=emulator.url).result
    assert result['failed'] is True
    assert result['msg'].startswith('%s must be' % option)
    assert emulator.requests_log() == []


def test_credentials_from_environment(emulator, play):
    run = play({'trunk_sid': TRUNK, 'phone_number': '+918040264209', 'mode': 'flow'}, connection_args=False,
               env={'EXOTEL_API_URL': emulator.url, 'EXOTEL_ACCOUNT_SID': 'demo_account', 'EXOTEL_API_KEY': KEY,
                    'EXOTEL_API_TOKEN': TOKEN})
    assert run.result['changed'] is False and run.result['mapping']['mode'] == 'flow'
    assert [e['user'] for e in emulator.requests_log()] == [KEY]

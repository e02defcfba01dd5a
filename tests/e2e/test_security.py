# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The token never appears in any output, at any verbosity; bad input never reaches the server."""

import base64
import ssl
import subprocess

import pytest

from conftest import ACCOUNT, KEY, TOKEN, TRUNK, Emulator, mapping_state

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
               env={'EXOTEL_API_URL': emulator.url, 'EXOTEL_ACCOUNT_SID': ACCOUNT, 'EXOTEL_API_KEY': KEY,
                    'EXOTEL_API_TOKEN': TOKEN})
    assert run.result['changed'] is False and run.result['mapping']['mode'] == 'flow'
    assert [e['user'] for e in emulator.requests_log()] == [KEY]


# ---------------------------------------------------------------- credentials only over TLS, except to loopback

@pytest.mark.parametrize('url', ['http://api.exotel.com', 'http://192.0.2.10:8480'])
def test_plain_http_to_another_host_is_refused_before_any_request(play, url):
    result = play({'trunk_sid': TRUNK, 'phone_number': '+918040264208', 'mode': 'flow'}, emulator_url=url).result
    assert result['failed'] is True
    assert result['msg'].startswith('api_url uses http:// to %s: the API key and token would travel unencrypted.'
                                    % url.split('//')[1].split(':')[0])
    assert 'allow_insecure_http=true' in result['msg']


def test_plain_http_to_localhost_is_allowed(emulator, play):
    url = emulator.url.replace('127.0.0.1', 'localhost')
    result = play({'trunk_sid': TRUNK, 'phone_number': '+918040264208', 'mode': 'pstn'}, emulator_url=url).result
    assert result['changed'] is False and result['failed'] is False


@pytest.fixture(scope='module')
def self_signed(tmp_path_factory):
    """A self-signed certificate for 127.0.0.1 (what a TLS-inspecting proxy's private CA looks like)."""
    where = tmp_path_factory.mktemp('tls')
    cert, key = str(where / 'ca.pem'), str(where / 'key.pem')
    subprocess.run(['openssl', 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert,
                    '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return cert, key


@pytest.fixture
def tls_emulator(self_signed):
    """The emulator behind TLS with the self-signed certificate."""
    emu = Emulator(rate_limit=0).bind()
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*self_signed)
    emu.server.socket = context.wrap_socket(emu.server.socket, server_side=True)
    emu.start()
    try:
        yield emu, 'https://127.0.0.1:%d' % emu.port
    finally:
        emu.stop()


def test_ca_path_verifies_a_private_ca(tls_emulator, self_signed, play):
    emu, url = tls_emulator
    args = {'trunk_sid': TRUNK, 'phone_number': '+918040264208', 'mode': 'flow'}
    without = play(args, emulator_url=url, env={'REQUESTS_CA_BUNDLE': '', 'CURL_CA_BUNDLE': ''}).result
    assert without['failed'] is True
    assert without['msg'].startswith('Could not reach Exotel at %s: the TLS certificate of 127.0.0.1 could not be '
                                     'verified (' % url)
    assert 'give its CA bundle in ca_path' in without['msg']
    assert emu.requests_log() == []     # nothing was sent over the unverified connection

    result = play(dict(args, ca_path=self_signed[0]), emulator_url=url).result
    assert result['changed'] is True and result['failed'] is False
    assert mapping_state(emu, '41523')['mode'] == 'flow'
    assert [e['user'] for e in emu.requests_log()] == [KEY, KEY]

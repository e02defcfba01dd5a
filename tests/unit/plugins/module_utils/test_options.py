# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The connection options: every mistake is refused before any request, naming the option (or the
environment variable it came from) and the expected form; plain HTTP only to loopback."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.exotel.trunking.plugins.modules import exotel_number_mode
from ansible_collections.exotel.trunking.tests.unit.plugins.exotel_envelopes import (
    ACCOUNT, KEY, TOKEN, TRUNK, single, warning_texts,
)

LOOKUP_TAIL = '/v2/accounts/%s/trunk-maps' % ACCOUNT
ENV = ('EXOTEL_ACCOUNT_SID', 'EXOTEL_API_KEY', 'EXOTEL_API_TOKEN', 'EXOTEL_REGION', 'EXOTEL_API_URL',
       'REQUESTS_CA_BUNDLE', 'CURL_CA_BUNDLE')


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    for name in ENV:
        monkeypatch.delenv(name, raising=False)


def args(**kw):
    base = dict(account_sid=ACCOUNT, api_key=KEY, api_token=TOKEN, trunk_sid=TRUNK, phone_number='+918040264208',
                mode='pstn')
    base.update(kw)
    return {k: v for k, v in base.items() if v is not None}


def found(base_url, http):
    http.get(base_url + LOOKUP_TAIL, json=single({'exophone': '+918040264208', 'trunk_sid': TRUNK,
                                                  'phone_number_id': '41523', 'mode': 'pstn'}, method='GET'))


def refused(run_module, http, **kw):
    run = run_module(exotel_number_mode.main, args(**kw))
    assert run.result['failed'] is True
    assert len(http.calls) == 0
    assert TOKEN not in run.out
    return run.result['msg']


# ---------------------------------------------------------------- api_url

@pytest.mark.parametrize('url, removed', [
    ('https://api.exotel.com/v2', 'v2'),
    ('https://api.exotel.com/v2/', 'v2'),
    ('https://api.in.exotel.com/v2/accounts/ameyo5m', 'v2/accounts/ameyo5m'),
    ('https://proxy.example.com/exotel/v2', 'v2'),
    ('https://api.exotel.com/v2_beta', 'v2_beta'),
])
def test_api_url_with_the_api_path_is_refused(http, run_module, url, removed):
    assert refused(run_module, http, api_url=url) == (
        'api_url must be the base URL without the API path: remove "/%s" (got %r). The modules add '
        '/v2/accounts/<account_sid>/... themselves; Exotel\'s docs show the full path. Use e.g. '
        'https://api.exotel.com.' % (removed, url))


@pytest.mark.parametrize('url, message', [
    ('https://api.exotel.com/v2', 'must be the base URL without the API path'),
    ('http://api.exotel.com', 'uses http:// to api.exotel.com'),
])
def test_api_url_from_the_environment_is_named(http, run_module, monkeypatch, url, message):
    monkeypatch.setenv('EXOTEL_API_URL', url)
    assert refused(run_module, http).startswith('api_url (from the environment variable EXOTEL_API_URL) ' + message)


@pytest.mark.parametrize('url', ['ftp://api.exotel.com', 'https://key:secret@api.exotel.com', 'https://api.exotel.com?x=1',
                                 'https://api.exotel.com:99999', 'api.exotel.com'])
def test_api_url_that_is_not_a_base_url_is_refused(http, run_module, url):
    msg = refused(run_module, http, api_url=url)
    assert msg.startswith('api_url must be a base URL like https://api.exotel.com or http://127.0.0.1:8480')
    assert 'secret' not in msg


@pytest.mark.parametrize('url', ['http://api.exotel.com', 'http://10.0.0.5:8480', 'http://localhost.example.com',
                                 'http://[2001:db8::1]:8480'])
def test_plain_http_to_another_host_is_refused(http, run_module, url):
    msg = refused(run_module, http, api_url=url)
    assert msg.startswith('api_url uses http:// to ')
    assert 'the API key and token would travel unencrypted' in msg
    assert 'set allow_insecure_http=true' in msg


@pytest.mark.parametrize('url', ['http://localhost:8480', 'http://LOCALHOST', 'http://127.0.0.1:8480',
                                 'http://127.10.20.30:8480', 'http://[::1]:8480'])
def test_plain_http_to_loopback_is_allowed(http, run_module, url):
    found(url, http)
    run = run_module(exotel_number_mode.main, args(api_url=url, validate_certs=False))
    assert run.result['changed'] is False and 'failed' not in run.result
    assert http.calls[0].request.url.startswith(url.lower() + LOOKUP_TAIL)
    # No certificate to verify over http://: no TLS warning.
    assert warning_texts(run.result) == []


def test_plain_http_to_another_host_with_explicit_opt_in(http, run_module):
    found('http://10.0.0.5:8480', http)
    run = run_module(exotel_number_mode.main, args(api_url='http://10.0.0.5:8480', allow_insecure_http=True))
    assert run.result['changed'] is False and len(http.calls) == 1


# ---------------------------------------------------------------- credentials, region

@pytest.mark.parametrize('option, env', [('account_sid', 'EXOTEL_ACCOUNT_SID'), ('api_key', 'EXOTEL_API_KEY'),
                                         ('api_token', 'EXOTEL_API_TOKEN')])
@pytest.mark.parametrize('value', ['', '   '])
def test_empty_credentials_are_refused(http, run_module, option, env, value):
    assert refused(run_module, http, **{option: value}) == (
        '%s is empty: set it in the task (or module_defaults) or in the environment variable %s. An empty value '
        'usually comes from an unset variable or vault entry.' % (option, env))


def test_empty_credential_from_the_environment_is_named(http, run_module, monkeypatch):
    monkeypatch.setenv('EXOTEL_API_KEY', '')
    run = run_module(exotel_number_mode.main, dict((k, v) for k, v in args().items() if k != 'api_key'))
    assert run.result['msg'].startswith('api_key (from the environment variable EXOTEL_API_KEY) is empty')
    assert len(http.calls) == 0


@pytest.mark.parametrize('option', ['api_key', 'api_token'])
def test_credentials_with_line_breaks_are_refused_without_showing_them(http, run_module, option):
    msg = refused(run_module, http, **{option: 'abc_S3cret\n'})
    assert msg.startswith('%s contains a space, a line break or another control character (the value is not shown)' % option)
    assert 'abc_S3cret' not in msg


def test_account_sid_from_the_environment_is_named(http, run_module, monkeypatch):
    monkeypatch.setenv('EXOTEL_ACCOUNT_SID', 'acc/../other')
    run = run_module(exotel_number_mode.main, dict((k, v) for k, v in args().items() if k != 'account_sid'))
    assert run.result['msg'].startswith('account_sid (from the environment variable EXOTEL_ACCOUNT_SID) must be an '
                                        'Exotel account SID')
    assert len(http.calls) == 0


@pytest.mark.parametrize('region, base', [('Mumbai', 'https://api.in.exotel.com'), ('SINGAPORE', 'https://api.exotel.com'),
                                          (' mumbai ', 'https://api.in.exotel.com')])
def test_region_in_any_case(http, run_module, region, base):
    found(base, http)
    run = run_module(exotel_number_mode.main, args(region=region))
    assert 'failed' not in run.result
    assert http.calls[0].request.url.startswith(base + LOOKUP_TAIL)


def test_bad_region_from_the_environment_is_named(http, run_module, monkeypatch):
    monkeypatch.setenv('EXOTEL_REGION', 'delhi')
    assert refused(run_module, http) == ("region (from the environment variable EXOTEL_REGION) must be one of singapore, "
                                         "mumbai (in any case); got 'delhi'.")


def test_bad_region_in_the_task(http, run_module):
    assert refused(run_module, http, region='india') == "region must be one of singapore, mumbai (in any case); got 'india'."


# ---------------------------------------------------------------- TLS options

def test_ca_path_must_exist(http, run_module, tmp_path):
    missing = str(tmp_path / 'nope.pem')
    assert refused(run_module, http, ca_path=missing) == (
        'ca_path must be an existing CA bundle file (PEM) or a directory of CA certificates; %r does not exist.' % missing)


def test_ca_path_is_what_the_certificate_is_verified_with(http, run_module, tmp_path):
    bundle = tmp_path / 'corporate-ca.pem'
    bundle.write_text('-----BEGIN CERTIFICATE-----\n')
    found('https://api.exotel.com', http)
    run = run_module(exotel_number_mode.main, args(ca_path=str(bundle)))
    assert 'failed' not in run.result
    assert http.calls[0].request.req_kwargs['verify'] == str(bundle)


def test_default_verification_and_connect_timeout(http, run_module):
    found('https://api.exotel.com', http)
    run_module(exotel_number_mode.main, args(timeout=30))
    assert http.calls[0].request.req_kwargs['verify'] is True
    assert http.calls[0].request.req_kwargs['timeout'] == (5, 30)


def test_requests_ca_bundle_applies_without_ca_path(http, run_module, monkeypatch, tmp_path):
    bundle = tmp_path / 'from-env.pem'
    bundle.write_text('-----BEGIN CERTIFICATE-----\n')
    monkeypatch.setenv('REQUESTS_CA_BUNDLE', str(bundle))
    found('https://api.exotel.com', http)
    run_module(exotel_number_mode.main, args())
    assert http.calls[0].request.req_kwargs['verify'] == str(bundle)


def test_validate_certs_false_warns_on_https_only(http, run_module, tmp_path):
    found('https://api.exotel.com', http)
    run = run_module(exotel_number_mode.main, args(validate_certs=False))
    assert warning_texts(run.result) == [
        'validate_certs is false: the TLS certificate of the Exotel API host is not verified.']
    assert http.calls[0].request.req_kwargs['verify'] is False


# ---------------------------------------------------------------- phone numbers YAML turned into integers

def test_integer_phone_number_says_to_quote_it(http, run_module):
    run = run_module(exotel_number_mode.main, args(phone_number=918040264208))
    assert run.result['failed'] is True and len(http.calls) == 0
    assert run.result['msg'].endswith(
        'It looks like a number without its "+": YAML reads an unquoted +918040264208 as the integer 918040264208. '
        'Quote it: "+918040264208".')


# ---------------------------------------------------------------- requests floor

def test_old_requests_warns(http, run_module, monkeypatch):
    import requests
    monkeypatch.setattr(requests, '__version__', '2.31.0')
    found('https://api.exotel.com', http)
    run = run_module(exotel_number_mode.main, args())
    assert warning_texts(run.result) == [
        ('requests 2.31.0 is older than 2.32.4, which fixes known credential leaks (CVE-2024-47081, CVE-2023-32681); '
         'upgrade it on the host that runs the module: python3 -m pip install "requests>=2.32.4".')]


def test_current_requests_does_not_warn(http, run_module, monkeypatch):
    import requests
    monkeypatch.setattr(requests, '__version__', '2.32.4')
    found('https://api.exotel.com', http)
    assert warning_texts(run_module(exotel_number_mode.main, args()).result) == []

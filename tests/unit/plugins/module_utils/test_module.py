# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""_module: the one place that talks to AnsibleModule: option errors and Exotel's errors become fail_json, the client
is built from the options with the warnings they call for."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.exotel.trunking.plugins.module_utils._errors import ExotelError
from ansible_collections.exotel.trunking.plugins.module_utils._module import client_from_module, fail_from_error, option_errors
from ansible_collections.exotel.trunking.plugins.module_utils._options import OptionError, exotel_argument_spec
from ansible_collections.exotel.trunking.tests.unit.plugins.exotel_envelopes import ACCOUNT, KEY, TOKEN


class Failed(Exception):
    pass


class FakeModule(object):
    """Records what a module is told (fail_json stops like the real one)."""

    def __init__(self, **params):
        self.params = dict((n, s.get('default')) for n, s in exotel_argument_spec().items())
        self.params.update(account_sid=ACCOUNT, api_key=KEY, api_token=TOKEN)
        self.params.update(params)
        self.no_log_values = set()
        self.warnings = []
        self.failed = None

    def fail_json(self, **kwargs):
        self.failed = kwargs
        raise Failed()

    def warn(self, text):
        self.warnings.append(text)


def test_an_option_error_fails_the_module_with_its_message_and_hides_its_secrets():
    module = FakeModule()
    with pytest.raises(Failed):
        with option_errors(module):
            raise OptionError('api_url must be a base URL; got \'https://***@h\'.', ['hunter2'])
    assert module.failed == {'msg': "api_url must be a base URL; got 'https://***@h'."}
    assert module.no_log_values == {'hunter2'}


def test_fail_from_error_returns_exotels_details_and_changed_false():
    module = FakeModule()
    error = ExotelError('Exotel rejected PUT /p: HTTP 400', http_status=400, error_code=1002, request_id='r1', method='PUT',
                        path='/p')
    with pytest.raises(Failed):
        fail_from_error(module, error, extra=1)
    assert module.failed == dict(msg='Exotel rejected PUT /p: HTTP 400', http_status=400, error_code=1002,
                                 error_description=None, request_id='r1', method='PUT', path='/p', extra=1, changed=False)


def test_the_client_is_built_from_the_options():
    client = client_from_module(FakeModule(region='Mumbai', retries=2))
    assert client.transport.base_url == 'https://api.in.exotel.com' and client.retrier.retries == 2


def test_validate_certs_false_over_https_warns():
    module = FakeModule(validate_certs=False)
    client_from_module(module)
    assert module.warnings == ['validate_certs is false: the TLS certificate of the Exotel API host is not verified.']


def test_bad_connection_options_fail_before_any_client():
    module = FakeModule(api_token='')
    with pytest.raises(Failed):
        client_from_module(module)
    assert module.failed['msg'].startswith('api_token is empty')

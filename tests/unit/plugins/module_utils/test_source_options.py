# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The modules' option checks for event sources (_source_options.py): the connection options from arguments,
EXOTEL_* variables and defaults; numeric arguments and their ranges; failures that name the source and the argument."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.exotel.trunking.plugins.module_utils._options import validate_options
from ansible_collections.exotel.trunking.plugins.module_utils._source_options import (
    SourceArgumentError, checked, connection_params, number_arg,
)


def test_arguments_then_the_environment_then_the_defaults(monkeypatch):
    for name, value in {'EXOTEL_ACCOUNT_SID': 'ignored', 'EXOTEL_API_KEY': 'key_env', 'EXOTEL_REGION': 'Mumbai'}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv('EXOTEL_API_TOKEN', raising=False)
    params = connection_params('src', {'account_sid': 'acc', 'timeout': '12', 'validate_certs': 'no'})
    assert (params['account_sid'], params['api_key'], params['api_token'], params['region']) == ('acc', 'key_env', None, 'Mumbai')
    assert (params['timeout'], params['retries'], params['rate_limit'], params['validate_certs']) == (12, 5, 200, False)


def test_an_integer_option_that_is_not_one_names_the_source_in_ansible_cores_words():
    with pytest.raises(SourceArgumentError) as caught:
        connection_params('src', {'retries': 'many'})
    # (how the type is shown differs between ansible-core versions)
    assert str(caught.value).startswith("src: argument 'retries' is of type ")
    assert 'unable to convert to int' in str(caught.value)


def test_the_modules_checks_become_source_errors():
    params = connection_params('src', {'account_sid': 'acc', 'api_key': 'key', 'api_token': 'tok_S3cret', 'region': 'mars'})
    with pytest.raises(SourceArgumentError) as caught:
        checked('src', validate_options, params)
    assert str(caught.value) == "src: region must be one of singapore, mumbai (in any case); got 'mars'."
    assert 'tok_S3cret' not in str(caught.value)


@pytest.mark.parametrize('args, kwargs, value', [
    ({}, {}, 5.0), ({'n': '2.5'}, {}, 2.5), ({'n': 3}, {'integer': True, 'low': 1, 'inclusive': True}, 3),
    ({'n': '0'}, {'low': 0, 'inclusive': True, 'high': 1}, 0.0),
])
def test_numbers_in_range(args, kwargs, value):
    assert number_arg('src', args, 'n', 5, **kwargs) == value


@pytest.mark.parametrize('args, kwargs, message', [
    ({'n': 0}, {}, 'src: n must be a number greater than 0; got 0'),
    ({'n': True}, {}, 'src: n must be a number greater than 0; got True'),
    ({'n': 'x'}, {}, "src: n must be a number greater than 0; got 'x'"),
    ({'n': float('inf')}, {}, 'src: n must be a number greater than 0; got inf'),
    ({'n': 1.5}, {'integer': True, 'low': 1, 'inclusive': True}, 'src: n must be a whole number of at least 1; got 1.5'),
    ({'n': 1}, {'low': 0, 'inclusive': True, 'high': 1}, 'src: n must be a number of at least 0 and below 1; got 1'),
])
def test_numbers_out_of_range_name_the_argument_and_the_form(args, kwargs, message):
    with pytest.raises(SourceArgumentError) as caught:
        number_arg('src', args, 'n', 5, **kwargs)
    assert str(caught.value) == message

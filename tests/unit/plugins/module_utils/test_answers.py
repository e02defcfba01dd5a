# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""_answers: the wording of failures shared by every API family (both error formats, redirects, bodies that are not
JSON), with secrets redacted."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json

import pytest

from ansible_collections.exotel.trunking.plugins.module_utils._answers import Answers, pick, rest_exception, to_int
from ansible_collections.exotel.trunking.plugins.module_utils._errors import ExotelError

SECRET = 'tok_S3cr3t'


class Answer(object):
    """What the checks read of a requests response."""

    def __init__(self, status, body=None, text=None, headers=None):
        self.status_code = status
        self.text = text if text is not None else json.dumps(body)
        self.headers = headers or {}

    def json(self):
        return json.loads(self.text)


def answers():
    return Answers(lambda text: str(text).replace(SECRET, '********'), 'https://api.in.exotel.com (region mumbai)')


def success(response, method, path):
    return 'ok'


def failure(response):
    with pytest.raises(ExotelError) as info:
        answers().check(response, 'PUT', '/p', success)
    return info.value


def test_an_answer_below_300_goes_to_the_familys_success():
    assert answers().check(Answer(200, {}), 'GET', '/p', success) == 'ok'


def test_a_redirect_is_unclear_not_transient_and_never_followed():
    error = failure(Answer(307, text='', headers={'Location': '/elsewhere'}))
    assert (error.unclear, error.transient, error.http_status) == (True, False, 307)
    assert error.message == ('Exotel answered PUT /p with a redirect (HTTP 307 to /elsewhere); redirects are not followed, '
                             'nothing is assumed to have changed. Check api_url.')


def test_the_trunk_envelope_error_is_worded_with_its_code_and_request_id():
    body = {'request_id': 'r1', 'response': {'code': 404, 'status': 'failure',
                                             'error_data': {'code': 1000, 'message': 'Not Found', 'description': 'Not Found'}}}
    error = failure(Answer(404, body))
    assert error.message == 'Exotel rejected PUT /p: HTTP 404, error 1000, Not Found, request_id r1'
    assert (error.error_code, error.request_id, error.final) == (1000, 'r1', True)


def test_a_rest_exception_is_read_whatever_the_family():
    error = failure(Answer(400, {'RestException': {'Status': 400, 'Code': 21211, 'Message': 'Invalid number'}},
                           headers={'X-Request-Id': 'h1'}))
    assert error.message == 'Exotel rejected PUT /p: HTTP 400, error 21211, Invalid number, request_id h1'


def test_a_5xx_html_page_is_unclear_and_transient_and_quoted_briefly():
    error = failure(Answer(503, text='<html>' + 'x' * 500 + '</html>'))
    assert (error.unclear, error.transient) == (True, True)
    assert error.message.startswith('Exotel answered PUT /p with HTTP 503 and a body that is not JSON: <html>xxx')
    assert error.message.endswith('...')


def test_a_401_names_the_options_to_check_and_where_it_went():
    body = {'response': {'code': 401, 'status': 'failure', 'error_data': {'code': 1010, 'message': 'Authorization failed'}}}
    error = failure(Answer(401, body))
    assert error.message.endswith('This request went to https://api.in.exotel.com (region mumbai).')
    assert 'Check account_sid, api_key and api_token' in error.message


def test_secrets_are_redacted_from_excerpts():
    error = failure(Answer(500, text='echo of %s' % SECRET))
    assert SECRET not in error.message and '********' in error.message


def test_a_success_body_that_is_not_json_is_unclear():
    with pytest.raises(ExotelError) as info:
        answers().json_of(Answer(200, text='{"cut'), 'PUT', '/p')
    assert (info.value.unclear, info.value.transient, info.value.http_status) == (True, True, 200)


def test_helpers():
    assert to_int('12') == 12 and to_int('x') is None and to_int(None) is None
    assert pick({'B': 2, 'a': 1}, 'a', 'B') == 1 and pick([], 'a') is None
    assert rest_exception({'restException': {'Code': 1}}) == {'Code': 1} and rest_exception({}) is None

# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""_errors: the outcome vocabulary (unclear / transient / final), the named error codes, notes that keep the closing one last."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.exotel.trunking.plugins.module_utils._errors import (
    AUTH_FAILED,
    DUPLICATE,
    FORBIDDEN,
    NOT_FOUND,
    ExotelError,
)


@pytest.mark.parametrize('unclear, transient, final', [(False, False, True), (True, False, False), (False, True, False),
                                                       (True, True, False)])
def test_final_is_neither_unclear_nor_transient(unclear, transient, final):
    assert ExotelError('x', unclear=unclear, transient=transient).final is final


def test_codes_are_exotels():
    assert (NOT_FOUND, FORBIDDEN, DUPLICATE, AUTH_FAILED) == (1000, 1003, 1008, 1010)


@pytest.mark.parametrize('kwargs, not_found, unknown_trunk, duplicate, auth_failed', [
    (dict(http_status=404), True, True, False, False),
    (dict(http_status=200, error_code=1000), True, True, False, False),
    (dict(http_status=403, error_code=1003), False, True, False, False),
    (dict(http_status=200, error_code=1008), False, False, True, False),
    (dict(http_status=401), False, False, False, True),
    (dict(http_status=400, error_code=1010), False, False, False, True),
    (dict(http_status=400, error_code=1002), False, False, False, False),
])
def test_named_answers(kwargs, not_found, unknown_trunk, duplicate, auth_failed):
    error = ExotelError('x', **kwargs)
    assert (error.not_found, error.unknown_trunk, error.duplicate, error.auth_failed) == (
        not_found, unknown_trunk, duplicate, auth_failed)


def test_note_adds_a_full_stop_and_a_closing_note_stays_last():
    error = ExotelError('Exotel answered PUT /x with HTTP 503')
    error.close('The write was sent 3 times; not sent again: retries=2 used.')
    error.note('A re-read shows nothing changed.')
    error.close('ignored: the first closing note stays')
    assert error.message == ('Exotel answered PUT /x with HTTP 503. A re-read shows nothing changed. '
                             'The write was sent 3 times; not sent again: retries=2 used.')
    assert str(error) == error.message


def test_details_are_the_structured_keys_and_never_more():
    error = ExotelError('m', http_status=400, error_code=1002, error_description='Invalid PhoneNumber', request_id='r1',
                        method='PUT', path='/p', unclear=True)
    assert error.details() == dict(http_status=400, error_code=1002, error_description='Invalid PhoneNumber',
                                   request_id='r1', method='PUT', path='/p')

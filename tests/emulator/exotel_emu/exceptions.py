# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Exotel's error catalogue, and the exceptions a handler raises to answer with one of its errors (``ApiError``
for the trunk API, ``RestError`` for the ExoPhone API).

The catalogue is the one in the "Error codes" section of docs/docsite/rst/api_reference.rst.
"""

ERRORS = {
    1000: (404, 'Not Found'),
    1001: (400, 'Mandatory Parameter missing'),
    1002: (400, 'Invalid parameter'),
    1003: (403, 'Authorization failed'),
    1007: (400, 'Invalid request body,failed parsing'),
    1008: (409, 'Duplicate resource'),
    1010: (401, 'Authorization failed'),
    1011: (415, 'unsupported content type'),
}


class ApiError(Exception):
    """An Exotel error answer: HTTP status, error code, message, description."""

    def __init__(self, code, description=None, http_status=None, body_code=None):
        status, message = ERRORS[code]
        super().__init__(description or message)
        self.code = code
        self.message = message
        self.description = description or message
        self.http_status = status if http_status is None else http_status
        self.body_code = status if body_code is None else body_code


def duplicate(description):
    """Exotel answers duplicates with HTTP 200 and a 409 / 1008 body."""
    return ApiError(1008, description, http_status=200, body_code=409)


class RestError(Exception):
    """An error of the ExoPhone API (v2_beta): ``{"RestException": {"Status", "Code", "Message"}}``.

    Exotel documents no ExoPhone-specific codes; the emulator uses words, as Exotel's newer pages do.
    The Calls API (v1) documents only ``Status`` and ``Message``: its errors have ``code`` None and no ``Code``.
    """

    def __init__(self, status, code, message):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message

    def body(self):
        if self.code is None:
            return {'RestException': {'Status': self.status, 'Message': self.message}}
        return {'RestException': {'Status': self.status, 'Code': self.code, 'Message': self.message}}

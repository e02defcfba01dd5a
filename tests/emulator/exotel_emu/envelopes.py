# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The shapes of Exotel's answers (single, list, batch, failure) and the request/answer objects.

See "Envelopes" in docs/docsite/rst/api_reference.rst. Every answer of the API part of the
emulator is built here, so the envelopes cannot drift apart.
"""

import collections
import json
import uuid


def new_request_id():
    return uuid.uuid4().hex


def error_data(code, message, description):
    return {'code': code, 'message': message, 'description': description}


def failure_item(body_code, code, message, description):
    """A failed item: ``response`` of a failure envelope, or one entry of a batch."""
    return {'code': body_code, 'status': 'failure', 'data': None, 'error_data': error_data(code, message, description)}


def error_item(exc):
    return failure_item(exc.body_code, exc.code, exc.message, exc.description)


def ok_item(data):
    return {'code': 200, 'error_data': None, 'status': 'success', 'data': data}


def envelope(method, http_status, response, **extra):
    """The outer envelope: request_id, method, http_code, (metadata,) response."""
    payload = {'request_id': new_request_id(), 'method': method, 'http_code': http_status}
    payload.update(extra)
    payload['response'] = response
    return payload


class Request(collections.namedtuple('Request', 'method path query body account_sid api_key')):
    """What a handler needs of one API request (``query`` as parse_qs gives it: name -> list)."""

    __slots__ = ()

    def arg(self, name):
        values = self.query.get(name)
        return values[-1] if values else None


class Response:
    """An answer: status, JSON payload (or raw bytes), headers."""

    def __init__(self, status, payload=None, headers=None, raw=None, content_type='application/json'):
        self.status = status
        self.payload = payload
        self.headers = dict(headers or {})
        self.raw = raw
        self.content_type = content_type

    def body(self):
        if self.raw is not None:
            return self.raw
        if self.payload is None:
            return b''
        return json.dumps(self.payload).encode('utf-8')


def single(method, data, http_status=200):
    return Response(http_status, envelope(method, http_status, ok_item(data)))


def failure(method, exc):
    return Response(exc.http_status, envelope(method, exc.http_status, error_item(exc)))


def failure_answer(method, http_status, body_code, code, message, description, headers=None):
    """A failure envelope with any status, body code and error code (rate limit, injected faults)."""
    return Response(http_status, envelope(method, http_status, failure_item(body_code, code, message, description)),
                    headers=headers)


def batch(method, items):
    failed = sum(1 for item in items if item['status'] == 'failure')
    status = 207 if failed else 200
    metadata = {'total': len(items), 'success': len(items) - failed, 'failed': failed}
    return Response(status, envelope(method, status, items, metadata=metadata))


def page(method, items, metadata=None):
    """A list answer: one ``ok_item`` per object, with ``metadata`` unless it is None."""
    extra = {} if metadata is None else {'metadata': metadata}
    return Response(200, envelope(method, 200, [ok_item(item) for item in items], **extra))

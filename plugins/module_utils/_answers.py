# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

# This module_utils file is internal to exotel.trunking: its name starts with "_" and its
# interface may change without notice. Do not import it from other collections.

"""How Exotel words a failure, and the one wording of ``ExotelError`` for every API family.

``Answers`` checks what every family has in common (a redirect is never followed; HTTP >= 400 is a
failure; a success's body must be JSON) and words the failures, with every secret redacted. A failure
body is read leniently, in either of Exotel's formats, whatever the family:

- the trunk API's envelope ``{request_id, response: {code, status, error_data: {code, message,
  description}}}``;
- ``{"RestException": {"Status", "Code", "Message"}}`` (the ExoPhone and Calls APIs); ``Code`` may be a
  number or a word.

What a success looks like, and how lists page, is each family's own (``_trunk_api.py``,
``_exophone_api.py``): it passes ``success`` to ``Answers.check``.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import re

from ansible_collections.exotel.trunking.plugins.module_utils._errors import AUTH_FAILED, ExotelError

# Length of a body excerpt quoted in an error message.
EXCERPT_CHARS = 200


def to_int(value):
    try:
        return int(value)
    except (TypeError, ValueError, OverflowError):
        return None


def json_dumps(value):
    return json.dumps(value, sort_keys=True)


def pick(mapping, *names):
    """The value of the first of ``names`` that ``mapping`` has (None when it has none, or is no dict)."""
    if isinstance(mapping, dict):
        for name in names:
            if name in mapping:
                return mapping[name]
    return None


def rest_exception(payload):
    """The ``RestException`` of an ExoPhone API error body (any casing of the key), or None."""
    found = pick(payload, 'RestException', 'rest_exception', 'restException')
    return found if isinstance(found, dict) else None


class Answers(object):
    """Checks the answers of one client and words their errors, with every secret redacted.

    ``redact`` removes secrets from a text; ``target`` says where requests go (for the 401 hint).
    """

    def __init__(self, redact, target):
        self.redact = redact
        self.target = target

    def error(self, message, method, path, **kwargs):
        return ExotelError(self.redact(message), method=method, path=path, **kwargs)

    def excerpt(self, text):
        text = re.sub(r'\s+', ' ', self.redact(text or '')).strip()
        if len(text) > EXCERPT_CHARS:
            text = text[:EXCERPT_CHARS] + '...'
        return text or '(empty body)'

    def response_error(self, response, method, path):
        """An ExotelError describing an HTTP answer that is not a success."""
        try:
            payload = response.json()
        except ValueError:
            payload = None
        rest = rest_exception(payload)
        if rest is not None:
            return self.rest_error(rest, payload, response, method, path)
        if isinstance(payload, dict):
            return self.envelope_error(payload, response.status_code, method, path)
        return self.error(
            'Exotel answered %s %s with HTTP %s and a body that is not JSON: %s' % (
                method, path, response.status_code, self.excerpt(response.text)),
            method, path, http_status=response.status_code, unclear=response.status_code >= 500,
            transient=response.status_code >= 500)

    def envelope_error(self, payload, http_status, method, path, reason=None):
        resp = payload.get('response')
        code = description = message = body_code = None
        if isinstance(resp, dict):
            err = resp.get('error_data')
            if isinstance(err, dict):
                code = to_int(err.get('code'))
                message = err.get('message')
                description = err.get('description') or message
            body_code = to_int(resp.get('code'))
            if body_code is not None and body_code >= 400 and (http_status is None or http_status < 400):
                http_status_shown = '%s (code %s in the body)' % (http_status, body_code)
            else:
                body_code = None
                http_status_shown = str(http_status)
        else:
            http_status_shown = str(http_status)
        return self.rejected(method, path, http_status, http_status_shown, code, message, description,
                             payload.get('request_id'), reason, body_code=body_code)

    def rest_error(self, rest, payload, response, method, path):
        """An ExotelError from an ExoPhone API error: ``rest`` is the ``RestException`` (or the bare body)."""
        http_status = response.status_code
        body_status = to_int(pick(rest, 'Status', 'status'))
        if body_status is not None and body_status >= 400 and http_status < 400:
            http_status_shown = '%s (code %s in the body)' % (http_status, body_status)
        else:
            body_status = None
            http_status_shown = str(http_status)
        raw_code = pick(rest, 'Code', 'code', 'ErrorCode', 'error_code')
        code = to_int(raw_code)
        if code is None and raw_code not in (None, ''):
            code = str(raw_code)
        message = pick(rest, 'Message', 'message')
        description = pick(rest, 'Description', 'description', 'Details', 'details') or message
        request_id = pick(payload, 'request_id', 'RequestId', 'requestId') or pick(rest, 'request_id', 'RequestId') \
            or response.headers.get('X-Request-Id') or response.headers.get('X-Exotel-Request-Id')
        return self.rejected(method, path, http_status, http_status_shown, code,
                             None if message is None else str(message), None if description is None else str(description),
                             request_id, body_code=body_status)

    def rejected(self, method, path, http_status, http_status_shown, code, message, description, request_id, reason=None,
                 body_code=None):
        """The ExotelError of an answer that says the call failed, in the one wording of both API families."""
        parts = ['Exotel rejected %s %s: HTTP %s' % (method, path, http_status_shown)]
        if code is not None:
            parts.append('error %s' % code)
        if message or description:
            text = message or ''
            if description and description != message:
                text = '%s: %s' % (text, description) if text else description
            parts.append(str(text))
        if reason:
            parts.append(reason)
        if request_id:
            parts.append('request_id %s' % request_id)
        msg = ', '.join(parts)
        if http_status == 401 or code == AUTH_FAILED:
            msg += ('. Check account_sid, api_key and api_token: a wrong account SID fails exactly like a wrong key, '
                    'and API keys are per region, so a key of the other region fails the same way. This request went '
                    'to %s.' % self.target)
        # A server error, in the HTTP status or in the body of an HTTP 200: the outcome is unclear and
        # the same request may succeed when sent again.
        server_error = (body_code or http_status or 0) >= 500
        return self.error(msg, method, path, http_status=http_status, error_code=code,
                          error_description=self.redact(description) if description else description,
                          request_id=request_id, unclear=server_error, transient=server_error, body_code=body_code)

    def check(self, response, method, path, success):
        """The family's ``success(response, method, path)`` of an answer that is not a failure, or raise
        ExotelError: a redirect (never followed: unclear, since a redirected write may have been acted on),
        or HTTP >= 400 (a 5xx is unclear and transient)."""
        status = response.status_code
        if 300 <= status < 400:
            raise self.error(
                'Exotel answered %s %s with a redirect (HTTP %s to %s); redirects are not followed, '
                'nothing is assumed to have changed. Check api_url.' % (
                    method, path, status, self.excerpt(response.headers.get('Location'))),
                method, path, http_status=status, unclear=True)
        if status >= 400:
            raise self.response_error(response, method, path)
        return success(response, method, path)

    def json_of(self, response, method, path):
        """The JSON of a success's body; a body that is not JSON is an unclear failure (it may have been acted on)."""
        try:
            return response.json()
        except ValueError:
            raise self.error(
                'Exotel answered %s %s with HTTP %s and a body that is not valid JSON: %s' % (
                    method, path, response.status_code, self.excerpt(response.text)),
                method, path, http_status=response.status_code, unclear=True, transient=True)

    def bare(self, response, method, path):
        """The success of the ExoPhone and Calls APIs: the bare JSON of an answer that is not an HTTP failure, an object
        or an array (``{}`` when empty); a ``RestException`` (or a bare ``Status`` >= 400) in it is a failure."""
        answers = self
        status = response.status_code
        if not (response.text or '').strip() and (method == 'DELETE' or status in (202, 204)):
            return {}
        payload = answers.json_of(response, method, path)
        rest = rest_exception(payload)
        if rest is None and isinstance(payload, dict) and (to_int(pick(payload, 'Status', 'status')) or 0) >= 400:
            rest = payload
        if rest is not None:
            raise answers.rest_error(rest, payload, response, method, path)
        if not isinstance(payload, (dict, list)):
            raise answers.error('Exotel answered %s %s with HTTP %s and JSON that is neither an object nor a list: %s' % (
                method, path, status, answers.excerpt(response.text)), method, path, http_status=status, unclear=True)
        return payload

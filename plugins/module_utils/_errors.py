# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

# This module_utils file is internal to exotel.trunking: its name starts with "_" and its
# interface may change without notice. Do not import it from other collections.
"""``ExotelError``, the one error type of exotel.trunking, its outcome vocabulary and Exotel's error codes.

Raised by the transport and the API clients (and by domain code), turned into ``fail_json`` by
``fail_from_error`` in ``_module.py``. Three words say what a failure means for the write behind it:

- ``unclear``: the request may or may not have been carried out (a 5xx, a lost, cut off or malformed
  answer, a redirect): the state must be read back before anything is claimed or sent again;
- ``transient``: the same request sent again may well succeed (a 5xx, a 429, a lost or cut off
  answer, a connection that was not made); a redirect is unclear but not transient;
- ``final``: neither of these: sending it again would get the same answer.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

# Exotel's error codes (``error_data.code`` of the trunk API), as named in its docs.
NOT_FOUND = 1000            # HTTP 404: unknown trunk or id
INVALID_PARAMETER = 1002    # HTTP 400
FORBIDDEN = 1003            # HTTP 403: an unknown or foreign trunk SID (older catalogue)
DUPLICATE = 1008            # a duplicate, usually in the body of an HTTP 200 coded 409
AUTH_FAILED = 1010          # HTTP 401: wrong key or token, or the other region's host


class ExotelError(Exception):
    """The one error type of the collection. Never holds credentials."""

    def __init__(self, message, http_status=None, error_code=None, error_description=None,
                 request_id=None, method=None, path=None, unclear=False, unreachable=False, transient=False,
                 body_code=None):
        super(ExotelError, self).__init__(message)
        self.message = message
        self.http_status = http_status
        self.error_code = error_code
        self.error_description = error_description
        self.request_id = request_id
        self.method = method
        self.path = path
        # The request may or may not have been acted on: read the state back (see the module docstring).
        self.unclear = unclear
        # True when no HTTP answer came at all (connection refused, name not resolved, TLS failure,
        # timeout): asking the same host another way cannot help.
        self.unreachable = unreachable
        # The same request sent again may well succeed (see the module docstring).
        self.transient = transient
        # The code in the body of an answer whose HTTP status says success (Exotel answers some
        # failures with HTTP 200 and the failure's code in the body), else None.
        self.body_code = body_code
        # The budget that stopped a transient failure from being sent again (``retries=5``,
        # ``max_retry_wait=120s``), else None.
        self.spent_budget = None
        # Seconds the server asked to wait before sending again (``Retry-After``), else None.
        self.retry_after = None
        # The note that ends the message whatever is noted after it (``close``).
        self.closing = None

    def note(self, text):
        """Append ``text`` to the message (what a re-read showed); returns self. A closing note
        (``close``) stays last."""
        message = self.message.rstrip()
        if self.closing and message.endswith(self.closing):
            message = message[:-len(self.closing)].rstrip()
        if message and message[-1] not in '.!?':
            message += '.'
        self.message = '%s %s' % (message, text)
        if self.closing:
            self.message = '%s %s' % (self.message, self.closing)
        self.args = (self.message,)
        return self

    def close(self, text):
        """End the message with ``text`` (why the request is not sent again), once; returns self."""
        if not self.closing:
            self.note(text)
            self.closing = text
        return self

    @property
    def final(self):
        """Neither unclear nor transient: sending the request again would get the same answer."""
        return not (self.unclear or self.transient)

    @property
    def not_found(self):
        """Exotel's "Not Found": HTTP 404 or error 1000."""
        return self.http_status == 404 or self.error_code == NOT_FOUND

    @property
    def unknown_trunk(self):
        """What Exotel answers for a trunk SID that is not in the account: 404/1000, or 403/1003."""
        return self.http_status in (403, 404) or self.error_code in (NOT_FOUND, FORBIDDEN)

    @property
    def duplicate(self):
        return self.error_code == DUPLICATE

    @property
    def auth_failed(self):
        return self.http_status == 401 or self.error_code == AUTH_FAILED

    def details(self):
        """The structured keys a failed task returns next to ``msg``."""
        return dict(
            http_status=self.http_status,
            error_code=self.error_code,
            error_description=self.error_description,
            request_id=self.request_id,
            method=self.method,
            path=self.path,
        )

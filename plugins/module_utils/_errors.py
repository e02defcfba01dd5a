# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

# This module_utils file is internal to exotel.trunking: its name starts with "_" and its
# interface may change without notice. Do not import it from other collections.
"""``ExotelError``, the one error type of exotel.trunking: raised by the client, turned into ``fail_json``
by ``fail_from_error`` in ``_module.py``."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type


class ExotelError(Exception):
    """The one error type of the collection. Never holds credentials."""

    def __init__(self, message, http_status=None, error_code=None, error_description=None,
                 request_id=None, method=None, path=None, retryable=False, unreachable=False, transient=False,
                 body_code=None):
        super(ExotelError, self).__init__(message)
        self.message = message
        self.http_status = http_status
        self.error_code = error_code
        self.error_description = error_description
        self.request_id = request_id
        self.method = method
        self.path = path
        # True when the request may or may not have been acted on (timeouts, 5xx, lost answers).
        self.retryable = retryable
        # True when no HTTP answer came at all (connection refused, name not resolved, TLS failure,
        # timeout): asking the same host another way cannot help.
        self.unreachable = unreachable
        # True when the same request sent again may well succeed: a server error (5xx, in the HTTP status
        # or in the body), an answer that was lost or cut off. A redirect or an answer that contradicts
        # the request is not transient: sending it again would get the same answer.
        self.transient = transient
        # The code in the body of an answer whose HTTP status says success (Exotel answers some
        # failures with HTTP 200 and the failure's code in the body), else None.
        self.body_code = body_code
        # The budget that stopped a transient failure from being sent again (``retries=5 used``,
        # ``max_retry_wait=120s spent``), else None.
        self.spent_budget = None
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

# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

# This module_utils file is internal to exotel.trunking: its name starts with "_" and its
# interface may change without notice. Do not import it from other collections.

"""The client of Exotel's Calls API (``/v1/Accounts/{sid}/Calls.json``): query strings, bare JSON answers
(``Calls`` and ``Metadata``), ``RestException`` error bodies whatever the HTTP status (one in an HTTP 200
coded 429 or 5xx is retried like that status), its own pacer (200 requests a minute: the Voice API's documented
limit, given by ``rate_limit``). Paging (``Metadata.NextPageUri``) and the filters are ``_calls.py``'s.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.exotel.trunking.plugins.module_utils._transport import FamilyClient


class CallsApi(FamilyClient):
    """Exotel's Calls API for one account, over the transport."""

    PREFIX = ('v1', 'Accounts')

    def request(self, method, path, query=None):
        """Send one call (with retries) and return its checked bare JSON."""
        return self.send(method, path, query=query)

    def success(self, response, method, path):
        return self.answers.bare(response, method, path)

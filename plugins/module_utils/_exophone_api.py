# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

# This module_utils file is internal to exotel.trunking: its name starts with "_" and its
# interface may change without notice. Do not import it from other collections.

"""The client of Exotel's ExoPhone API (``/v2_beta/Accounts/{sid}/...``): form-encoded bodies, bare JSON
answers (an object or an array; ``{}`` for an empty success, HTTP 202/204), ``RestException`` error bodies
(or a bare ``Status`` >= 400) whatever the HTTP status, lists paged with ``Page``/``PageSize`` and
``next_page_uri``, its own pacer (``exophone_rate_limit``: Exotel documents 50 requests per minute).

Requests go through the one transport (``_transport.py``), whose retries apply to every family.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from urllib.parse import parse_qsl, urlencode, urlsplit

from ansible_collections.exotel.trunking.plugins.module_utils._answers import json_dumps, pick, to_int
from ansible_collections.exotel.trunking.plugins.module_utils._defaults import LIST_PAGE_SIZE, MAX_PAGES
from ansible_collections.exotel.trunking.plugins.module_utils._transport import FamilyClient


class ExophoneApi(FamilyClient):
    """Exotel's ExoPhone API for one account, over the transport."""

    PREFIX = ('v2_beta', 'Accounts')

    def request(self, method, path, query=None, form=None):
        """Send one call (with retries) and return its checked bare JSON. ``form`` is sent form-encoded."""
        return self.send(method, path, query=query, form=form)

    def success(self, response, method, path):
        return self.answers.bare(response, method, path)

    def iter_pages(self, path, keys, page_size=LIST_PAGE_SIZE):
        """Yield the objects of an ExoPhone API list, page after page (``Page`` from 0, ``PageSize``).

        ``keys``: the names the list's array may have (``incoming_phone_numbers``, ...); a bare
        array is accepted too. The next page is the query of ``next_page_uri`` asked of ``path`` on
        our own base URL (its host and path are never followed). Without ``next_page_uri`` in the
        answer, a full page (as many items as the answer's ``page_size``, else as asked for) means
        there may be another one. Stops on a null/empty ``next_page_uri``, one seen before, a page
        with no items or with only items already seen (a server that ignores ``Page``), or MAX_PAGES.
        """
        query = {'Page': 0, 'PageSize': page_size}
        seen_uris, seen_items = set(), set()
        for dummy in range(MAX_PAGES):
            payload = self.request('GET', path, query=query)
            shown = path + '?' + urlencode(query)
            if isinstance(payload, list):
                items = payload
            elif any(k in payload for k in keys):
                items = pick(payload, *keys)
                items = [] if items is None else items
            elif not payload or pick(payload, 'page', 'page_size', 'Page', 'PageSize') is not None:
                items = []   # no array at all: an empty list
            else:
                items = None
            if not isinstance(items, list):
                raise self.answers.error('Exotel answered GET %s with an answer that is not a list of %s: %s' % (
                    shown, keys[0], self.answers.excerpt(json_dumps(payload))), 'GET', shown, unclear=True)
            fresh = [i for i in items if json_dumps(i) not in seen_items]
            for item in fresh:
                seen_items.add(json_dumps(item))
                yield item
            if not fresh or isinstance(payload, list):
                return
            query = self._next_page_query(payload, query, len(items), seen_uris)
            if query is None:
                return

    @staticmethod
    def _next_page_query(payload, query, count, seen_uris):
        """The query of the page after the one ``payload`` answered to ``query``, or None when it was the last."""
        names = ('next_page_uri', 'NextPageUri', 'nextPageUri')
        next_uri = pick(payload, *names)
        if isinstance(next_uri, str) and next_uri.strip():
            parts = urlsplit(next_uri.strip())
            if not parts.query or next_uri in seen_uris:
                return None
            seen_uris.add(next_uri)
            return dict(parse_qsl(parts.query, keep_blank_values=True))
        if any(name in payload for name in names):
            return None   # present and null: the last page
        size = to_int(pick(payload, 'page_size', 'PageSize', 'pageSize')) or to_int(query.get('PageSize'))
        if size and count >= size:
            page = to_int(query.get('Page')) or 0
            return dict(query, Page=page + 1)
        return None

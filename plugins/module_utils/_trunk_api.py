# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

# This module_utils file is internal to exotel.trunking: its name starts with "_" and its
# interface may change without notice. Do not import it from other collections.

"""The client of Exotel's trunk API (``/v2/accounts/{sid}/...``): JSON bodies, answers in the v2 envelope
``{request_id, response: {code, status, data, error_data}}`` (a list of item envelopes for lists and
batches), lists paged with ``offset``/``page_size`` and ``metadata.next_page_uri``, its own pacer
(``rate_limit``).

A failure is HTTP >= 400, ``status: failure``, or a body ``code`` >= 400 (Exotel answers a duplicate with
HTTP 200 and code 409 in the body). Requests go through the one transport (``_transport.py``), whose
retries apply to every family. Callers get items (the ``data`` of the envelopes), not envelopes, except
from ``request``, kept for answers whose shape varies (the number lookup).
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from urllib.parse import urlencode, urlsplit

from ansible_collections.exotel.trunking.plugins.module_utils._answers import json_dumps, to_int
from ansible_collections.exotel.trunking.plugins.module_utils._defaults import LIST_PAGE_SIZE, MAX_PAGES
from ansible_collections.exotel.trunking.plugins.module_utils._transport import FamilyClient


def item_data(item):
    """The object inside a list item: items are envelopes ``{code, status, data}``; accept bare objects too."""
    if isinstance(item, dict) and isinstance(item.get('data'), dict):
        return item['data']
    if isinstance(item, dict) and 'status' not in item and 'error_data' not in item:
        return item
    return None


def answer_items(payload):
    """The objects in a write's answer: a single envelope, or a batch of item envelopes."""
    resp = payload.get('response') if isinstance(payload, dict) else None
    if isinstance(resp, dict):
        resp = [resp]
    if not isinstance(resp, list):
        return []
    return [d for d in (item_data(i) for i in resp) if isinstance(d, dict)]


class TrunkApi(FamilyClient):
    """Exotel's trunk API for one account, over the transport."""

    PREFIX = ('v2', 'accounts')

    def request(self, method, path, query=None, body=None):
        """Send one call (with retries) and return the checked envelope. ``body`` is sent as JSON."""
        return self.send(method, path, query=query, body=body)

    def items(self, method, path, query=None, body=None):
        """Send one write and return the objects its answer shows (a single envelope or a batch)."""
        return answer_items(self.request(method, path, query=query, body=body))

    def get_object(self, method, path, query=None, body=None):
        """Send a call whose answer is a single-object envelope and return its ``data``."""
        payload = self.request(method, path, query=query, body=body)
        resp = payload.get('response')
        if not isinstance(resp, dict) or 'data' not in resp:
            raise self.answers.error('Exotel answered %s %s with an envelope without response.data: %s' % (
                method, path, self.answers.excerpt(json_dumps(payload))), method, path, request_id=payload.get('request_id'),
                unclear=True)
        return resp.get('data')

    # ------------------------------------------------------------------ answers

    def success(self, response, method, path):
        """The JSON envelope of an answer that is not an HTTP failure; raises on a failure in the body."""
        answers = self.answers
        status = response.status_code
        payload = answers.json_of(response, method, path)
        if not isinstance(payload, dict):
            raise answers.error('Exotel answered %s %s with HTTP %s and JSON that is not an object: %s' % (
                method, path, status, answers.excerpt(response.text)), method, path, http_status=status, unclear=True)
        resp = payload.get('response')
        if isinstance(resp, dict):
            code = to_int(resp.get('code'))
            if resp.get('status') == 'failure' or (code is not None and code >= 400):
                raise answers.envelope_error(payload, status, method, path)
        elif isinstance(resp, list):
            failed = [i for i in resp if isinstance(i, dict) and (i.get('status') == 'failure' or (to_int(i.get('code')) or 0) >= 400)]
            meta = payload.get('metadata') if isinstance(payload.get('metadata'), dict) else {}
            if failed or (to_int(meta.get('failed')) or 0) > 0:
                first = failed[0] if failed else {}
                error = answers.envelope_error(
                    dict(payload, response=first), status, method, path,
                    reason='%s of %s items failed' % (len(failed) or meta.get('failed'), len(resp)))
                if len(failed) < len(resp):
                    # Some items were carried out: sending the whole batch again is not the cure.
                    error.body_code, error.transient = None, False
                raise error
        return payload

    # ------------------------------------------------------------------ lists

    def iter_list(self, path, query=None):
        """Yield the objects of a paginated list, page after page, following ``next_page_uri``.

        Stops on a null/empty next_page_uri, a URI seen before, a page with no items, or MAX_PAGES.
        """
        query = dict(query or {})
        query.setdefault('page_size', LIST_PAGE_SIZE)
        page_path, page_query = path, query
        seen = set()
        for dummy in range(MAX_PAGES):
            payload = self.request('GET', page_path, query=page_query)
            items = payload.get('response')
            if items is None:
                items = []
            if not isinstance(items, list):
                shown = page_path + ('?' + urlencode(page_query) if page_query else '')
                raise self.answers.error('Exotel answered GET %s with a response that is not a list: %s' % (
                    shown, self.answers.excerpt(json_dumps(payload))), 'GET', shown,
                    request_id=payload.get('request_id'), unclear=True)
            for item in items:
                data = item_data(item)
                if data is not None:
                    yield data
            meta = payload.get('metadata')
            next_uri = meta.get('next_page_uri') if isinstance(meta, dict) else None
            if not items or not next_uri or not isinstance(next_uri, str) or next_uri in seen:
                return
            seen.add(next_uri)
            page_path, page_query = self._follow(next_uri, path)

    def _follow(self, uri, list_path):
        """Turn a server-given page URI into a path on our base URL; never follow it to another host."""
        parts = urlsplit(uri)
        prefix = urlsplit(self.transport.base_url).path.rstrip('/')
        page_path = parts.path
        if prefix and page_path.startswith(prefix + '/'):
            page_path = page_path[len(prefix):]
        if not page_path.startswith(self.path() + '/'):
            raise self.answers.error('Exotel gave a next_page_uri outside this account (%s); refusing to follow it.' % (
                self.answers.excerpt(uri)), 'GET', list_path)
        return page_path + ('?' + parts.query if parts.query else ''), None

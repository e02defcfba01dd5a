# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

# This module_utils file is internal to exotel.trunking: its name starts with "_" and its
# interface may change without notice. Do not import it from other collections.

"""What the engine (``_engine.py``) needs to know of one Exotel list, and the three safe writes.

A ``Kind`` says how one list is addressed, keyed, compared and written: the trunks of the account,
or one of a trunk's lists (phone-number mappings, whitelisted IPs, destination URIs, credentials,
settings). Modules subclass it and override only what differs.

``create_once``, ``update_once`` and ``delete_once`` send one write each and settle an unclear
answer by reading the list again (``_retries.settle``). When the re-read shows that the write did not
happen and the failure was transient (a 5xx, a lost or malformed answer), the write is sent again within
the ``retries`` budget; a create only when the re-read shows the object absent, so it never exists twice.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.exotel.trunking.plugins.module_utils._errors import ExotelError
from ansible_collections.exotel.trunking.plugins.module_utils._retries import settle


class Kind(object):
    """How one list is addressed, keyed, compared and written.

    ``segment`` is the path segment under ``/trunks/{trunk_sid}/``; None for the trunks themselves.
    ``noun`` names an item in messages. ``singular`` and ``plural`` are the keys of the module result
    (the one item, or the list): by default the noun with "_" for spaces, and that with an "s".
    ``fields`` are the compared fields (what the diff shows). A wanted entry is a dict of them.
    """

    segment = None
    noun = 'item'
    singular = None
    plural = None
    fields = ()
    id_field = 'id'
    delete_key = 'id'

    def __init__(self, client, trunk_sid=None):
        self.client = client
        self.trunk_sid = trunk_sid
        self.singular = self.singular or self.noun.replace(' ', '_').lower()
        self.plural = self.plural or self.singular + 's'

    # ---- addressing and reading

    def path(self, *more):
        if self.segment is None:
            return self.client.trunk.path('trunks', *more)
        return self.client.trunk.path('trunks', self.trunk_sid, self.segment, *more)

    def list_query(self):
        return None

    def read(self):
        """The whole list (every page)."""
        return list(self.client.trunk.iter_list(self.path(), self.list_query()))

    def current(self, wanted):
        """What the plan starts from: the items ``wanted`` may match (by default, the whole list)."""
        return self.read()

    # ---- comparing

    def key(self, item):
        """The natural key of an item as Exotel lists it, or of a wanted entry."""
        raise NotImplementedError

    def label(self, item):
        return str(self.key(item))

    def matches(self, items, want):
        """The items of ``items`` that ``want`` stands for (by default, those with its key)."""
        key = self.key(want)
        return [i for i in items if self.key(i) == key]

    def conflict(self, item, want, state):
        """Why ``item`` (matched by ``want``) must not be touched for ``state``; None when it may."""
        return None

    def missing(self, want):
        """Why ``want`` cannot be created when it does not exist; None when it can."""
        return None

    def view(self, item):
        """What the diff shows of an item."""
        return dict((f, item.get(f)) for f in self.fields)

    def update_body(self, have, want):
        """The body that brings ``have`` to ``want``, or None when they agree."""
        changes = dict((f, want[f]) for f in self.fields if want.get(f) is not None and want[f] != have.get(f))
        return changes or None

    def body_after_create(self, created, want):
        """What is still to write after ``want`` was created as ``created`` (None when nothing)."""
        return self.update_body(created, want)

    def new_item(self, want):
        """The item as check mode predicts it will be created (no id yet)."""
        item = dict((f, want[f]) for f in self.fields if want.get(f) is not None)
        if self.trunk_sid is not None:
            item['trunk_sid'] = self.trunk_sid
        return item

    def merge(self, have, want, body):
        """``have`` as it is after ``body`` was written (when Exotel's answer does not show it)."""
        return dict(have, **dict((k, v) for k, v in body.items() if k in self.fields))

    # ---- writing: one request each (the safe writes below wrap them); post and put return the items
    # their answer shows

    def create_body(self, want):
        return dict((f, want[f]) for f in self.fields if want.get(f) is not None)

    def post(self, body):
        return self.client.trunk.items('POST', self.path(), body=body)

    def put(self, have, body):
        return self.client.trunk.items('PUT', self.path(have[self.id_field]), body=body)

    def delete(self, have):
        self.client.trunk.request('DELETE', self.path(), query={self.delete_key: have[self.delete_key]})

    def update(self, have, want, body):
        """Write ``body`` to ``have``: ``(item_after, warning_or_None)``; raises ExotelError."""
        return update_once(self, have, want, body)

    # ---- messages

    def where(self):
        if self.segment is None:
            return 'account %s' % self.client.account_sid
        return 'trunk %s' % self.trunk_sid

    def read_failure(self, exc):
        """The message for a failed read of the list, with a hint when the trunk is unknown."""
        if exc.unreachable:
            return exc.message   # no answer at all: what was being read does not matter
        hint = ''
        if self.segment is not None and exc.unknown_trunk:
            hint = ' Check trunk_sid: the trunk %s does not exist in account %s (or belongs to another account).' % (
                self.trunk_sid, self.client.account_sid)
        return 'Could not read the %s of %s: %s.%s' % (self.plural.replace('_', ' '), self.where(),
                                                       exc.message.rstrip('.'), hint)

    def step_failure(self, step, exc):
        """The message for a failed write ``step`` (a ``_engine.Step``)."""
        return 'Could not %s %s %s on %s: %s' % (step.verb, self.noun, self.label(step.subject), self.where(), exc.message)


def first_match(kind, items, want):
    """The first item of ``items`` that ``want`` stands for, or None."""
    found = kind.matches(items, want)
    return found[0] if found else None


def _in_answer(kind, items, want):
    for data in items:
        if kind.matches([data], want) and data.get(kind.id_field):
            return data
    return None


def _reread(kind, error):
    """The list read again after ``error``; when that read fails, ``error`` stands."""
    try:
        return kind.read()
    except ExotelError:
        raise error


def create_once(kind, want):
    """POST ``want``. Returns ``(item, warning, existed)``.

    Never created twice: after an unclear answer the list is re-read (found: created; not found:
    POSTed again if the failure was transient and the retries allow, else the error stands); after a
    duplicate answer (1008, a race) the existing item is returned with ``existed`` true, for the
    caller to compare (unless an earlier send of this create had an unclear answer: then it is ours).
    """
    unclear = []

    def reread(error):
        if not error.duplicate:
            unclear.append(error)
        found = first_match(kind, _reread(kind, error), want)
        if found is not None:
            return True, found
        return False, 'A re-read does not show %s %s: nothing was created.' % (kind.noun, kind.label(want))

    def reread_after(error):
        return error.unclear or error.duplicate

    answer, error = settle(kind.client.retrier, lambda: kind.post(kind.create_body(want)), reread, reread_after)
    if error is not None:
        if error.duplicate and not unclear:
            return answer, None, True
        first = unclear[0] if unclear else error
        return answer, 'Exotel did not confirm the new %s %s (%s); a re-read shows it exists.' % (
            kind.noun, kind.label(want), first.message), False
    created = _in_answer(kind, answer, want) or first_match(kind, kind.read(), want)
    if created is None:
        raise ExotelError('Exotel answered POST %s with success, but neither its answer nor a re-read shows the new '
                          '%s %s.' % (kind.path(), kind.noun, kind.label(want)), method='POST', path=kind.path())
    return created, None, False


def update_once(kind, have, want, body):
    """Write ``body`` to ``have``; returns ``(item_after, warning)``. An unclear answer is settled by a
    re-read (and the write sent again when it did not apply and the failure was transient)."""
    def reread(error):
        current = first_match(kind, _reread(kind, error), have)
        if current is None or kind.update_body(current, want) is not None:
            return False, 'A re-read does not show the change: nothing is claimed.'
        return True, current

    answer, error = settle(kind.client.retrier, lambda: kind.put(have, body), reread)
    if error is not None:
        return answer, 'Exotel did not confirm the update of %s %s (%s); a re-read shows it applied.' % (
            kind.noun, kind.label(have), error.message)
    return _in_answer(kind, answer, have) or kind.merge(have, want, body), None


def delete_once(kind, have):
    """Delete ``have``; returns False when it was already gone (404). An unclear answer is settled by a
    re-read (and the delete sent again when the item is still there and the failure was transient)."""
    def send():
        try:
            kind.delete(have)
        except ExotelError as exc:
            if exc.not_found:
                return False
            raise
        return True

    def reread(error):
        still = [i for i in _reread(kind, error) if i.get(kind.id_field) == have.get(kind.id_field)]
        if still:
            return False, 'A re-read shows %s %s is still there.' % (kind.noun, kind.label(have))
        return True, True

    gone, dummy = settle(kind.client.retrier, send, reread)
    return gone

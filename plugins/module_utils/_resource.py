# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

# This module_utils file is internal to exotel.trunking: its name starts with "_" and its
# interface may change without notice. Do not import it from other collections.

"""Ensure objects in an Exotel list are present or absent, written once, for every module.

A ``Kind`` says how one list is addressed, keyed, compared and written: the trunks of the
account, or one of a trunk's lists (whitelisted IPs, destination URIs, credentials, settings).
``ensure`` reads the list, plans, and writes only what differs; ``run`` turns that into a module
result with diff, or into one clean failure. The rules live here once:

- never POST what exists; a POST that creates is never sent twice: after an answer that was lost
  (``ExotelError.retryable``) or a duplicate answer (error 1008, a race), re-read the list and decide;
- additions and updates first, removals last (a trunk never has fewer entries than needed);
- check mode reads only; diff ``before``/``after`` hold the compared fields.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.exotel.trunking.plugins.module_utils._envelopes import answer_items
from ansible_collections.exotel.trunking.plugins.module_utils._errors import ExotelError
from ansible_collections.exotel.trunking.plugins.module_utils._module import fail_from_error


class Kind(object):
    """How one list is addressed, keyed, compared and written. Modules subclass it.

    ``segment`` is the path segment under ``/trunks/{trunk_sid}/``; None for the trunks themselves.
    ``fields`` are the compared fields (what the diff shows). A wanted entry is a dict of them.
    """

    segment = None
    noun = 'item'
    plural = 'items'
    singular = 'item'
    fields = ()
    id_field = 'id'
    delete_key = 'id'

    def __init__(self, client, trunk_sid=None):
        self.client = client
        self.trunk_sid = trunk_sid

    # ---- addressing and reading

    def path(self, *more):
        if self.segment is None:
            return self.client.account_path('trunks', *more)
        return self.client.account_path('trunks', self.trunk_sid, self.segment, *more)

    def list_query(self):
        return None

    def read(self):
        return list(self.client.iter_list(self.path(), self.list_query()))

    # ---- comparing

    def key(self, item):
        """The natural key of an item as Exotel lists it, or of a wanted entry."""
        raise NotImplementedError

    def label(self, item):
        return str(self.key(item))

    def conflict(self, item, want, state):
        """Why ``item`` (found with the wanted key) must not be touched for ``state`` (None when it may)."""
        return None

    def view(self, item):
        return dict((f, item.get(f)) for f in self.fields)

    def missing(self, want):
        """Why ``want`` cannot be created when it does not exist (None when it can)."""
        return None

    def update_body(self, have, want, fresh=False):
        """The body that brings ``have`` to ``want``, or None when they agree. ``fresh``: just created."""
        changes = dict((f, want[f]) for f in self.fields if want.get(f) is not None and want[f] != have.get(f))
        return changes or None

    def new_item(self, want):
        """The item as check mode predicts it will be created (no id yet)."""
        item = dict((f, want[f]) for f in self.fields if want.get(f) is not None)
        if self.trunk_sid is not None:
            item['trunk_sid'] = self.trunk_sid
        return item

    def merge(self, have, want, body):
        """``have`` as it is after ``body`` was written (when Exotel's answer does not show it)."""
        return dict(have, **dict((k, v) for k, v in body.items() if k in self.fields))

    # ---- writing (one request each; the rules around them are in this file's functions)

    def create_body(self, want):
        return dict((f, want[f]) for f in self.fields if want.get(f) is not None)

    def post(self, body):
        return self.client.request('POST', self.path(), body=body)

    def put(self, have, body):
        return self.client.request('PUT', self.path(have[self.id_field]), body=body)

    def delete(self, have):
        return self.client.request('DELETE', self.path(), query={self.delete_key: have[self.delete_key]})

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
        if self.segment is not None and (exc.http_status in (403, 404) or exc.error_code in (1000, 1003)):
            hint = ' Check trunk_sid: the trunk %s does not exist in account %s (or belongs to another account).' % (
                self.trunk_sid, self.client.account_sid)
        return 'Could not read the %s of %s: %s.%s' % (self.plural.replace('_', ' '), self.where(),
                                                       exc.message.rstrip('.'), hint)


def _first(kind, items, key):
    for item in items:
        if kind.key(item) == key:
            return item
    return None


def _in_answer(kind, payload, key):
    for data in answer_items(payload):
        if kind.key(data) == key and data.get(kind.id_field):
            return data
    return None


def create_once(kind, want):
    """POST ``want`` once. Returns ``(item, warning, existed)``.

    Never sent twice: after a lost answer the list is re-read (found: created; not found: the
    error stands); after a duplicate answer (1008, a race) the existing item is returned with
    ``existed`` true, for the caller to compare.
    """
    key = kind.key(want)
    try:
        payload = kind.post(kind.create_body(want))
    except ExotelError as exc:
        if exc.error_code != 1008 and not exc.retryable:
            raise
        try:
            found = _first(kind, kind.read(), key)
        except ExotelError:
            raise exc
        if found is None:
            raise exc.note('A re-read does not show %s %s: nothing was created.' % (kind.noun, kind.label(want)))
        if exc.error_code == 1008:
            return found, None, True
        return found, 'Exotel did not confirm the new %s %s (%s); a re-read shows it exists.' % (
            kind.noun, kind.label(want), exc.message), False
    created = _in_answer(kind, payload, key) or _first(kind, kind.read(), key)
    if created is None:
        raise ExotelError('Exotel answered POST %s with success, but neither its answer nor a re-read shows the new '
                          '%s %s.' % (kind.path(), kind.noun, kind.label(want)), method='POST', path=kind.path())
    return created, None, False


def update_once(kind, have, want, body):
    """Write ``body`` to ``have``; returns ``(item_after, warning)``. A lost answer is settled by a re-read."""
    try:
        payload = kind.put(have, body)
    except ExotelError as exc:
        if not exc.retryable:
            raise
        try:
            current = _first(kind, kind.read(), kind.key(have))
        except ExotelError:
            raise exc
        if current is None or kind.update_body(current, want) is not None:
            raise exc.note('A re-read does not show the change: nothing is claimed.')
        return current, 'Exotel did not confirm the update of %s %s (%s); a re-read shows it applied.' % (
            kind.noun, kind.label(have), exc.message)
    return _in_answer(kind, payload, kind.key(have)) or kind.merge(have, want, body), None


def delete_once(kind, have):
    """Delete ``have``; returns False when it was already gone (404). A lost answer is settled by a re-read."""
    try:
        kind.delete(have)
    except ExotelError as exc:
        if exc.http_status == 404 or exc.error_code == 1000:
            return False
        if not exc.retryable:
            raise
        try:
            still = [i for i in kind.read() if i.get(kind.id_field) == have.get(kind.id_field)]
        except ExotelError:
            raise exc
        if still:
            raise exc.note('A re-read shows %s %s is still there.' % (kind.noun, kind.label(have)))
    return True


class Outcome(object):
    """What a run found, did (or, in check mode, would do), and the list as it is afterwards."""

    def __init__(self, before):
        self.before = before
        self.after = list(before)
        self.added = []
        self.updated = []   # (item_after, body)
        self.removed = []
        self.warnings = []

    @property
    def changed(self):
        return bool(self.added or self.updated or self.removed)

    def _replace(self, old, new):
        for index, item in enumerate(self.after):
            if item is old:
                self.after[index] = new
                return
        self.after.append(new)

    def _drop(self, old):
        self.after = [i for i in self.after if i is not old]


class StepError(Exception):
    """A write failed: the ExotelError, what was being done, and the outcome so far."""

    def __init__(self, error, action, outcome):
        super(StepError, self).__init__(error.message)
        self.error = error
        self.action = action
        self.outcome = outcome


def plan(kind, current, wanted, state, purge):
    """``(adds, updates, removes)`` that bring ``current`` to ``wanted``; or a list of problems."""
    adds, updates, removes, problems, keys = [], [], [], [], set()
    for want in wanted:
        key = kind.key(want)
        keys.add(key)
        matches = [i for i in current if kind.key(i) == key]
        problem = kind.conflict(matches[0], want, state) if matches else None
        if problem:
            problems.append(problem)
            continue
        if state == 'absent':
            removes.extend(matches)
            continue
        if not matches:
            problem = kind.missing(want)
            if problem:
                problems.append(problem)
            adds.append(want)
            continue
        body = kind.update_body(matches[0], want)
        if body:
            updates.append((matches[0], want, body))
        if purge:
            removes.extend(matches[1:])
    if purge and state == 'present':
        removes.extend(i for i in current if kind.key(i) not in keys)
    if problems:
        return problems
    return adds, updates, removes


def _add(kind, outcome, want, check_mode):
    if check_mode:
        item = kind.new_item(want)
        outcome.after.append(item)
        outcome.added.append(item)
        return
    item, warning, existed = create_once(kind, want)
    if warning:
        outcome.warnings.append(warning)
    outcome.after.append(item)
    if not existed:
        outcome.added.append(item)
    body = kind.update_body(item, want, fresh=not existed)
    if body:
        _update(kind, outcome, item, want, body, check_mode)


def _update(kind, outcome, have, want, body, check_mode):
    if check_mode:
        item, warning = kind.merge(have, want, body), None
    else:
        item, warning = update_once(kind, have, want, body)
    if warning:
        outcome.warnings.append(warning)
    outcome._replace(have, item)
    for index, added in enumerate(outcome.added):
        if added is have:
            outcome.added[index] = item
            return
    outcome.updated.append((item, body))


def _remove(kind, outcome, have, check_mode):
    gone = True if check_mode else delete_once(kind, have)
    outcome._drop(have)
    if gone:
        outcome.removed.append(have)


def ensure(kind, wanted, state='present', purge=False, check_mode=False):
    """Bring the list to ``wanted``; returns an Outcome, or a list of problems found before any write.

    A failed read raises ExotelError; a failed write raises StepError with the outcome so far.
    """
    outcome = Outcome(kind.read())
    steps = plan(kind, outcome.before, wanted, state, purge)
    if not isinstance(steps, tuple):
        return steps
    adds, updates, removes = steps
    actions = [('create', w, _add, (w,)) for w in adds]
    actions += [('update', h, _update, (h, w, b)) for h, w, b in updates]
    actions += [('delete', h, _remove, (h,)) for h in removes]
    for verb, subject, step, args in actions:
        try:
            step(kind, outcome, *(args + (check_mode,)))
        except ExotelError as exc:
            raise StepError(exc, '%s %s %s' % (verb, kind.noun, kind.label(subject)), outcome)
    return outcome


def result(kind, outcome, wanted, single, diff):
    """The module result: the one item (single) or the whole list with what changed (list form)."""
    out = dict(changed=outcome.changed)
    if single:
        item = _first(kind, outcome.after, kind.key(wanted[0])) or {}
        out[kind.singular] = item
        if diff:
            before = _first(kind, outcome.before, kind.key(wanted[0]))
            out['diff'] = dict(before=kind.view(before) if before else {}, after=kind.view(item) if item else {})
        return out
    out[kind.plural] = outcome.after
    out['added'] = [kind.view(i) for i in outcome.added]
    out['updated'] = [kind.view(i) for i, dummy in outcome.updated]
    out['removed'] = [kind.view(i) for i in outcome.removed]
    if diff:
        # Sorted by key, so that an entry that stays keeps its place and the diff shows only what changes.
        def views(items):
            return sorted((kind.view(i) for i in items), key=lambda v: str(kind.key(v)))
        out['diff'] = dict(before={kind.plural: views(outcome.before)}, after={kind.plural: views(outcome.after)})
    return out


def run(module, kind, wanted, state='present', purge=False, single=True, finish=None):
    """Ensure, then exit with the result (or fail cleanly). ``finish(outcome, result)`` may add to the result."""
    try:
        outcome = ensure(kind, wanted, state, purge, module.check_mode)
    except StepError as exc:
        partial = result(kind, exc.outcome, wanted, single, False)
        fail_from_error(module, exc.error, msg='Could not %s on %s: %s' % (exc.action, kind.where(), exc.error.message),
                        **partial)
    except ExotelError as exc:
        fail_from_error(module, exc, msg=kind.read_failure(exc))
    if isinstance(outcome, list):
        module.fail_json(msg='Nothing was changed: ' + ' '.join(outcome))
    for warning in outcome.warnings:
        module.warn(warning)
    out = result(kind, outcome, wanted, single, module._diff)
    if finish is not None:
        finish(outcome, out)
    module.exit_json(**out)

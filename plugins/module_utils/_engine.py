# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

# This module_utils file is internal to exotel.trunking: its name starts with "_" and its
# interface may change without notice. Do not import it from other collections.

"""The one write engine: every module that writes describes its list as a ``Kind`` (``_kind.py``);
the module glue (``_module.run``, ``run_bulk``) calls ``ensure`` and reports. The rules live here once:

- ``plan`` reads nothing and writes nothing: it compares the current items with the wanted entries
  and returns a ``Plan`` (creates and updates first, deletes last, so a trunk never has fewer entries
  than needed), or raises ``Refusal`` with every problem found, before any write;
- ``apply`` carries the plan out (nothing in check mode) with the safe writes of ``_kind.py``: never
  POST what exists, never send a create twice, settle lost answers and duplicates (error 1008) by
  a re-read. It returns the ``Outcome``; a failed write raises ``StepError`` with the outcome so far
  (or, with ``workers`` > 1, every step is tried and the failures are in ``Outcome.failed``);
- ``single_result`` and ``list_result`` turn an outcome into a module's result, with diff.

It works on items (dicts), never on Exotel's envelopes, and knows nothing of Ansible modules.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import concurrent.futures

from ansible_collections.exotel.trunking.plugins.module_utils._errors import ExotelError
from ansible_collections.exotel.trunking.plugins.module_utils._kind import create_once, delete_once, first_match

VERBS = ('create', 'update', 'delete')


class Refusal(Exception):
    """Why nothing can be written, found before any write; ``error``: Exotel's answer behind it, if any."""

    def __init__(self, message, error=None):
        super(Refusal, self).__init__(message)
        self.message = message
        self.error = error


class Step(object):
    """One write of a plan: ``create`` a wanted entry, ``update`` an item with ``body``, or ``delete`` an item."""

    def __init__(self, verb, have=None, want=None, body=None):
        self.verb = verb
        self.have = have
        self.want = want
        self.body = body

    @property
    def subject(self):
        return self.want if self.verb == 'create' else self.have


class Plan(object):
    """The items found (``before``) and the steps that bring them to what is wanted, in order."""

    def __init__(self, before, steps):
        self.before = before
        self.steps = steps


class Outcome(object):
    """What a run found, did (or, in check mode, would do), and the list as it is afterwards."""

    def __init__(self, before, planned=0):
        self.before = before
        self.after = list(before)
        self.planned = planned
        self.added = []
        self.updated = []   # (item_after, body)
        self.removed = []
        self.warnings = []
        self.failed = []    # (step, ExotelError)

    @property
    def changed(self):
        return bool(self.added or self.updated or self.removed)

    def item_for(self, kind, want):
        """The item ``want`` stands for after the run, or None."""
        return first_match(kind, self.after, want)

    def warn(self, text):
        if text:
            self.warnings.append(text)

    def create(self, item, new=True):
        """``item`` exists now; ``new``: this run created it (not a parallel run)."""
        self.after.append(item)
        if new:
            self.added.append(item)

    def update(self, have, item, body):
        """``have`` became ``item`` by writing ``body`` (an item this run created stays counted as added)."""
        if any(i is have for i in self.after):
            self.after = [item if i is have else i for i in self.after]
        else:
            self.after.append(item)
        if any(i is have for i in self.added):
            self.added = [item if i is have else i for i in self.added]
        else:
            self.updated.append((item, body))

    def remove(self, have, gone=True):
        """``have`` is no longer there; ``gone``: this run deleted it (not already gone)."""
        self.after = [i for i in self.after if i is not have]
        if gone:
            self.removed.append(have)

    def fail(self, step, error):
        self.failed.append((step, error))


class StepError(Exception):
    """A write failed: the ExotelError, the step, and the outcome so far."""

    def __init__(self, error, step, outcome):
        super(StepError, self).__init__(error.message)
        self.error = error
        self.step = step
        self.outcome = outcome


def plan(kind, current, wanted, state='present', purge=False):
    """The ``Plan`` that brings ``current`` to ``wanted``; raises ``Refusal`` naming every problem."""
    steps, problems = [], []
    for want in wanted:
        found = kind.matches(current, want)
        problem = kind.conflict(found[0], want, state) if found else None
        if problem:
            problems.append(problem)
        elif state == 'absent':
            steps.extend(Step('delete', have=item) for item in found)
        elif not found:
            problem = kind.missing(want)
            if problem:
                problems.append(problem)
            else:
                steps.append(Step('create', want=want))
        else:
            body = kind.update_body(found[0], want)
            if body:
                steps.append(Step('update', have=found[0], want=want, body=body))
            if purge:
                steps.extend(Step('delete', have=item) for item in found[1:])
    if purge and state == 'present':
        keys = set(kind.key(want) for want in wanted)
        steps.extend(Step('delete', have=item) for item in current if kind.key(item) not in keys)
    if problems:
        raise Refusal('Nothing was changed: ' + ' '.join(problems))
    return Plan(current, sorted(steps, key=lambda step: VERBS.index(step.verb)))


class _Done(object):
    """What one step did, recorded into the Outcome in plan order; ``error`` when it stopped part way."""

    def __init__(self, step):
        self.step = step
        self.created = None
        self.new = False
        self.updated = None
        self.gone = None
        self.warnings = []
        self.error = None

    def record(self, outcome):
        if self.created is not None:
            outcome.create(self.created, self.new)
        if self.updated is not None:
            outcome.update(*self.updated)
        if self.gone is not None:
            outcome.remove(self.step.have, self.gone)
        for warning in self.warnings:
            outcome.warn(warning)


def _update(kind, done, have, want, body, check_mode):
    if check_mode:
        item, warning = kind.merge(have, want, body), None
    else:
        item, warning = kind.update(have, want, body)
    done.updated = (have, item, body)
    done.warnings.append(warning)


def _execute(kind, step, check_mode):
    """Send the requests of one step (none in check mode); never raises."""
    done = _Done(step)
    try:
        if step.verb == 'create' and check_mode:
            done.created, done.new = kind.new_item(step.want), True
        elif step.verb == 'create':
            item, warning, existed = create_once(kind, step.want)
            done.created, done.new = item, not existed
            done.warnings.append(warning)
            body = kind.update_body(item, step.want) if existed else kind.body_after_create(item, step.want)
            if body:
                _update(kind, done, item, step.want, body, check_mode)
        elif step.verb == 'update':
            _update(kind, done, step.have, step.want, step.body, check_mode)
        else:
            done.gone = True if check_mode else delete_once(kind, step.have)
    except ExotelError as exc:
        done.error = exc
    return done


def apply(kind, the_plan, check_mode=False, workers=1):
    """Carry out ``the_plan`` and return the ``Outcome``.

    With ``workers`` = 1 the steps run one after the other and the first failure raises ``StepError``.
    With more, the steps of each verb run in parallel (creates, then updates, then deletes; the
    client paces them) and every step is tried: failures are in ``Outcome.failed``.
    """
    outcome = Outcome(the_plan.before, len(the_plan.steps))
    if workers <= 1 or check_mode:
        for step in the_plan.steps:
            done = _execute(kind, step, check_mode)
            done.record(outcome)
            if done.error is not None:
                raise StepError(done.error, step, outcome)
        return outcome
    for verb in VERBS:
        steps = [s for s in the_plan.steps if s.verb == verb]
        if not steps:
            continue
        with concurrent.futures.ThreadPoolExecutor(max_workers=min(workers, len(steps))) as pool:
            futures = [pool.submit(_execute, kind, step, False) for step in steps]
        for future in futures:
            done = future.result()
            done.record(outcome)
            if done.error is not None:
                outcome.fail(done.step, done.error)
    return outcome


def ensure(kind, wanted, state='present', purge=False, check_mode=False, workers=1):
    """Read, plan, apply: the ``Outcome``. Raises ExotelError (the read failed), ``Refusal`` or ``StepError``."""
    return apply(kind, plan(kind, kind.current(wanted), wanted, state, purge), check_mode, workers)


# ---------------------------------------------------------------------- module results

def single_result(kind, outcome, wanted, diff):
    """The result of a module given one entry: the item as ``kind.singular`` (``{}`` when there is none)."""
    item = outcome.item_for(kind, wanted[0]) or {}
    out = {'changed': outcome.changed, kind.singular: item}
    if diff:
        before = first_match(kind, outcome.before, wanted[0])
        out['diff'] = dict(before=kind.view(before) if before else {}, after=kind.view(item) if item else {})
    return out


def list_result(kind, outcome, wanted, diff):
    """The result of a module given a list: the whole list as ``kind.plural`` and what changed."""
    out = {'changed': outcome.changed, kind.plural: outcome.after}
    out['added'] = [kind.view(i) for i in outcome.added]
    out['updated'] = [kind.view(i) for i, dummy in outcome.updated]
    out['removed'] = [kind.view(i) for i in outcome.removed]
    if diff:
        # Sorted by key, so that an entry that stays keeps its place and the diff shows only what changes.
        def views(items):
            return sorted((kind.view(i) for i in items), key=lambda v: str(kind.key(v)))
        out['diff'] = dict(before={kind.plural: views(outcome.before)}, after={kind.plural: views(outcome.after)})
    return out

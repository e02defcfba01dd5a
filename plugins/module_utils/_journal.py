# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

# This module_utils file is internal to exotel.trunking: its name starts with "_" and its
# interface may change without notice. Do not import it from other collections.

"""The cutover journal: a JSON file on the controller that holds, for one cutover of numbers of one
trunk, every number's mode and flow as recorded before the first write, the target and the progress.

Plain file work, no HTTP. Every write is atomic (a temporary file in the same directory, flush, fsync,
rename, fsync of the directory) and leaves the file with mode 0600. The format (version 1) is
described in the module exotel.trunking.cutover_journal and in the StreamKit guide:

``format`` ("exotel.trunking.cutover_journal"), ``version`` (1), ``status`` ("open" or "closed"),
``trunk_sid``, ``direction`` ("to_bot" or "to_pstn": the cutover that was recorded), ``target``
(``mode``, ``app_id``), ``numbers`` (in the order given), ``recorded`` (phone number -> ``mode``,
``app_id``, ``voice_url``, ``sid``), ``phase`` (the last step begun: "recorded" (the mode writes follow it at once),
"flows", "verify", "rollback"), ``outcome`` (null while open; "cutover" or "rolled_back"), ``created_at``,
``updated_at``, ``closed_at`` (UTC, ISO 8601) and ``history`` (``at``, ``event``). A canary cutover adds
``decisions``: the decision on each step, in the order taken (``with_decision``); older journals have none.

``decide`` says what a run of the role does with the journal it finds, or refuses (``JournalError``).
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import os
import tempfile
import time

FORMAT = 'exotel.trunking.cutover_journal'
VERSION = 1
CUTOVERS = ('to_bot', 'to_pstn')
DIRECTIONS = CUTOVERS + ('rollback',)
PHASES = ('recorded', 'flows', 'verify', 'rollback')
OUTCOMES = ('cutover', 'rolled_back')
MODES = ('pstn', 'flow', None)
KEYS = ('format', 'version', 'status', 'trunk_sid', 'direction', 'target', 'numbers', 'recorded', 'phase',
        'outcome', 'created_at', 'updated_at', 'closed_at', 'history')
RECORD_KEYS = ('mode', 'app_id', 'voice_url', 'sid')
# How many numbers a message lists before it says "and N more".
SHOWN = 5


class JournalError(Exception):
    """A journal that cannot be read or written, or that does not fit the run; ``message`` says what to do."""

    def __init__(self, message):
        super(JournalError, self).__init__(message)
        self.message = message


def now():
    return time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())


def _shown(numbers):
    numbers = list(numbers)
    more = len(numbers) - SHOWN
    return ', '.join(numbers[:SHOWN]) + (' and %d more' % more if more > 0 else '')


def _problem(data):
    """What is wrong with ``data`` as a journal of this version, or None."""
    if not isinstance(data, dict) or data.get('format') != FORMAT:
        return 'it is not a cutover journal (no "format": "%s")' % FORMAT
    if data.get('version') != VERSION:
        return 'it has format version %r; this exotel.trunking reads version %d (a newer one wrote it?)' % (
            data.get('version'), VERSION)
    missing = [k for k in KEYS if k not in data]
    if missing:
        return 'it lacks %s' % ', '.join(missing)
    if data['status'] not in ('open', 'closed') or data['direction'] not in CUTOVERS or data['phase'] not in PHASES:
        return 'its status, direction or phase is not one this version writes'
    numbers, recorded = data['numbers'], data['recorded']
    if not isinstance(numbers, list) or not isinstance(recorded, dict) or set(numbers) != set(recorded):
        return '"numbers" and the keys of "recorded" differ'
    for number in numbers:
        entry = recorded[number]
        if not isinstance(entry, dict) or any(k not in entry for k in RECORD_KEYS) or entry['mode'] not in MODES:
            return 'the record of %s lacks %s or has an unknown mode' % (number, ', '.join(RECORD_KEYS))
    return None


def load(path):
    """The journal at ``path`` (a dict), or None when there is no file. Raises JournalError."""
    try:
        with open(path, 'rb') as handle:
            raw = handle.read()
    except IOError as exc:
        if not os.path.exists(path):
            return None
        raise JournalError('The cutover journal %s cannot be read: %s.' % (path, exc.strerror or exc))
    try:
        data = json.loads(raw.decode('utf-8'))
    except ValueError as exc:
        data, problem = None, 'it is not JSON (%s)' % exc
    else:
        problem = _problem(data)
    if problem:
        raise JournalError('The cutover journal %s cannot be used: %s. Nothing was changed. Move the file aside, or set '
                           'voice_ai_cutover_journal (the path option) to another file.' % (path, problem))
    return data


def write(path, data):
    """Write ``data`` to ``path`` atomically, mode 0600 (the directory is made, mode 0700, when missing)."""
    folder = os.path.dirname(os.path.abspath(path))
    try:
        if not os.path.isdir(folder):
            os.makedirs(folder, 0o700)
        fd, temp = tempfile.mkstemp(dir=folder, prefix='.%s.' % os.path.basename(path), suffix='.tmp')
    except OSError as exc:
        raise JournalError('The cutover journal %s cannot be written: %s. Nothing was changed at Exotel. Set '
                           'voice_ai_cutover_journal (the path option) to a writable file.' % (path, exc.strerror or exc))
    try:
        with os.fdopen(fd, 'wb') as handle:
            os.chmod(temp, 0o600)
            handle.write(json.dumps(data, indent=2, sort_keys=True).encode('utf-8') + b'\n')
            handle.flush()
            os.fsync(handle.fileno())
        os.rename(temp, path)
        _fsync_dir(folder)
    except OSError as exc:
        if os.path.exists(temp):
            os.unlink(temp)
        raise JournalError('The cutover journal %s cannot be written: %s.' % (path, exc.strerror or exc))


def _fsync_dir(folder):
    """Make the rename durable (where the platform allows a directory to be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def archive_path(path, journal):
    """Where a closed journal goes when a new cutover opens one at ``path``: ``<name>.<closed_at>.json``."""
    stem = path[:-len('.json')] if path.endswith('.json') else path
    stamp = (journal.get('closed_at') or journal.get('updated_at') or now()).replace('-', '').replace(':', '')
    candidate, count = '%s.%s.json' % (stem, stamp), 1
    while os.path.exists(candidate):
        count += 1
        candidate = '%s.%s-%d.json' % (stem, stamp, count)
    return candidate


def new_journal(trunk_sid, direction, target, numbers, recorded, at=None):
    at = at or now()
    return dict(format=FORMAT, version=VERSION, status='open', trunk_sid=trunk_sid, direction=direction,
                target=dict(mode=target['mode'], app_id=target['app_id']), numbers=list(numbers),
                recorded=dict((n, dict((k, recorded[n].get(k)) for k in RECORD_KEYS)) for n in numbers),
                phase='recorded', outcome=None, created_at=at, updated_at=at, closed_at=None,
                history=[dict(at=at, event='recorded')])


def with_phase(journal, phase, at=None):
    """The journal with ``phase`` begun (``rollback`` also reopens a journal closed after its cutover)."""
    at = at or now()
    changed = dict(journal, phase=phase, updated_at=at, history=journal['history'] + [dict(at=at, event=phase)])
    if phase == 'rollback':
        changed.update(status='open', outcome=None, closed_at=None)
    return changed


def with_decision(journal, decision, at=None):
    """The journal with the decision on a canary step (a dict with ``step`` and ``decision``) appended to ``decisions``."""
    at = at or now()
    entry = dict(decision, at=at)
    return dict(journal, updated_at=at, decisions=list(journal.get('decisions') or []) + [entry],
                history=journal['history'] + [dict(at=at, event='step %s: %s' % (decision['step'], decision['decision']))])


def closed(journal, outcome, at=None):
    at = at or now()
    return dict(journal, status='closed', outcome=outcome, updated_at=at, closed_at=at,
                history=journal['history'] + [dict(at=at, event='closed: %s' % outcome)])


def describe(journal, path):
    """The journal in a few words, to start a message."""
    what = 'cutover %s of %d numbers on trunk %s' % (journal['direction'], len(journal['numbers']), journal['trunk_sid'])
    if journal['status'] == 'open':
        return 'The cutover journal %s holds an unfinished %s (started %s, last step begun: %s)' % (
            path, what, journal['created_at'], journal['phase'])
    return 'The cutover journal %s holds a finished %s (%s, closed %s)' % (path, what, journal['outcome'], journal['closed_at'])


def _other_numbers(journal, trunk_sid, numbers):
    """Why the journal is not the one of these numbers of this trunk, or None."""
    if journal['trunk_sid'] != trunk_sid:
        return 'it is for trunk %s, not %s' % (journal['trunk_sid'], trunk_sid)
    only_journal = [n for n in journal['numbers'] if n not in numbers]
    only_run = [n for n in numbers if n not in journal['recorded']]
    if not only_journal and not only_run:
        return None
    parts = []
    if only_journal:
        parts.append('only in the journal: %s' % _shown(only_journal))
    if only_run:
        parts.append('only in this run: %s' % _shown(only_run))
    return 'it is for other numbers (%s)' % '; '.join(parts)


def decide(journal, path, trunk_sid, numbers, direction, target=None):
    """What a run of the role in ``direction`` does with ``journal`` (None: no file).

    ``record``: record every number afresh (no journal, or a closed one, which a new journal will archive);
    ``resume``: keep the open journal's record and finish its cutover; ``rollback``: put every number back
    to the journal's record; ``done``: nothing to do (a rollback of a journal already rolled back).
    Raises JournalError, saying what to do, when the journal does not fit.
    """
    if journal is None:
        if direction == 'rollback':
            raise JournalError('Nothing to roll back: there is no cutover journal at %s. A rollback puts numbers back to '
                               'the state a cutover journal recorded; set voice_ai_cutover_journal to the journal of the '
                               'cutover to undo. Nothing was changed.' % path)
        return 'record'
    if journal['status'] == 'closed' and direction != 'rollback':
        return 'record'
    mismatch = _other_numbers(journal, trunk_sid, numbers)
    if mismatch:
        raise JournalError('%s: %s. Nothing was changed. Run the role with that journal\'s trunk and numbers (to finish '
                           'or roll back that cutover), or set voice_ai_cutover_journal to another file for these numbers.'
                           % (describe(journal, path), mismatch))
    if direction == 'rollback':
        return 'done' if journal['outcome'] == 'rolled_back' else 'rollback'
    if journal['phase'] == 'rollback':
        raise JournalError('%s, whose rollback was interrupted. Nothing was changed. Finish the rollback first: run the '
                           'role with voice_ai_cutover_direction=rollback.' % describe(journal, path))
    if journal['direction'] != direction or journal['target'] != dict(mode=target['mode'], app_id=target['app_id']):
        raise JournalError('%s to mode %s and flow %s; this run asks for %s (mode %s, flow %s). Nothing was changed. '
                           'Finish that cutover first (voice_ai_cutover_direction=%s with app id %s), or put every number '
                           'back with voice_ai_cutover_direction=rollback; then run this one.' % (
                               describe(journal, path), journal['target']['mode'], journal['target']['app_id'], direction,
                               target['mode'], target['app_id'], journal['direction'], journal['target']['app_id']))
    return 'resume'

#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
---
module: cutover_journal
short_description: Read and write the journal of a Voice AI cutover (a local file, no Exotel request)
version_added: 0.1.0
description:
  - Keeps the journal of a cutover of numbers of one SIP trunk, as the role P(exotel.trunking.voice_ai_cutover#role)
    writes it - every number's mode and flow recorded before the first write, the target and the progress - so that a
    run killed part way can be finished, or rolled back to the record, by the next run.
  - The journal is a JSON file on the host that runs the module (the controller, with the role). Every write is
    atomic (a temporary file in the same directory, flush, fsync, rename, fsync of the directory), and the file has
    mode 0600. It holds phone numbers, ExoPhone SIDs and flow URLs, never a credential.
  - Every task takes the lock C(<path>.lock) (a C(flock), mode 0600, not made in check mode) and waits, up to 15
    minutes, while another process holds it - a writing task of a run that was killed part way, which goes on in its
    worker (the role passes that lock to its writing tasks as their O(exotel.trunking.exotel_exophone#module:lock_file)).
  - It sends no request to Exotel, takes no connection options and is not in the C(exotel.trunking.exotel) action
    group, so C(module_defaults) for C(group/exotel.trunking.exotel) does not reach it.
  - 'The format, version 1, a JSON object: V(format) (always C(exotel.trunking.cutover_journal)), V(version) (1),
    V(status) (C(open) until the cutover or its rollback is finished and verified, then C(closed)), V(trunk_sid),
    V(direction) (C(to_bot) or C(to_pstn), the cutover that was recorded), V(target) (C(mode), C(app_id)), V(numbers)
    (in the order given), V(recorded) (phone number to C(mode) (C(pstn), C(flow) or null), C(app_id), C(voice_url),
    C(sid)), V(phase) (the last step begun: C(recorded) (the mode writes follow it at once), C(flows), C(verify), C(rollback)), V(outcome)
    (null while open, then C(cutover) or C(rolled_back)), V(created_at), V(updated_at), V(closed_at) (UTC, ISO 8601)
    and V(history) (a list of C(at) and C(event)). A canary cutover adds V(decisions), the decision on each step in the
    order taken, as O(decision) gives it, with C(at).'
  - A number is held by an unfinished cutover when it is in V(numbers) of a journal whose V(status) is C(open).
author:
  - exotel.trunking contributors (@exotel-trunking)
options:
  path:
    description:
      - The journal file. Its directory is made (mode 0700) when missing.
    type: path
    required: true
  state:
    description:
      - V(read) returns the journal (null when there is no file) and changes nothing. With O(direction), O(trunk_sid)
        and O(numbers) (and O(target) for a cutover), it also says in RV(plan) what a run of the role does with the
        journal, and fails, saying what to do, when the journal holds another cutover.
      - V(open) writes a new open journal from O(trunk_sid), O(direction), O(target), O(numbers) and O(recorded). It
        fails when an open journal is there; a closed one is first renamed to C(<name>.<closed_at>.json) and kept.
      - V(progress) records that the step O(phase) has begun. V(rollback) also reopens a journal closed after its
        cutover.
      - V(close) marks the journal closed with O(outcome). It is kept, and never resumed.
      - V(decision) appends O(decision), the decision on a step of a canary cutover, to the open journal's V(decisions).
    type: str
    choices: [read, open, progress, close, decision]
    default: read
  trunk_sid:
    description: The trunk of the numbers (letters, digits, V(_) and V(-)).
    type: str
  direction:
    description:
      - With O(state=open), the cutover recorded (V(to_bot) or V(to_pstn)).
      - With O(state=read), the direction of the run the journal is judged for; V(rollback) asks to put the numbers
        back to the journal's record.
    type: str
    choices: [to_bot, to_pstn, rollback]
  numbers:
    description: The phone numbers of the cutover, in E.164 form (V(+) then 8 to 15 digits), each once.
    type: list
    elements: str
  target:
    description: The target of the cutover, C(mode) (V(flow) or V(pstn)) and C(app_id) (digits).
    type: dict
  recorded:
    description:
      - With O(state=open), every number's state before the first write in the shape of the role's fact
        C(voice_ai_cutover_recorded) - C(modes) (V(pstn), V(flow) or null), C(app_ids), C(voice_urls) and C(sids), each a
        dict from phone number. The journal keeps it per number (see the format above).
    type: dict
  phase:
    description: With O(state=progress), the step that begins.
    type: str
    choices: [flows, verify, rollback]
  outcome:
    description: With O(state=close), how the journal ends.
    type: str
    choices: [cutover, rolled_back]
  decision:
    description:
      - With O(state=decision), the decision on a step of a canary cutover, as RV(exotel.trunking.cutover_canary#module:entry)
        returns it; it needs at least C(step) (a whole number) and C(decision) (V(pass), V(fail) or V(undecided)).
    type: dict
attributes:
  check_mode:
    support: full
    description: Reads the journal and returns it as it would be written; never writes, renames or makes a directory.
  diff_mode:
    support: none
    description: Not supported.
notes:
  - Keep the journal where the next run finds it. On AWX or Automation Controller, a job's project directory is gone
    when the job ends, so point O(path) at a volume that outlives the job.
seealso:
  - ref: ansible_collections.exotel.trunking.docsite.guide_streamkit_cutover
    description: The StreamKit cutover guide; its section "If the run is interrupted" shows how the role uses the journal.
'''

EXAMPLES = r'''
- name: Read the journal of the last cutover on the trunk
  exotel.trunking.cutover_journal:
    path: "{{ playbook_dir }}/cutover_journal/trmum1f708622631150902801a1n.json"
  register: cutover

- name: Say which numbers an unfinished cutover holds
  ansible.builtin.debug:
    msg: "Held by an unfinished cutover: {{ cutover.journal.numbers | join(', ') }}"
  when: cutover.journal is not none and cutover.journal.status == 'open'

- name: Record two numbers before a cutover to the bot
  exotel.trunking.cutover_journal:
    path: "{{ playbook_dir }}/cutover_journal/trmum1f708622631150902801a1n.json"
    state: open
    trunk_sid: trmum1f708622631150902801a1n
    direction: to_bot
    target: {mode: flow, app_id: "245679"}
    numbers: ["+918040264208", "+918040264209"]
    recorded:
      modes: {"+918040264208": pstn, "+918040264209": flow}
      app_ids: {"+918040264208": "245678", "+918040264209": "245679"}
      voice_urls: {"+918040264208": "https://my.exotel.com/demo_account/exoml/start_voice/245678",
                   "+918040264209": "https://my.exotel.com/demo_account/exoml/start_voice/245679"}
      sids: {"+918040264208": 0b8f6c1e2d3a4b5c6d7e8f9012345601, "+918040264209": 0b8f6c1e2d3a4b5c6d7e8f9012345602}
'''

RETURN = r'''
journal:
  description: The journal after the task (in check mode, as it would be); null when there is none.
  returned: always
  type: dict
  sample: {format: exotel.trunking.cutover_journal, version: 1, status: open, trunk_sid: trmum1f708622631150902801a1n,
           direction: to_bot, target: {mode: flow, app_id: "245679"}, numbers: ["+918040264208"],
           recorded: {"+918040264208": {mode: pstn, app_id: "245678", sid: 0b8f6c1e2d3a4b5c6d7e8f9012345601,
                                        voice_url: "https://my.exotel.com/demo_account/exoml/start_voice/245678"}},
           phase: flows, outcome: null, created_at: "2026-01-23T13:28:11Z", updated_at: "2026-01-23T13:28:14Z",
           closed_at: null, history: [{at: "2026-01-23T13:28:11Z", event: recorded},
                                      {at: "2026-01-23T13:28:14Z", event: flows}]}
recorded:
  description:
    - The journal's record in the shape of the role's fact C(voice_ai_cutover_recorded) - C(modes), C(app_ids),
      C(voice_urls) and C(sids), each a dict from phone number.
  returned: when there is a journal
  type: dict
  sample: {modes: {"+918040264208": pstn}, app_ids: {"+918040264208": "245678"}, sids: {"+918040264208": 0b8f6c1e2d3a4b5c6d7e8f9012345601},
           voice_urls: {"+918040264208": "https://my.exotel.com/demo_account/exoml/start_voice/245678"}}
journal_path:
  description: The journal file.
  returned: always
  type: str
  sample: /home/ops/cutover/cutover_journal/trmum1f708622631150902801a1n.json
plan:
  description:
    - With O(state=read) and O(direction), what the run does with the journal. V(record) - record every number afresh
      (no journal, or a closed one); V(resume) - keep the open journal's record and finish its cutover; V(rollback) - put
      every number back to the journal's record; V(done) - nothing (the journal was closed after a rollback).
  returned: with O(state=read) and O(direction)
  type: str
  sample: resume
decisions:
  description: The decisions on the steps of a canary cutover recorded in the journal (also in RV(journal)); empty for others.
  returned: when there is a journal
  type: list
  elements: dict
  sample: [{step: 1, spec: "5%", decision: pass, reason: "40 calls ended on the numbers moved; every threshold met",
            numbers: ["+918040264208"], at: "2026-01-23T13:40:11Z"}]
archived:
  description: With O(state=open), where the closed journal that was there has been moved (would be, in check mode).
  returned: with O(state=open) when a closed journal was there
  type: str
  sample: /home/ops/cutover/cutover_journal/trmum1f708622631150902801a1n.20260123T132811Z.json
'''

import os
import re

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.exotel.trunking.plugins.module_utils._journal import (
    RECORD_KEYS, JournalError, archive_path, closed, decide, describe, load, new_journal, with_decision, with_phase, write)
from ansible_collections.exotel.trunking.plugins.module_utils._lock import LockError, hold

E164 = re.compile(r'^\+[0-9]{8,15}$')
SID = re.compile(r'^[A-Za-z0-9_-]+$')
NEEDS = {'open': ('trunk_sid', 'direction', 'target', 'numbers', 'recorded'), 'progress': ('phase',), 'close': ('outcome',),
         'decision': ('decision',)}
DECISIONS = ('pass', 'fail', 'undecided')


def per_number(recorded, numbers):
    """The role's record (``modes``, ``app_ids``, ``voice_urls``, ``sids``: dicts from phone number) per number."""
    fields = dict((key, recorded.get(key + 's') if isinstance(recorded.get(key + 's'), dict) else {}) for key in RECORD_KEYS)
    return dict((n, dict((key, fields[key].get(n)) for key in RECORD_KEYS)) for n in numbers)


def per_field(journal):
    """The journal's record in the role's shape."""
    return dict((key + 's', dict((n, journal['recorded'][n][key]) for n in journal['numbers'])) for key in RECORD_KEYS)


def recorded_of(journal):
    return dict(recorded=per_field(journal), decisions=journal.get('decisions') or []) if journal is not None else {}


def input_problems(params):
    """What is wrong with the options, as sentences naming them (checked before anything is read or written)."""
    problems = ['state=%s needs %s.' % (params['state'], name) for name in NEEDS.get(params['state'], ())
                if params[name] is None]
    numbers, target = params['numbers'], params['target']
    if numbers is not None and (not numbers or any(not E164.match(n) for n in numbers) or len(set(numbers)) != len(numbers)):
        problems.append('numbers must list each number once, in E.164 form ("+" then 8 to 15 digits); got %s.' % numbers)
    if params['trunk_sid'] is not None and not SID.match(params['trunk_sid']):
        problems.append('trunk_sid must be a trunk SID (letters, digits, "_" and "-"); got "%s".' % params['trunk_sid'])
    if target is not None and (target.get('mode') not in ('flow', 'pstn') or not re.match(r'^[0-9]+$', str(target.get('app_id')))):
        problems.append('target must have mode (flow or pstn) and app_id (digits); got %s.' % target)
    if params['state'] == 'open' and params['direction'] == 'rollback':
        problems.append('state=open needs direction to_bot or to_pstn (the cutover recorded).')
    if params['state'] == 'open' and numbers and params['recorded'] is not None:
        recorded = per_number(params['recorded'], numbers)
        bad = [n for n in numbers if recorded[n]['mode'] not in ('pstn', 'flow', None) or not recorded[n]['voice_url']
               or not recorded[n]['sid']]
        if bad:
            problems.append('recorded must give modes (pstn, flow or null), app_ids, voice_urls and sids for every number; '
                            'missing or wrong for %s.' % ', '.join(bad))
    decision = params['decision']
    if decision is not None and (isinstance(decision.get('step'), bool) or not isinstance(decision.get('step'), int)
                                 or decision.get('step') < 1 or decision.get('decision') not in DECISIONS):
        problems.append('decision must have step (a whole number of at least 1) and decision (%s); got step %r, decision %r.'
                        % (', '.join(DECISIONS), decision.get('step'), decision.get('decision')))
    if params['state'] == 'read' and params['direction'] is not None:
        for name in ('trunk_sid', 'numbers') + (('target',) if params['direction'] != 'rollback' else ()):
            if params[name] is None:
                problems.append('state=read with direction=%s needs %s.' % (params['direction'], name))
    return problems


def next_journal(module, current, result):
    """The journal the task writes (None: nothing to write); fills ``result``. Raises JournalError."""
    params, path = module.params, module.params['path']
    state = params['state']
    if state == 'open':
        if current is not None and current['status'] == 'open':
            raise JournalError('%s. Nothing was written. Finish that cutover or roll it back first.' % describe(current, path))
        if current is not None:
            result['archived'] = archive_path(path, current)
        target = dict(mode=params['target']['mode'], app_id=str(params['target']['app_id']))
        return new_journal(params['trunk_sid'], params['direction'], target, params['numbers'],
                           per_number(params['recorded'], params['numbers']))
    if current is None:
        raise JournalError('There is no cutover journal at %s (state=%s needs one).' % (path, state))
    if state == 'decision':
        if current['status'] != 'open':
            raise JournalError('%s; state=decision needs an open journal.' % describe(current, path))
        return with_decision(current, params['decision'])
    if state == 'progress':
        phase = params['phase']
        if current['status'] == 'closed' and (phase != 'rollback' or current['outcome'] != 'cutover'):
            raise JournalError('%s; state=progress with phase=%s needs an open journal.' % (describe(current, path), phase))
        return None if current['status'] == 'open' and current['phase'] == phase else with_phase(current, phase)
    if current['status'] == 'closed' and current['outcome'] == params['outcome']:
        return None
    return closed(current, params['outcome'])


def main():
    module = AnsibleModule(
        argument_spec=dict(
            path=dict(type='path', required=True),
            state=dict(type='str', default='read', choices=['read', 'open', 'progress', 'close', 'decision']),
            trunk_sid=dict(type='str'),
            direction=dict(type='str', choices=['to_bot', 'to_pstn', 'rollback']),
            numbers=dict(type='list', elements='str'),
            target=dict(type='dict'),
            recorded=dict(type='dict'),
            phase=dict(type='str', choices=['flows', 'verify', 'rollback']),
            outcome=dict(type='str', choices=['cutover', 'rolled_back']),
            decision=dict(type='dict'),
        ),
        supports_check_mode=True,
    )
    params, path = module.params, module.params['path']
    problems = input_problems(params)
    if problems:
        module.fail_json(msg=' '.join(problems) + ' Nothing was read or written.', journal_path=path)
    result = dict(changed=False, journal_path=path)
    try:
        # Wait for a writing task of a killed run that is still going on (see lock_file of the writing modules).
        hold(path + '.lock', create=not module.check_mode)
        current = load(path)
        if params['state'] == 'read':
            if params['direction'] is not None:
                result['plan'] = decide(current, path, params['trunk_sid'], params['numbers'], params['direction'],
                                        params['target'] and dict(mode=params['target'].get('mode'),
                                                                  app_id=str(params['target'].get('app_id'))))
            module.exit_json(journal=current, **dict(result, **recorded_of(current)))
        journal = next_journal(module, current, result)
        if journal is not None and not module.check_mode:
            if result.get('archived'):
                os.rename(path, result['archived'])
            write(path, journal)
    except (JournalError, LockError) as exc:
        module.fail_json(msg=exc.message, **result)
    except OSError as exc:
        module.fail_json(msg='The cutover journal %s could not be moved aside: %s.' % (path, exc.strerror or exc), **result)
    result['changed'] = journal is not None
    module.exit_json(journal=journal or current, **dict(result, **recorded_of(journal or current)))


if __name__ == '__main__':
    main()

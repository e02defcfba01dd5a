#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
---
module: cutover_canary
short_description: Plan the steps of a canary cutover and judge each step from its calls (no Exotel request)
version_added: 0.1.0
description:
  - The arithmetic of a canary cutover, as the role P(exotel.trunking.voice_ai_cutover#role) runs it with
    C(voice_ai_cutover_steps) - which numbers move at each step, and whether the calls of the numbers just moved say go
    on, roll back, or wait for more calls.
  - V(plan) splits O(numbers) into steps. The numbers move in the order given (the first ones first), so put the numbers
    to try first at the start of the list; the same input always gives the same steps.
  - V(judge) decides on one step from the outcomes of the numbers just moved, as
    M(exotel.trunking.exotel_call_info) returns them in RV(exotel.trunking.exotel_call_info#module:summary), and with
    C(baseline) from those of the numbers still on the old route over the same window.
  - V(report) turns the decisions recorded in the cutover journal into a table, one row a step.
  - It takes the outcomes as input and sends no request; it takes no connection options and is not in the
    C(exotel.trunking.exotel) action group. It reads and writes no file.
author:
  - exotel.trunking contributors (@exotel-trunking)
options:
  state:
    description:
      - V(plan) returns RV(batches) for O(numbers) and O(steps) (and checks O(analysis) when given).
      - V(judge) returns the RV(decision) on the step O(step) from O(outcomes) (and O(baseline_outcomes)).
      - V(report) returns RV(rows) and RV(markdown) from O(decisions).
    type: str
    choices: [plan, judge, report]
    default: plan
  numbers:
    description: With O(state=plan), the numbers to move, in the order they move.
    type: list
    elements: str
  steps:
    description:
      - With O(state=plan), the steps - each a count of numbers (V(2)) or a percentage of them (V("25%"), rounded up,
        at least one number), the numbers moved once that step is done. For example V(["5%", "25%", "100%"]) or V([1, 5, 20]).
      - Counts must increase, percentages must increase, and the last step must cover every number. A step that would
        add no number is merged into the one before it (RV(merged)).
    type: list
    elements: raw
  analysis:
    description:
      - How a step is judged (the role's C(voice_ai_cutover_analysis)). C(thresholds.failure_ratio) is required.
      - C(window) - minutes of calls judged after a step (default 10). C(window_seconds) - how long a window lasts in
        real time, the wait before each read (default C(window) times 60; only a time-compressed test server needs
        another value). C(max_wait) - seconds to wait in all for C(min_calls) calls before stopping undecided (default 3
        windows). C(min_calls) - ended calls needed to judge (default 20).
      - C(thresholds) - C(failure_ratio) (the highest share of failed, busy or unanswered calls that passes),
        C(answer_ratio) (the lowest share of answered calls that passes), C(median_duration) (the shortest median
        duration, in seconds, of the answered calls that passes).
      - C(baseline) (default V(false)) - compare with the numbers still on the old route over the same window; a
        threshold missed is forgiven when the bot is no worse than the old route by more than C(margin) (default 0.05,
        that is 5 points of a ratio, 5% of the old route's median duration). With fewer than C(min_calls) calls on the old route,
        or no number left on it, the thresholds alone decide.
    type: dict
  step:
    description:
      - With O(state=judge), the step judged, as RV(batches) gives it (C(step), C(spec), C(numbers), C(moved)); it is
        copied into RV(entry).
    type: dict
  outcomes:
    description:
      - With O(state=judge), the outcomes of the numbers moved so far over the window - RV(exotel.trunking.exotel_call_info#module:summary)
        (its C(total) is judged) or one summary (C(ended), C(failed), C(answered), C(failure_ratio), C(answer_ratio),
        C(median_duration)).
    type: dict
  baseline_outcomes:
    description: With O(state=judge), the outcomes of the numbers still on the old route over the same window, in the form of O(outcomes).
    type: dict
  decisions:
    description: With O(state=report), the decisions recorded (RV(exotel.trunking.cutover_journal#module:decisions)).
    type: list
    elements: dict
attributes:
  check_mode:
    support: full
    description: Computes the same in check mode; it changes nothing anyway.
  diff_mode:
    support: none
    description: Not supported.
seealso:
  - module: exotel.trunking.exotel_call_info
  - module: exotel.trunking.cutover_journal
  - ref: ansible_collections.exotel.trunking.docsite.guide_streamkit_cutover
    description: The StreamKit cutover guide, section "Canary cutover".
'''

EXAMPLES = r'''
- name: Which numbers move at each step
  exotel.trunking.cutover_canary:
    numbers: ["+918040264208", "+918040264209", "+918040264210", "+918040264211"]
    steps: ["25%", "100%"]
  register: canary

- name: What callers of the numbers of the first step got in the last 10 minutes
  exotel.trunking.exotel_call_info:
    numbers: "{{ canary.batches[0].moved }}"
    last: 10
  register: moved_calls

- name: Judge the first step
  exotel.trunking.cutover_canary:
    state: judge
    step: "{{ canary.batches[0] }}"
    outcomes: "{{ moved_calls.summary }}"
    analysis: {min_calls: 20, thresholds: {failure_ratio: 0.2, answer_ratio: 0.6}}
  register: step_one

- name: Stop when the bot failed the callers
  ansible.builtin.fail:
    msg: "{{ step_one.reason }}"
  when: step_one.decision == 'fail'
'''

RETURN = r'''
batches:
  description: With O(state=plan), one entry a step - C(step) (from 1), C(spec) (as given), C(numbers) (moved by that step),
    C(moved) (all moved once it is done).
  returned: with O(state=plan)
  type: list
  elements: dict
  sample: [{step: 1, spec: "25%", numbers: ["+918040264208"], moved: ["+918040264208"]},
           {step: 2, spec: "100%", numbers: ["+918040264209"], moved: ["+918040264208", "+918040264209"]}]
merged:
  description: With O(state=plan), the steps that added no number and were merged into the one before.
  returned: with O(state=plan)
  type: list
  elements: str
  sample: ["5%"]
analysis:
  description: With O(state=plan) or O(state=judge) and O(analysis), the analysis with its defaults, and C(polls) (the reads a
    step may take, C(max_wait) / C(window_seconds) rounded up).
  returned: when O(analysis) is given
  type: dict
  sample: {window: 10, window_seconds: 600, max_wait: 1800, polls: 3, min_calls: 20, baseline: false, margin: 0.05,
           thresholds: {failure_ratio: 0.2, answer_ratio: null, median_duration: null}}
decision:
  description: With O(state=judge), V(pass) (go on), V(fail) (roll back) or V(undecided) (too few calls).
  returned: with O(state=judge)
  type: str
  sample: fail
reason:
  description: With O(state=judge), the decision in plain words, with the figures.
  returned: with O(state=judge)
  type: str
  sample: "30 calls ended on the numbers moved; failure ratio 40.0% (threshold at most 20.0%)"
calls:
  description: With O(state=judge), the ended calls of the numbers moved.
  returned: with O(state=judge)
  type: int
  sample: 30
checks:
  description: With O(state=judge), per threshold - C(metric), C(value), C(threshold), C(baseline), C(limit) (what the baseline allows), C(ok), C(forgiven).
  returned: with O(state=judge)
  type: list
  elements: dict
  sample: [{metric: failure_ratio, value: 0.4, threshold: 0.2, baseline: null, limit: null, ok: false, forgiven: false}]
entry:
  description: With O(state=judge), the decision to record in the journal (O(exotel.trunking.cutover_journal#module:decision))
    - O(step)'s keys, C(decision), C(reason), C(calls), C(bot) and C(baseline) (the figures), C(checks), C(thresholds).
  returned: with O(state=judge)
  type: dict
  sample: {step: 1, spec: "25%", numbers: ["+918040264208"], moved: ["+918040264208"], decision: fail, calls: 30,
           reason: "30 calls ended on the numbers moved; failure ratio 40.0% (threshold at most 20.0%)",
           bot: {ended: 30, failed: 12, answered: 18, failure_ratio: 0.4, answer_ratio: 0.6, median_duration: 95},
           baseline: null, checks: [], thresholds: {failure_ratio: 0.2, answer_ratio: null, median_duration: null}}
rows:
  description: With O(state=report), one row a step (its last decision) - C(step), C(spec), C(numbers), C(moved) (how many in all), C(calls),
    C(failure_ratio), C(failure_threshold), C(answer_ratio), C(answer_threshold), C(median_duration), C(baseline_failure_ratio),
    C(baseline_answer_ratio), C(decision), C(reason), C(at).
  returned: with O(state=report)
  type: list
  elements: dict
  sample: [{step: 1, spec: "25%", numbers: ["+918040264208"], moved: 1, calls: 30, failure_ratio: 0.4, failure_threshold: 0.2,
            answer_ratio: 0.6, answer_threshold: null, median_duration: 95, baseline_failure_ratio: null,
            baseline_answer_ratio: null, decision: fail, reason: "...", at: "2026-01-23T13:40:11Z"}]
markdown:
  description: With O(state=report), the rows as a Markdown table.
  returned: with O(state=report)
  type: str
  sample: "# Canary cutover\n\n| Step | Numbers moved | ..."
'''

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.exotel.trunking.plugins.module_utils._canary import (
    CanaryError, check_analysis, judge, markdown, plan, report_rows)

NEEDS = {'plan': ('numbers', 'steps'), 'judge': ('step', 'outcomes', 'analysis'), 'report': ('decisions',)}


def results(params):
    """The module's result for ``params``. Raises CanaryError."""
    state = params['state']
    result = {}
    if params['analysis'] is not None:
        result['analysis'] = check_analysis(params['analysis'])
    if state == 'plan':
        result.update(plan(params['numbers'], params['steps']))
    elif state == 'judge':
        step = params['step']
        if isinstance(step.get('step'), bool) or not isinstance(step.get('step'), int):
            raise CanaryError('step must be a step as batches gives it, with step (a whole number); got %r' % (step,))
        judged = judge(params['outcomes'], params['analysis'], params['baseline_outcomes'])
        entry = dict((k, step.get(k)) for k in ('step', 'spec', 'numbers', 'moved'))
        entry.update(judged, thresholds=result['analysis']['thresholds'])
        result.update(judged, entry=entry)
    else:
        rows = report_rows(params['decisions'])
        result.update(rows=rows, markdown=markdown(rows))
    return result


def main():
    module = AnsibleModule(
        argument_spec=dict(
            state=dict(type='str', default='plan', choices=['plan', 'judge', 'report']),
            numbers=dict(type='list', elements='str'),
            steps=dict(type='list', elements='raw'),
            analysis=dict(type='dict'),
            step=dict(type='dict'),
            outcomes=dict(type='dict'),
            baseline_outcomes=dict(type='dict'),
            decisions=dict(type='list', elements='dict'),
        ),
        supports_check_mode=True,
    )
    missing = [name for name in NEEDS[module.params['state']] if module.params[name] is None]
    if missing:
        module.fail_json(msg='state=%s needs %s.' % (module.params['state'], ', '.join(missing)))
    try:
        result = results(module.params)
    except CanaryError as exc:
        module.fail_json(msg='%s.' % exc)
    module.exit_json(changed=False, **result)


if __name__ == '__main__':
    main()

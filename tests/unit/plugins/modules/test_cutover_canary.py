# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""cutover_canary: plan, judge and report as a task gets them; bad input fails naming the option. No HTTP:
the module sends no request (the ``http`` mock asserts that none is sent)."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.exotel.trunking.plugins.modules import cutover_canary

NUMBERS = ['+918040264208', '+918040264209', '+918040264210', '+918040264211']
ANALYSIS = {'window': 5, 'window_seconds': 3, 'max_wait': 9, 'min_calls': 10, 'thresholds': {'failure_ratio': 0.2}}
TOTAL = {'calls': 30, 'ended': 30, 'failed': 12, 'answered': 18, 'failure_ratio': 0.4, 'answer_ratio': 0.6,
         'median_duration': 95, 'p90_duration': 170, 'not_final': 0, 'by_status': {'completed': 18, 'failed': 12}}


def canary(run_module, http, **args):
    result = run_module(cutover_canary.main, args).result
    assert len(http.calls) == 0
    return result


def test_plan_returns_the_batches_and_the_analysis_with_its_defaults(run_module, http):
    result = canary(run_module, http, numbers=NUMBERS, steps=['25%', 4], analysis=ANALYSIS)
    assert result == {
        'changed': False, 'merged': [],
        'batches': [{'step': 1, 'spec': '25%', 'numbers': NUMBERS[:1], 'moved': NUMBERS[:1]},
                    {'step': 2, 'spec': '4', 'numbers': NUMBERS[1:], 'moved': NUMBERS}],
        'analysis': {'window': 5, 'window_seconds': 3, 'max_wait': 9, 'polls': 3, 'min_calls': 10, 'baseline': False,
                     'margin': 0.05, 'thresholds': {'failure_ratio': 0.2, 'answer_ratio': None, 'median_duration': None}}}


def test_judge_returns_the_decision_and_the_journal_entry(run_module, http):
    step = {'step': 1, 'spec': '25%', 'numbers': NUMBERS[:1], 'moved': NUMBERS[:1]}
    result = canary(run_module, http, state='judge', step=step, analysis=ANALYSIS, outcomes={'total': TOTAL, 'numbers': {}})
    reason = '30 calls ended on the numbers moved; failure ratio 40.0% (threshold at most 20.0%)'
    bot = {'ended': 30, 'failed': 12, 'answered': 18, 'failure_ratio': 0.4, 'answer_ratio': 0.6, 'median_duration': 95}
    checks = [{'metric': 'failure_ratio', 'value': 0.4, 'threshold': 0.2, 'baseline': None, 'limit': None, 'ok': False,
               'forgiven': False}]
    assert result['decision'] == 'fail'
    assert result['reason'] == reason
    assert result['entry'] == dict(step, decision='fail', reason=reason, calls=30, bot=bot, baseline=None, checks=checks,
                                   thresholds={'failure_ratio': 0.2, 'answer_ratio': None, 'median_duration': None})
    assert sorted(result) == ['analysis', 'baseline', 'bot', 'calls', 'changed', 'checks', 'decision', 'entry', 'reason']


def test_report_gives_rows_and_markdown(run_module, http):
    entry = {'step': 1, 'spec': '25%', 'numbers': NUMBERS[:1], 'moved': NUMBERS[:1], 'decision': 'pass', 'reason': 'ok',
             'bot': {'ended': 30, 'failure_ratio': 0.0, 'answer_ratio': 1.0, 'median_duration': 60}, 'baseline': None,
             'thresholds': {'failure_ratio': 0.2}, 'at': '2026-01-23T13:28:10Z'}
    result = canary(run_module, http, state='report', decisions=[entry])
    assert [(r['step'], r['calls'], r['decision']) for r in result['rows']] == [(1, 30, 'pass')]
    assert result['markdown'].splitlines()[4] == ('| 1 (25%) | +918040264208 (1 in all) | 30 | 0.0% (max 20.0%) | 100.0% | 60s '
                                                  '| none / none | **pass**: ok |')


def test_bad_input_fails_naming_the_option(run_module, http):
    bad = canary(run_module, http, numbers=NUMBERS, steps=['50%'])
    assert bad['failed'] is True
    assert bad['msg'] == ('the last of voice_ai_cutover_steps must cover every number ("100%" or 4); \'50%\' covers 2 of 4.')
    missing = canary(run_module, http, state='judge', outcomes=TOTAL)
    assert missing['msg'] == 'state=judge needs step, analysis.'
    no_threshold = canary(run_module, http, state='judge', outcomes=TOTAL, step={'step': 1}, analysis={'min_calls': 3})
    assert no_threshold['msg'] == ('voice_ai_cutover_analysis.thresholds must be a dict with at least failure_ratio (the highest '
                                   'share of failed calls that passes, e.g. 0.2); got None.')
    bad_step = canary(run_module, http, state='judge', outcomes=TOTAL, step={'spec': '5%'}, analysis=ANALYSIS)
    assert bad_step['msg'] == "step must be a step as batches gives it, with step (a whole number); got {'spec': '5%'}."

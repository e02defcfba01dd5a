# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""_canary: the steps of a canary cutover (plan), the decision on a step (judge), the report."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.exotel.trunking.plugins.module_utils import _canary
from ansible_collections.exotel.trunking.plugins.module_utils._canary import CanaryError

NUMBERS = ['+9180402642%02d' % i for i in range(20)]
ANALYSIS = {'min_calls': 20, 'thresholds': {'failure_ratio': 0.2}}


def summary(ended, failed, answered=None, median=60):
    answered = ended - failed if answered is None else answered
    return {'ended': ended, 'failed': failed, 'answered': answered,
            'failure_ratio': round(failed / float(ended), 4) if ended else None,
            'answer_ratio': round(answered / float(ended), 4) if ended else None,
            'median_duration': median if answered else None}


# ---- plan -------------------------------------------------------------------------------------

def test_plan_percentages_move_numbers_in_the_order_given():
    planned = _canary.plan(NUMBERS, ['5%', '25%', '100%'])
    assert planned == {'merged': [], 'batches': [
        {'step': 1, 'spec': '5%', 'numbers': NUMBERS[:1], 'moved': NUMBERS[:1]},
        {'step': 2, 'spec': '25%', 'numbers': NUMBERS[1:5], 'moved': NUMBERS[:5]},
        {'step': 3, 'spec': '100%', 'numbers': NUMBERS[5:], 'moved': NUMBERS}]}


def test_plan_counts_and_percentages_mixed_and_rounded_up():
    planned = _canary.plan(NUMBERS[:3], [1, '50%', 3])
    assert [b['numbers'] for b in planned['batches']] == [NUMBERS[:1], NUMBERS[1:2], NUMBERS[2:3]]
    assert [b['spec'] for b in planned['batches']] == ['1', '50%', '3']


def test_plan_merges_a_step_that_adds_no_number():
    planned = _canary.plan(NUMBERS[:4], ['5%', '25%', '100%'])
    assert planned['merged'] == ['25%']
    assert [b['moved'] for b in planned['batches']] == [NUMBERS[:1], NUMBERS[:4]]
    assert [b['step'] for b in planned['batches']] == [1, 2]


@pytest.mark.parametrize('steps, message', [
    (['25%', '5%', '100%'], "voice_ai_cutover_steps must increase: step 2 ('5%') is not more than step 1 ('25%')"),
    ([5, 2, 20], 'voice_ai_cutover_steps must increase: step 2 (2) is not more than step 1 (5)'),
    (['5%', '50%'], 'the last of voice_ai_cutover_steps must cover every number ("100%" or 20); \'50%\' covers 10 of 20'),
    (['0%', '100%'], ("voice_ai_cutover_steps[0] must be a count of numbers (a whole number of at least 1, e.g. 2) or a "
                      "percentage of them (more than 0 and at most 100, e.g. \"25%\"); got '0%'")),
    (['150%'], ("voice_ai_cutover_steps[0] must be a count of numbers (a whole number of at least 1, e.g. 2) or a "
                "percentage of them (more than 0 and at most 100, e.g. \"25%\"); got '150%'")),
    ([1.5, 20], ('voice_ai_cutover_steps[0] must be a count of numbers (a whole number of at least 1, e.g. 2) or a '
                 'percentage of them (more than 0 and at most 100, e.g. "25%"); got 1.5')),
    ([True, 20], ('voice_ai_cutover_steps[0] must be a count of numbers (a whole number of at least 1, e.g. 2) or a '
                  'percentage of them (more than 0 and at most 100, e.g. "25%"); got True')),
    ([5, 21], 'voice_ai_cutover_steps[1] is 21, more than the 20 numbers of voice_ai_cutover_numbers'),
    (['60%', 10, 20], 'voice_ai_cutover_steps must increase: step 2 (10) moves 10 numbers, fewer than the 12 of the step before it'),
    ([], "voice_ai_cutover_steps must be a list of steps, e.g. [\"5%\", \"25%\", \"100%\"] or [1, 5, 20]; got []"),
])
def test_plan_refuses_bad_steps_naming_the_option(steps, message):
    with pytest.raises(CanaryError) as caught:
        _canary.plan(NUMBERS, steps)
    assert str(caught.value) == message


def test_plan_takes_counts_written_as_strings():
    assert [b['moved'] for b in _canary.plan(NUMBERS[:2], ['1', '2'])['batches']] == [NUMBERS[:1], NUMBERS[:2]]


# ---- analysis ---------------------------------------------------------------------------------

def test_analysis_defaults():
    assert _canary.check_analysis({'thresholds': {'failure_ratio': 0.2}}) == {
        'window': 10, 'window_seconds': 600, 'min_calls': 20, 'max_wait': 1800, 'polls': 3, 'baseline': False, 'margin': 0.05,
        'thresholds': {'failure_ratio': 0.2, 'answer_ratio': None, 'median_duration': None}}


def test_analysis_polls_cover_max_wait():
    checked = _canary.check_analysis({'window': 5, 'window_seconds': 2, 'max_wait': 5, 'thresholds': {'failure_ratio': 0.2}})
    assert (checked['window_seconds'], checked['max_wait'], checked['polls']) == (2, 5, 3)


@pytest.mark.parametrize('analysis, message', [
    ({}, ('voice_ai_cutover_analysis.thresholds must be a dict with at least failure_ratio (the highest share of failed calls '
          'that passes, e.g. 0.2); got None')),
    ({'thresholds': {'answer_ratio': 0.5}}, ('voice_ai_cutover_analysis.thresholds must be a dict with at least failure_ratio '
                                             "(the highest share of failed calls that passes, e.g. 0.2); got {'answer_ratio': 0.5}")),
    ({'thresholds': {'failure_ratio': 1.5}}, ('voice_ai_cutover_analysis.thresholds.failure_ratio must be a share from 0 to 1, '
                                              'e.g. 0.2; got 1.5')),
    ({'thresholds': {'failure_ratio': 0.2, 'p90': 3}}, ('voice_ai_cutover_analysis.thresholds has unknown settings p90 '
                                                        '(known: failure_ratio, answer_ratio, median_duration)')),
    ({'windo': 3, 'thresholds': {'failure_ratio': 0.2}}, ('voice_ai_cutover_analysis has unknown settings windo (known: baseline, '
                                                          'margin, max_wait, min_calls, thresholds, window, window_seconds)')),
    ({'min_calls': 0, 'thresholds': {'failure_ratio': 0.2}}, ('voice_ai_cutover_analysis.min_calls must be a whole number of '
                                                              'at least 1; got 0')),
    ({'window': '10', 'thresholds': {'failure_ratio': 0.2}}, "voice_ai_cutover_analysis.window must be whole minutes, at least 1; got '10'"),
    ({'max_wait': 60, 'thresholds': {'failure_ratio': 0.2}}, ('voice_ai_cutover_analysis.max_wait must be seconds, at least '
                                                              'window_seconds (600); got 60')),
    ({'baseline': 'yes', 'thresholds': {'failure_ratio': 0.2}}, "voice_ai_cutover_analysis.baseline must be true or false; got 'yes'"),
    ('fast', ('voice_ai_cutover_analysis must be a dict with at least thresholds.failure_ratio, e.g. {"window": 10, '
              '"min_calls": 20, "thresholds": {"failure_ratio": 0.2}}')),
])
def test_analysis_refuses_bad_settings_naming_them(analysis, message):
    with pytest.raises(CanaryError) as caught:
        _canary.check_analysis(analysis)
    assert str(caught.value) == message


# ---- judge ------------------------------------------------------------------------------------

def test_judge_passes_a_healthy_step():
    judged = _canary.judge(summary(40, 2), ANALYSIS)
    assert judged['decision'] == 'pass'
    assert judged['reason'] == '40 calls ended on the numbers moved; every threshold met'
    assert judged['calls'] == 40
    assert judged['checks'] == [{'metric': 'failure_ratio', 'value': 0.05, 'threshold': 0.2, 'baseline': None, 'limit': None,
                                 'ok': True, 'forgiven': False}]
    assert sorted(judged) == ['baseline', 'bot', 'calls', 'checks', 'decision', 'reason']


def test_judge_fails_above_the_failure_threshold_and_says_why():
    judged = _canary.judge(summary(40, 16), ANALYSIS)
    assert judged['decision'] == 'fail'
    assert judged['reason'] == '40 calls ended on the numbers moved; failure ratio 40.0% (threshold at most 20.0%)'


def test_judge_at_the_threshold_passes():
    assert _canary.judge(summary(40, 8), ANALYSIS)['decision'] == 'pass'


def test_judge_takes_the_total_of_an_exotel_call_info_summary():
    judged = _canary.judge({'total': summary(40, 16), 'numbers': {}}, ANALYSIS)
    assert (judged['decision'], judged['bot']['failed']) == ('fail', 16)


def test_judge_is_undecided_with_too_few_calls():
    judged = _canary.judge(summary(19, 19), ANALYSIS)
    assert judged['decision'] == 'undecided'
    assert judged['reason'] == 'too few calls to judge: 19 ended on the numbers moved, min_calls is 20'
    assert judged['checks'] == []


def test_judge_answer_ratio_and_median_duration():
    analysis = {'min_calls': 10, 'thresholds': {'failure_ratio': 0.5, 'answer_ratio': 0.8, 'median_duration': 30}}
    judged = _canary.judge(summary(20, 2, answered=12, median=12), analysis)
    assert judged['decision'] == 'fail'
    assert judged['reason'] == ('20 calls ended on the numbers moved; answer ratio 60.0% (threshold at least 80.0%); '
                                'median duration 12s (threshold at least 30s)')
    assert [c['ok'] for c in judged['checks']] == [True, False, False]


def test_judge_with_baseline_forgives_a_bad_hour_for_everyone():
    analysis = dict(ANALYSIS, baseline=True, margin=0.05)
    judged = _canary.judge(summary(40, 16), analysis, baseline=summary(100, 38))
    assert judged['decision'] == 'pass'
    assert judged['checks'][0] == {'metric': 'failure_ratio', 'value': 0.4, 'threshold': 0.2, 'baseline': 0.38, 'limit': 0.43,
                                   'ok': False, 'forgiven': True}
    assert judged['reason'] == ('40 calls ended on the numbers moved; every threshold met; failure ratio 40.0% (threshold at '
                                'most 20.0%; old route 38.0%), missed but no worse than the old route by more than the margin 0.05')


def test_judge_with_baseline_fails_a_bot_worse_than_the_old_route_by_more_than_the_margin():
    analysis = dict(ANALYSIS, baseline=True, margin=0.05)
    judged = _canary.judge(summary(40, 16), analysis, baseline=summary(100, 30))
    assert judged['decision'] == 'fail'
    assert judged['reason'] == '40 calls ended on the numbers moved; failure ratio 40.0% (threshold at most 20.0%; old route 30.0%)'


def test_judge_without_enough_baseline_calls_uses_the_thresholds_and_says_so():
    analysis = dict(ANALYSIS, baseline=True)
    judged = _canary.judge(summary(40, 16), analysis, baseline=summary(5, 5))
    assert judged['decision'] == 'fail'
    assert judged['reason'].endswith('; no baseline comparison (the old route had 5 ended calls, fewer than min_calls 20)')
    judged = _canary.judge(summary(40, 0), analysis)
    assert judged['reason'] == ('40 calls ended on the numbers moved; every threshold met; no baseline comparison '
                                '(no number is left on the old route)')


def test_judge_baseline_is_ignored_unless_asked_for():
    judged = _canary.judge(summary(40, 16), ANALYSIS, baseline=summary(100, 40))
    assert judged['decision'] == 'fail'
    assert judged['checks'][0]['baseline'] is None


def test_judge_median_duration_margin_is_a_share_of_the_old_route():
    analysis = {'min_calls': 10, 'baseline': True, 'margin': 0.1, 'thresholds': {'failure_ratio': 0.5, 'median_duration': 60}}
    judged = _canary.judge(summary(20, 0, median=46), analysis, baseline=summary(20, 0, median=50))
    assert judged['checks'][1]['limit'] == 45.0
    assert judged['decision'] == 'pass'


# ---- report -----------------------------------------------------------------------------------

def test_report_keeps_the_last_decision_of_each_step_in_step_order():
    first = dict(_canary.judge(summary(5, 0), ANALYSIS), step=1, spec='5%', numbers=NUMBERS[:1], moved=NUMBERS[:1],
                 thresholds={'failure_ratio': 0.2}, at='t1')
    again = dict(_canary.judge(summary(40, 1), ANALYSIS), step=1, spec='5%', numbers=NUMBERS[:1], moved=NUMBERS[:1],
                 thresholds={'failure_ratio': 0.2}, at='t2')
    second = dict(_canary.judge(summary(40, 16), ANALYSIS), step=2, spec='100%', numbers=NUMBERS[1:], moved=NUMBERS,
                  thresholds={'failure_ratio': 0.2}, at='t3')
    rows = _canary.report_rows([first, again, second])
    assert [(r['step'], r['decision'], r['calls'], r['at']) for r in rows] == [(1, 'pass', 40, 't2'), (2, 'fail', 40, 't3')]
    text = _canary.markdown(rows)
    lines = text.splitlines()
    assert lines[0] == '# Canary cutover'
    assert lines[4] == ('| 1 (5%%) | %s (1 in all) | 40 | 2.5%% (max 20.0%%) | 97.5%% | 60s | none / none | **pass**: '
                        '40 calls ended on the numbers moved; every threshold met |' % NUMBERS[0])
    assert lines[5].startswith('| 2 (100%) | ')
    assert '| 40 | 40.0% (max 20.0%) | 60.0% | 60s | none / none | **fail**: ' in lines[5]

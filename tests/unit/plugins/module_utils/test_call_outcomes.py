# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The degradation verdicts of call outcomes (_call_outcomes.py): degraded above the threshold with enough
calls, recovered after enough polls at or below it, nothing with too few calls, and no flapping near it."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.exotel.trunking.plugins.module_utils._call_outcomes import JudgeSettingError, OutcomeJudge


def poll(ended, failed):
    return {'ended': ended, 'failed': failed, 'failure_ratio': round(failed / float(ended), 4) if ended else None}


def run(judge, polls):
    """The verdicts of a sequence of (ended, failed) polls, as (poll index, status)."""
    verdicts = []
    for index, (ended, failed) in enumerate(polls):
        verdict = judge.observe(poll(ended, failed))
        if verdict is not None:
            verdicts.append((index, verdict['status']))
    return verdicts


def test_degraded_when_the_failure_ratio_exceeds_the_threshold_with_enough_calls():
    judge = OutcomeJudge(threshold=0.3, min_calls=10, recover_polls=3)
    assert judge.observe(poll(10, 2)) is None and judge.state == 'healthy'
    assert judge.observe(poll(10, 4)) == {'status': 'degraded', 'previous': 'healthy', 'calls': 10, 'failed': 4,
                                          'failure_ratio': 0.4, 'polls_below': 0}
    assert judge.observe(poll(20, 9)) is None and judge.state == 'degraded'


def test_degraded_right_at_start():
    judge = OutcomeJudge(0.3, 5, 2)
    assert judge.observe(poll(5, 5))['previous'] == 'unknown'


def test_nothing_while_there_are_too_few_calls_to_judge():
    judge = OutcomeJudge(threshold=0.3, min_calls=10, recover_polls=1)
    assert run(judge, [(9, 9), (0, 0), (3, 3)]) == []
    assert judge.state == 'unknown'


def test_the_threshold_itself_is_not_above_it():
    judge = OutcomeJudge(threshold=0.4, min_calls=5, recover_polls=1)
    assert run(judge, [(10, 4), (5, 2)]) == []


def test_recovered_after_enough_judged_polls_at_or_below_in_a_row():
    judge = OutcomeJudge(threshold=0.3, min_calls=10, recover_polls=3)
    polls = [(10, 5),                        # degraded
             (10, 1), (10, 3),               # two below (0.3 is at the threshold)
             (10, 4),                        # above: the count starts again
             (10, 0), (2, 0), (10, 0),       # the poll with too few calls neither counts nor breaks the run
             (10, 0)]                        # the third in a row: recovered
    assert run(judge, polls) == [(0, 'degraded'), (7, 'recovered')]
    assert judge.state == 'healthy'


def test_the_recovered_verdict_reports_the_run():
    judge = OutcomeJudge(0.3, 10, 2)
    run(judge, [(10, 5), (10, 0)])
    assert judge.observe(poll(12, 1)) == {'status': 'recovered', 'previous': 'degraded', 'calls': 12, 'failed': 1,
                                          'failure_ratio': 0.0833, 'polls_below': 2}


def test_degraded_again_after_a_recovery():
    judge = OutcomeJudge(0.3, 10, 1)
    assert run(judge, [(10, 5), (10, 0), (10, 5)]) == [(0, 'degraded'), (1, 'recovered'), (2, 'degraded')]


def test_a_ratio_hovering_just_below_the_threshold_never_degrades():
    judge = OutcomeJudge(threshold=0.3, min_calls=10, recover_polls=3)
    hovering = [(20, 6), (20, 5), (20, 6), (19, 5), (20, 6), (30, 9), (10, 3)] * 5
    assert run(judge, hovering) == []


def test_a_degraded_ratio_that_dips_below_now_and_then_does_not_recover():
    judge = OutcomeJudge(threshold=0.3, min_calls=10, recover_polls=3)
    dipping = [(20, 8), (20, 6), (20, 5), (20, 7)] * 5
    assert run(judge, dipping) == [(0, 'degraded')]


@pytest.mark.parametrize('args, message', [
    ((1, 10, 3), 'threshold must be a failure ratio from 0 to below 1, e.g. 0.3; got 1'),
    ((-0.1, 10, 3), 'threshold must be a failure ratio from 0 to below 1, e.g. 0.3; got -0.1'),
    (('0.3', 10, 3), "threshold must be a failure ratio from 0 to below 1, e.g. 0.3; got '0.3'"),
    ((0.3, 0, 3), 'min_calls must be a whole number of at least 1; got 0'),
    ((0.3, 2.5, 3), 'min_calls must be a whole number of at least 1; got 2.5'),
    ((0.3, 10, True), 'recover_polls must be a whole number of at least 1; got True'),
    ((float('nan'), 10, 3), 'threshold must be a failure ratio from 0 to below 1, e.g. 0.3; got nan'),
])
def test_bad_settings_are_refused_with_their_name_and_form(args, message):
    with pytest.raises(JudgeSettingError) as caught:
        OutcomeJudge(*args)
    assert str(caught.value) == message

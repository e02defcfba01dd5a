# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

# This module_utils file is internal to exotel.trunking: its name starts with "_" and its
# interface may change without notice. Do not import it from other collections.
"""When call outcomes say a route is degraded, and when they say it has recovered: ``OutcomeJudge``.

Pure: it judges one summary (``_call_summary.summarize_records``) per poll and says which event, if
any, the ``call_outcomes`` event source emits. No HTTP, no clock.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import math

UNKNOWN, HEALTHY, DEGRADED = 'unknown', 'healthy', 'degraded'
RECOVERED = 'recovered'


class JudgeSettingError(ValueError):
    """A setting of the judge that does not have its form; the message names it and the expected form."""


def _check(name, value, test, expected):
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or not test(value):
        raise JudgeSettingError('%s must be %s; got %r' % (name, expected, value))
    return value


class OutcomeJudge:
    """Turns one summary per poll into ``degraded`` / ``recovered`` verdicts.

    - A poll is **judged** when its window has at least ``min_calls`` ended calls; a poll with fewer
      says nothing: no verdict, and it neither counts towards recovery nor breaks a run.
    - ``degraded``: a judged poll whose failure ratio is **above** ``threshold``, while the state is
      not already degraded (the first such poll after start or after a recovery).
    - ``recovered``: once degraded, ``recover_polls`` judged polls in a row whose failure ratio is
      **at or below** ``threshold``; a judged poll above it starts the count again.
    - Before the first degradation the state goes from ``unknown`` to ``healthy`` silently.

    ``observe(summary)`` returns None or ``{'status', 'previous', 'calls', 'failed', 'failure_ratio',
    'polls_below'}`` (``calls``: the ended calls judged; ``polls_below``: the run that decided a recovery).
    """

    def __init__(self, threshold, min_calls, recover_polls):
        self.threshold = _check('threshold', threshold, lambda v: 0 <= v < 1, 'a failure ratio from 0 to below 1, e.g. 0.3')
        self.min_calls = _check('min_calls', min_calls, lambda v: v == int(v) and v >= 1, 'a whole number of at least 1')
        self.recover_polls = _check('recover_polls', recover_polls, lambda v: v == int(v) and v >= 1,
                                    'a whole number of at least 1')
        self.state = UNKNOWN
        self.polls_below = 0

    def judged(self, summary):
        """Whether ``summary`` has enough ended calls to judge."""
        return (summary.get('ended') or 0) >= self.min_calls and summary.get('failure_ratio') is not None

    def observe(self, summary):
        """The verdict of one poll's summary, or None."""
        if not self.judged(summary):
            return None
        above = summary['failure_ratio'] > self.threshold
        previous = self.state
        if above:
            self.polls_below = 0
            if self.state != DEGRADED:
                self.state = DEGRADED
                return self.verdict(DEGRADED, previous, summary)
            return None
        if self.state != DEGRADED:
            self.state = HEALTHY
            return None
        self.polls_below += 1
        if self.polls_below < self.recover_polls:
            return None
        self.state = HEALTHY
        verdict = self.verdict(RECOVERED, previous, summary)
        self.polls_below = 0
        return verdict

    def verdict(self, status, previous, summary):
        return {'status': status, 'previous': previous, 'calls': summary['ended'], 'failed': summary.get('failed', 0),
                'failure_ratio': summary['failure_ratio'], 'polls_below': self.polls_below}

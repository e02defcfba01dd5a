# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

# This module_utils file is internal to exotel.trunking: its name starts with "_" and its
# interface may change without notice. Do not import it from other collections.
"""A canary cutover: which numbers move at each step (``plan``), and whether a step's calls say go on,
roll back or wait (``judge``); the report of the decisions (``report_rows``, ``markdown``).

Pure: no HTTP, no file, no clock. The outcomes judged are summaries as ``exotel_call_info`` returns them
(``_call_summary.summarize_records``: ``ended``, ``failed``, ``answered``, ``failure_ratio``,
``answer_ratio``, ``median_duration``).
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import math
import re

PASS, FAIL, UNDECIDED = 'pass', 'fail', 'undecided'
DECISIONS = (PASS, FAIL, UNDECIDED)
PERCENT = re.compile(r'^\s*([0-9]+(?:\.[0-9]+)?)\s*%\s*$')
# The analysis settings, their defaults (None: required or optional without default).
ANALYSIS_DEFAULTS = {'window': 10, 'window_seconds': None, 'min_calls': 20, 'max_wait': None,
                     'thresholds': None, 'baseline': False, 'margin': 0.05}
THRESHOLDS = ('failure_ratio', 'answer_ratio', 'median_duration')


class CanaryError(ValueError):
    """A setting that does not have its form; the message names it and the expected form."""


def _number(value):
    return not isinstance(value, bool) and isinstance(value, (int, float)) and math.isfinite(value)


def _step_size(index, step, total):
    """(kind, value, size) of one step: a count of numbers or a percentage of ``total``."""
    name = 'voice_ai_cutover_steps[%d]' % index
    expected = ('%s must be a count of numbers (a whole number of at least 1, e.g. 2) or a percentage of them '
                '(more than 0 and at most 100, e.g. "25%%"); got %r' % (name, step))
    if isinstance(step, str):
        match = PERCENT.match(step)
        if match:
            percent = float(match.group(1))
            if not 0 < percent <= 100:
                raise CanaryError(expected)
            return 'percent', percent, max(1, int(math.ceil(percent * total / 100.0 - 1e-9)))
        if not step.strip().isdigit():
            raise CanaryError(expected)
        step = int(step)
    if not _number(step) or step != int(step) or step < 1:
        raise CanaryError(expected)
    return 'count', int(step), int(step)


def plan(numbers, steps):
    """The batches of a canary cutover of ``numbers`` (moved in the order given) in ``steps``.

    Each step is a count of numbers (``2``) or a percentage of them (``"25%"``, rounded up, at least one
    number), the numbers moved once that step is done (cumulative). Counts must increase, percentages
    must increase, and the last step must cover every number (``"100%"`` or the count of numbers). A step
    that would add no number (``5%`` and ``25%`` of four numbers are one number each) is merged into the
    one before it and listed in ``merged``.

    Returns ``{'batches': [{'step', 'spec', 'numbers', 'moved'}], 'merged': [spec, ...]}``: ``numbers``
    are the numbers that step moves, ``moved`` all the numbers moved once it is done.
    """
    if not isinstance(numbers, list) or not numbers:
        raise CanaryError('voice_ai_cutover_numbers must list at least one number for a canary cutover')
    if not isinstance(steps, list) or not steps:
        raise CanaryError('voice_ai_cutover_steps must be a list of steps, e.g. ["5%%", "25%%", "100%%"] or [1, 5, 20]; got %r' % (steps,))
    total, last = len(numbers), {}
    batches, merged, moved = [], [], 0
    for index, step in enumerate(steps):
        kind, value, size = _step_size(index, step, total)
        if kind in last and value <= last[kind][0]:
            raise CanaryError('voice_ai_cutover_steps must increase: step %d (%r) is not more than step %d (%r)'
                              % (index + 1, step, last[kind][1] + 1, steps[last[kind][1]]))
        if size > total:
            raise CanaryError('voice_ai_cutover_steps[%d] is %r, more than the %d numbers of voice_ai_cutover_numbers'
                              % (index, step, total))
        if size < moved:
            raise CanaryError('voice_ai_cutover_steps must increase: step %d (%r) moves %d numbers, fewer than the %d of '
                              'the step before it' % (index + 1, step, size, moved))
        last[kind] = (value, index)
        spec = '%g%%' % value if kind == 'percent' else str(value)
        if size == moved:
            merged.append(spec)
            continue
        batches.append({'step': len(batches) + 1, 'spec': spec, 'numbers': list(numbers[moved:size]),
                        'moved': list(numbers[:size])})
        moved = size
    if moved != total:
        raise CanaryError('the last of voice_ai_cutover_steps must cover every number ("100%%" or %d); %r covers %d of %d'
                          % (total, steps[-1], moved, total))
    return {'batches': batches, 'merged': merged}


def check_analysis(analysis):
    """``analysis`` (voice_ai_cutover_analysis) with its defaults; CanaryError names the setting and its form."""
    if not isinstance(analysis, dict):
        raise CanaryError('voice_ai_cutover_analysis must be a dict with at least thresholds.failure_ratio, e.g. '
                          '{"window": 10, "min_calls": 20, "thresholds": {"failure_ratio": 0.2}}')
    unknown = sorted(set(analysis) - set(ANALYSIS_DEFAULTS))
    if unknown:
        raise CanaryError('voice_ai_cutover_analysis has unknown settings %s (known: %s)'
                          % (', '.join(unknown), ', '.join(sorted(ANALYSIS_DEFAULTS))))
    checked = dict(ANALYSIS_DEFAULTS)
    checked.update((k, v) for k, v in analysis.items() if v is not None)

    def need(name, value, test, expected):
        if not _number(value) or not test(value):
            raise CanaryError('voice_ai_cutover_analysis.%s must be %s; got %r' % (name, expected, value))
        return value

    need('window', checked['window'], lambda v: v == int(v) and v >= 1, 'whole minutes, at least 1')
    checked['window'] = int(checked['window'])
    if checked['window_seconds'] is None:
        checked['window_seconds'] = 60 * checked['window']
    need('window_seconds', checked['window_seconds'], lambda v: v >= 0, 'seconds, 0 or more')
    need('min_calls', checked['min_calls'], lambda v: v == int(v) and v >= 1, 'a whole number of at least 1')
    if checked['max_wait'] is None:
        checked['max_wait'] = 3 * checked['window_seconds']
    need('max_wait', checked['max_wait'], lambda v: v >= checked['window_seconds'],
         'seconds, at least window_seconds (%s)' % checked['window_seconds'])
    if not isinstance(checked['baseline'], bool):
        raise CanaryError('voice_ai_cutover_analysis.baseline must be true or false; got %r' % (checked['baseline'],))
    need('margin', checked['margin'], lambda v: 0 <= v < 1, 'a share from 0 to below 1, e.g. 0.05')
    thresholds = checked['thresholds']
    if not isinstance(thresholds, dict) or thresholds.get('failure_ratio') is None:
        raise CanaryError('voice_ai_cutover_analysis.thresholds must be a dict with at least failure_ratio (the highest share '
                          'of failed calls that passes, e.g. 0.2); got %r' % (thresholds,))
    unknown = sorted(set(thresholds) - set(THRESHOLDS))
    if unknown:
        raise CanaryError('voice_ai_cutover_analysis.thresholds has unknown settings %s (known: %s)'
                          % (', '.join(unknown), ', '.join(THRESHOLDS)))
    thresholds = dict((k, thresholds.get(k)) for k in THRESHOLDS)
    for name in ('failure_ratio', 'answer_ratio'):
        if thresholds[name] is not None:
            need('thresholds.' + name, thresholds[name], lambda v: 0 <= v <= 1, 'a share from 0 to 1, e.g. 0.2')
    if thresholds['median_duration'] is not None:
        need('thresholds.median_duration', thresholds['median_duration'], lambda v: v >= 0, 'seconds, 0 or more')
    checked['thresholds'] = thresholds
    checked['polls'] = max(1, int(math.ceil(checked['max_wait'] / float(checked['window_seconds'])))) \
        if checked['window_seconds'] else 1
    return checked


def _figures(summary):
    summary = summary or {}
    if isinstance(summary.get('total'), dict):
        summary = summary['total']
    return dict((k, summary.get(k)) for k in ('ended', 'failed', 'answered', 'failure_ratio', 'answer_ratio', 'median_duration'))


# metric -> (the worse direction: +1 when higher is worse, its words, how the threshold reads)
METRICS = {'failure_ratio': (1, 'failure ratio', 'at most'), 'answer_ratio': (-1, 'answer ratio', 'at least'),
           'median_duration': (-1, 'median duration', 'at least')}


def _allowed(metric, base, margin):
    """How bad the bot may be on ``metric`` when the old route had ``base``: the baseline and the margin."""
    worse = METRICS[metric][0]
    if metric == 'median_duration':
        return base * (1 - margin)
    return base + worse * margin


def _shown(metric, value):
    if value is None:
        return 'none'
    return '%gs' % value if metric == 'median_duration' else '%.1f%%' % (100.0 * value)


def judge(outcomes, analysis, baseline=None):
    """The decision on one step from the calls of the numbers just moved (``outcomes``) and, with
    ``analysis['baseline']``, those of the numbers still on the old route over the same window (``baseline``).

    - ``undecided``: fewer than ``min_calls`` ended calls on the moved numbers.
    - each threshold is checked: failure ratio at most, answer ratio at least, median duration at least;
    - with the baseline (when the old route had at least ``min_calls`` ended calls too), a threshold missed
      is forgiven when the bot is no worse than the old route by more than ``margin`` (ratios: ``margin``
      as a share, 0.05 = 5 points; duration: ``margin`` of the old route's median): a bad hour for
      everyone is not the bot's fault.
    - ``fail`` when a threshold is missed and not forgiven, else ``pass``.

    Returns ``{'decision', 'reason', 'calls', 'bot', 'baseline', 'checks'}``; ``checks`` has per threshold
    ``metric``, ``value``, ``threshold``, ``baseline``, ``limit`` (what the baseline allows), ``ok``, ``forgiven``.
    """
    analysis = check_analysis(analysis)
    bot = _figures(outcomes)
    base = _figures(baseline) if baseline is not None else None
    min_calls = analysis['min_calls']
    result = {'bot': bot, 'baseline': base, 'calls': bot['ended'] or 0, 'checks': []}
    if (bot['ended'] or 0) < min_calls:
        result.update(decision=UNDECIDED, reason='too few calls to judge: %d ended on the numbers moved, min_calls is %d'
                      % (bot['ended'] or 0, min_calls))
        return result
    compare = analysis['baseline'] and base is not None and (base['ended'] or 0) >= min_calls
    notes = []
    if analysis['baseline'] and not compare:
        notes.append('no baseline comparison (%s)' % (
            'no number is left on the old route' if base is None
            else 'the old route had %d ended calls, fewer than min_calls %d' % (base['ended'] or 0, min_calls)))
    failed = []
    for metric in THRESHOLDS:
        threshold = analysis['thresholds'][metric]
        if threshold is None:
            continue
        worse, words, reads = METRICS[metric]
        value = bot[metric]
        ok = value is not None and (value - threshold) * worse <= 0
        check = {'metric': metric, 'value': value, 'threshold': threshold, 'baseline': None, 'limit': None,
                 'ok': ok, 'forgiven': False}
        if compare and base[metric] is not None:
            check['baseline'] = base[metric]
            check['limit'] = round(_allowed(metric, base[metric], analysis['margin']), 4)
            check['forgiven'] = not ok and value is not None and (value - check['limit']) * worse <= 0
        result['checks'].append(check)
        said = '%s %s (threshold %s %s' % (words, _shown(metric, value), reads, _shown(metric, threshold))
        if check['baseline'] is not None:
            said += '; old route %s' % _shown(metric, check['baseline'])
        said += ')'
        if not ok and not check['forgiven']:
            failed.append(said)
        elif check['forgiven']:
            notes.append('%s, missed but no worse than the old route by more than the margin %g' % (said, analysis['margin']))
    calls = '%d calls ended on the numbers moved' % bot['ended']
    if failed:
        result.update(decision=FAIL, reason='%s; %s' % (calls, '; '.join(failed + notes)))
    else:
        result.update(decision=PASS, reason='%s; every threshold met%s' % (calls, ''.join('; ' + n for n in notes)))
    return result


def report_rows(decisions):
    """One row a step (the last decision recorded for it), in step order, for the JSON and Markdown report."""
    last = {}
    for decision in decisions or []:
        last[decision.get('step')] = decision
    rows = []
    for step in sorted(k for k in last if isinstance(k, int)):
        entry = last[step]
        bot, base = entry.get('bot') or {}, entry.get('baseline') or {}
        thresholds = (entry.get('thresholds') or {})
        rows.append({'step': step, 'spec': entry.get('spec'), 'numbers': entry.get('numbers') or [],
                     'moved': len(entry.get('moved') or []), 'calls': bot.get('ended') or 0,
                     'failure_ratio': bot.get('failure_ratio'), 'failure_threshold': thresholds.get('failure_ratio'),
                     'answer_ratio': bot.get('answer_ratio'), 'answer_threshold': thresholds.get('answer_ratio'),
                     'median_duration': bot.get('median_duration'),
                     'baseline_failure_ratio': base.get('failure_ratio'), 'baseline_answer_ratio': base.get('answer_ratio'),
                     'decision': entry.get('decision'), 'reason': entry.get('reason'), 'at': entry.get('at')})
    return rows


def _cell(metric, value, threshold=None):
    text = _shown(metric, value)
    return text + (' (max %s)' % _shown(metric, threshold) if metric == 'failure_ratio' and threshold is not None
                   else ' (min %s)' % _shown(metric, threshold) if threshold is not None else '')


def markdown(rows, title='Canary cutover'):
    """The report as a Markdown table a person reads at a glance."""
    lines = ['# %s' % title, '',
             '| Step | Numbers moved | Calls | Failure ratio | Answer ratio | Median duration | Old route failure / answer | Decision |',
             '|---|---|---|---|---|---|---|---|']
    for row in rows:
        lines.append('| %d (%s) | %s (%d in all) | %d | %s | %s | %s | %s / %s | **%s**: %s |' % (
            row['step'], row['spec'], ', '.join(row['numbers']), row['moved'], row['calls'],
            _cell('failure_ratio', row['failure_ratio'], row['failure_threshold']),
            _cell('answer_ratio', row['answer_ratio'], row['answer_threshold']),
            _shown('median_duration', row['median_duration']),
            _shown('failure_ratio', row['baseline_failure_ratio']), _shown('answer_ratio', row['baseline_answer_ratio']),
            row['decision'], (row['reason'] or '').replace('|', '/')))
    return '\n'.join(lines) + '\n'

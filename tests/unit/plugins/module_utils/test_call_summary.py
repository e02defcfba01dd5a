# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Call records and their summary (_call_summary.py): both number forms, both value types, zone-less
timestamps, records not final yet, masked callers, the summary arithmetic, groups of five and the request count."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.exotel.trunking.plugins.module_utils._call_summary import (
    e164, epoch, iso_time, mask_number, median, number_groups, parse_record, percentile, public_record, request_count,
    summarize, whole_seconds,
)

BOT = '+918040264209'
PSTN = '+918040264208'
T0 = 1800000000  # 2027-01-15 13:30:00 in India, 08:00:00 UTC


def raw(sid, status='completed', duration='60', to='08040264209', end='2027-01-15 13:31:05', **extra):
    """A bulk call details record as Exotel's newer sample writes it (national numbers, strings)."""
    record = {'Sid': sid, 'DateCreated': '2027-01-15 13:30:00', 'To': to, 'From': '09812345678', 'PhoneNumberSid': to,
              'Status': status, 'StartTime': '2027-01-15 13:30:00', 'EndTime': end, 'Duration': duration,
              'Price': '0.500', 'Direction': 'inbound'}
    record.update(extra)
    return record


# ---- reading records ---------------------------------------------------------------------------------

def test_a_record_in_the_newer_samples_form():
    assert parse_record(raw('c1')) == {
        'sid': 'c1', 'to': BOT, 'from': '+919812345678', 'phone_number': BOT, 'status': 'completed',
        'direction': 'inbound', 'date_created': T0, 'end_time': T0 + 65, 'duration': 60, 'price': 0.5, 'final': True}


def test_a_record_with_e164_numbers_and_numeric_values_reads_the_same():
    other = parse_record(raw('c1', duration=60, to=BOT, From='+919812345678', Price=0.5))
    assert other == parse_record(raw('c1'))


@pytest.mark.parametrize('end, duration, final', [
    (None, None, False), ('2027-01-15 13:31:05', None, False), (None, '60', False), ('', '', False),
    ('2027-01-15 13:31:05', 0, True),
])
def test_a_record_is_final_once_end_time_and_duration_are_filled_in(end, duration, final):
    record = parse_record(raw('c1', end=end, duration=duration))
    assert record['final'] is final and record['status'] == 'completed'


@pytest.mark.parametrize('value, seconds', [
    ('17', 17), (17, 17), ('17.0', 17), (17.0, 17), (' 8 ', 8), ('0', 0), (None, None), ('', None), ('abc', None),
    ('-3', None), ('1.5', None), (True, None), (float('nan'), None),
])
def test_durations_as_strings_or_numbers(value, seconds):
    assert whole_seconds(value) == seconds


@pytest.mark.parametrize('value, expected', [
    ('2027-01-15 13:30:00', T0), ('2027-01-15T13:30:00', T0), ('2027-01-15T08:00:00Z', T0),
    ('2027-01-15T13:30:00+05:30', T0), ('2027-01-15 08:00:00+0000', T0), ('2027-01-15 13:30:00.250', T0),
    ('15/01/2027', None), ('', None), (None, None), (1800000000, None),
])
def test_timestamps_without_a_zone_are_india_time(value, expected):
    assert epoch(value) == expected


def test_iso_time_shows_the_india_offset():
    assert iso_time(T0) == '2027-01-15T13:30:00+05:30'
    assert iso_time(None) is None


@pytest.mark.parametrize('number, expected', [
    ('08040264209', BOT), (BOT, BOT), ('918040264209', BOT), ('0804 026 4209', BOT), ('+6531580001', '+6531580001'),
    ('12345', '12345'), ('', None), (None, None),
])
def test_numbers_in_either_form(number, expected):
    assert e164(number) == expected


@pytest.mark.parametrize('number, masked', [
    ('+919812345678', '+XXXXXXXX5678'), ('09812345678', 'XXXXXXX5678'), ('123', '123'),
    (None, None),
])
def test_masking_keeps_only_the_last_four_digits(number, masked):
    assert mask_number(number) == masked


def test_public_records_mask_the_caller_unless_revealed():
    record = parse_record(raw('c1'))
    shown = public_record(record)
    assert shown == {'sid': 'c1', 'date_created': '2027-01-15T13:30:00+05:30', 'end_time': '2027-01-15T13:31:05+05:30',
                     'to': BOT, 'from': '+XXXXXXXX5678', 'phone_number': BOT, 'status': 'completed', 'direction': 'inbound',
                     'duration': 60, 'price': 0.5, 'final': True}
    assert '9812345678' not in repr(shown)
    assert public_record(record, reveal_caller_numbers=True)['from'] == '+919812345678'
    outbound = public_record(parse_record(raw('c2', Direction='outbound-api', To='09812345678', From='08040264209')))
    assert (outbound['to'], outbound['from']) == ('+XXXXXXXX5678', BOT)


def test_what_is_not_a_record_is_none():
    assert parse_record(['Sid']) is None and parse_record(None) is None


# ---- the summary -------------------------------------------------------------------------------------

def records(*specs):
    return [parse_record(raw('s%d' % i, **spec)) for i, spec in enumerate(specs)]


def test_summary_per_number_and_in_total():
    calls = records(
        dict(duration='30'), dict(duration=90), dict(duration='60'), dict(status='failed', duration='0'),
        dict(status='busy', duration=0), dict(status='no-answer', duration='0', end=None),
        dict(status='canceled', duration='0'),
        dict(to='08040264208', duration='10'), dict(to=PSTN, status='failed', duration=None, end=None),
        dict(to='08040264299', duration='5'),    # a number not asked for
    )
    summary = summarize(calls, [BOT, PSTN, '+918040264210'])
    assert summary['numbers'][BOT] == {
        'calls': 7, 'by_status': {'completed': 3, 'failed': 1, 'busy': 1, 'no-answer': 1, 'canceled': 1}, 'ended': 7,
        'answered': 3, 'failed': 3, 'answer_ratio': 0.4286, 'failure_ratio': 0.4286, 'median_duration': 60,
        'p90_duration': 90, 'not_final': 1}
    assert summary['numbers'][PSTN] == {
        'calls': 2, 'by_status': {'completed': 1, 'failed': 1}, 'ended': 2, 'answered': 1, 'failed': 1,
        'answer_ratio': 0.5, 'failure_ratio': 0.5, 'median_duration': 10, 'p90_duration': 10, 'not_final': 1}
    assert summary['numbers']['+918040264210'] == {
        'calls': 0, 'by_status': {}, 'ended': 0, 'answered': 0, 'failed': 0, 'answer_ratio': None, 'failure_ratio': None,
        'median_duration': None, 'p90_duration': None, 'not_final': 0}
    assert summary['total'] == {
        'calls': 9, 'by_status': {'completed': 4, 'failed': 2, 'busy': 1, 'no-answer': 1, 'canceled': 1}, 'ended': 9,
        'answered': 4, 'failed': 4, 'answer_ratio': 0.4444, 'failure_ratio': 0.4444, 'median_duration': 45.0,
        'p90_duration': 90, 'not_final': 2}


def test_an_answered_call_without_its_duration_yet_counts_but_has_no_duration():
    summary = summarize(records(dict(duration=None, end=None), dict(duration='40')), [BOT])['total']
    assert (summary['answered'], summary['not_final'], summary['median_duration']) == (2, 1, 40)


def test_a_record_seen_twice_counts_once_and_a_repeated_number_is_one_entry():
    calls = records(dict(duration='30'))
    summary = summarize(calls + calls, [BOT, BOT])
    assert list(summary['numbers']) == [BOT] and summary['total']['calls'] == 1


def test_a_record_is_matched_by_its_exophone_then_to_then_from():
    outbound = parse_record(raw('o1', Direction='outbound-api', To='09812345678', From='08040264209', PhoneNumberSid='x1'))
    assert summarize([outbound], [BOT])['numbers'][BOT]['calls'] == 1


def test_unknown_statuses_count_as_calls_but_not_in_the_ratios():
    summary = summarize(records(dict(status='in-progress', duration=None, end=None), dict(status='Completed')), [BOT])
    assert summary['total']['by_status'] == {'in-progress': 1, 'completed': 1}
    assert (summary['total']['ended'], summary['total']['answer_ratio']) == (1, 1.0)


@pytest.mark.parametrize('values, med, p90', [
    ([], None, None), ([7], 7, 7), ([1, 2], 1.5, 2), (list(range(1, 11)), 5.5, 9), (list(range(1, 12)), 6, 10),
    ([5, 1, 3], 3, 5),
])
def test_median_and_nearest_rank_p90(values, med, p90):
    assert (median(values), percentile(values, 0.9)) == (med, p90)


# ---- requests ----------------------------------------------------------------------------------------

def test_numbers_are_grouped_five_at_a_time_without_repeats():
    numbers = ['+9180402642%02d' % i for i in range(12)]
    assert number_groups(numbers + numbers[:2]) == [numbers[0:5], numbers[5:10], numbers[10:12]]
    assert number_groups([]) == []


@pytest.mark.parametrize('calls, count', [
    ([0, 0, 0], 3), ([180, 150, 100], 5), ([100], 1), ([101], 2), ([1000, 0], 11),
])
def test_the_request_count_formula(calls, count):
    assert request_count(calls) == count


def test_the_request_count_with_another_page_size():
    assert request_count([120, 40], page_size=50) == 3 + 1

#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
---
module: exotel_call_info
short_description: Summarise what callers of Exotel numbers got over a time window
version_added: 0.1.0
description:
  - Reads the calls to a list of numbers (ExoPhones) over a window from Exotel's Calls API (bulk call details,
    C(/v1/Accounts/<account_sid>/Calls.json)) and returns a RV(summary) per number and in total, with the calls by
    status, the share of calls answered and of calls that failed, the median and 90th percentile of the answered
    calls' durations, and how many records Exotel has not finalised yet.
  - 'The window is the last O(last) minutes, or O(since) to O(until). Exotel keeps about 6 months of calls and
    answers at most one month at a time; a window outside that is refused before any request.'
  - 'Requests: Exotel takes at most 5 numbers a request, so the numbers are read in groups of five, each
    group page after page (100 calls a page). N numbers cost C(ceil(N / 5)) requests when no group has more than
    100 calls, and one more request for every further 100 calls of a group: in total the sum over the groups of
    C(max(1, ceil(calls / 100))). The result reports the count in RV(requests).'
  - Calls still going on are not in Exotel's list, and a call's duration and price are filled in a few minutes
    after it ended, so the most recent minutes are always incomplete; RV(summary) counts such records in
    C(not_final).
  - 'Privacy: callers'' numbers are personal data. By default only the summary is returned. With
    O(include_calls=true) the records are returned too, each caller''s number masked (all digits but the last four
    replaced by C(X)) unless O(reveal_caller_numbers=true).'
  - Never writes.
extends_documentation_fragment: [exotel.trunking._exotel, exotel.trunking._exotel.read_only]
options:
  numbers:
    description:
      - The numbers whose incoming calls to read, E.164 strings (V(+) then 8 to 15 digits). Repeats are read once.
      - Exotel may write them in national form (V(08040264208)) in its answers; both forms are matched.
    type: list
    elements: str
    required: true
  last:
    description:
      - The window is the last this many minutes, up to now.
      - Cannot be combined with O(since) or O(until). When neither O(last) nor O(since) is given, the last 60 minutes.
    type: int
  since:
    description:
      - The start of the window, ISO 8601 with a zone (V(2027-01-15T13:00:00+05:30), V(2027-01-15T07:30:00Z)) or
        V(YYYY-MM-DD HH:MM:SS), which is read as India time like Exotel's own timestamps.
    type: str
  until:
    description:
      - The end of the window, in the forms of O(since). Defaults to now.
    type: str
  include_calls:
    description:
      - Also return the call records in RV(calls), callers' numbers masked unless O(reveal_caller_numbers=true).
    type: bool
    default: false
  reveal_caller_numbers:
    description:
      - Return callers' numbers in full in RV(calls). Only with O(include_calls=true).
      - Callers' numbers are personal data; keep them out of logs and reports that do not need them.
    type: bool
    default: false
notes:
  - The Calls API is another API family than trunks and ExoPhones (Exotel's v1 API, C(RestException) errors). Its
    requests are paced with O(rate_limit) (the Voice APIs allow 200 requests per minute).
  - Exotel's timestamps carry no time zone; they are read as India time (+05:30). The times this module returns carry
    the offset.
seealso:
  - module: exotel.trunking.exotel_number_mode
  - module: exotel.trunking.exotel_exophone_info
'''

EXAMPLES = r'''
# The connection options are not repeated here: set them once for group/exotel.trunking.exotel in
# module_defaults (see exotel_number_mode) or in the EXOTEL_* environment variables.
- name: What callers of the bot's numbers got in the last 15 minutes
  exotel.trunking.exotel_call_info:
    numbers: ["+918040264209", "+918040264211"]
    last: 15
  register: outcomes

- name: Stop the cutover when more than a third of the calls failed
  ansible.builtin.assert:
    that: outcomes.summary.total.failure_ratio is none or outcomes.summary.total.failure_ratio <= 0.33
    fail_msg: "{{ outcomes.summary.total.failed }} of {{ outcomes.summary.total.ended }} calls failed"

- name: The calls of one morning, with the records (callers masked)
  exotel.trunking.exotel_call_info:
    numbers: ["+918040264209"]
    since: "2027-01-15 09:00:00"
    until: "2027-01-15 12:00:00"
    include_calls: true
  register: morning

- name: Show the failed calls
  ansible.builtin.debug:
    msg: "{{ morning.calls | selectattr('status', 'eq', 'failed') | map(attribute='date_created') | list }}"
'''

RETURN = r'''
summary:
  description:
    - C(total) sums up every call read; C(numbers) has one entry per number asked for (zeros when it had no calls).
    - Each has C(calls) (records), C(by_status) (records per status), C(ended) (calls with a final status, that is
      completed, failed, busy, no-answer or canceled), C(answered) (completed), C(failed) (failed, busy or no-answer),
      C(answer_ratio) and C(failure_ratio) (shares of the ended calls, 4 decimals, null without ended calls),
      C(median_duration) and C(p90_duration) (seconds of the answered calls whose duration is known; p90 is the
      nearest-rank 90th percentile; null without any) and C(not_final) (records Exotel has not finalised yet).
  returned: success
  type: dict
  sample:
    total: {calls: 10, by_status: {completed: 6, failed: 4}, ended: 10, answered: 6, failed: 4, answer_ratio: 0.6,
            failure_ratio: 0.4, median_duration: 95, p90_duration: 170, not_final: 2}
    numbers:
      "+918040264209": {calls: 10, by_status: {completed: 6, failed: 4}, ended: 10, answered: 6, failed: 4,
                        answer_ratio: 0.6, failure_ratio: 0.4, median_duration: 95, p90_duration: 170, not_final: 2}
window:
  description: The window read, C(since) and C(until) in ISO 8601 with India's offset, and the C(date_created) filter sent.
  returned: success
  type: dict
  sample: {since: "2027-01-15T13:15:00+05:30", until: "2027-01-15T13:30:00+05:30",
           date_created: "gte:2027-01-15 13:15:00;lte:2027-01-15 13:30:00"}
requests:
  description: How many requests the read took (see the formula in the description).
  returned: success
  type: int
  sample: 1
calls:
  description:
    - The call records, newest first per group of numbers, each with C(sid), C(date_created) and C(end_time) (ISO 8601,
      null while not final), C(to), C(from) and C(phone_number) (E.164 where possible), C(status), C(direction),
      C(duration) (seconds), C(price) and C(final).
    - The caller's number (C(from) of an incoming call) is masked unless O(reveal_caller_numbers=true).
  returned: when O(include_calls=true)
  type: list
  elements: dict
  sample: [{sid: 7523780293e9690a1a3c1dde1814c685, date_created: "2027-01-15T13:29:05+05:30", end_time: null,
            to: "+918040264209", from: "+XXXXXXXX6523", phone_number: "+918040264209", status: failed,
            direction: inbound, duration: null, price: null, final: false}]
'''

import time

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.exotel.trunking.plugins.module_utils._call_summary import (
    epoch, iso_time, number_of, public_record, summarize, unique,
)
from ansible_collections.exotel.trunking.plugins.module_utils._calls import (
    CallsReader, CallWindowError, date_filter, send_through, window,
)
from ansible_collections.exotel.trunking.plugins.module_utils._errors import ExotelError
from ansible_collections.exotel.trunking.plugins.module_utils._module import client_from_module, fail_from_error, option_errors
from ansible_collections.exotel.trunking.plugins.module_utils._options import E164_RE, check_option, module_spec

DEFAULT_LAST_MINUTES = 60
TIME_FORM = 'an ISO 8601 time with a zone, e.g. "2027-01-15T13:00:00+05:30", or "YYYY-MM-DD HH:MM:SS" (India time)'


def now():
    """The present in epoch seconds (tests replace it)."""
    return time.time()


def checked_window(module, present):
    """(since, until) in epoch seconds from the options; fails naming the option before any request."""
    params = module.params
    times = {}
    for name in ('since', 'until'):
        value = params[name]
        if value is not None:
            times[name] = epoch(value)
            if times[name] is None:
                module.fail_json(msg='%s must be %s; got %r.' % (name, TIME_FORM, value))
    last = params['last']
    if last is None and 'since' not in times and 'until' not in times:
        last = DEFAULT_LAST_MINUTES
    try:
        return window(present, since=times.get('since'), until=times.get('until'), last=last)
    except CallWindowError as exc:
        module.fail_json(msg='Invalid window: %s.' % exc)


def main():
    module = AnsibleModule(
        argument_spec=module_spec(
            numbers=dict(type='list', elements='str', required=True),
            last=dict(type='int'),
            since=dict(type='str'),
            until=dict(type='str'),
            include_calls=dict(type='bool', default=False),
            reveal_caller_numbers=dict(type='bool', default=False),
        ),
        supports_check_mode=True,
    )
    params = module.params
    if not params['numbers']:
        module.fail_json(msg='numbers must list at least one E.164 number, e.g. ["+918040264208"].')
    for index, number in enumerate(params['numbers']):
        with option_errors(module):
            check_option(params, 'numbers', E164_RE, 'a list of E.164 numbers ("+" then 8 to 15 digits, e.g. "+918040264208")',
                         value=number, label='numbers[%d]' % index)
    if params['reveal_caller_numbers'] and not params['include_calls']:
        module.fail_json(msg='reveal_caller_numbers needs include_calls: true (only the records carry callers\' numbers).')
    since, until = checked_window(module, now())
    numbers = unique(params['numbers'])
    client = client_from_module(module)
    reader = CallsReader(send_through(client), params['account_sid'])
    try:
        records = reader.read(numbers, since, until)
    except ExotelError as exc:
        fail_from_error(module, exc, msg='Could not read the calls: %s' % exc.message)
    result = dict(changed=False, summary=summarize(records, numbers), requests=reader.requests,
                  window=dict(since=iso_time(since), until=iso_time(until), date_created=date_filter(since, until)))
    if params['include_calls']:
        seen = set()
        result['calls'] = []
        for record in records:
            if number_of(record, numbers) is None or (record['sid'] is not None and record['sid'] in seen):
                continue
            seen.add(record['sid'])
            result['calls'].append(public_record(record, params['reveal_caller_numbers']))
    module.exit_json(**result)


if __name__ == '__main__':
    main()

#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
---
module: exotel_number_mode
short_description: Route an Exotel trunk phone number to the PSTN or to a Voice AI flow
version_added: 0.1.0
description:
  - Switches the mode of a phone number that is mapped to an Exotel SIP trunk between V(pstn)
    (calls go to the telephone network or a Connect applet) and V(flow) (calls go to a Voice AI bot,
    StreamKit or another flow applet).
  - Idempotent. It finds the mapping (see below), compares the mode and writes only when it
    differs. A mapping whose mode is null (mapped without a mode) routes like V(pstn), so asking for
    V(pstn) then changes nothing.
  - A change is reported only when Exotel's answer (or, when that answer was lost or unclear, a
    re-read of the mapping) shows the requested mode.
  - The number must already be mapped to the trunk.
  - One number costs one request when nothing changes and two when it does, whatever the size of the
    trunk, thanks to Exotel's number lookup (C(GET /trunk-maps?exophone=)). When the lookup is not
    available or its answer is not understood, the module walks the trunk's list instead.
  - With O(numbers), one task switches many numbers. It reads the trunk's list once, then writes only
    the numbers whose mode differs, in parallel and paced under O(rate_limit). If some writes fail,
    the task fails and reports exactly which numbers were switched and which were not, and why;
    running it again finishes the job.
extends_documentation_fragment: [exotel.trunking._exotel, exotel.trunking._exotel.lock_file, exotel.trunking._resource]
attributes:
  check_mode:
    description: Can run in check mode and return the changed status and the predicted mappings without writing.
  diff_mode:
    description: Returns the mode before and after in C(diff).
options:
  trunk_sid:
    description:
      - SID of the trunk the number is mapped to, for example V(trmum1f708622631150902801a1n).
      - Letters, digits, V(_) and V(-) only.
    type: str
    required: true
  number_id:
    description:
      - The id of the mapping (a string of digits), as returned when the number was mapped to the trunk.
      - When given, the mapping is found by this id and its phone number must equal O(phone_number);
        the module fails before any write if it does not.
      - When omitted, the mapping is found by O(phone_number).
      - Cannot be used with O(numbers).
    type: str
    aliases: [phone_number_id]
  phone_number:
    description:
      - The phone number (ExoPhone) in E.164 form, V(+) then 8 to 15 digits, for example V(+918040264208).
      - One of O(phone_number) and O(numbers) is required; they cannot be used together.
    type: str
  mode:
    description:
      - Where calls to the number go.
      - V(pstn) routes to the telephone network; V(flow) routes to a Voice AI / StreamKit flow.
      - Required with O(phone_number). With O(numbers), the mode of every entry that does not set its own.
    type: str
    choices: [pstn, flow]
  numbers:
    description:
      - Switch many numbers of the trunk in one task (a bulk cutover).
      - Each entry is either a phone number in E.164 form (a string, for example V(+918040264208)),
        which takes the task's O(mode), or a dict with C(phone_number) (required), C(number_id) (alias
        C(phone_number_id), the mapping id, which must then be the mapping of that phone number) and
        C(mode) (V(pstn) or V(flow), by default the task's O(mode)).
      - The trunk's list is read once; only numbers whose mode differs are written.
      - Every entry is checked before any request, and every number must be mapped to the trunk,
        or nothing is written.
      - Quote phone numbers in YAML. An unquoted V(+918040264208) is read as an integer and refused.
    type: list
    elements: raw
seealso:
  - name: Exotel dynamic SIP trunking API
    description: Exotel's documentation of the trunk API.
    link: https://developer.exotel.com/api/
'''

EXAMPLES = r'''
- name: Route the support line to the Voice AI bot
  exotel.trunking.exotel_number_mode:
    account_sid: "{{ exotel_sid | default(omit) }}"
    api_key: "{{ exotel_key | default(omit) }}"
    api_token: "{{ exotel_token | default(omit) }}"
    region: mumbai
    trunk_sid: trmum1f708622631150902801a1n
    number_id: "41523"
    phone_number: "+918040264208"
    mode: flow
  register: routing

- name: Show where the number routes now
  ansible.builtin.debug:
    msg: "{{ routing.mapping.phone_number }} (mapping {{ routing.mapping.id }}) is in {{ routing.mapping.mode }} mode"

- name: Set the connection options once for a block of tasks
  module_defaults:
    group/exotel.trunking.exotel:
      account_sid: "{{ exotel_sid | default(omit) }}"
      api_key: "{{ exotel_key | default(omit) }}"
      api_token: "{{ exotel_token | default(omit) }}"
      region: mumbai
  block:
    - name: Cut the sales line over to the bot (found by phone number)
      exotel.trunking.exotel_number_mode:
        trunk_sid: trmum1f708622631150902801a1n
        phone_number: "+918040264209"
        mode: flow

    - name: Send the helpdesk line back to the telephone network
      exotel.trunking.exotel_number_mode:
        trunk_sid: trmum1f708622631150902801a1n
        phone_number: "+918040264210"
        mode: pstn

- name: Cut three numbers over to the bot in one task (one list read, writes only where needed)
  exotel.trunking.exotel_number_mode:
    trunk_sid: trmum1f708622631150902801a1n
    mode: flow
    numbers:
      - phone_number: "+918040264208"
      - phone_number: "+918040264209"
        number_id: "41524"
      - phone_number: "+918040264210"
        mode: pstn   # this one stays on the telephone network
  register: cutover

- name: Show what the cutover switched
  ansible.builtin.debug:
    var: cutover.changed_numbers

# Credentials from the environment: EXOTEL_ACCOUNT_SID, EXOTEL_API_KEY, EXOTEL_API_TOKEN
# (and EXOTEL_REGION or EXOTEL_API_URL).
- name: Route a number to the bot with credentials from the environment
  exotel.trunking.exotel_number_mode:
    trunk_sid: trmum1f708622631150902801a1n
    phone_number: "+918040264208"
    mode: flow
'''

RETURN = r'''
mapping:
  description:
    - The mapping as Exotel returned it after the run.
    - In check mode, the mapping as it would be after the run.
    - When the mapping was found with the number lookup and nothing changed, only RV(mapping.id),
      RV(mapping.phone_number), RV(mapping.trunk_sid) and RV(mapping.mode) are known.
  returned: success, with O(phone_number)
  type: dict
  contains:
    id:
      description: The mapping id (a string of digits); what O(number_id) takes.
      type: str
      sample: "41523"
    phone_number:
      description: The phone number in E.164 form.
      type: str
      sample: "+918040264208"
    trunk_sid:
      description: The trunk the number is mapped to.
      type: str
      sample: trmum1f708622631150902801a1n
    mode:
      description: V(pstn) or V(flow).
      type: str
      sample: flow
    date_created:
      description: When the number was mapped to the trunk.
      returned: when Exotel returned it (not when the mapping was found with the number lookup and nothing changed)
      type: str
      sample: "2026-01-23T13:28:11Z"
    date_updated:
      description: When the mapping last changed.
      returned: when Exotel returned it (not when the mapping was found with the number lookup and nothing changed)
      type: str
      sample: "2026-01-23T13:41:59Z"
mappings:
  description:
    - With O(numbers), the mapping of every requested number after the run, in the order requested.
    - In check mode, the mappings as they would be.
  returned: with O(numbers)
  type: list
  elements: dict
  sample: [{id: "41523", phone_number: "+918040264208", trunk_sid: trmum1f708622631150902801a1n, mode: flow}]
changed_numbers:
  description: With O(numbers), the phone numbers that were switched (in check mode, that would be).
  returned: with O(numbers)
  type: list
  elements: str
  sample: ["+918040264208"]
failed_numbers:
  description:
    - With O(numbers), the numbers whose switch failed, each with C(phone_number), C(number_id),
      C(mode), C(action) (V(switch)), C(msg) and Exotel's C(http_status), C(error_code), C(error_description) and C(request_id).
    - C(spent_budget) names the retry budget that stopped a transient failure from being sent again (V(retries=5),
      V(max_retry_wait=120s)), or is null.
  returned: when some writes of a bulk cutover failed
  type: list
  elements: dict
  sample: [{phone_number: "+918040264211", number_id: "41526", mode: flow, action: switch, msg: "Exotel rejected ...", http_status: 400,
            error_code: 1002, error_description: Invalid PhoneNumber, request_id: e45544e19a7f4d5d956fefe63fe3c6b6, spent_budget: null}]
diff:
  description:
    - The mode before and after the run; returned when run with C(--diff).
    - With O(numbers), C(before.numbers) and C(after.numbers) map each phone number to its mode.
  returned: when diff mode is on
  type: dict
  contains:
    before:
      description: The mode before the run (null when the number was mapped without a mode).
      type: dict
      sample: {mode: pstn}
    after:
      description: The mode after the run.
      type: dict
      sample: {mode: flow}
http_status:
  description: HTTP status of the failed API call.
  returned: failure, when an API call failed
  type: int
  sample: 404
error_code:
  description: Exotel's error code (C(response.error_data.code)) of the failed API call.
  returned: failure, when Exotel gave one
  type: int
  sample: 1000
error_description:
  description: Exotel's description of the error.
  returned: failure, when Exotel gave one
  type: str
  sample: Not Found
request_id:
  description: Exotel's request_id of the failed call; quote it to Exotel support.
  returned: failure, when Exotel gave one
  type: str
  sample: e45544e19a7f4d5d956fefe63fe3c6b6
'''

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.exotel.trunking.plugins.module_utils._mapping import ModeSwitch
from ansible_collections.exotel.trunking.plugins.module_utils._module import client_from_module, lock_from_module, option_errors, run, run_bulk
from ansible_collections.exotel.trunking.plugins.module_utils._options import (
    MODES,
    check_number_id,
    check_phone_number,
    check_trunk_sid,
    module_spec,
    number_entries,
)


def main():
    module = AnsibleModule(
        argument_spec=module_spec(
            trunk_sid=dict(type='str', required=True),
            number_id=dict(type='str', aliases=['phone_number_id']),
            phone_number=dict(type='str'),
            mode=dict(type='str', choices=list(MODES)),
            numbers=dict(type='list', elements='raw'),
            lock_file=dict(type='path'),
        ),
        supports_check_mode=True,
        required_one_of=[('phone_number', 'numbers')],
        mutually_exclusive=[('phone_number', 'numbers'), ('number_id', 'numbers')],
        required_by={'phone_number': 'mode'},
    )
    with option_errors(module):
        check_trunk_sid(module.params)
        check_number_id(module.params)
        check_phone_number(module.params)
        params = module.params
        lock_from_module(module)
        if params['numbers'] is None:
            kind = ModeSwitch(client_from_module(module), params['trunk_sid'])
            run(module, kind, [dict((k, params[k]) for k in ('phone_number', 'number_id', 'mode'))])
        wanted = number_entries(module.params)
        run_bulk(module, ModeSwitch(client_from_module(module), params['trunk_sid'], many=True), wanted, done='Switched',
                 settled='in the requested mode')


if __name__ == '__main__':
    main()

#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
---
module: exotel_trunk_number
short_description: Map a phone number to an Exotel SIP trunk, or unmap it
version_added: 0.1.0
description:
  - Puts an ExoPhone on an Exotel SIP trunk (V(present)) or takes it off (V(absent)), idempotently.
  - With O(mode), a number that is already mapped is switched to that mode the same way
    M(exotel.trunking.exotel_number_mode) does it (a null mode counts as V(pstn)).
  - The phone number is the natural key. If a parallel run maps the same number first, Exotel's
    duplicate answer (error 1008) is resolved by reading the existing mapping back.
  - With O(numbers), one task converges many numbers of the trunk (a trunk of any size). It reads
    the trunk's list once (one request per 100 mappings), then sends only the writes needed (map,
    switch the mode, unmap), in parallel and paced under O(rate_limit). A map whose answer was lost
    is never sent again; the list is read again to decide. If some writes fail, the task fails and
    reports exactly which numbers were changed and which were not, and why; running it again
    finishes the job.
extends_documentation_fragment: [exotel.trunking._exotel, exotel.trunking._resource, exotel.trunking._resource.trunk_list]
attributes:
  check_mode:
    description: Can run in check mode and return the changed status and predicted mapping without writing.
  diff_mode:
    description:
      - Returns the mapping before and after in C(diff) (V({}) when the number is not mapped).
      - With O(numbers), the mode of each number before and after (see RV(diff)).
options:
  phone_number:
    description:
      - The phone number (an ExoPhone of the account) in E.164 form, V(+) then 8 to 15 digits.
      - One of O(phone_number) and O(numbers) is required; they cannot be used together.
    type: str
  mode:
    description:
      - Where calls to the number go once mapped. V(pstn) routes to the telephone network, V(flow) to a
        Voice AI / StreamKit flow.
      - When omitted, a new mapping is created without a mode (Exotel then routes it like V(pstn)) and the
        mode of an existing mapping is left alone.
      - With O(numbers), the mode of every entry that does not set its own.
      - Ignored when O(state=absent).
    type: str
    choices: [pstn, flow]
  numbers:
    description:
      - Map (or, with O(state=absent), unmap) many numbers of the trunk in one task.
      - Each entry is either a phone number in E.164 form (a string, for example V(+918040264208)),
        which takes the task's O(mode), or a dict with C(phone_number) (required) and C(mode)
        (V(pstn) or V(flow), by default the task's O(mode); when neither is given, a new mapping has
        no mode and an existing one keeps its own).
      - Every entry is checked before any request; a number listed twice is refused.
      - Quote phone numbers in YAML. An unquoted V(+918040264208) is read as an integer and refused.
      - An empty list is allowed (with O(purge=true) it unmaps every number of the trunk).
    type: list
    elements: raw
  purge:
    description:
      - With O(numbers) and O(state=present), also unmap every number mapped to the trunk that is not
        listed, so that the trunk has exactly the listed numbers.
      - Unmaps happen after the maps, so calls keep reaching the trunk's listed numbers throughout.
      - Only with O(numbers).
    type: bool
    default: false
  state:
    description:
      - V(present) maps the number to the trunk; V(absent) unmaps it.
      - With O(numbers), V(present) maps every listed number and V(absent) unmaps every listed number.
      - Unmapping takes the number off the trunk at once; calls to it stop reaching the trunk.
seealso:
  - module: exotel.trunking.exotel_number_mode
  - module: exotel.trunking.exotel_trunk_number_info
'''

EXAMPLES = r'''
# The connection options are not repeated here: set them once for group/exotel.trunking.exotel in
# module_defaults (see exotel_number_mode) or in the EXOTEL_* environment variables.
- name: Map three numbers and route them to the bot
  exotel.trunking.exotel_trunk_number:
    trunk_sid: trmum1f708622631150902801a1n
    phone_number: "{{ item }}"
    mode: flow
  loop:
    - "+918040264208"
    - "+918040264209"
    - "+918040264210"
  register: mapped

- name: Keep the mapping ids for later
  ansible.builtin.set_fact:
    mapping_ids: "{{ mapped.results | map(attribute='mapping.id') | list }}"

- name: Take a number off the trunk
  exotel.trunking.exotel_trunk_number:
    trunk_sid: trmum1f708622631150902801a1n
    phone_number: "+918040264210"
    state: absent

- name: Make the trunk carry exactly these numbers, in one task (one list read, only the writes needed)
  exotel.trunking.exotel_trunk_number:
    trunk_sid: trmum1f708622631150902801a1n
    mode: flow
    numbers:
      - "+918040264208"
      - phone_number: "+918040264209"
      - phone_number: "+918040264211"
        mode: pstn   # this one goes to the telephone network
    purge: true      # unmap every other number of the trunk
  register: converged

- name: Show what changed
  ansible.builtin.debug:
    var: converged.changed_numbers

- name: Take two numbers off the trunk in one task
  exotel.trunking.exotel_trunk_number:
    trunk_sid: trmum1f708622631150902801a1n
    numbers: ["+918040264208", "+918040264209"]
    state: absent
'''

RETURN = r'''
mapping:
  description:
    - The mapping after the run; V({}) when the number is not mapped (O(state=absent)).
    - In check mode, the mapping as it would be (a new mapping then has no C(id) yet).
  returned: success, with O(phone_number)
  type: dict
  sample: {id: "41523", phone_number: "+918040264208", trunk_sid: trmum1f708622631150902801a1n, mode: flow,
           date_created: "2026-01-23T13:28:11Z", date_updated: "2026-01-23T13:41:59Z"}
mappings:
  description:
    - With O(numbers), the mapping of every listed number that is on the trunk after the run, in the
      order listed (with O(state=absent), only those that could not be unmapped).
    - In check mode, the mappings as they would be (a new mapping then has no C(id) yet).
  returned: with O(numbers)
  type: list
  elements: dict
  sample: [{id: "41523", phone_number: "+918040264208", trunk_sid: trmum1f708622631150902801a1n, mode: flow}]
changed_numbers:
  description:
    - With O(numbers), the phone numbers that were mapped, switched to another mode or unmapped
      (including those unmapped by O(purge)); in check mode, that would be.
  returned: with O(numbers)
  type: list
  elements: str
  sample: ["+918040264208", "+918040264212"]
failed_numbers:
  description:
    - With O(numbers), the numbers whose write failed, each with C(phone_number), C(action)
      (V(map), V(switch) or V(unmap)), C(number_id) (the mapping id; null for V(map)), C(mode), C(msg)
      and Exotel's C(http_status), C(error_code), C(error_description) and C(request_id).
    - C(spent_budget) names the retry budget that stopped a transient failure from being sent again (V(retries=5),
      V(max_retry_wait=120s)), or is null.
    - The other numbers were done (see RV(changed_numbers)); a re-run finishes the job.
  returned: when some writes of a bulk run failed
  type: list
  elements: dict
  sample: [{phone_number: "+918040264211", action: map, number_id: null, mode: flow, msg: "Exotel rejected ...",
            http_status: 400, error_code: 1002, error_description: Invalid PhoneNumber,
            request_id: e45544e19a7f4d5d956fefe63fe3c6b6}]
diff:
  description:
    - The mapping before and after the run; returned when run with C(--diff).
    - With O(numbers), C(before.numbers) and C(after.numbers) map each phone number on the trunk to
      its mode (null for no mode), for the listed numbers and with O(purge) every number of the trunk. A
      number missing from C(after.numbers) is not mapped after the run.
  returned: when diff mode is on
  type: dict
  sample: {before: {}, after: {phone_number: "+918040264208", trunk_sid: trmum1f708622631150902801a1n, mode: flow}}
'''

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.exotel.trunking.plugins.module_utils._mapping import Mappings, run_bulk
from ansible_collections.exotel.trunking.plugins.module_utils._module import client_from_module
from ansible_collections.exotel.trunking.plugins.module_utils._options import (
    MAPPING_KEYS,
    MODES,
    check_phone_number,
    check_trunk_sid,
    number_entries,
    trunk_list_spec,
)
from ansible_collections.exotel.trunking.plugins.module_utils._resource import run


def main():
    module = AnsibleModule(
        argument_spec=trunk_list_spec(phone_number=dict(type='str'), mode=dict(type='str', choices=list(MODES)),
                                      numbers=dict(type='list', elements='raw'), purge=dict(type='bool', default=False)),
        supports_check_mode=True,
        required_one_of=[('phone_number', 'numbers')],
        mutually_exclusive=[('phone_number', 'numbers')],
    )
    check_trunk_sid(module)
    check_phone_number(module)
    params = module.params
    if params['numbers'] is None:
        if params['purge']:
            module.fail_json(msg='purge requires numbers: it unmaps every number of the trunk that is not listed there.')
        kind = Mappings(client_from_module(module), params['trunk_sid'])
        run(module, kind, [dict(phone_number=params['phone_number'], mode=params['mode'])], params['state'])
    wanted = number_entries(module, keys=MAPPING_KEYS, need_mode=False)
    if params['purge'] and params['state'] != 'present':
        module.fail_json(msg='purge requires state=present: it unmaps every number of the trunk that is not listed in numbers.')
    for want in wanted:
        del want['number_id']
    run_bulk(module, Mappings(client_from_module(module), params['trunk_sid'], many=True), wanted, params['state'],
             params['purge'])


if __name__ == '__main__':
    main()

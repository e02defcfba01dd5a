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
extends_documentation_fragment: [exotel.trunking._exotel, exotel.trunking._resource, exotel.trunking._resource.trunk_list]
attributes:
  check_mode:
    description: Can run in check mode and return the changed status and predicted mapping without writing.
  diff_mode:
    description: Returns the mapping before and after in C(diff) (V({}) when the number is not mapped).
options:
  phone_number:
    description:
      - The phone number (an ExoPhone of the account) in E.164 form, V(+) then 8 to 15 digits.
    type: str
    required: true
  mode:
    description:
      - Where calls to the number go once mapped. V(pstn) routes to the telephone network, V(flow) to a
        Voice AI / StreamKit flow.
      - When omitted, a new mapping is created without a mode (Exotel then routes it like V(pstn)) and the
        mode of an existing mapping is left alone.
      - Ignored when O(state=absent).
    type: str
    choices: [pstn, flow]
  state:
    description:
      - V(present) maps the number to the trunk; V(absent) unmaps it.
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
'''

RETURN = r'''
mapping:
  description:
    - The mapping after the run; V({}) when the number is not mapped (O(state=absent)).
    - In check mode, the mapping as it would be (a new mapping then has no C(id) yet).
  returned: success
  type: dict
  sample: {id: "41523", phone_number: "+918040264208", trunk_sid: trmum1f708622631150902801a1n, mode: flow,
           date_created: "2026-01-23T13:28:11Z", date_updated: "2026-01-23T13:41:59Z"}
diff:
  description: The mapping before and after the run; returned when run with C(--diff).
  returned: when diff mode is on
  type: dict
  sample: {before: {}, after: {phone_number: "+918040264208", trunk_sid: trmum1f708622631150902801a1n, mode: flow}}
'''

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.exotel.trunking.plugins.module_utils._mapping import Mappings
from ansible_collections.exotel.trunking.plugins.module_utils._module import client_from_module
from ansible_collections.exotel.trunking.plugins.module_utils._options import MODES, check_phone_number, check_trunk_sid, trunk_list_spec
from ansible_collections.exotel.trunking.plugins.module_utils._resource import run


def main():
    module = AnsibleModule(
        argument_spec=trunk_list_spec(phone_number=dict(type='str', required=True), mode=dict(type='str', choices=list(MODES))),
        supports_check_mode=True,
    )
    check_trunk_sid(module)
    check_phone_number(module)
    kind = Mappings(client_from_module(module), module.params['trunk_sid'])
    run(module, kind, [dict(phone_number=module.params['phone_number'], mode=module.params['mode'])], module.params['state'])


if __name__ == '__main__':
    main()

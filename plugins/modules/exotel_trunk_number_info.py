#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
---
module: exotel_trunk_number_info
short_description: List the phone numbers mapped to an Exotel SIP trunk, or find where a number is mapped
version_added: 0.1.0
description:
  - With O(trunk_sid), lists the trunk's phone-number mappings (all pages), optionally filtered by
    O(phone_number), O(number_id) or O(mode).
  - Without O(trunk_sid), finds the trunks a phone number is mapped to across the account with
    Exotel's number lookup (C(GET /trunk-maps?exophone=)). If the answer's shape is not understood,
    the module fails and says so; pass O(trunk_sid) to list that trunk instead.
  - Never writes.
extends_documentation_fragment: [exotel.trunking._exotel, exotel.trunking._exotel.read_only]
options:
  trunk_sid:
    description:
      - SID of the trunk to list. Letters, digits, V(_) and V(-) only.
      - When omitted, O(phone_number) is required and is looked up across the account.
    type: str
  phone_number:
    description: Only the mapping of this phone number (E.164, V(+) then 8 to 15 digits).
    type: str
  number_id:
    description: Only the mapping with this id (digits).
    type: str
    aliases: [phone_number_id]
  mode:
    description:
      - Only mappings in this mode. A mapping whose mode is null matches V(pstn), the way Exotel routes it,
        and is reported with its mode as it is (null).
    type: str
    choices: [pstn, flow]
seealso:
  - module: exotel.trunking.exotel_trunk_number
  - module: exotel.trunking.exotel_number_mode
'''

EXAMPLES = r'''
# The connection options are not repeated here: set them once for group/exotel.trunking.exotel in
# module_defaults (see exotel_number_mode) or in the EXOTEL_* environment variables.
- name: List every number of the trunk that is in flow mode
  exotel.trunking.exotel_trunk_number_info:
    trunk_sid: trmum1f708622631150902801a1n
    mode: flow
  register: bot_numbers

- name: Show them
  ansible.builtin.debug:
    msg: "{{ bot_numbers.mappings | map(attribute='phone_number') | list }}"

- name: Find which trunk a number is on
  exotel.trunking.exotel_trunk_number_info:
    phone_number: "+918040264208"
  register: where
'''

RETURN = r'''
mappings:
  description:
    - The mappings found, in the order Exotel lists them; an empty list when none match.
    - Mappings found with the lookup (no O(trunk_sid)) carry only C(id), C(phone_number), C(trunk_sid) and C(mode).
  returned: success
  type: list
  elements: dict
  sample: [{id: "41523", phone_number: "+918040264208", trunk_sid: trmum1f708622631150902801a1n, mode: flow,
            date_created: "2026-01-23T13:28:11Z", date_updated: "2026-01-23T13:41:59Z"}]
'''

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.exotel.trunking.plugins.module_utils._errors import ExotelError
from ansible_collections.exotel.trunking.plugins.module_utils._module import client_from_module, fail_from_error, option_errors
from ansible_collections.exotel.trunking.plugins.module_utils._options import (
    MODES,
    check_number_id,
    check_phone_number,
    check_trunk_sid,
    module_spec,
)
from ansible_collections.exotel.trunking.plugins.module_utils._mapping import (
    Mappings,
    effective_mode,
    iter_mappings,
    lookup,
)


def matches(mapping, params):
    if params['phone_number'] is not None and mapping.get('phone_number') != params['phone_number']:
        return False
    if params['number_id'] is not None and str(mapping.get('id')) != params['number_id']:
        return False
    return params['mode'] is None or effective_mode(mapping.get('mode')) == params['mode']


def main():
    argument_spec = module_spec(
        trunk_sid=dict(type='str'),
        phone_number=dict(type='str'),
        number_id=dict(type='str', aliases=['phone_number_id']),
        mode=dict(type='str', choices=list(MODES)),
    )
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True,
                           required_one_of=[('trunk_sid', 'phone_number')])
    with option_errors(module):
        check_trunk_sid(module.params)
        check_phone_number(module.params)
        check_number_id(module.params)
        client = client_from_module(module)
        params = module.params
        trunk_sid = params['trunk_sid']
        try:
            if trunk_sid is None:
                found = lookup(client, params['phone_number'], strict=True)
            else:
                found = iter_mappings(client, trunk_sid)
            mappings = [m for m in found if matches(m, params)]
        except ExotelError as exc:
            if trunk_sid is None:
                fail_from_error(module, exc, msg='Could not look up %s: %s Pass trunk_sid to list a trunk instead.' % (
                    params['phone_number'], exc.message))
            fail_from_error(module, exc, msg=Mappings(client, trunk_sid).read_failure(exc))
        module.exit_json(changed=False, mappings=mappings)


if __name__ == '__main__':
    main()

#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
---
module: exotel_exophone_info
short_description: List the ExoPhones of an Exotel account, with their flows and trunk mappings
version_added: 0.1.0
description:
  - Lists the phone numbers the account rents from Exotel (ExoPhones, all pages), optionally filtered by
    O(phone_number), O(sid), O(friendly_name) or flow O(app_id).
  - Each comes with C(app_id) and C(sms_app_id), the flow ids at the end of its C(voice_url) and C(sms_url).
  - With O(include_trunk_mapping=true), each also comes with C(trunk_mapping), the SIP trunk its number is mapped
    to, from Exotel's number lookup (one trunk API request per ExoPhone listed, after the filters).
  - Never writes.
extends_documentation_fragment: [exotel.trunking._exotel, exotel.trunking._exotel.exophones, exotel.trunking._exotel.read_only]
options:
  phone_number:
    description: Only the ExoPhone with this number (E.164, V(+) then 8 to 15 digits).
    type: str
  sid:
    description: Only the ExoPhone with this SID, read with one request.
    type: str
    aliases: [exophone_sid]
  friendly_name:
    description: Only the ExoPhones with exactly this friendly name.
    type: str
  app_id:
    description: Only the ExoPhones whose voice flow has this app id (digits).
    type: raw
    aliases: [voice_app_id]
  include_trunk_mapping:
    description:
      - Add C(trunk_mapping) to each ExoPhone returned. The trunk-map lookup uses the trunk API and its O(rate_limit).
      - The task fails when the lookup cannot tell for a number (other than "not mapped").
    type: bool
    default: false
seealso:
  - module: exotel.trunking.exotel_exophone
  - module: exotel.trunking.exotel_trunk_number_info
'''

EXAMPLES = r'''
# The connection options are not repeated here: set them once for group/exotel.trunking.exotel in
# module_defaults (see exotel_number_mode) or in the EXOTEL_* environment variables.
- name: List the account's ExoPhones with the trunk each is mapped to
  exotel.trunking.exotel_exophone_info:
    include_trunk_mapping: true
  register: exophones

- name: Show which flow answers each number
  ansible.builtin.debug:
    msg: "{{ exophones.exophones | items2dict(key_name='phone_number', value_name='app_id') }}"

- name: Numbers mapped to a trunk whose flow is not the Connect flow 245678
  ansible.builtin.debug:
    msg: >-
      {{ exophones.exophones | selectattr('trunk_mapping') | rejectattr('app_id', 'eq', '245678')
         | map(attribute='phone_number') | list }}

- name: Find the numbers that run flow 245678
  exotel.trunking.exotel_exophone_info:
    app_id: "245678"
  register: on_flow
'''

RETURN = r'''
exophones:
  description:
    - The ExoPhones found, in the order Exotel lists them, with every field Exotel returns; an empty list when none match.
    - C(app_id) and C(sms_app_id) are the flow ids parsed from C(voice_url) and C(sms_url), null when there is none.
    - C(trunk_mapping) (with O(include_trunk_mapping=true)) holds C(trunk_sid), C(mode) (C(pstn), C(flow) or null,
      which routes like C(pstn)) and C(number_id) (the mapping id), or is null when the number is mapped to no trunk.
  returned: success
  type: list
  elements: dict
  sample: [{sid: 9eeafc8ab479a386dc95f854f9d7cd8a, phone_number: "+918040264208", friendly_name: Support line,
            voice_url: "https://my.exotel.com/demo_account/exoml/start_voice/245678", sms_url: null,
            app_id: "245678", sms_app_id: null, capabilities: {voice: true, sms: true}, country: IN, region: KA,
            trunk_mapping: {trunk_sid: trmum1f708622631150902801a1n, mode: pstn, number_id: "41523"}}]
'''

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.exotel.trunking.plugins.module_utils._errors import ExotelError
from ansible_collections.exotel.trunking.plugins.module_utils._exophones import (
    ExoPhones,
    e164,
    find_exophone,
    iter_exophones,
    same_number,
    trunk_mapping,
)
from ansible_collections.exotel.trunking.plugins.module_utils._module import client_from_module, fail_from_error, option_errors
from ansible_collections.exotel.trunking.plugins.module_utils._options import check_exophone_options, module_spec


def matches(item, params):
    if params['phone_number'] is not None and not same_number(item.get('phone_number'), params['phone_number']):
        return False
    if params['sid'] is not None and item.get('sid') != params['sid']:
        return False
    if params['friendly_name'] is not None and item.get('friendly_name') != params['friendly_name']:
        return False
    return params['app_id'] is None or item.get('app_id') == params['app_id']


def main():
    module = AnsibleModule(
        argument_spec=module_spec(
            phone_number=dict(type='str'),
            sid=dict(type='str', aliases=['exophone_sid']),
            friendly_name=dict(type='str'),
            app_id=dict(type='raw', aliases=['voice_app_id']),
            include_trunk_mapping=dict(type='bool', default=False),
        ),
        supports_check_mode=True,
    )
    with option_errors(module):
        check_exophone_options(module.params)
        params = module.params
        client = client_from_module(module)
        try:
            if params['sid'] is not None:
                found = find_exophone(client, sid=params['sid'])
                found = [] if found is None else [found]
            else:
                found = iter_exophones(client)
            exophones = [item for item in found if matches(item, params)]
        except ExotelError as exc:
            fail_from_error(module, exc, msg=ExoPhones(client).read_failure(exc))
        if params['include_trunk_mapping']:
            for item in exophones:
                number = e164(item, params['phone_number'])
                if number is None:
                    module.warn('The trunk mapping of ExoPhone %s is not looked up: its number %r is not in E.164 form.' % (
                        item.get('sid'), item.get('phone_number')))
                    item['trunk_mapping'] = None
                    continue
                try:
                    item['trunk_mapping'] = trunk_mapping(client, number)
                except ExotelError as exc:
                    fail_from_error(module, exc, msg='Could not look up the trunk mapping of ExoPhone %s: %s' % (
                        number, exc.message))
        module.exit_json(changed=False, exophones=exophones)


if __name__ == '__main__':
    main()

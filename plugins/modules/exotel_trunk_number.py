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
author:
  - exotel.trunking contributors (@exotel-trunking)
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
- name: Map three numbers and route them to the bot
  exotel.trunking.exotel_trunk_number:
    account_sid: "{{ exotel_sid }}"
    api_key: "{{ exotel_key }}"
    api_token: "{{ exotel_token }}"
    region: mumbai
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
    account_sid: "{{ exotel_sid }}"
    api_key: "{{ exotel_key }}"
    api_token: "{{ exotel_token }}"
    region: mumbai
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

from ansible_collections.exotel.trunking.plugins.module_utils._errors import ExotelError
from ansible_collections.exotel.trunking.plugins.module_utils._module import client_from_module, fail_from_error
from ansible_collections.exotel.trunking.plugins.module_utils._options import (
    E164_RE,
    MODES,
    SID_RE,
    check_option,
    exotel_argument_spec,
)
from ansible_collections.exotel.trunking.plugins.module_utils._mapping import (
    Mappings,
    apply_mode,
    find_mapping,
)
from ansible_collections.exotel.trunking.plugins.module_utils._resource import create_once, delete_once


def create(client, trunk_sid, phone_number, mode):
    """Map the number, then bring it to ``mode``; returns ``(changed, mapping, warning)``.

    The POST is sent once: a lost answer or a duplicate (a race) is settled by reading the list.
    """
    mapping, warning, existed = create_once(Mappings(client, trunk_sid), dict(phone_number=phone_number, mode=mode))
    changed = not existed
    if mode is not None:
        switched, mapping, mode_warning = apply_mode(client, trunk_sid, mapping, mode, False)
        changed = changed or switched
        warning = warning or mode_warning
    return changed, mapping, warning


# What the diff compares: not the mapping id or Exotel's timestamps, which a mode change alone updates.
DIFF_KEYS = ('phone_number', 'trunk_sid', 'mode')


def diff_view(mapping, trunk_sid):
    if not mapping:
        return {}
    return dict((k, mapping.get(k, trunk_sid if k == 'trunk_sid' else None)) for k in DIFF_KEYS)


def main():
    argument_spec = exotel_argument_spec()
    argument_spec.update(
        trunk_sid=dict(type='str', required=True),
        phone_number=dict(type='str', required=True),
        mode=dict(type='str', choices=list(MODES)),
        state=dict(type='str', default='present', choices=['present', 'absent']),
    )
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True)
    check_option(module, 'trunk_sid', SID_RE, 'a trunk SID (letters, digits, "_" and "-"), e.g. trmum1f708622631150902801a1n')
    check_option(module, 'phone_number', E164_RE, 'an E.164 phone number: "+" then 8 to 15 digits, e.g. "+918040264208"')
    client = client_from_module(module)
    params = module.params
    trunk_sid, phone_number, mode, state = params['trunk_sid'], params['phone_number'], params['mode'], params['state']

    try:
        before = find_mapping(client, trunk_sid, phone_number=phone_number)
    except ExotelError as exc:
        fail_from_error(module, exc, msg=Mappings(client, trunk_sid).read_failure(exc))

    changed, after, warning = False, before, None
    try:
        if state == 'absent':
            after = None
            if before is not None:
                changed = True if module.check_mode else delete_once(Mappings(client, trunk_sid), before)
        elif before is None:
            if module.check_mode:
                changed, after = True, dict(phone_number=phone_number, trunk_sid=trunk_sid, mode=mode)
            else:
                changed, after, warning = create(client, trunk_sid, phone_number, mode)
        elif mode is not None:
            changed, after, warning = apply_mode(client, trunk_sid, before, mode, module.check_mode)
    except ExotelError as exc:
        action = 'unmap' if state == 'absent' else 'map' if before is None else 'switch the mode of'
        hint = ''
        if exc.http_status in (403, 404) or exc.error_code in (1000, 1003):
            hint = ' Check trunk_sid: the trunk %s may not exist in account %s.' % (trunk_sid, client.account_sid)
        fail_from_error(module, exc, msg='Could not %s %s on trunk %s: %s%s' % (
            action, phone_number, trunk_sid, exc.message, hint), mapping=before or {})
    if warning:
        module.warn(warning)
    result = dict(changed=changed, mapping=after or {})
    if module._diff:
        result['diff'] = dict(before=diff_view(before, trunk_sid), after=diff_view(after, trunk_sid))
    module.exit_json(**result)


if __name__ == '__main__':
    main()

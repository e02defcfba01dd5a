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
  - Idempotent. It reads the trunk's phone-number list, compares the mode and writes only when it
    differs. A mapping whose mode is null (mapped without a mode) routes like V(pstn), so asking for
    V(pstn) then changes nothing.
  - A change is reported only when Exotel's answer (or, when that answer was lost or unclear, a
    re-read of the mapping) shows the requested mode.
  - The number must already be mapped to the trunk.
author:
  - exotel.trunking contributors
extends_documentation_fragment:
  - exotel.trunking._exotel
attributes:
  check_mode:
    support: full
    description: Can run in check mode and return the changed status and predicted mapping without writing.
  diff_mode:
    support: full
    description: Returns the mode before and after in C(diff).
  action_group:
    support: full
    membership:
      - exotel.trunking.exotel
    description: Use C(group/exotel.trunking.exotel) in C(module_defaults) to set the connection options once.
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
    type: str
    aliases: [phone_number_id]
  phone_number:
    description:
      - The phone number (ExoPhone) in E.164 form, V(+) then 8 to 15 digits, for example V(+918040264208).
    type: str
    required: true
  mode:
    description:
      - Where calls to the number go.
      - V(pstn) routes to the telephone network; V(flow) routes to a Voice AI / StreamKit flow.
    type: str
    required: true
    choices: [pstn, flow]
seealso:
  - name: Exotel dynamic SIP trunking API
    description: Exotel's documentation of the trunk API.
    link: https://developer.exotel.com/api/
'''

EXAMPLES = r'''
- name: Route the support line to the Voice AI bot
  exotel.trunking.exotel_number_mode:
    account_sid: "{{ exotel_sid }}"
    api_key: "{{ exotel_key }}"
    api_token: "{{ exotel_token }}"
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
      account_sid: "{{ exotel_sid }}"
      api_key: "{{ exotel_key }}"
      api_token: "{{ exotel_token }}"
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
  returned: success
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
      type: str
      sample: "2026-01-23T13:28:11Z"
    date_updated:
      description: When the mapping last changed.
      type: str
      sample: "2026-01-23T13:41:59Z"
diff:
  description: The mode before and after the run; returned when run with C(--diff).
  returned: when diff mode is on
  type: dict
  contains:
    before:
      description: The mode before the run (V(null) when the number was mapped without a mode).
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

from ansible_collections.exotel.trunking.plugins.module_utils._exotel import (
    DIGITS_RE,
    E164_RE,
    MODES,
    SID_RE,
    ExotelError,
    check_option,
    client_from_module,
    exotel_argument_spec,
    fail_from_error,
)
from ansible_collections.exotel.trunking.plugins.module_utils._mapping import (
    effective_mode,
    find_mapping,
    put_mode,
)


def main():
    argument_spec = exotel_argument_spec()
    argument_spec.update(
        trunk_sid=dict(type='str', required=True),
        number_id=dict(type='str', aliases=['phone_number_id']),
        phone_number=dict(type='str', required=True),
        mode=dict(type='str', required=True, choices=list(MODES)),
    )
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True)
    params = module.params
    check_option(module, 'trunk_sid', SID_RE, 'a trunk SID (letters, digits, "_" and "-"), e.g. trmum1f708622631150902801a1n')
    check_option(module, 'number_id', DIGITS_RE, 'a mapping id made of digits, e.g. "41523"')
    check_option(module, 'phone_number', E164_RE, 'an E.164 phone number: "+" then 8 to 15 digits, e.g. "+918040264208"')
    client = client_from_module(module)

    trunk_sid, number_id, phone_number, mode = params['trunk_sid'], params['number_id'], params['phone_number'], params['mode']
    try:
        mapping = find_mapping(client, trunk_sid, phone_number=phone_number, number_id=number_id)
    except ExotelError as exc:
        hint = ''
        if exc.http_status in (403, 404) or exc.error_code in (1000, 1003):
            hint = ' Check trunk_sid: the trunk %s does not exist in account %s (or belongs to another account).' % (
                trunk_sid, params['account_sid'])
        fail_from_error(module, exc, msg='Could not read the phone numbers of trunk %s: %s.%s' % (
            trunk_sid, exc.message.rstrip('.'), hint))

    if mapping is None:
        if number_id is not None:
            module.fail_json(msg='No mapping with number_id %s is on trunk %s. Omit number_id to find %s by phone number.' % (
                number_id, trunk_sid, phone_number))
        module.fail_json(msg='Phone number %s is not mapped to trunk %s. Map it to the trunk first.' % (phone_number, trunk_sid))
    if mapping.get('phone_number') != phone_number:
        module.fail_json(msg='Mapping %s on trunk %s is for phone number %s, not %s: check number_id and phone_number. '
                             'Nothing was changed.' % (number_id, trunk_sid, mapping.get('phone_number'), phone_number))

    before_mode = mapping.get('mode')
    changed = effective_mode(before_mode) != mode
    result = dict(changed=changed, mapping=mapping)
    if changed:
        if module.check_mode:
            result['mapping'] = dict(mapping, mode=mode)
        else:
            try:
                result['mapping'], warning = put_mode(client, trunk_sid, mapping, mode)
            except ExotelError as exc:
                fail_from_error(module, exc, msg='Could not switch %s on trunk %s to %s: %s' % (
                    phone_number, trunk_sid, mode, exc.message), mapping=mapping)
            if warning:
                module.warn(warning)
    if module._diff:
        result['diff'] = dict(before=dict(mode=before_mode), after=dict(mode=mode if changed else before_mode))
    module.exit_json(**result)


if __name__ == '__main__':
    main()

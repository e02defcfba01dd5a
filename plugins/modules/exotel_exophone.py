#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
---
module: exotel_exophone
short_description: Assign an Exotel ExoPhone to a flow, name it, buy it or release it
version_added: 0.1.0
description:
  - Sets the voice flow, the SMS flow and the friendly name of one ExoPhone of the account (a phone number the
    account rents from Exotel), found by O(phone_number) or O(sid), idempotently.
  - The ExoPhone is read first and written (one C(PUT), form-encoded) only when a field differs. Flows are
    compared by app id, so a number whose flow URL has another host or form than the one this module would send
    is left alone when its app id is the one wanted.
  - With O(state=present), a number the account does not have is bought only with O(allow_purchase=true), after
    finding it among the numbers Exotel offers (its rental price is returned, also in check mode).
  - With O(state=absent), the number is released only with O(allow_release=true), and never while it is mapped to a
    SIP trunk, unless O(release_mapped=true).
  - With O(exophones), one task sets the voice flows of many ExoPhones (a bulk cutover); the account's list is read
    once, then only the ExoPhones whose flow differs are written, one after the other under O(exophone_rate_limit).
    The first write that fails stops the task; RV(changed_numbers) names the ExoPhones written before it.
  - Inbound calls reach a SIP trunk through the number's flow (a Connect applet that dials C(sip:<trunk_sid>)), not
    through the trunk mapping alone; see M(exotel.trunking.exotel_trunk_number) for the mapping.
extends_documentation_fragment: [exotel.trunking._exotel, exotel.trunking._exotel.lock_file, exotel.trunking._exotel.exophones, exotel.trunking._resource]
options:
  phone_number:
    description:
      - The ExoPhone's number in E.164 form, V(+) then 8 to 15 digits, for example V(+918040264208).
      - Required to buy a number. One of O(phone_number), O(sid) and O(exophones) is required; with both O(phone_number)
        and O(sid), they must be the same ExoPhone.
    type: str
  sid:
    description:
      - The ExoPhone's SID, as M(exotel.trunking.exotel_exophone_info) returns it (letters, digits, V(_) and V(-)).
      - Found with one request, where O(phone_number) needs a walk of the account's list.
    type: str
    aliases: [exophone_sid]
  state:
    description:
      - V(present) makes sure the account has the number, with the flows and name given; V(absent) releases it.
    type: str
    choices: [present, absent]
    default: present
  voice_app_id:
    description:
      - The app id of the flow that answers calls to the number, digits as the Exotel dashboard shows it.
      - The module sends the documented flow URL C(https://my.exotel.com/<account_sid>/exoml/start_voice/<app_id>)
        (C(my.in.exotel.com) with O(region=mumbai)).
      - When not set (and O(voice_url) neither), the voice flow is left as it is.
    type: raw
  voice_url:
    description:
      - The full voice flow URL to set instead of O(voice_app_id), an C(http://) or C(https://) URL.
      - Compared by its app id (the digits at its end) when it has one, else as a whole.
    type: str
  sms_app_id:
    description:
      - The app id of the flow that handles SMS to the number; sent as C(.../exoml/start_sms/<app_id>).
      - When not set (and O(sms_url) neither), the SMS flow is left as it is.
    type: raw
  sms_url:
    description:
      - The full SMS flow URL to set instead of O(sms_app_id).
    type: str
  friendly_name:
    description:
      - The name that identifies the number in the dashboard, 1 to 64 characters. When not set, it is left as it is.
    type: str
  allow_purchase:
    description:
      - Buy the number when the account does not have it (O(state=present) with O(phone_number)). Exotel charges a
        rental for it; the price is returned in RV(purchase).
      - Without it, a number the account does not have fails the task and nothing is bought.
    type: bool
    default: false
  country:
    description:
      - The ISO 3166 country code to search the number in among the numbers Exotel offers, for example V(IN).
      - Defaults to the country of the number's calling code (V(+91) is V(IN), V(+65) V(SG), V(+60) V(MY),
        V(+62) V(ID), V(+63) V(PH), V(+971) V(AE)); required for other numbers.
    type: str
  number_type:
    description:
      - The type of number to search the number among. Default, each type in turn.
    type: str
    choices: [Landline, Mobile, TollFree]
  allow_release:
    description:
      - Release the number with O(state=absent). Releasing is permanent; Exotel may give the number to another account.
      - Without it, O(state=absent) for a number the account has fails the task and nothing is released.
    type: bool
    default: false
  exophones:
    description:
      - Set the voice flow of many ExoPhones in one task. Each entry names an ExoPhone of the account by C(sid) or
        C(phone_number) and its flow by C(voice_app_id) or C(voice_url), as the options of the same names.
      - Cannot be used with O(phone_number), O(sid), the flow, name and SMS options, O(state=absent) or
        O(allow_purchase); an ExoPhone the account does not have fails the task before any write.
    type: list
    elements: dict
    version_added: 0.1.0
    suboptions:
      sid:
        description: The ExoPhone's SID.
        type: str
      phone_number:
        description: The ExoPhone's number in E.164 form, quoted in YAML.
        type: str
      voice_app_id:
        description: The app id of the flow to set (digits).
        type: raw
      voice_url:
        description: The full voice flow URL to set instead of C(voice_app_id); sent as it is.
        type: str
  release_mapped:
    description:
      - Release the number even when it is mapped to a SIP trunk. By default such a number is not released and the
        task fails naming the trunk; so does a number whose mapping cannot be looked up.
    type: bool
    default: false
attributes:
  check_mode:
    details: A purchase in check mode returns the rental price the number is offered at.
  diff_mode:
    details: The diff shows C(phone_number), C(friendly_name), C(app_id), C(voice_url), C(sms_app_id) and C(sms_url).
notes:
  - How to remove a flow from a number is not documented by Exotel, so this module only sets flows.
  - A purchase is never sent twice. When its answer is lost, the account's list is read again to tell whether the
    number was bought.
seealso:
  - module: exotel.trunking.exotel_exophone_info
  - module: exotel.trunking.exotel_trunk_number
'''

EXAMPLES = r'''
# The connection options are not repeated here: set them once for group/exotel.trunking.exotel in
# module_defaults (see exotel_number_mode) or in the EXOTEL_* environment variables.
- name: Answer the support line with the flow that dials the SIP trunk
  exotel.trunking.exotel_exophone:
    phone_number: "+918040264208"
    voice_app_id: "245678"
    friendly_name: Support line
  register: support

- name: Show the flow URL Exotel stores
  ansible.builtin.debug:
    msg: "{{ support.exophone.voice_url }} (app {{ support.exophone.app_id }})"

- name: See what buying a number would cost (nothing is bought in check mode)
  exotel.trunking.exotel_exophone:
    phone_number: "+918040264300"
    allow_purchase: true
  check_mode: true
  register: offer

- name: Show the rental
  ansible.builtin.debug:
    msg: "{{ offer.purchase.rental_price }} {{ offer.purchase.currency | default('') }} a month"

- name: Buy it and send its calls to a flow
  exotel.trunking.exotel_exophone:
    phone_number: "+918040264300"
    voice_app_id: "245678"
    allow_purchase: true

- name: Point three numbers at the bot's flow in one task (one list read, writes only where the flow differs)
  exotel.trunking.exotel_exophone:
    exophones:
      - {phone_number: "+918040264208", voice_app_id: "245679"}
      - {phone_number: "+918040264209", voice_app_id: "245679"}
      - {sid: 0b8f6c1e2d3a4b5c6d7e8f9012345603, voice_url: "https://my.exotel.com/demo_account/exoml/start_voice/245679"}
  register: flows

- name: Show which numbers were written
  ansible.builtin.debug:
    var: flows.changed_numbers

- name: Release a number that is no longer needed (and not mapped to a trunk)
  exotel.trunking.exotel_exophone:
    phone_number: "+918040264300"
    state: absent
    allow_release: true
'''

RETURN = r'''
exophone:
  description:
    - The ExoPhone after the run (in check mode, as it would be), with every field Exotel returns; V({}) when the
      account does not have it (after a release).
    - C(app_id) and C(sms_app_id) are the flow ids at the end of C(voice_url) and C(sms_url), null when there is none.
  returned: success, without O(exophones)
  type: dict
  sample: {sid: 9eeafc8ab479a386dc95f854f9d7cd8a, phone_number: "+918040264208", friendly_name: Support line,
           voice_url: "https://my.exotel.com/demo_account/exoml/start_voice/245678", sms_url: null, app_id: "245678",
           sms_app_id: null, capabilities: {voice: true, sms: true}, country: IN, region: KA}
exophones:
  description: With O(exophones), each ExoPhone after the run (in check mode, as it would be), in the order given.
  returned: with O(exophones)
  type: list
  elements: dict
  sample: [{sid: 0b8f6c1e2d3a4b5c6d7e8f9012345601, phone_number: "+918040264208", app_id: "245679",
            voice_url: "https://my.exotel.com/demo_account/exoml/start_voice/245679", sms_url: null, sms_app_id: null}]
changed_numbers:
  description:
    - With O(exophones), the numbers whose flow was written (in check mode, would be), in the order given; when a write
      fails, those written before it.
  returned: with O(exophones)
  type: list
  elements: str
  sample: ["+918040264208"]
purchase:
  description:
    - The offer the number was bought at (or, in check mode, would be), as Exotel lists it among its available
      numbers, with at least C(phone_number), C(rental_price) (a string), C(country) and C(number_type).
  returned: when the number is bought
  type: dict
  sample: {phone_number: "+918040264300", rental_price: "499.000000", country: IN, number_type: Landline, region: KA}
diff:
  description:
    - The compared fields before and after the run; returned when run with C(--diff).
    - With O(exophones), C(before.exophones) and C(after.exophones) map each phone number to its voice flow URL.
  returned: when diff mode is on
  type: dict
  sample: {before: {phone_number: "+918040264208", friendly_name: null, app_id: null, voice_url: null, sms_app_id: null,
                    sms_url: null},
           after: {phone_number: "+918040264208", friendly_name: Support line, app_id: "245678",
                   voice_url: "https://my.exotel.com/demo_account/exoml/start_voice/245678", sms_app_id: null, sms_url: null}}
'''

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.exotel.trunking.plugins.module_utils._exophone_flows import (
    FLOW_ENTRY_OPTIONS,
    FLOW_ENTRY_RULES,
    flow_entries,
    flow_kind,
    flows_result,
)
from ansible_collections.exotel.trunking.plugins.module_utils._exophones import ExoPhones, app_id_of, flow_url
from ansible_collections.exotel.trunking.plugins.module_utils._module import client_from_module, lock_from_module, option_errors, run
from ansible_collections.exotel.trunking.plugins.module_utils._options import check_exophone_options, module_spec


def wanted_flow(client, params, flow):
    """(url to send, app id to compare) of the voice or sms flow the task asks for; (None, None) when none."""
    app_id, url = params['%s_app_id' % flow], params['%s_url' % flow]
    if app_id is not None:
        return flow_url(client, app_id, flow), app_id
    return url, app_id_of(url)


def main():
    module = AnsibleModule(
        argument_spec=module_spec(
            phone_number=dict(type='str'),
            sid=dict(type='str', aliases=['exophone_sid']),
            state=dict(type='str', default='present', choices=['present', 'absent']),
            voice_app_id=dict(type='raw'),
            voice_url=dict(type='str'),
            sms_app_id=dict(type='raw'),
            sms_url=dict(type='str'),
            friendly_name=dict(type='str'),
            allow_purchase=dict(type='bool', default=False),
            country=dict(type='str'),
            number_type=dict(type='str', choices=['Landline', 'Mobile', 'TollFree']),
            allow_release=dict(type='bool', default=False),
            release_mapped=dict(type='bool', default=False),
            exophones=dict(type='list', elements='dict', options=FLOW_ENTRY_OPTIONS, **FLOW_ENTRY_RULES),
            lock_file=dict(type='path'),
        ),
        supports_check_mode=True,
        required_one_of=[('phone_number', 'sid', 'exophones')],
        mutually_exclusive=[('voice_app_id', 'voice_url'), ('sms_app_id', 'sms_url')] + [
            ('exophones', name) for name in ('phone_number', 'sid', 'voice_app_id', 'voice_url', 'sms_app_id', 'sms_url',
                                             'friendly_name')],
    )
    with option_errors(module):
        check_exophone_options(module.params)
        params = module.params
        lock_from_module(module)
        client = client_from_module(module)
        if params['exophones'] is not None:
            kind = flow_kind(client)
            run(module, kind, flow_entries(params, client), 'present', report=flows_result)
        voice_url, app_id = wanted_flow(client, params, 'voice')
        sms_url, sms_app_id = wanted_flow(client, params, 'sms')
        want = dict(sid=params['sid'], phone_number=params['phone_number'], friendly_name=params['friendly_name'],
                    voice_url=voice_url, app_id=app_id, sms_url=sms_url, sms_app_id=sms_app_id)
        kind = ExoPhones(client, state=params['state'], allow_purchase=params['allow_purchase'],
                         allow_release=params['allow_release'], release_mapped=params['release_mapped'],
                         country=params['country'], number_type=params['number_type'])

        def finish(outcome, result):
            if outcome.added and kind.offer is not None:
                result['purchase'] = kind.offer

        run(module, kind, [want], params['state'], finish=finish)


if __name__ == '__main__':
    main()

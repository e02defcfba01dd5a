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
  - With O(exophones), many ExoPhones of the account at once (the bulk form, which the C(exotel.trunking.apply)
    playbook uses). The account's list is read once and only the ExoPhones that differ are written. It never buys
    or releases a number; a number the account does not have fails the task before any write.
  - Inbound calls reach a SIP trunk through the number's flow (a Connect applet that dials C(sip:<trunk_sid>)), not
    through the trunk mapping alone; see M(exotel.trunking.exotel_trunk_number) for the mapping.
extends_documentation_fragment: [exotel.trunking._exotel, exotel.trunking._exotel.lock_file, exotel.trunking._exotel.exophones, exotel.trunking._resource]
options:
  phone_number:
    description:
      - The ExoPhone's number in E.164 form, V(+) then 8 to 15 digits, for example V(+918040264208).
      - Required to buy a number. One of O(phone_number), O(sid) and O(exophones) is required; with O(phone_number) and
        O(sid), they must be the same ExoPhone.
    type: str
  exophones:
    description:
      - The bulk form, instead of O(phone_number) or O(sid) and the options of one ExoPhone (O(state=present) only).
      - Each entry takes O(phone_number) or O(sid) (one of them is required), O(friendly_name), O(voice_app_id) or
        O(voice_url), and O(sms_app_id) or O(sms_url), with the same meaning; a field left out is left as it is.
        The role P(exotel.trunking.voice_ai_cutover#role) switches the voice flows of a cutover with one such task. Every entry is
        checked before any request, and each number may be listed once.
      - The ExoPhones of the account are read once (one request a page of 100). The writes are sent one after the
        other; when one fails, the task fails with the ExoPhones changed so far (a re-run finishes).
    type: list
    elements: dict
    suboptions:
      phone_number:
        description: The ExoPhone's number in E.164 form.
        type: str
      sid:
        description: The ExoPhone's SID, instead of O(exophones[].phone_number).
        type: str
      friendly_name:
        description: See O(friendly_name).
        type: str
      voice_app_id:
        description: See O(voice_app_id).
        type: raw
      voice_url:
        description: See O(voice_url).
        type: str
      sms_app_id:
        description: See O(sms_app_id).
        type: raw
      sms_url:
        description: See O(sms_url).
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

- name: Set the flows of many numbers at once (one read of the account's list, writes only where they differ)
  exotel.trunking.exotel_exophone:
    exophones:
      - phone_number: "+918040264208"
        voice_app_id: "245678"
        friendly_name: Support line
      - phone_number: "+918040264209"
        voice_app_id: "245679"
  register: flows

- name: Show which numbers were changed
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
  returned: success
  type: dict
  sample: {sid: 9eeafc8ab479a386dc95f854f9d7cd8a, phone_number: "+918040264208", friendly_name: Support line,
           voice_url: "https://my.exotel.com/demo_account/exoml/start_voice/245678", sms_url: null, app_id: "245678",
           sms_app_id: null, capabilities: {voice: true, sms: true}, country: IN, region: KA}
exophones:
  description:
    - With O(exophones), the listed ExoPhones after the run (in check mode, as they would be), in the order listed.
  returned: success, with O(exophones)
  type: list
  elements: dict
  sample: [{sid: 9eeafc8ab479a386dc95f854f9d7cd8a, phone_number: "+918040264208", friendly_name: Support line,
            voice_url: "https://my.exotel.com/demo_account/exoml/start_voice/245678", app_id: "245678"}]
changed_numbers:
  description: With O(exophones), the phone numbers of the ExoPhones written (in check mode, that would be written).
  returned: success, with O(exophones)
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
    - With O(exophones), C(exophones) before and after holds the compared fields of each ExoPhone that changes, by
      phone number.
  returned: when diff mode is on
  type: dict
  sample: {before: {phone_number: "+918040264208", friendly_name: null, app_id: null, voice_url: null, sms_app_id: null,
                    sms_url: null},
           after: {phone_number: "+918040264208", friendly_name: Support line, app_id: "245678",
                   voice_url: "https://my.exotel.com/demo_account/exoml/start_voice/245678", sms_app_id: null, sms_url: null}}
'''

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.exotel.trunking.plugins.module_utils._exophone_bulk import BulkExoPhones, bulk_report, check_entries
from ansible_collections.exotel.trunking.plugins.module_utils._exophones import ExoPhones, app_id_of, flow_url
from ansible_collections.exotel.trunking.plugins.module_utils._module import client_from_module, lock_from_module, option_errors, run
from ansible_collections.exotel.trunking.plugins.module_utils._options import check_exophone_options, module_spec


def wanted_flow(client, params, flow):
    """(url to send, app id to compare) of the voice or sms flow the task asks for; (None, None) when none."""
    app_id, url = params['%s_app_id' % flow], params['%s_url' % flow]
    if app_id is not None:
        return flow_url(client, app_id, flow), app_id
    return url, app_id_of(url)


def wanted_exophone(client, params):
    """What the engine compares and sends for one ExoPhone (the task's options, or one entry of ``exophones``)."""
    voice_url, app_id = wanted_flow(client, params, 'voice')
    sms_url, sms_app_id = wanted_flow(client, params, 'sms')
    return dict(sid=params['sid'], phone_number=params['phone_number'], friendly_name=params['friendly_name'],
                voice_url=voice_url, app_id=app_id, sms_url=sms_url, sms_app_id=sms_app_id)


def main():
    module = AnsibleModule(
        argument_spec=module_spec(
            phone_number=dict(type='str'),
            exophones=dict(type='list', elements='dict', options=dict(
                phone_number=dict(type='str'),
                sid=dict(type='str'),
                friendly_name=dict(type='str'),
                voice_app_id=dict(type='raw'),
                voice_url=dict(type='str'),
                sms_app_id=dict(type='raw'),
                sms_url=dict(type='str'),
            )),
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
            lock_file=dict(type='path'),
        ),
        supports_check_mode=True,
        required_one_of=[('phone_number', 'sid', 'exophones')],
        mutually_exclusive=[('voice_app_id', 'voice_url'), ('sms_app_id', 'sms_url')],
    )
    params = module.params
    with option_errors(module):
        bulk = params['exophones'] is not None
        if bulk:
            entries = check_entries(params)
        else:
            check_exophone_options(params)
        lock_from_module(module)
        client = client_from_module(module)
        if bulk:
            run(module, BulkExoPhones(client), [wanted_exophone(client, e) for e in entries], report=bulk_report)
        want = wanted_exophone(client, params)
        kind = ExoPhones(client, state=params['state'], allow_purchase=params['allow_purchase'],
                         allow_release=params['allow_release'], release_mapped=params['release_mapped'],
                         country=params['country'], number_type=params['number_type'])

        def finish(outcome, result):
            if outcome.added and kind.offer is not None:
                result['purchase'] = kind.offer

        run(module, kind, [want], params['state'], finish=finish)


if __name__ == '__main__':
    main()

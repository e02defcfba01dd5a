#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
---
module: exotel_account_info
short_description: Read a whole Exotel account in the shapes the collection takes as input
version_added: 0.1.0
description:
  - Reads the account's SIP trunks (all of them, or those named in O(trunk_names)) and its ExoPhones, and returns
    them as input for the collection. Each trunk is a value for C(sip_trunk_definition) of the
    C(exotel.trunking.sip_trunk) role (name, NSO code, numbers
    with their modes, whitelisted IPs, destinations, credentials, caller ID alias); each ExoPhone is the options of
    M(exotel.trunking.exotel_exophone) (phone number, friendly name, voice and SMS flow by app id).
  - This is what the C(exotel.trunking.export) playbook writes to files; the C(exotel.trunking.apply) playbook
    converges an account back to them. See the guide "Adopt an existing account".
  - B(Passwords are not returned). Exotel never gives a credential's password back, so a credential has only its
    C(user_name) and C(friendly_name). Nothing is made up in its place.
  - A value that is not set is left out (a number without a mode, a credential without a friendly name, a trunk
    without an alias), so that applying the result leaves it as it is.
  - Every list is sorted by its natural key (trunks by name, numbers, credentials and ExoPhones by number or user
    name, whitelisted IPs by address, destinations by priority then URI), so two reads of an unchanged account
    return equal results.
  - 'Requests: each list is read once, page after page (up to 100 items a page), and nothing else. With pages(n) = the
    number of pages of a list of n items (at least 1): pages(trunks) + for each trunk returned pages(its numbers) + one
    request for each of its whitelisted IPs, destinations, credentials and settings (the alias) + pages(ExoPhones).
    An account of 20 trunks with 500 numbers each and 1,000 ExoPhones costs 1 + 20 x (5 + 4) + 10 = 191 requests.
    Parts left out with O(sections) and O(exophones=false) are not read.'
  - Never writes.
extends_documentation_fragment: [exotel.trunking._exotel, exotel.trunking._exotel.exophones, exotel.trunking._exotel.read_only]
options:
  trunk_names:
    description:
      - Only the trunks with these names (1 to 16 letters, digits and V(_) each).
      - A name that is not a trunk of the account fails the task, naming it, after one read of the trunk list.
      - When omitted, every trunk of the account.
    type: list
    elements: str
  sections:
    description:
      - The parts of each trunk to read. A part left out is not read and its key is not returned.
    type: list
    elements: str
    choices: [numbers, acl, destinations, credentials, alias]
    default: [numbers, acl, destinations, credentials, alias]
  exophones:
    description:
      - Whether to read the account's ExoPhones (RV(exophones)).
    type: bool
    default: true
notes:
  - The friendly name Exotel may keep on a whitelisted IP is not returned; the collection does not set it.
  - A trunk's domain name is not returned; a trunk the C(sip_trunk) role creates gets the account's default one.
  - The numbers whose mode the C(exotel.trunking.voice_ai_cutover) role switches are returned with their current
    mode. Remove C(mode) from those numbers in your copy, so that applying it does not switch them back.
seealso:
  - module: exotel.trunking.exotel_trunk_info
  - module: exotel.trunking.exotel_exophone_info
'''

EXAMPLES = r'''
# The connection options are not repeated here: set them once for group/exotel.trunking.exotel in
# module_defaults (see exotel_number_mode) or in the EXOTEL_* environment variables.
- name: Read the whole account
  exotel.trunking.exotel_account_info:
  register: account

- name: Converge every trunk as it is now (a re-run of what exists writes nothing)
  ansible.builtin.include_role:
    name: exotel.trunking.sip_trunk
  vars:
    sip_trunk_definition: "{{ item }}"
  loop: "{{ account.trunks }}"
  loop_control:
    label: "{{ item.name }}"

- name: Read only the credentials of two trunks, without the ExoPhones
  exotel.trunking.exotel_account_info:
    trunk_names: [support_trunk, paged_trunk]
    sections: [credentials]
    exophones: false
  register: credentials

- name: Show the user names of each trunk
  ansible.builtin.debug:
    msg: "{{ item.name }}: {{ item.credentials | map(attribute='user_name') | list }}"
  loop: "{{ credentials.trunks }}"
'''

RETURN = r'''
trunks:
  description:
    - One C(sip_trunk_definition) per trunk, sorted by name; an empty list when the account has none.
    - C(numbers) entries have C(phone_number) and C(mode) (left out when the mapping has none), C(acl) entries C(ip)
      and C(mask), C(destinations) entries C(destination) (without C(sip:)), C(priority) and C(weight),
      C(credentials) entries C(user_name) and C(friendly_name) (never a password). C(alias) is left out when the trunk
      has none.
  returned: success
  type: list
  elements: dict
  sample: [{name: support_trunk, nso_code: ANY-ANY, numbers: [{phone_number: "+918040264208", mode: pstn}],
            acl: [{ip: 44.248.146.11, mask: 32}],
            destinations: [{destination: "sip.company.com:5061;transport=tls", priority: 0, weight: 1}],
            credentials: [{user_name: pbx_user, friendly_name: pbx_primary}], alias: "+918040264208"}]
exophones:
  description:
    - The account's ExoPhones as options of M(exotel.trunking.exotel_exophone), sorted by phone number.
    - A flow is given as C(voice_app_id) (C(sms_app_id)) when its URL ends in an app id, else as C(voice_url)
      (C(sms_url)); left out when the number has none. An ExoPhone whose number is not in E.164 form is left out,
      with a warning.
  returned: when O(exophones=true)
  type: list
  elements: dict
  sample: [{phone_number: "+918040264208", friendly_name: Support line, voice_app_id: "245678"}]
requests:
  description: The number of HTTP requests the read took (see the formula above; retries count too).
  returned: success
  type: int
  sample: 11
'''

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.exotel.trunking.plugins.module_utils._account import SECTIONS, UnknownTrunks, read_account
from ansible_collections.exotel.trunking.plugins.module_utils._errors import ExotelError
from ansible_collections.exotel.trunking.plugins.module_utils._module import client_from_module, fail_from_error
from ansible_collections.exotel.trunking.plugins.module_utils._options import TRUNK_NAME_RE, module_spec


def main():
    module = AnsibleModule(
        argument_spec=module_spec(
            trunk_names=dict(type='list', elements='str'),
            sections=dict(type='list', elements='str', choices=list(SECTIONS), default=list(SECTIONS)),
            exophones=dict(type='bool', default=True),
        ),
        supports_check_mode=True,
    )
    params = module.params
    bad = [n for n in params['trunk_names'] or [] if not TRUNK_NAME_RE.match(n)]
    if bad:
        module.fail_json(msg='trunk_names must be trunk names of 1 to 16 letters, digits and "_", e.g. voice_ai_prod; '
                             'got %s.' % ', '.join(repr(n) for n in bad))
    client = client_from_module(module)
    try:
        result, warnings = read_account(client, params['trunk_names'], params['sections'], params['exophones'])
    except UnknownTrunks as exc:
        module.fail_json(msg='Account %s has no trunk named %s (its trunks: %s). Nothing else was read.' % (
            client.account_sid, ', '.join(exc.names), ', '.join(exc.known) or 'none'), requests=client.stats['requests'])
    except ExotelError as exc:
        fail_from_error(module, exc, msg='Could not read account %s: %s' % (client.account_sid, exc.message),
                        requests=client.stats['requests'])
    for warning in warnings:
        module.warn(warning)
    module.exit_json(changed=False, requests=client.stats['requests'], **result)


if __name__ == '__main__':
    main()

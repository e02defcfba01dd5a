#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
---
module: exotel_trunk
short_description: Create, update or delete an Exotel SIP trunk
version_added: 0.1.0
description:
  - Makes sure an Exotel SIP trunk with a given name exists (V(present)) or does not (V(absent)),
    idempotently. The trunk name is the natural key; the trunk SID is what Exotel returns and what
    every other module of the collection takes.
  - A new trunk is created with O(nso_code=ANY-ANY) and O(domain_name=<account_sid>.pstn.exotel.com)
    unless told otherwise. An existing trunk gets its O(nso_code) updated when it differs.
  - If a parallel run creates a trunk with the same name first, Exotel's duplicate answer (error 1008,
    in an HTTP 200) is resolved by reading the trunks again and returning the existing trunk. A create
    whose answer was lost is never sent again; the trunks are read again to find out whether it happened.
  - B(Deleting a trunk is irreversible.) Exotel deletes the trunk together with its phone-number mappings,
    whitelisted IPs, destination URIs and credentials, and calls to its numbers stop reaching it at once.
    There is no undo and no recycle bin. Run with C(--check --diff) first.
extends_documentation_fragment: [exotel.trunking._exotel, exotel.trunking._resource]
attributes:
  check_mode:
    description: Can run in check mode and return the changed status and predicted trunk without writing.
  diff_mode:
    description: Returns the trunk's compared fields before and after in C(diff) (V({}) when there is no trunk).
options:
  trunk_name:
    description:
      - Name of the trunk; 1 to 16 letters, digits and V(_).
      - Required with O(state=present). The trunk is found by this name unless O(trunk_sid) is given.
      - With O(trunk_sid), the trunk with that SID is renamed to O(trunk_name) (O(state=present)), or
        deleted only if it has this name (O(state=absent)).
    type: str
  trunk_sid:
    description:
      - SID of an existing trunk, for example V(trmum1f708622631150902801a1n). Letters, digits, V(_) and V(-) only.
      - When given, the trunk is found by its SID instead of its name, and the module fails if there is
        no such trunk (it cannot create a trunk with a given SID).
    type: str
  nso_code:
    description:
      - The trunk's NSO code, two parts in capitals joined by V(-).
      - When omitted, a new trunk gets V(ANY-ANY) and the code of an existing trunk is left alone.
    type: str
  domain_name:
    description:
      - The SIP domain of a new trunk. When omitted, V(<account_sid>.pstn.exotel.com).
      - Used only when the trunk is created; Exotel cannot change it afterwards. The module warns when an
        existing trunk has another domain.
    type: str
  state:
    description:
      - V(present) creates the trunk or updates it; V(absent) deletes it.
      - V(absent) is irreversible and removes everything on the trunk (see the description).
    type: str
    choices: [present, absent]
    default: present
notes:
  - Exotel's trunk API has no request to read one trunk by name, so the module reads the account's
    trunk list (all pages) to find it.
seealso:
  - module: exotel.trunking.exotel_trunk_info
  - module: exotel.trunking.exotel_trunk_acl
  - module: exotel.trunking.exotel_trunk_destination
  - module: exotel.trunking.exotel_trunk_credential
  - module: exotel.trunking.exotel_trunk_number
  - name: The exotel.trunking.sip_trunk role
    description: Converges a whole trunk (numbers, ACL, destinations, credentials, alias) from one variable.
    link: https://github.com/exotel-trunking/exotel.trunking/tree/main/roles/sip_trunk
'''

EXAMPLES = r'''
- name: Create the Voice AI trunk and configure it, with the connection options set once
  module_defaults:
    group/exotel.trunking.exotel:
      account_sid: "{{ exotel_sid | default(omit) }}"
      api_key: "{{ exotel_key | default(omit) }}"
      api_token: "{{ exotel_token | default(omit) }}"
      region: mumbai
  block:
    - name: Make sure the Voice AI trunk exists
      exotel.trunking.exotel_trunk:
        trunk_name: voice_ai_prod
      register: trunk

    # Under --check a trunk that does not exist yet has no SID: the tasks that need it are skipped
    # then (the trunk task already reports that it would be created), and run on a real run.
    - name: Whitelist the bot platform's IP on the trunk
      exotel.trunking.exotel_trunk_acl:
        trunk_sid: "{{ trunk.trunk.trunk_sid }}"
        ip: 203.0.113.10
      when: trunk.trunk.trunk_sid is defined

    - name: Use its SID in the next tasks
      ansible.builtin.debug:
        msg: "Trunk {{ trunk.trunk.trunk_name }} is {{ trunk.trunk.trunk_sid | default('(created on a real run)') }}"

- name: Delete a trunk, with its numbers, ACL, destinations and credentials (irreversible)
  exotel.trunking.exotel_trunk:
    trunk_name: empty_trunk
    trunk_sid: trempty00000000000000000000000001   # optional: delete only if this SID has this name
    state: absent
'''

RETURN = r'''
trunk:
  description:
    - The trunk after the run; V({}) when it does not exist (O(state=absent)).
    - In check mode, the trunk as it would be (a new trunk then has no C(trunk_sid) yet).
  returned: success
  type: dict
  contains:
    trunk_sid:
      description: The trunk SID; what the other modules take as O(trunk_sid).
      type: str
      sample: trmum1f708622631150902801a1n
    trunk_name:
      description: The trunk name.
      type: str
      sample: voice_ai_prod
    nso_code:
      description: The NSO code.
      type: str
      sample: ANY-ANY
    domain_name:
      description: The trunk's SIP domain.
      type: str
      sample: ameyo5m.pstn.exotel.com
    auth_type:
      description: How Exotel authenticates calls from the trunk, as Exotel reports it.
      type: str
      sample: ip whitelist
    status:
      description: The trunk status, as Exotel reports it.
      type: str
      sample: active
    date_created:
      description: When the trunk was created.
      type: str
      sample: "2026-01-23T13:28:11Z"
    date_updated:
      description: When the trunk last changed.
      type: str
      sample: "2026-01-23T13:41:59Z"
diff:
  description: The trunk's compared fields before and after the run; returned when run with C(--diff).
  returned: when diff mode is on
  type: dict
  sample: {before: {}, after: {trunk_name: voice_ai_prod, nso_code: ANY-ANY, domain_name: ameyo5m.pstn.exotel.com}}
'''

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.exotel.trunking.plugins.module_utils._module import client_from_module, option_errors, run
from ansible_collections.exotel.trunking.plugins.module_utils._options import check_trunk_options, trunk_spec
from ansible_collections.exotel.trunking.plugins.module_utils._trunks import Trunks


def main():
    argument_spec = trunk_spec(
        nso_code=dict(type='str'),
        domain_name=dict(type='str'),
        state=dict(type='str', default='present', choices=['present', 'absent']),
    )
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True,
                           required_if=[('state', 'present', ('trunk_name',))],
                           required_one_of=[('trunk_name', 'trunk_sid')])
    with option_errors(module):
        check_trunk_options(module.params)
        client = client_from_module(module)
        params = module.params
        want = dict((k, params[k]) for k in ('trunk_name', 'nso_code', 'domain_name', 'trunk_sid'))

        def finish(outcome, result):
            trunk = result['trunk']
            if params['domain_name'] and trunk and trunk.get('domain_name') not in (None, params['domain_name']):
                module.warn('Trunk %s has the domain %s, not %s: Exotel cannot change the domain of an existing trunk.' % (
                    trunk.get('trunk_name'), trunk.get('domain_name'), params['domain_name']))

        run(module, Trunks(client, params['trunk_sid']), [want], params['state'], finish=finish)


if __name__ == '__main__':
    main()

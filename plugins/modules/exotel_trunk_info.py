#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
---
module: exotel_trunk_info
short_description: List the SIP trunks of an Exotel account
version_added: 0.1.0
description:
  - Lists the account's SIP trunks (all pages), optionally only the one with a given name or SID.
  - Never writes.
extends_documentation_fragment: [exotel.trunking._exotel, exotel.trunking._exotel.read_only]
options:
  trunk_name:
    description: Only the trunk with this name (1 to 16 letters, digits and V(_)).
    type: str
  trunk_sid:
    description:
      - Only the trunk with this SID (letters, digits, V(_) and V(-)). Exotel filters the list itself.
    type: str
seealso:
  - module: exotel.trunking.exotel_trunk
'''

EXAMPLES = r'''
# The connection options are not repeated here: set them once for group/exotel.trunking.exotel in
# module_defaults (see exotel_number_mode) or in the EXOTEL_* environment variables.
- name: List every trunk of the account
  exotel.trunking.exotel_trunk_info:
  register: all_trunks

- name: Show their names and SIDs
  ansible.builtin.debug:
    msg: "{{ all_trunks.trunks | items2dict(key_name='trunk_name', value_name='trunk_sid') }}"

- name: Find the SID of one trunk by name
  exotel.trunking.exotel_trunk_info:
    trunk_name: support_trunk
  register: found

- name: Fail when it does not exist
  ansible.builtin.assert:
    that: found.trunks | length == 1
    fail_msg: There is no trunk named support_trunk
'''

RETURN = r'''
trunks:
  description: The trunks found, in the order Exotel lists them; an empty list when none match.
  returned: success
  type: list
  elements: dict
  sample: [{trunk_sid: trmum1f708622631150902801a1n, trunk_name: voice_ai_prod, nso_code: ANY-ANY,
            domain_name: ameyo5m.pstn.exotel.com, auth_type: ip whitelist, status: active,
            date_created: "2026-01-23T13:28:11Z", date_updated: "2026-01-23T13:41:59Z"}]
'''

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.exotel.trunking.plugins.module_utils._errors import ExotelError
from ansible_collections.exotel.trunking.plugins.module_utils._module import client_from_module, fail_from_error, option_errors
from ansible_collections.exotel.trunking.plugins.module_utils._options import check_trunk_options, trunk_spec
from ansible_collections.exotel.trunking.plugins.module_utils._trunks import Trunks


def main():
    module = AnsibleModule(argument_spec=trunk_spec(), supports_check_mode=True)
    with option_errors(module):
        check_trunk_options(module.params)
        client = client_from_module(module)
        params = module.params
        kind = Trunks(client, params['trunk_sid'])
        try:
            trunks = kind.read()
        except ExotelError as exc:
            fail_from_error(module, exc, msg=kind.read_failure(exc))
        trunks = [t for t in trunks if params['trunk_name'] in (None, t.get('trunk_name'))
                  and params['trunk_sid'] in (None, t.get('trunk_sid'))]
        module.exit_json(changed=False, trunks=trunks)


if __name__ == '__main__':
    main()

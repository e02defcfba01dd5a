#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
---
module: exotel_trunk_alias
short_description: Set the external caller ID alias of an Exotel SIP trunk
version_added: 0.1.0
description:
  - Sets the trunk setting C(trunk_external_alias), the E.164 number shown as caller ID for calls
    from the trunk (V(present)), or removes it (V(absent)), idempotently.
  - The trunk's settings are read first; the setting is written only when its value differs.
extends_documentation_fragment: [exotel.trunking._exotel, exotel.trunking._resource, exotel.trunking._resource.trunk_list]
options:
  alias:
    description:
      - The caller ID in E.164 form, V(+) then 8 to 15 digits, for example V(+918040264208); usually an
        ExoPhone of the account.
      - Required with O(state=present). Ignored with O(state=absent), which removes the alias whatever its value.
    type: str
  state:
    description:
      - V(present) sets the alias; V(absent) removes the setting.
seealso:
  - module: exotel.trunking.exotel_trunk
'''

EXAMPLES = r'''
# The connection options are not repeated here: set them once for group/exotel.trunking.exotel in
# module_defaults (see exotel_number_mode) or in the EXOTEL_* environment variables.
- name: Show the support line as caller ID on calls from the trunk
  exotel.trunking.exotel_trunk_alias:
    trunk_sid: trmum1f708622631150902801a1n
    alias: "+918040264208"
  register: alias

- name: Show it
  ansible.builtin.debug:
    msg: "Caller ID is {{ alias.alias }}"

- name: Remove the alias
  exotel.trunking.exotel_trunk_alias:
    trunk_sid: trmum1f708622631150902801a1n
    state: absent
'''

RETURN = r'''
alias:
  description: The alias after the run; null when the trunk has none.
  returned: success
  type: str
  sample: "+918040264208"
setting:
  description:
    - The C(trunk_external_alias) setting after the run, as Exotel lists it; V({}) when there is none.
  returned: success
  type: dict
  sample: {name: trunk_external_alias, value: "+918040264208", trunk_sid: trmum1f708622631150902801a1n}
diff:
  description: The setting's C(name) and C(value) before and after the run; returned when run with C(--diff).
  returned: when diff mode is on
  type: dict
  sample: {before: {}, after: {name: trunk_external_alias, value: "+918040264208"}}
'''

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.exotel.trunking.plugins.module_utils._module import client_from_module, option_errors, run
from ansible_collections.exotel.trunking.plugins.module_utils._options import check_phone_number, check_trunk_sid, trunk_list_spec
from ansible_collections.exotel.trunking.plugins.module_utils._kind import Kind

ALIAS = 'trunk_external_alias'


class Settings(Kind):
    """A trunk's settings, by name. Exotel sets them with a POST that creates or replaces (no PUT)."""

    segment = 'settings'
    noun = 'setting'
    fields = ('name', 'value')
    id_field = 'name'
    delete_key = 'name'

    def key(self, item):
        return item.get('name')

    def create_body(self, want):
        return {'settings': [{'name': want['name'], 'value': want['value']}]}

    def put(self, have, body):
        return self.post(self.create_body(dict(have, **body)))


def main():
    module = AnsibleModule(
        argument_spec=trunk_list_spec(alias=dict(type='str')),
        supports_check_mode=True,
        required_if=[('state', 'present', ('alias',))],
    )
    with option_errors(module):
        check_trunk_sid(module.params)
        check_phone_number(module.params, 'alias')

        def finish(outcome, result):
            result['alias'] = result['setting'].get('value')

        kind = Settings(client_from_module(module), module.params['trunk_sid'])
        run(module, kind, [dict(name=ALIAS, value=module.params['alias'])], module.params['state'], finish=finish)


if __name__ == '__main__':
    main()

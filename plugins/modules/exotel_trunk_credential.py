#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
---
module: exotel_trunk_credential
short_description: Manage a SIP digest credential of an Exotel SIP trunk
version_added: 0.1.0
description:
  - Makes sure a trunk has a credential (user name and password for SIP digest authentication) with a
    given user name (V(present)), or does not (V(absent)), idempotently.
  - Exotel never returns a password, so the module cannot compare it. Like M(ansible.builtin.user), it
    sets the password when it creates the credential (O(update_password=on_create), the default), or on
    every run (O(update_password=always)), which then reports a change every time.
  - The password and O(friendly_name) are checked before any request (Exotel accepts only letters,
    digits and V(_) in them). The password never appears in the module's output.
extends_documentation_fragment: [exotel.trunking._exotel, exotel.trunking._resource, exotel.trunking._resource.trunk_list]
options:
  user_name:
    description:
      - The SIP user name; the credential's natural key. 1 to 64 letters, digits, V(_), V(.) and V(-).
    type: str
    required: true
  password:
    description:
      - The SIP password; letters, digits and V(_) only. Required to create the credential.
      - Write-only. See O(update_password).
    type: str
  update_password:
    description:
      - V(on_create) sets the password only when the credential is created.
      - V(always) sets it on every run (Exotel cannot tell whether it differs), so the task always reports a change.
    type: str
    choices: [always, on_create]
    default: on_create
  friendly_name:
    description:
      - A label for the credential, up to 32 letters, digits and V(_). Left as it is when omitted.
    type: str
  state:
    description:
      - V(present) creates the credential or updates it; V(absent) deletes it.
seealso:
  - module: exotel.trunking.exotel_trunk
  - module: ansible.builtin.user
    description: The same O(update_password) choice for local users.
'''

EXAMPLES = r'''
# docs-test: vars vault_pbx_main_password=Pbx_main_pass_1 vault_pbx_main_new_password=Pbx_main_pass_2
# The connection options are not repeated here: set them once for group/exotel.trunking.exotel in
# module_defaults (see exotel_number_mode) or in the EXOTEL_* environment variables.
- name: Give the PBX a digest credential (password set once, from the vault)
  exotel.trunking.exotel_trunk_credential:
    trunk_sid: trmum1f708622631150902801a1n
    user_name: pbx_main
    password: "{{ vault_pbx_main_password }}"
    friendly_name: main_pbx
  register: cred

- name: Show the credential id
  ansible.builtin.debug:
    msg: "{{ cred.credential.user_name }} is credential {{ cred.credential.id }}"

- name: Rotate the password (reports a change on every run)
  exotel.trunking.exotel_trunk_credential:
    trunk_sid: trmum1f708622631150902801a1n
    user_name: pbx_main
    password: "{{ vault_pbx_main_new_password }}"
    update_password: always

- name: Remove a credential
  exotel.trunking.exotel_trunk_credential:
    trunk_sid: trmum1f708622631150902801a1n
    user_name: pbx_old
    state: absent
'''

RETURN = r'''
credential:
  description:
    - The credential after the run, as Exotel lists it (never with a password); V({}) when there is none.
    - In check mode, as it would be (a new credential then has no C(id) yet).
  returned: success
  type: dict
  sample: {id: "54001", user_name: pbx_main, friendly_name: main_pbx, trunk_sid: trmum1f708622631150902801a1n,
           date_created: "2026-01-23T13:28:11Z", date_updated: "2026-01-23T13:28:11Z"}
password_set:
  description: Whether this run set the password (in check mode, would set it).
  returned: success
  type: bool
  sample: true
diff:
  description:
    - The credential's user name and friendly name before and after; returned when run with C(--diff).
    - When the run writes the password, C(after) also has C(password) with the placeholder V(********);
      the password itself never appears.
  returned: when diff mode is on
  type: dict
  sample: {before: {}, after: {user_name: pbx_main, friendly_name: main_pbx, password: "********"}}
'''

import re

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.exotel.trunking.plugins.module_utils._module import client_from_module, option_errors, run
from ansible_collections.exotel.trunking.plugins.module_utils._options import (
    check_option,
    check_trunk_sid,
    trunk_list_spec,
)
from ansible_collections.exotel.trunking.plugins.module_utils._kind import Kind

USER_NAME_RE = re.compile(r'^[A-Za-z0-9_.-]{1,64}$')
SAFE_RE = re.compile(r'^[A-Za-z0-9_]+$')
FRIENDLY_NAME_RE = re.compile(r'^[A-Za-z0-9_]{1,32}$')
HIDDEN = '********'


class Credentials(Kind):
    segment = 'credentials'
    noun = 'credential'
    fields = ('user_name', 'friendly_name')

    def __init__(self, client, trunk_sid, update_password):
        super(Credentials, self).__init__(client, trunk_sid)
        self.update_password = update_password

    def key(self, item):
        return item.get('user_name')

    def missing(self, want):
        if want['password'] is None:
            return 'password is required to create the credential %s on trunk %s.' % (want['user_name'], self.trunk_sid)
        return None

    def create_body(self, want):
        body = dict(user_name=want['user_name'], password=want['password'])
        if want['friendly_name'] is not None:
            body['friendly_name'] = want['friendly_name']
        return body

    def update_body(self, have, want):
        body = super(Credentials, self).update_body(have, want) or {}
        if self.update_password == 'always' and want['password'] is not None:
            body['password'] = want['password']
        return body or None

    def body_after_create(self, created, want):
        # The password was just sent with the create: only the compared fields may still differ.
        return super(Credentials, self).update_body(created, want)


def main():
    module = AnsibleModule(
        argument_spec=trunk_list_spec(
            user_name=dict(type='str', required=True),
            password=dict(type='str', no_log=True),
            update_password=dict(type='str', default='on_create', choices=['always', 'on_create'], no_log=False),
            friendly_name=dict(type='str'),
        ),
        supports_check_mode=True,
    )
    with option_errors(module):
        check_trunk_sid(module.params)
        check_option(module.params, 'user_name', USER_NAME_RE, '1 to 64 letters, digits, "_", "." and "-", e.g. pbx_main')
        check_option(module.params, 'friendly_name', FRIENDLY_NAME_RE, 'up to 32 letters, digits and "_", e.g. main_pbx')
        params = module.params
        if params['password'] is not None and not SAFE_RE.match(params['password']):
            module.fail_json(msg='password must be letters, digits and "_" only (Exotel refuses other characters); '
                                 'the value given has others. It was not sent.')
        want = dict((k, params[k]) for k in ('user_name', 'password', 'friendly_name'))

        def finish(outcome, result):
            result['password_set'] = bool(outcome.added) or any('password' in body for dummy, body in outcome.updated)
            if 'diff' in result and result['password_set']:
                result['diff']['after']['password'] = HIDDEN

        kind = Credentials(client_from_module(module), params['trunk_sid'], params['update_password'])
        run(module, kind, [want], params['state'], finish=finish)


if __name__ == '__main__':
    main()

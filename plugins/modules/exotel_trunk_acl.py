#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
---
module: exotel_trunk_acl
short_description: Whitelist IP addresses on an Exotel SIP trunk
version_added: 0.1.0
description:
  - Manages the whitelisted IPs (the ACL) of an Exotel SIP trunk, idempotently. Exotel accepts calls
    from the trunk only from these networks, and an IP destination must be whitelisted before it can
    be added with M(exotel.trunking.exotel_trunk_destination).
  - One entry with O(ip) and O(mask), or many with O(entries). With O(purge=true), the trunk's ACL
    becomes exactly O(entries); every addition and removal is reported in the diff.
  - An entry is identified by its IP address, as Exotel does (it refuses the same IP twice). When the
    IP is whitelisted with another mask, the mask is updated in place.
  - Additions and updates are written before removals, so a purge never leaves the trunk with fewer
    entries than needed in between.
extends_documentation_fragment: [exotel.trunking._exotel, exotel.trunking._resource, exotel.trunking._resource.trunk_list]
options:
  ip:
    description:
      - An IPv4 address, for example V(203.0.113.10), or the address of a network with O(mask).
      - One of O(ip) and O(entries) is required; they cannot be used together.
    type: str
  mask:
    description:
      - The prefix length of the network, V(16) to V(32).
      - With O(state=present), V(32) (one address) when omitted.
      - With O(state=absent), the entry is removed whatever its mask when omitted; when given, the module
        fails instead of removing an entry of this IP with another mask.
    type: int
  entries:
    description:
      - Several entries at once. Each is checked before any request.
    type: list
    elements: dict
    suboptions:
      ip:
        description: An IPv4 address.
        type: str
        required: true
      mask:
        description: The prefix length, V(16) to V(32); see O(mask).
        type: int
  purge:
    description:
      - With O(entries) and O(state=present), remove every whitelisted IP of the trunk that is not in O(entries).
      - O(entries=[]) with O(purge=true) empties the ACL.
    type: bool
    default: false
  state:
    description:
      - V(present) whitelists the entries; V(absent) removes them.
notes:
  - Exotel's Voice AI guides accept only single addresses (O(mask=32)); the API accepts V(16) to V(32).
seealso:
  - module: exotel.trunking.exotel_trunk
  - module: exotel.trunking.exotel_trunk_destination
'''

EXAMPLES = r'''
# The connection options are not repeated here: set them once for group/exotel.trunking.exotel in
# module_defaults (see exotel_number_mode) or in the EXOTEL_* environment variables.
- name: Whitelist the SBC
  exotel.trunking.exotel_trunk_acl:
    trunk_sid: trmum1f708622631150902801a1n
    ip: 203.0.113.10

- name: Make the ACL exactly these two entries (removes any other)
  exotel.trunking.exotel_trunk_acl:
    trunk_sid: trmum1f708622631150902801a1n
    entries:
      - ip: 203.0.113.10
      - ip: 198.51.100.0
        mask: 24
    purge: true
  register: acl

- name: Show what the purge removed
  ansible.builtin.debug:
    var: acl.removed

- name: Remove an address
  exotel.trunking.exotel_trunk_acl:
    trunk_sid: trmum1f708622631150902801a1n
    ip: 192.0.2.7
    state: absent
'''

RETURN = r'''
whitelisted_ip:
  description:
    - With O(ip), the entry after the run; V({}) when it is not whitelisted.
    - In check mode, the entry as it would be (a new entry then has no C(id) yet).
  returned: success, with O(ip)
  type: dict
  sample: {id: "52001", ip: 203.0.113.10, mask: 32, friendly_name: null, trunk_sid: trmum1f708622631150902801a1n,
           date_created: "2026-01-23T13:28:11Z", date_updated: "2026-01-23T13:28:11Z"}
whitelisted_ips:
  description: With O(entries), every whitelisted IP of the trunk after the run (in check mode, as it would be).
  returned: success, with O(entries)
  type: list
  elements: dict
  sample: [{id: "52001", ip: 203.0.113.10, mask: 32, trunk_sid: trmum1f708622631150902801a1n}]
added:
  description: With O(entries), the entries added (C(ip) and C(mask)).
  returned: success, with O(entries)
  type: list
  elements: dict
  sample: [{ip: 198.51.100.0, mask: 24}]
updated:
  description: With O(entries), the entries whose mask was changed, as they are afterwards.
  returned: success, with O(entries)
  type: list
  elements: dict
  sample: []
removed:
  description: With O(entries), the entries removed (by O(state=absent) or O(purge)).
  returned: success, with O(entries)
  type: list
  elements: dict
  sample: [{ip: 192.0.2.7, mask: 32}]
diff:
  description:
    - Returned when run with C(--diff). With O(ip), the entry's C(ip) and C(mask) before and after.
      With O(entries), C(whitelisted_ips), the trunk's whole ACL, before and after.
  returned: when diff mode is on
  type: dict
  sample: {before: {whitelisted_ips: [{ip: 192.0.2.7, mask: 32}]}, after: {whitelisted_ips: [{ip: 203.0.113.10, mask: 32}]}}
'''

import ipaddress

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.exotel.trunking.plugins.module_utils._answers import to_int
from ansible_collections.exotel.trunking.plugins.module_utils._module import client_from_module, option_errors, run
from ansible_collections.exotel.trunking.plugins.module_utils._options import (
    check_trunk_sid,
    check_value,
    trunk_list_spec,
    wanted_entries,
)
from ansible_collections.exotel.trunking.plugins.module_utils._kind import Kind
from ansible_collections.exotel.trunking.plugins.module_utils._engine import list_result, single_result

IP_FORM = 'an IPv4 address, e.g. 203.0.113.10'
MASK_FORM = 'a prefix length from 16 to 32'


def canonical_ip(value):
    """The address in its usual form (Exotel may list it otherwise); None when it is not an IPv4 address."""
    try:
        return str(ipaddress.IPv4Address(u'%s' % value))
    except ValueError:
        return None


class WhitelistedIps(Kind):
    segment = 'whitelisted-ips'
    noun = 'whitelisted IP'
    fields = ('ip', 'mask')

    def key(self, item):
        return canonical_ip(item.get('ip')) or item.get('ip')

    def label(self, item):
        return '%s/%s' % (item.get('ip'), item.get('mask') or 32)

    def view(self, item):
        return dict(ip=item.get('ip'), mask=to_int(item.get('mask')))

    def conflict(self, item, want, state):
        if state == 'absent' and want['mask'] is not None and to_int(item.get('mask')) != want['mask']:
            return '%s is whitelisted with mask %s, not %s: it was not removed. Omit mask to remove it whatever its mask.' % (
                item.get('ip'), item.get('mask'), want['mask'])
        return None

    def update_body(self, have, want):
        if want['mask'] is not None and to_int(have.get('mask')) != want['mask']:
            return {'ip': want['ip'], 'mask': want['mask']}
        return None


def main():
    module = AnsibleModule(
        argument_spec=trunk_list_spec(
            ip=dict(type='str'),
            mask=dict(type='int'),
            entries=dict(type='list', elements='dict', options=dict(
                ip=dict(type='str', required=True),
                mask=dict(type='int'),
            )),
            purge=dict(type='bool', default=False),
        ),
        supports_check_mode=True,
        required_one_of=[('ip', 'entries')],
        mutually_exclusive=[('ip', 'entries'), ('mask', 'entries')],
    )
    state = module.params['state']
    with option_errors(module):
        check_trunk_sid(module.params)

        def normalize(entry):
            ip = check_value('ip', entry['ip'], lambda v: canonical_ip(v) is not None, IP_FORM)
            mask = check_value('mask', entry['mask'], lambda v: 16 <= v <= 32, MASK_FORM)
            return dict(ip=canonical_ip(ip), mask=32 if mask is None and state == 'present' else mask)

        kind = WhitelistedIps(client_from_module(module), module.params['trunk_sid'])
        wanted = wanted_entries(module.params, 'entries', ('ip', 'mask'), normalize, kind.key)
        run(module, kind, wanted, state, module.params['purge'], single_result if module.params['entries'] is None else list_result)


if __name__ == '__main__':
    main()

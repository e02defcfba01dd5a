#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
---
module: exotel_trunk_destination
short_description: Manage the destination URIs of an Exotel SIP trunk
version_added: 0.1.0
description:
  - Manages where an Exotel SIP trunk sends calls (its destination URIs), idempotently.
  - One destination with O(destination), or many with O(destinations). With O(purge=true), the trunk's
    destinations become exactly O(destinations); every addition and removal is reported in the diff.
  - Destinations are compared without the V(sip:) prefix Exotel adds and without regard to case, so
    V(SBC.example.com:5061;transport=tls) is the same as Exotel's V(sip:sbc.example.com:5061;transport=tls).
  - Exotel appends a destination on every add, even one that exists. The module adds only what is
    missing, and never sends an add twice; an add whose answer was lost is settled by reading the list again.
  - O(priority) and O(weight) are updated in place when they differ.
  - An IP destination must be whitelisted on the trunk first (M(exotel.trunking.exotel_trunk_acl)); Exotel
    refuses it otherwise (error 1002 C(Destination not whitelisted)).
  - With O(purge=true), duplicates of a wanted destination left by other tools are removed too.
extends_documentation_fragment: [exotel.trunking._exotel, exotel.trunking._resource, exotel.trunking._resource.trunk_list]
options:
  destination:
    description:
      - A SIP destination C(host[:port][;transport=tls|tcp]), with or without a leading V(sip:); the host is an
        IPv4 address or a DNS name. For example V(sbc.example.com:5061;transport=tls).
      - Exotel's edge takes TLS or TCP, not UDP.
      - One of O(destination) and O(destinations) is required; they cannot be used together.
    type: str
  priority:
    description:
      - The destination's priority (an integer, 0 or more). Exotel gives a new destination V(0).
      - When omitted, the priority is left as it is.
    type: int
  weight:
    description:
      - The destination's weight among destinations of the same priority (an integer, 0 or more).
        Exotel gives a new destination V(1).
      - When omitted, the weight is left as it is.
    type: int
  destinations:
    description:
      - Several destinations at once. Each is checked before any request.
    type: list
    elements: dict
    suboptions:
      destination:
        description: A SIP destination, see O(destination).
        type: str
        required: true
      priority:
        description: See O(priority).
        type: int
      weight:
        description: See O(weight).
        type: int
  purge:
    description:
      - With O(destinations) and O(state=present), remove every destination of the trunk that is not in O(destinations).
    type: bool
    default: false
  state:
    description:
      - V(present) adds the destinations; V(absent) removes them (every copy, if Exotel holds duplicates).
seealso:
  - module: exotel.trunking.exotel_trunk
  - module: exotel.trunking.exotel_trunk_acl
'''

EXAMPLES = r'''
# The connection options are not repeated here: set them once for group/exotel.trunking.exotel in
# module_defaults (see exotel_number_mode) or in the EXOTEL_* environment variables.
- name: Send the trunk's calls to the SBC over TLS
  exotel.trunking.exotel_trunk_destination:
    trunk_sid: trmum1f708622631150902801a1n
    destination: sbc.example.com:5061;transport=tls

- name: Whitelist the fallback's IP first (Exotel refuses an IP destination that is not whitelisted)
  exotel.trunking.exotel_trunk_acl:
    trunk_sid: trmum1f708622631150902801a1n
    ip: 203.0.113.10

- name: Exactly two destinations, the second as a fallback
  exotel.trunking.exotel_trunk_destination:
    trunk_sid: trmum1f708622631150902801a1n
    destinations:
      - destination: sbc.example.com:5061;transport=tls
        priority: 0
      - destination: 203.0.113.10:5060;transport=tcp   # whitelisted by the task above
        priority: 1
    purge: true
  register: routes

- name: Show what changed
  ansible.builtin.debug:
    msg: "added {{ routes.added }}, removed {{ routes.removed }}"
'''

RETURN = r'''
destination:
  description:
    - With O(destination), the destination after the run as Exotel lists it; V({}) when there is none.
    - In check mode, as it would be (a new destination then has no C(id) yet).
  returned: success, with O(destination)
  type: dict
  sample: {id: "53001", destination: "sip:sbc.example.com:5061;transport=tls", type: public, priority: 0, weight: 1,
           trunk_sid: trmum1f708622631150902801a1n, date_created: "2026-01-23T13:28:11Z", date_updated: "2026-01-23T13:28:11Z"}
destinations:
  description: With O(destinations), every destination of the trunk after the run (in check mode, as it would be).
  returned: success, with O(destinations)
  type: list
  elements: dict
  sample: [{id: "53001", destination: "sip:sbc.example.com:5061;transport=tls", priority: 0, weight: 1}]
added:
  description: With O(destinations), the destinations added (C(destination), C(priority), C(weight)).
  returned: success, with O(destinations)
  type: list
  elements: dict
  sample: [{destination: "sip:sbc.example.com:5061;transport=tls", priority: 0, weight: 1}]
updated:
  description: With O(destinations), the destinations whose priority or weight changed, as they are afterwards.
  returned: success, with O(destinations)
  type: list
  elements: dict
  sample: []
removed:
  description: With O(destinations), the destinations removed (by O(state=absent) or O(purge)).
  returned: success, with O(destinations)
  type: list
  elements: dict
  sample: [{destination: "sip:old-sbc.example.com:5061;transport=tls", priority: 0, weight: 1}]
diff:
  description:
    - Returned when run with C(--diff). With O(destination), its C(destination), C(priority) and C(weight)
      before and after. With O(destinations), C(destinations), all the trunk's destinations, before and after.
  returned: when diff mode is on
  type: dict
  sample: {before: {}, after: {destination: "sip:sbc.example.com:5061;transport=tls", priority: 0, weight: 1}}
'''

import re

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.exotel.trunking.plugins.module_utils._module import client_from_module, option_errors, run
from ansible_collections.exotel.trunking.plugins.module_utils._options import (
    check_trunk_sid,
    check_value,
    trunk_list_spec,
    wanted_entries,
)
from ansible_collections.exotel.trunking.plugins.module_utils._kind import Kind
from ansible_collections.exotel.trunking.plugins.module_utils._engine import list_result, single_result

DESTINATION_RE = re.compile(
    r'^(?P<host>(?:[0-9]{1,3}\.){3}[0-9]{1,3}|(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63})'
    r'(?::(?P<port>[0-9]{1,5}))?(?:;transport=(?:tls|tcp))?$', re.IGNORECASE)
DESTINATION_FORM = ('a SIP destination "host[:port][;transport=tls|tcp]" with an IPv4 address or DNS name as host, '
                    'e.g. "sbc.example.com:5061;transport=tls"')
NUMBER_FORM = 'an integer of 0 or more'


def bare(destination):
    """The destination without Exotel's ``sip:`` prefix."""
    value = destination or ''
    return value[4:] if value[:4].lower() == 'sip:' else value


def valid_destination(value):
    match = DESTINATION_RE.match(bare(value))
    return bool(match) and (match.group('port') is None or 1 <= int(match.group('port')) <= 65535)


class Destinations(Kind):
    segment = 'destination-uris'
    noun = 'destination'
    fields = ('destination', 'priority', 'weight')

    def key(self, item):
        return bare(item.get('destination')).lower()

    def create_body(self, want):
        return {'destinations': [{'destination': want['destination']}]}

    def new_item(self, want):
        return dict(destination='sip:' + want['destination'], trunk_sid=self.trunk_sid,
                    priority=0 if want['priority'] is None else want['priority'],
                    weight=1 if want['weight'] is None else want['weight'])

    def update_body(self, have, want):
        body = dict((f, have.get(f) if want[f] is None else want[f]) for f in ('priority', 'weight'))
        return body if any(body[f] != have.get(f) for f in body) else None


def main():
    module = AnsibleModule(
        argument_spec=trunk_list_spec(
            destination=dict(type='str'),
            priority=dict(type='int'),
            weight=dict(type='int'),
            destinations=dict(type='list', elements='dict', options=dict(
                destination=dict(type='str', required=True),
                priority=dict(type='int'),
                weight=dict(type='int'),
            )),
            purge=dict(type='bool', default=False),
        ),
        supports_check_mode=True,
        required_one_of=[('destination', 'destinations')],
        mutually_exclusive=[('destination', 'destinations'), ('priority', 'destinations'), ('weight', 'destinations')],
    )
    with option_errors(module):
        check_trunk_sid(module.params)

        def normalize(entry):
            value = check_value('destination', entry['destination'], valid_destination, DESTINATION_FORM)
            want = dict(destination=bare(value))
            for name in ('priority', 'weight'):
                want[name] = check_value(name, entry[name], lambda v: v >= 0, NUMBER_FORM)
            return want

        kind = Destinations(client_from_module(module), module.params['trunk_sid'])
        wanted = wanted_entries(module.params, 'destinations', ('destination', 'priority', 'weight'), normalize, kind.key)
        run(module, kind, wanted, module.params['state'], module.params['purge'],
            single_result if module.params['destinations'] is None else list_result)


if __name__ == '__main__':
    main()

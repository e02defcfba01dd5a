# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

# This module_utils file is internal to exotel.trunking: its name starts with "_" and its
# interface may change without notice. Do not import it from other collections.

"""The account's SIP trunks as a ``Kind`` of the shared engine: found by name (or SID), created once."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.exotel.trunking.plugins.module_utils._kind import Kind

DEFAULT_NSO_CODE = 'ANY-ANY'


class Trunks(Kind):
    """The account's trunks, found by name, or by SID when the module is given one."""

    noun = 'trunk'
    fields = ('trunk_name', 'nso_code', 'domain_name')
    id_field = 'trunk_sid'
    delete_key = 'trunk_sid'

    def list_query(self):
        return {'trunk_sid': self.trunk_sid} if self.trunk_sid else None

    def key(self, item):
        return item.get('trunk_sid') if self.trunk_sid else item.get('trunk_name')

    def conflict(self, item, want, state):
        if state == 'absent' and want.get('trunk_name') and item.get('trunk_name') != want['trunk_name']:
            return 'Trunk %s is named %s, not %s: it was not deleted.' % (
                item.get('trunk_sid'), item.get('trunk_name'), want['trunk_name'])
        return None

    def missing(self, want):
        if self.trunk_sid:
            return 'There is no trunk %s in account %s; omit trunk_sid to create a trunk named %s.' % (
                self.trunk_sid, self.client.account_sid, want['trunk_name'])
        return None

    def create_body(self, want):
        return {'trunk_name': want['trunk_name'],
                'nso_code': want['nso_code'] or DEFAULT_NSO_CODE,
                'domain_name': want['domain_name'] or '%s.pstn.exotel.com' % self.client.account_sid}

    def new_item(self, want):
        return self.create_body(want)

    def update_body(self, have, want):
        # The domain cannot be changed (PUT takes trunk_name, auth_type, nso_code).
        changes = dict((f, want[f]) for f in ('trunk_name', 'nso_code') if want.get(f) and want[f] != have.get(f))
        return changes or None

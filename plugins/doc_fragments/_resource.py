# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# This doc fragment is internal to exotel.trunking: its name starts with "_" and it may change
# without notice. Use the modules, not this fragment, from other collections.

from __future__ import absolute_import, division, print_function
__metaclass__ = type


class ModuleDocFragment(object):

    # The trunk a module's list belongs to (exotel_trunk_acl, _destination, _credential, _alias).
    DOCUMENTATION = r'''
options:
  trunk_sid:
    description:
      - SID of the trunk, for example V(trmum1f708622631150902801a1n), as returned by M(exotel.trunking.exotel_trunk).
      - It goes into the request path, so only letters, digits, V(_) and V(-) are accepted.
    type: str
    required: true
attributes:
  check_mode:
    support: full
    description: Reads only, and returns the changed status and the result as it would be after the run.
  diff_mode:
    support: full
    description:
      - Returns the compared fields before and after in C(diff); with a list option, the trunk's whole list, sorted.
notes:
  - Nothing that exists is added again, and an add is never sent twice. An add or change whose answer was
    lost (timeout, HTTP 5xx) is settled by reading the trunk's list again; a duplicate answer from Exotel
    (error 1008, after a parallel run added the same entry) is settled the same way.
'''

    # Membership of the action group, and what a failed task returns; for every trunk-as-code module.
    GROUP = r'''
attributes:
  action_group:
    support: full
    membership:
      - exotel.trunking.exotel
    description: Use C(group/exotel.trunking.exotel) in C(module_defaults) to set the connection options once.
notes:
  - Every input is checked before any request is sent; a bad value fails the task with a message naming the
    option and the form it expects.
  - When an API call fails, the task fails with Exotel's answer in C(msg) and, next to it, C(http_status),
    C(error_code) and C(error_description) (Exotel's C(response.error_data)), C(request_id) (quote it to Exotel
    support), and the C(method) and C(path) of the call.
'''

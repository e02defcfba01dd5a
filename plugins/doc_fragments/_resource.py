# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# This doc fragment is internal to exotel.trunking: its name starts with "_" and it may change
# without notice. Use the modules, not this fragment, from other collections.

from __future__ import absolute_import, division, print_function
__metaclass__ = type


class ModuleDocFragment(object):

    # Check and diff mode of every module that writes through the engine (plugins/module_utils/_resource.py);
    # a module may word the descriptions for its resource.
    DOCUMENTATION = r'''
attributes:
  check_mode:
    support: full
    description: Reads only, and returns the changed status and the result as it would be after the run.
  diff_mode:
    support: full
    description:
      - Returns the compared fields before and after in C(diff); with a list option, the trunk's whole list, sorted.
'''

    # The trunk whose list a module manages (exotel_trunk_acl, _destination, _credential, _alias,
    # exotel_trunk_number), whether the entries are wanted, and the write rules they share.
    TRUNK_LIST = r'''
options:
  trunk_sid:
    description:
      - SID of the trunk, for example V(trmum1f708622631150902801a1n), as returned by M(exotel.trunking.exotel_trunk).
      - It goes into the request path, so only letters, digits, V(_) and V(-) are accepted.
    type: str
    required: true
  state:
    description:
      - V(present) makes sure the entries exist; V(absent) removes them.
    type: str
    choices: [present, absent]
    default: present
notes:
  - Nothing that exists is added again, and an add is never sent twice. An add or change whose answer was
    lost (timeout, HTTP 5xx) is settled by reading the trunk's list again; a duplicate answer from Exotel
    (error 1008, after a parallel run added the same entry) is settled the same way.
'''

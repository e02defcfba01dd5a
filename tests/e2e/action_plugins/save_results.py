# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""save_results: write ``content`` to the file ``dest`` (mode 0600) on the controller, with no module run.

For the e2e ``play`` fixture (conftest.py), which saves every host's registered result once per play: with
ansible.builtin.copy that cost a stat and a copy module run, 0.7 s of CPU in each of about a hundred plays.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

from ansible.plugins.action import ActionBase


class ActionModule(ActionBase):
    TRANSFERS_FILES = False

    def run(self, tmp=None, task_vars=None):
        result = super(ActionModule, self).run(tmp, task_vars)
        dest = self._task.args['dest']
        fd = os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, 'w') as handle:
            handle.write(str(self._task.args['content']))
        result.update(changed=True, dest=dest)
        return result

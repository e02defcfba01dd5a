# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The credentials of the default fixture's first account (the demo account): the one place the test suites and
scripts take them from, so they are written out only in fixture.json.

Run as a script, it prints ``account_sid api_key api_token`` on one line (for shell scripts).
"""

import json
import os

FIXTURE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), 'fixture.json')


def demo_credentials(fixture=FIXTURE):
    """``(account_sid, api_key, api_token)`` of the fixture's first account."""
    with open(fixture, encoding='utf-8') as handle:
        account = json.load(handle)['accounts'][0]
    return account['sid'], account['api_key'], account['api_token']


if __name__ == '__main__':
    print(' '.join(demo_credentials()))  # noqa: T201

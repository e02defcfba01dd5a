# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""galaxy.yml defines the collection version; the client's User-Agent carries a copy that must not drift."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os

import yaml

from ansible_collections.exotel.trunking.plugins.module_utils._client import COLLECTION_VERSION, USER_AGENT

GALAXY = os.path.join(os.path.dirname(__file__), '..', '..', '..', '..', 'galaxy.yml')


def test_collection_version_is_galaxy_version():
    with open(GALAXY) as handle:
        version = yaml.safe_load(handle)['version']
    assert COLLECTION_VERSION == version
    assert USER_AGENT.startswith('exotel.trunking/%s ' % version)

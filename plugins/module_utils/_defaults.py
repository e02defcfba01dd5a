# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

# This module_utils file is internal to exotel.trunking: its name starts with "_" and its
# interface may change without notice. Do not import it from other collections.

"""Every default of the connection options, written once: the argument spec (``_options.py``), the client
(``_client.py``) and the event sources use these; a unit test keeps the doc fragment
(``doc_fragments/_exotel.py``) and the event sources' docs equal to them."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

# A copy of galaxy.yml's version (tests/unit/plugins/module_utils/test_defaults.py keeps them equal).
COLLECTION_VERSION = '0.1.0'

REGION_URLS = {
    'singapore': 'https://api.exotel.com',
    'mumbai': 'https://api.in.exotel.com',
}

CONNECTION_DEFAULTS = {
    'region': 'singapore',
    'timeout': 30,
    'validate_certs': True,
    'retries': 5,
    'max_retry_wait': 120,
    # Exotel's documented limits, requests per minute per account: the trunk API, the ExoPhone API.
    'rate_limit': 200,
    'exophone_rate_limit': 50,
    'allow_insecure_http': False,
}

# Largest page size asked for when walking a list (the server may cap it lower), and the most pages one
# walk reads: a server that never clears its next page must not keep a task busy forever.
LIST_PAGE_SIZE = 100
MAX_PAGES = 10000

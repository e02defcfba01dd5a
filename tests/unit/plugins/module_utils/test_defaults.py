# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""_defaults: each default is written once; what documents it (the doc fragment, the event source) says the same,
and the collection version is galaxy.yml's."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os
import re

import pytest
import yaml

from ansible_collections.exotel.trunking.plugins.doc_fragments._exotel import ModuleDocFragment
from ansible_collections.exotel.trunking.plugins.module_utils._client import USER_AGENT, ExotelClient, client_from_params
from ansible_collections.exotel.trunking.plugins.module_utils._defaults import COLLECTION_VERSION, CONNECTION_DEFAULTS
from ansible_collections.exotel.trunking.plugins.module_utils._options import exotel_argument_spec
from ansible_collections.exotel.trunking.tests.unit.plugins.exotel_envelopes import ACCOUNT, KEY, TOKEN

ROOT = os.path.join(os.path.dirname(__file__), '..', '..', '..', '..')


def test_collection_version_is_galaxy_version():
    with open(os.path.join(ROOT, 'galaxy.yml')) as handle:
        version = yaml.safe_load(handle)['version']
    assert COLLECTION_VERSION == version
    assert USER_AGENT.startswith('exotel.trunking/%s ' % version)


def test_the_argument_spec_takes_every_default_from_defaults():
    spec = exotel_argument_spec()
    assert dict((name, spec[name]['default']) for name in CONNECTION_DEFAULTS) == CONNECTION_DEFAULTS
    assert sorted(name for name, entry in spec.items() if 'default' in entry) == sorted(CONNECTION_DEFAULTS)


def test_the_doc_fragment_documents_the_same_defaults():
    options = yaml.safe_load(ModuleDocFragment.DOCUMENTATION)['options']
    documented = dict((name, entry['default']) for name, entry in options.items() if 'default' in entry)
    assert documented == CONNECTION_DEFAULTS


def test_the_mode_drift_source_documents_the_same_defaults():
    path = os.path.join(ROOT, 'extensions', 'eda', 'plugins', 'event_source', 'mode_drift.py')
    with open(path) as handle:
        text = handle.read()
    docs = yaml.safe_load(re.search(r'DOCUMENTATION = r"""(.*?)"""', text, re.S).group(1))['options']
    for name, entry in docs.items():
        if name in CONNECTION_DEFAULTS:
            assert entry.get('default') == CONNECTION_DEFAULTS[name], name


@pytest.mark.parametrize('name', sorted(n for n in CONNECTION_DEFAULTS if n != 'allow_insecure_http'))
def test_the_client_takes_the_same_defaults(name):
    built = ExotelClient(ACCOUNT, KEY, TOKEN)
    params = dict((n, spec.get('default')) for n, spec in exotel_argument_spec().items())
    params.update(account_sid=ACCOUNT, api_key=KEY, api_token=TOKEN)
    from_params = client_from_params(params)
    seen = {
        'region': lambda c: c.region,
        'timeout': lambda c: c.transport.timeouts[1],
        'validate_certs': lambda c: c.transport.verify,
        'retries': lambda c: c.retrier.retries,
        'max_retry_wait': lambda c: c.retrier.max_retry_wait,
        'rate_limit': lambda c: c.trunk.pacer.per_minute,
        'exophone_rate_limit': lambda c: c.exophones.pacer.per_minute,
    }[name]
    assert seen(built) == seen(from_params) == CONNECTION_DEFAULTS[name]

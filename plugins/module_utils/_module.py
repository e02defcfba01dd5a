# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

# This module_utils file is internal to exotel.trunking: its name starts with "_" and its
# interface may change without notice. Do not import it from other collections.

"""The Ansible side of every module: the client built from the module's options, and the one place
an ``ExotelError`` becomes ``fail_json``."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import re

from ansible.module_utils.basic import missing_required_lib
from ansible.module_utils.six.moves.urllib.parse import urlsplit

from ansible_collections.exotel.trunking.plugins.module_utils._client import EXOPHONE_RATE_LIMIT, REGION_URLS, ExotelClient
from ansible_collections.exotel.trunking.plugins.module_utils._options import validate_options
from ansible_collections.exotel.trunking.plugins.module_utils._transport import REQUESTS_IMPORT_ERROR, requests

# The oldest requests without known credential leaks (CVE-2024-47081: .netrc credentials sent to
# another host; CVE-2023-32681: Proxy-Authorization leaked on redirects). Older ones work, with a warning.
REQUESTS_FLOOR = (2, 32, 4)


def _version_tuple(text):
    return tuple(int(part) for part in re.findall(r'[0-9]+', str(text).split('+', 1)[0])[:3]) or (0,)


def _dotted(version):
    return '.'.join(str(part) for part in version)


def client_from_module(module, sleep=None):
    """Validate the connection options and build the client; fails the module cleanly on bad input."""
    if requests is None:
        module.fail_json(msg=missing_required_lib('requests'), exception=REQUESTS_IMPORT_ERROR)
    validate_options(module)
    if _version_tuple(getattr(requests, '__version__', '')) < REQUESTS_FLOOR:
        module.warn('requests %s is older than %s, which fixes known credential leaks (CVE-2024-47081, '
                    'CVE-2023-32681); upgrade it on the host that runs the module: python3 -m pip install '
                    '"requests>=%s".' % (requests.__version__, _dotted(REQUESTS_FLOOR), _dotted(REQUESTS_FLOOR)))
    params = module.params
    https = urlsplit(params.get('api_url') or REGION_URLS[params['region']]).scheme == 'https'
    if not params['validate_certs'] and https:
        module.warn('validate_certs is false: the TLS certificate of the Exotel API host is not verified.')
        try:
            import urllib3
            urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)
        except (ImportError, AttributeError):
            pass
    if params.get('ca_path') and not (params['validate_certs'] and https):
        module.warn('ca_path is not used: %s.' % (
            'validate_certs is false' if https else 'api_url uses http://, so there is no certificate to verify'))
    return ExotelClient(
        account_sid=params['account_sid'], api_key=params['api_key'], api_token=params['api_token'],
        region=params['region'], api_url=params.get('api_url'), timeout=params['timeout'],
        validate_certs=params['validate_certs'], retries=params['retries'],
        max_retry_wait=params['max_retry_wait'], rate_limit=params['rate_limit'], sleep=sleep,
        ca_path=params.get('ca_path'), exophone_rate_limit=params.get('exophone_rate_limit', EXOPHONE_RATE_LIMIT))


def fail_from_error(module, error, msg=None, **result):
    """The one place an ExotelError becomes ``fail_json``: one message plus the structured keys."""
    details = error.details()
    details.update(result)
    details.setdefault('changed', False)
    module.fail_json(msg=msg or error.message, **details)

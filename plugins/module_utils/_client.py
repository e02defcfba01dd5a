# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

# This module_utils file is internal to exotel.trunking: its name starts with "_" and its
# interface may change without notice. Do not import it from other collections.

"""``ExotelClient``: one Exotel account, as the modules talk to it: one transport (``_transport.py``), one
retry policy (``_retries.Retrier``) and, over them, one small client per API family:

- ``client.trunk``: the trunk API (``_trunk_api.py``);
- ``client.exophones``: the ExoPhone API (``_exophone_api.py``);
- ``client.calls``: the Calls API (``_calls_api.py``).

Adding a family is one file beside those, built here. Nothing here parses an answer or knows of
Ansible modules (``_module.py`` builds the client from a module's options).
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import time

from ansible.module_utils.ansible_release import __version__ as ANSIBLE_VERSION

from ansible_collections.exotel.trunking.plugins.module_utils._calls_api import CallsApi
from ansible_collections.exotel.trunking.plugins.module_utils._defaults import COLLECTION_VERSION, CONNECTION_DEFAULTS, REGION_URLS
from ansible_collections.exotel.trunking.plugins.module_utils._exophone_api import ExophoneApi
from ansible_collections.exotel.trunking.plugins.module_utils._retries import Retrier
from ansible_collections.exotel.trunking.plugins.module_utils._transport import Transport
from ansible_collections.exotel.trunking.plugins.module_utils._trunk_api import TrunkApi

USER_AGENT = 'exotel.trunking/%s ansible-core/%s' % (COLLECTION_VERSION, ANSIBLE_VERSION)
D = CONNECTION_DEFAULTS


class ExotelClient(object):
    """A session against one Exotel account: ``trunk`` and ``exophones``, over one transport and retry policy."""

    def __init__(self, account_sid, api_key, api_token, region=D['region'], api_url=None, timeout=D['timeout'],
                 validate_certs=D['validate_certs'], retries=D['retries'], max_retry_wait=D['max_retry_wait'],
                 rate_limit=D['rate_limit'], sleep=None, clock=None, session=None, ca_path=None,
                 exophone_rate_limit=D['exophone_rate_limit']):
        self.account_sid = account_sid
        self.region = region
        sleep = sleep or _sleep
        clock = clock or _clock
        base_url = (api_url or REGION_URLS[region]).rstrip('/')
        region_note = ' (region %s)' % region if base_url == REGION_URLS.get(region) else ''
        self.retrier = Retrier(retries, max_retry_wait, sleep, clock)
        self.transport = Transport(base_url, api_key, api_token, self.retrier, USER_AGENT, timeout,
                                   ca_path if (validate_certs and ca_path) else bool(validate_certs),
                                   target=base_url + region_note, session=session)
        self.trunk = TrunkApi(self.transport, account_sid, rate_limit, sleep, clock)
        self.exophones = ExophoneApi(self.transport, account_sid, exophone_rate_limit, sleep, clock)
        # The Voice API's documented limit is the trunk API's: 200 requests a minute (its own pacer, same figure).
        self.calls = CallsApi(self.transport, account_sid, rate_limit, sleep, clock)

    @property
    def stats(self):
        """Counts of what happened (requests, retries, seconds waited), for callers that report them."""
        return self.retrier.stats

    def redact(self, text):
        return self.transport.redact(text)


def client_from_params(params, sleep=None):
    """The client of a module's (or an event source's) connection options, once checked
    (``_options.validate_options``)."""
    return ExotelClient(
        account_sid=params['account_sid'], api_key=params['api_key'], api_token=params['api_token'],
        region=params['region'], api_url=params.get('api_url'), timeout=params['timeout'],
        validate_certs=params['validate_certs'], retries=params['retries'],
        max_retry_wait=params['max_retry_wait'], rate_limit=params['rate_limit'], sleep=sleep,
        ca_path=params.get('ca_path'), exophone_rate_limit=params['exophone_rate_limit'])


def _clock():
    """The real clock of waits and pacing; tests replace it with one that only moves when they sleep."""
    return time.monotonic()


def _sleep(seconds_):
    """The real wait between retries; tests replace it (no test ever sleeps)."""
    time.sleep(seconds_)

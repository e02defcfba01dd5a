# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Shared fixtures: Exotel envelopes, a transport-level HTTP mock and a module runner."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import contextlib
import json

import pytest
import responses

from ansible.module_utils import basic
from ansible.module_utils.common import warnings as warnings_module

from ansible_collections.exotel.trunking.plugins.module_utils import _client

try:
    from ansible.module_utils.testing import patch_module_args
except ImportError:  # ansible-core < 2.19
    from unittest import mock

    @contextlib.contextmanager
    def patch_module_args(args):
        with mock.patch.object(basic, '_ANSIBLE_ARGS', json.dumps({'ANSIBLE_MODULE_ARGS': args}).encode('utf-8')):
            yield


@pytest.fixture(autouse=True)
def fresh_warnings():
    """AnsibleModule keeps warnings in a process-wide store: start every test with none."""
    store = warnings_module._global_warnings
    store.clear()
    yield
    store.clear()


@pytest.fixture
def http():
    """HTTP mocked at the transport; ``http.calls`` is the exact list of requests sent."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        yield rsps


@pytest.fixture(autouse=True)
def sleeps(monkeypatch):
    """Record the waits between retries instead of sleeping (no test ever sleeps); the client's clock
    moves only by those waits, so the wall-time budget of max_retry_wait sees them."""
    waited = []
    now = [1000.0]

    def sleep(seconds):
        waited.append(seconds)
        now[0] += seconds
    monkeypatch.setattr(_client, '_sleep', sleep)
    monkeypatch.setattr(_client, '_clock', lambda: now[0])
    return waited


class ModuleRun(object):
    def __init__(self, result, out):
        self.result = result
        self.out = out


@pytest.fixture
def run_module(capsys):
    """Run a module's main() with args, as Ansible would, and return its parsed JSON result."""
    def run(main, args, check_mode=False, diff=False):
        args = dict(args)
        if check_mode:
            args['_ansible_check_mode'] = True
        if diff:
            args['_ansible_diff'] = True
        with patch_module_args(args):
            with pytest.raises(SystemExit):
                main()
        captured = capsys.readouterr()
        result = json.loads(captured.out)
        # ansible-core up to 2.20 echoes the arguments as 'invocation'; 2.21 does not. Compare without it.
        result.pop('invocation', None)
        return ModuleRun(result, captured.out + captured.err)
    return run

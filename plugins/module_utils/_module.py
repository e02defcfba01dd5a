# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

# This module_utils file is internal to exotel.trunking: its name starts with "_" and its
# interface may change without notice. Do not import it from other collections.

"""The Ansible side of every module, and the only module_utils file that talks to ``AnsibleModule``: the
client built from the module's options, option errors (``_options.OptionError``) and ``ExotelError``
turned into ``fail_json``, and the runs of the write engine (``run``, ``run_bulk``) ending in
``exit_json``."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import contextlib
import re
from urllib.parse import urlsplit

from ansible.module_utils.basic import missing_required_lib

from ansible_collections.exotel.trunking.plugins.module_utils._client import client_from_params
from ansible_collections.exotel.trunking.plugins.module_utils._defaults import REGION_URLS
from ansible_collections.exotel.trunking.plugins.module_utils._engine import Refusal, StepError, ensure, single_result
from ansible_collections.exotel.trunking.plugins.module_utils._errors import ExotelError
from ansible_collections.exotel.trunking.plugins.module_utils._lock import LockError, hold
from ansible_collections.exotel.trunking.plugins.module_utils._bulk import BULK_WORKERS, bulk_failure, bulk_result
from ansible_collections.exotel.trunking.plugins.module_utils._options import OptionError, validate_options
from ansible_collections.exotel.trunking.plugins.module_utils._transport import REQUESTS_IMPORT_ERROR, requests

REQUESTS_FLOOR = (2, 32, 4)


def _version_tuple(text):
    return tuple(int(part) for part in re.findall(r'[0-9]+', str(text).split('+', 1)[0])[:3]) or (0,)


def _dotted(version):
    return '.'.join(str(part) for part in version)


@contextlib.contextmanager
def option_errors(module):
    """Fail the module cleanly on an ``OptionError`` raised inside (its secrets never shown)."""
    try:
        yield module.params
    except OptionError as exc:
        module.no_log_values.update(exc.secrets)
        module.fail_json(msg=exc.message)


def lock_from_module(module, name='lock_file'):
    """Hold the lock of option ``name`` for the rest of the module's run (not in check mode); fail cleanly."""
    path = module.params.get(name)
    if not path or module.check_mode:
        return None
    try:
        return hold(path)
    except LockError as exc:
        module.fail_json(msg=exc.message + ' Nothing was sent.')


def client_from_module(module, sleep=None):
    """Validate the connection options and build the client; fails the module cleanly on bad input."""
    if requests is None:
        module.fail_json(msg=missing_required_lib('requests'), exception=REQUESTS_IMPORT_ERROR)
    with option_errors(module):
        validate_options(module.params)
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
    return client_from_params(params, sleep)


def fail_from_error(module, error, msg=None, **result):
    """The one place an ExotelError becomes ``fail_json``: one message plus the structured keys."""
    details = error.details()
    details.update(result)
    details.setdefault('changed', False)
    module.fail_json(msg=msg or error.message, **details)


def converge(module, kind, wanted, state='present', purge=False, report=single_result, workers=1):
    """``ensure`` for a module: the Outcome (its warnings given to the module), or a clean failure."""
    try:
        outcome = ensure(kind, wanted, state, purge, module.check_mode, workers)
    except StepError as exc:
        fail_from_error(module, exc.error, msg=kind.step_failure(exc.step, exc.error),
                        **report(kind, exc.outcome, wanted, False))
    except Refusal as exc:
        if exc.error is not None:
            fail_from_error(module, exc.error, msg=exc.message)
        module.fail_json(msg=exc.message)
    except ExotelError as exc:
        fail_from_error(module, exc, msg=kind.read_failure(exc))
    for warning in outcome.warnings:
        module.warn(warning)
    return outcome


def run(module, kind, wanted, state='present', purge=False, report=single_result, finish=None):
    """Converge, then exit with ``report``'s result. ``finish(outcome, result)`` may add to the result."""
    outcome = converge(module, kind, wanted, state, purge, report)
    result = report(kind, outcome, wanted, module._diff)
    if finish is not None:
        finish(outcome, result)
    module.exit_json(**result)


def run_bulk(module, kind, wanted, state='present', purge=False, done='Changed', settled='as requested'):
    """Converge many numbers of one trunk with parallel writes, then exit; some writes failed: fail,
    saying exactly which numbers were ``done`` and which were not, and why (a re-run finishes)."""
    def report(kind, outcome, wanted, diff):
        return bulk_result(kind, outcome, wanted, diff, purge)
    outcome = converge(module, kind, wanted, state, purge, report=report, workers=BULK_WORKERS)
    result = report(kind, outcome, wanted, module._diff)
    if outcome.failed:
        module.fail_json(msg=bulk_failure(kind, outcome, result, done, settled), **result)
    module.exit_json(**result)

# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""A stateful local emulator of Exotel's dynamic SIP trunk API (v2), for tests and demos.

Standard library only. It answers every endpoint of docs/docsite/rst/api_reference.rst under
``/v2/accounts/{account_sid}`` with Exotel's envelopes, error catalogue, pagination, batch answers
and a per-account rate limit, and the ExoPhone API under ``/v2_beta/Accounts/{account_sid}``
(form-encoded bodies, bare JSON, ``RestException`` errors, a rate limit of its own). It has an
admin API under ``/_emulator/`` (state, reset, request log, config, fault injection).

This file is the entry point; the code lives in the package ``exotel_emu`` beside it (one module
a job, listed in ``exotel_emu/__init__.py``). Everything the single-file emulator offered is
re-exported here, so ``from exotel_emulator import Emulator`` keeps working.

Command line (see ``tests/emulator/README.md``)::

    python tests/emulator/exotel_emulator.py serve --port 0 [--fixture F] [--rate-limit 200] [--exophone-rate-limit 50] [--port-file F]
    python tests/emulator/exotel_emulator.py start --state-dir DIR [--port N] [--fixture F] [--rate-limit N]
    python tests/emulator/exotel_emulator.py stop --state-dir DIR

From Python (pytest)::

    with Emulator(rate_limit=0) as emu:
        requests.get(emu.url + '/_emulator/state')
"""

import sys

from exotel_emu.admin import CONFIG_TYPES
from exotel_emu.cli import build_parser, cmd_serve, cmd_start, cmd_stop, main
from exotel_emu.emulator import MAX_LOG_ENTRIES, Emulator
from exotel_emu.envelopes import Request, Response, batch, error_data, error_item, failure, new_request_id, ok_item, single
from exotel_emu.exceptions import ERRORS, ApiError, duplicate
from exotel_emu.faults import FAULT_KINDS, fault_response, reason_phrase
from exotel_emu.gateway import parse_basic
from exotel_emu.models import DEFAULT_FIXTURE, HERE, KEY_ORDER, SUB_RESOURCES, Store, expand_numbers, find_item, iso, load_fixture, public
from exotel_emu.ratelimit import DEFAULT_RATE_LIMIT, RATE_LIMIT_ERROR_CODE, RATE_WINDOW_SECONDS, RateLimiter
from exotel_emu.responses import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, Api
from exotel_emu.server import Handler, redact_body
from exotel_emu.urls import ACCOUNT_PATH_RE
from exotel_emu.validation import (DESTINATION_RE, E164_RE, FQDN_RE, MODES, NSO_CODE_RE, SAFE_TEXT_RE, SETTING_NAME_RE,
                                   TRUNK_NAME_RE, check_ip, check_mask, check_phone_number, field)

__all__ = [
    'ACCOUNT_PATH_RE', 'CONFIG_TYPES', 'DEFAULT_FIXTURE', 'DEFAULT_PAGE_SIZE', 'DEFAULT_RATE_LIMIT', 'DESTINATION_RE',
    'E164_RE', 'ERRORS', 'FAULT_KINDS', 'FQDN_RE', 'HERE', 'KEY_ORDER', 'MAX_LOG_ENTRIES', 'MAX_PAGE_SIZE', 'MODES',
    'NSO_CODE_RE', 'RATE_LIMIT_ERROR_CODE', 'RATE_WINDOW_SECONDS', 'SAFE_TEXT_RE', 'SETTING_NAME_RE', 'SUB_RESOURCES',
    'TRUNK_NAME_RE', 'Api', 'ApiError', 'Emulator', 'Handler', 'RateLimiter', 'Request', 'Response', 'Store', 'batch',
    'build_parser', 'check_ip', 'check_mask', 'check_phone_number', 'cmd_serve', 'cmd_start', 'cmd_stop', 'duplicate',
    'error_data', 'error_item', 'expand_numbers', 'failure', 'fault_response', 'field', 'find_item', 'iso',
    'load_fixture', 'main', 'new_request_id', 'ok_item', 'parse_basic', 'public', 'reason_phrase', 'redact_body', 'single',
]

if __name__ == '__main__':
    sys.exit(main())

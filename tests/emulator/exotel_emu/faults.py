# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Fault injection: the rules (``/_emulator/faults``), which rule fires, and the answers some kinds give.

The kinds are described in tests/emulator/README.md ("Fault rules"). ``drop`` and ``lost_answer``
close the connection, which only the HTTP layer can do (server.Handler); ``ignore_change`` is
carried out by gateway.call_api (beta.call_beta_api for the ExoPhone API). On ``/v2_beta/`` paths the answers
are the ExoPhone API's (``RestException`` bodies, bare JSON), on ``/v1/`` paths the Calls API's (``RestException``
bodies with ``Status`` and ``Message`` only, unless the rule gives an ``error_code``).
"""

import copy
import json
import re
from http import HTTPStatus

from .envelopes import Response, envelope, failure_answer, ok_item
from .exceptions import RestError

FAULT_KINDS = ('status', 'latency', 'drop', 'lost_answer', 'malformed', 'ignore_change', 'redirect', 'failure_body_200')
# The kinds whose answer replaces the API's answer (fault_response).
ANSWERING_KINDS = ('status', 'malformed', 'redirect', 'failure_body_200')
# The kinds that close the connection instead of answering: drop before the API runs, lost_answer after.
CLOSING_KINDS = ('drop', 'lost_answer')

HTML_PAGE = ('<html><head><title>%(status)d %(phrase)s</title></head><body><center><h1>%(status)d %(phrase)s</h1></center>'
             '<hr><center>nginx</center></body></html>\n')


def normalise_faults(value):
    """A list of fault rules from one rule, a list of rules or ``{"faults": [...]}``; ValueError if invalid."""
    rules = value.get('faults', value) if isinstance(value, dict) else value
    if isinstance(rules, dict):
        rules = [rules]
    if not isinstance(rules, list):
        raise ValueError('faults must be a rule, a list of rules or {"faults": [...]}')
    result = []
    for rule in rules:
        if not isinstance(rule, dict) or rule.get('kind') not in FAULT_KINDS:
            raise ValueError('each fault needs a kind, one of %s' % ', '.join(FAULT_KINDS))
        rule = dict(rule)
        match = rule.get('match') or {}
        if not isinstance(match, dict):
            raise ValueError('match must be an object with method and/or path_regex')
        if match.get('path_regex'):
            re.compile(match['path_regex'])
        rule['match'] = match
        rule['count'] = int(rule.get('count', 1))
        rule.setdefault('hits', 0)
        result.append(rule)
    return result


def take_fault(rules, method, path):
    """A copy of the first rule of ``rules`` that matches and still has uses left (one use is spent), or None."""
    for rule in rules:
        if rule['count'] <= 0:
            continue
        match = rule['match']
        if match.get('method') and match['method'].upper() != method:
            continue
        if match.get('path_regex') and not re.search(match['path_regex'], path):
            continue
        rule['count'] -= 1
        rule['hits'] += 1
        return copy.deepcopy(rule)
    return None


def reason_phrase(status):
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return 'Error'


def status_or_code(rule, kind):
    """The status a ``status`` rule answers with, or the body code of a ``failure_body_200`` rule."""
    return int(rule.get('status', 503)) if kind == 'status' else int(rule.get('code', 500))


def fault_response(rule, method, full_path):
    """The answer of a rule of one of ANSWERING_KINDS (nothing is written)."""
    kind = rule['kind']
    headers = dict(rule.get('headers') or {})
    # The ExoPhone and Calls APIs answer bare JSON and RestException bodies instead of envelopes.
    v1 = full_path.startswith('/v1/')
    beta = v1 or full_path.startswith('/v2_beta/')
    rest_code = rule.get('error_code', None if v1 else status_or_code(rule, kind))
    if kind == 'status':
        status = int(rule.get('status', 503))
        if rule.get('retry_after') is not None:
            headers['Retry-After'] = str(rule['retry_after'])
        body = rule.get('body', 'json')
        phrase = reason_phrase(status)
        if body == 'html':
            html = HTML_PAGE % {'status': status, 'phrase': phrase}
            return Response(status, raw=html.encode('utf-8'), headers=headers, content_type='text/html')
        if body == 'empty':
            return Response(status, headers=headers)
        if beta:
            return Response(status, RestError(status, rest_code, rule.get('description', phrase)).body(), headers=headers)
        return failure_answer(method, status, status, int(rule.get('error_code', status)), phrase,
                              rule.get('description', phrase), headers=headers)
    if kind == 'malformed':
        text = json.dumps({'sid': '0', 'phone_number': '+910000000000'} if beta else envelope(method, 200, ok_item({'id': '0'})))
        return Response(200, raw=text[:len(text) // 2].encode('utf-8'), headers=headers)
    if kind == 'redirect':
        headers['Location'] = rule.get('location') or full_path
        return Response(int(rule.get('status', 302)), headers=headers)
    code = int(rule.get('code', 500))
    phrase = reason_phrase(code)
    if beta:
        return Response(200, RestError(code, rest_code, rule.get('message', phrase)).body(), headers=headers)
    return failure_answer(method, 200, code, int(rule.get('error_code', code)), rule.get('message', phrase),
                          rule.get('description', phrase), headers=headers)

# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

# This module_utils file is internal to exotel.trunking: its name starts with "_" and its
# interface may change without notice. Do not import it from other collections.

"""Phone-number mappings of a trunk: find one, compare its mode, switch it.

Shared by every module that touches a mapping, so the rules (null mode is pstn, verify the
answer, re-read after a lost answer) live in one place.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.exotel.trunking.plugins.module_utils._exotel import ExotelError


def effective_mode(mode):
    """Exotel's documented rule: a mapping without a mode (null) routes like ``pstn``."""
    if mode is None or (isinstance(mode, str) and not mode.strip()):
        return 'pstn'
    return str(mode).strip().lower()


def numbers_path(client, trunk_sid, *more):
    return client.account_path('trunks', trunk_sid, 'phone-numbers', *more)


def find_mapping(client, trunk_sid, phone_number=None, number_id=None):
    """The mapping on ``trunk_sid`` with ``number_id`` (if given) else with ``phone_number``; None if absent.

    Walks the trunk's list page by page and stops at the first match.
    """
    for mapping in client.iter_list(numbers_path(client, trunk_sid)):
        if number_id is not None:
            if str(mapping.get('id')) == number_id:
                return mapping
        elif mapping.get('phone_number') == phone_number:
            return mapping
    return None


def put_mode(client, trunk_sid, mapping, mode):
    """Switch ``mapping`` to ``mode`` and return the mapping as it is afterwards.

    Succeeds only when Exotel's answer, or a re-read after an answer that was lost or
    unclear, shows the requested mode. Raises ExotelError otherwise: then nothing is claimed.
    Returns ``(mapping_after, warning_or_None)``.
    """
    path = numbers_path(client, trunk_sid, mapping['id'])
    body = {'phone_number': mapping['phone_number'], 'mode': mode}
    try:
        data = client.get_object('PUT', path, body=body)
    except ExotelError as exc:
        if not exc.retryable:
            raise
        return _verify(client, trunk_sid, mapping, mode, exc), (
            'Exotel did not confirm the update (%s); a re-read shows the mapping now has mode %s.' % (exc.message, mode))
    if isinstance(data, dict) and effective_mode(data.get('mode')) == mode and data.get('mode') is not None:
        after = dict(mapping)
        after.update(data)
        return after, None
    problem = ExotelError(
        'Exotel answered PUT %s with success, but the mapping it returned has mode %r instead of %r.' % (
            path, data.get('mode') if isinstance(data, dict) else data, mode),
        method='PUT', path=path, retryable=True)
    return _verify(client, trunk_sid, mapping, mode, problem), (
        'Exotel\'s answer to the update did not show the new mode; a re-read shows the mapping now has mode %s.' % mode)


def _verify(client, trunk_sid, mapping, mode, error):
    """Re-read the mapping after an unclear answer; return it if it has ``mode``, else raise ``error``."""
    try:
        current = find_mapping(client, trunk_sid, number_id=str(mapping['id']))
    except ExotelError:
        raise error
    if current is not None and effective_mode(current.get('mode')) == mode and current.get('mode') is not None:
        return current
    error.message += ' A re-read shows the mapping still has mode %r: nothing was changed.' % (
        current.get('mode') if current else None)
    error.args = (error.message,)
    raise error

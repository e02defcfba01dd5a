# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

# This module_utils file is internal to exotel.trunking: its name starts with "_" and its
# interface may change without notice. Do not import it from other collections.

"""A whole account read once, in the shapes the collection takes as input (exotel_account_info).

- ``read_account``: the trunks (all, or those named) as ``sip_trunk_definition`` values of the
  ``sip_trunk`` role, and the ExoPhones as the options of ``exotel_exophone``, each list read once,
  page after page, and nothing else;
- every list is sorted by its natural key and every entry has its keys in one order, so that two
  reads of an unchanged account give equal results (the export playbook writes them byte for byte);
- a value Exotel does not give (a credential's password) or that is not set (a mapping without a
  mode, a credential without a friendly name) is left out, never invented.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import ipaddress

from ansible_collections.exotel.trunking.plugins.module_utils._answers import to_int
from ansible_collections.exotel.trunking.plugins.module_utils._exophones import e164, iter_exophones
from ansible_collections.exotel.trunking.plugins.module_utils._mapping import iter_mappings
from ansible_collections.exotel.trunking.plugins.module_utils._options import MODES
from ansible_collections.exotel.trunking.plugins.module_utils._trunks import Trunks

# The parts of a trunk, in the order of the sip_trunk role's options, and the list each is read from.
SECTIONS = ('numbers', 'acl', 'destinations', 'credentials', 'alias')
SEGMENTS = {'acl': 'whitelisted-ips', 'destinations': 'destination-uris', 'credentials': 'credentials',
            'alias': 'settings'}
ALIAS_SETTING = 'trunk_external_alias'


class UnknownTrunks(ValueError):
    """Trunk names asked for that the account does not have."""

    def __init__(self, names, known):
        super(UnknownTrunks, self).__init__(', '.join(names))
        self.names = names
        self.known = known


def _drop_none(pairs):
    """A dict of ``pairs`` (in order) without the ones whose value is None."""
    return dict((k, v) for k, v in pairs if v is not None)


def _sub_list(client, trunk_sid, section):
    return list(client.trunk.iter_list(client.trunk.path('trunks', trunk_sid, SEGMENTS[section])))


def _bare(destination):
    value = destination or ''
    return value[4:] if value[:4].lower() == 'sip:' else value


def _ip_key(entry):
    try:
        return (0, int(ipaddress.IPv4Address(u'%s' % entry['ip'])), '')
    except ValueError:
        return (1, 0, str(entry['ip']))


def numbers_of(mappings, warnings, trunk_name):
    out = []
    for mapping in mappings:
        mode = mapping.get('mode')
        mode = mode.strip().lower() if isinstance(mode, str) and mode.strip() else None
        if mode is not None and mode not in MODES:
            warnings.append('Trunk %s: number %s has mode %r, which the collection does not set; it is exported '
                            'without a mode.' % (trunk_name, mapping.get('phone_number'), mapping.get('mode')))
            mode = None
        out.append(_drop_none((('phone_number', mapping.get('phone_number')), ('mode', mode))))
    return sorted(out, key=lambda n: str(n.get('phone_number')))


def acl_of(entries):
    out = [dict(ip=e.get('ip'), mask=to_int(e.get('mask')) or 32) for e in entries]
    return sorted(out, key=_ip_key)


def destinations_of(entries, warnings, trunk_name):
    out, seen = [], set()
    for entry in entries:
        value = _bare(entry.get('destination'))
        if value.lower() in seen:
            warnings.append('Trunk %s lists destination %s more than once; it is exported once.' % (trunk_name, value))
            continue
        seen.add(value.lower())
        out.append(_drop_none((('destination', value), ('priority', to_int(entry.get('priority'))),
                               ('weight', to_int(entry.get('weight'))))))
    return sorted(out, key=lambda d: (d.get('priority') or 0, d['destination'].lower()))


def credentials_of(entries):
    out = [_drop_none((('user_name', e.get('user_name')), ('friendly_name', e.get('friendly_name') or None)))
           for e in entries]
    return sorted(out, key=lambda c: str(c.get('user_name')))


def alias_of(settings):
    for setting in settings:
        if setting.get('name') == ALIAS_SETTING and setting.get('value'):
            return setting['value']
    return None


def trunk_definition(client, trunk, sections, warnings):
    """The ``sip_trunk_definition`` of ``trunk`` (as Exotel lists it): one read of each list of ``sections``."""
    sid, name = trunk.get('trunk_sid'), trunk.get('trunk_name')
    definition = [('name', name), ('nso_code', trunk.get('nso_code') or None)]
    if 'numbers' in sections:
        definition.append(('numbers', numbers_of(iter_mappings(client, sid), warnings, name)))
    if 'acl' in sections:
        definition.append(('acl', acl_of(_sub_list(client, sid, 'acl'))))
    if 'destinations' in sections:
        definition.append(('destinations', destinations_of(_sub_list(client, sid, 'destinations'), warnings, name)))
    if 'credentials' in sections:
        definition.append(('credentials', credentials_of(_sub_list(client, sid, 'credentials'))))
    if 'alias' in sections:
        definition.append(('alias', alias_of(_sub_list(client, sid, 'alias'))))
    return _drop_none(definition)


def flow_options(item, url_field, id_field, option):
    """``<option>`` (the flow's app id) when the URL has one, else the URL as ``<url_field>``, else nothing."""
    if item.get(id_field):
        return [(option, item[id_field])]
    if item.get(url_field):
        return [(url_field, item[url_field])]
    return []


def exophone_options(item):
    """The options of exotel_exophone that give the ExoPhone ``item`` (as ``_exophones.exophone`` reads it)."""
    pairs = [('phone_number', e164(item)), ('friendly_name', item.get('friendly_name') or None)]
    pairs += flow_options(item, 'voice_url', 'app_id', 'voice_app_id')
    pairs += flow_options(item, 'sms_url', 'sms_app_id', 'sms_app_id')
    return _drop_none(pairs)


def exophones_of(client, warnings):
    out = []
    for item in iter_exophones(client):
        if e164(item) is None:
            warnings.append('ExoPhone %s is not exported: its number %r is not in E.164 form, which exotel_exophone '
                            'needs.' % (item.get('sid'), item.get('phone_number')))
            continue
        out.append(exophone_options(item))
    return sorted(out, key=lambda e: e['phone_number'])


def read_account(client, trunk_names=None, sections=SECTIONS, exophones=True):
    """The account as input: ``{'trunks': [...], 'exophones': [...]}`` (``exophones`` only when asked for),
    and the warnings of the read. Raises ``UnknownTrunks`` (after the one read of the trunk list) when a
    name in ``trunk_names`` is not a trunk of the account, and ExotelError."""
    warnings = []
    trunks = sorted(Trunks(client).read(), key=lambda t: str(t.get('trunk_name')))
    if trunk_names is not None:
        known = [t.get('trunk_name') for t in trunks]
        unknown = [n for n in trunk_names if n not in known]
        if unknown:
            raise UnknownTrunks(unknown, known)
        trunks = [t for t in trunks if t.get('trunk_name') in trunk_names]
    result = {'trunks': [trunk_definition(client, t, sections, warnings) for t in trunks]}
    if exophones:
        result['exophones'] = exophones_of(client, warnings)
    return result, warnings

# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

# This module_utils file is internal to exotel.trunking: its name starts with "_" and its
# interface may change without notice. Do not import it from other collections.

"""The bulk form of exotel_exophone (option ``exophones``): the voice flows of many ExoPhones in one task.

One walk of the account's list, then one ``PUT`` for each ExoPhone whose flow (compared by app id)
differs, one after the other under the ExoPhone API's pacing (``exophone_rate_limit``), with the
engine's safe writes (``_resource.py``). The first write that fails stops the task; its result names
the ExoPhones already written (``changed_numbers``), so the caller can finish or put them back.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import re

from ansible.module_utils.six.moves.urllib.parse import urlsplit

from ansible_collections.exotel.trunking.plugins.module_utils._exophones import ExoPhones, app_id_of, flow_url
from ansible_collections.exotel.trunking.plugins.module_utils._options import (
    APP_ID_FORM, DIGITS_RE, E164_RE, EXOPHONE_SID_FORM, FLOW_URL_FORM, PHONE_FORM, SID_RE, OptionError)

# The suboptions of ``exophones``.
FLOW_ENTRY_OPTIONS = dict(
    sid=dict(type='str'),
    phone_number=dict(type='str'),
    voice_app_id=dict(type='raw'),
    voice_url=dict(type='str'),
)
FLOW_ENTRY_RULES = dict(required_one_of=[('sid', 'phone_number'), ('voice_app_id', 'voice_url')],
                        mutually_exclusive=[('voice_app_id', 'voice_url')])


class FlowExoPhones(ExoPhones):
    """ExoPhones found in one walk of the account's list; a missing one is refused, never bought."""

    def current(self, wanted):
        return self.read()

    def missing(self, want):
        return 'There is no ExoPhone %s in account %s.' % (want.get('sid') or want['phone_number'], self.client.account_sid)


def _valid_url(value):
    parts = urlsplit(value)
    return parts.scheme in ('http', 'https') and bool(parts.hostname) and not parts.username and not re.search(r'\s', value)


def flow_entries(params, client):
    """The wanted entries of ``exophones``; raises OptionError naming each entry that is not in the expected form."""
    wanted, problems = [], []
    for index, entry in enumerate(params['exophones']):
        label = 'exophones[%d]' % index
        sid, number, app_id, url = entry['sid'], entry['phone_number'], entry['voice_app_id'], entry['voice_url']
        if isinstance(app_id, int) and not isinstance(app_id, bool):
            app_id = str(app_id)
        if sid is not None and not SID_RE.match(sid):
            problems.append('%s.sid must be %s; got %r.' % (label, EXOPHONE_SID_FORM, sid))
        if number is not None and not E164_RE.match(number):
            problems.append('%s.phone_number must be %s; got %r.' % (label, PHONE_FORM, number))
        if app_id is not None and not (isinstance(app_id, str) and DIGITS_RE.match(app_id)):
            problems.append('%s.voice_app_id must be %s; got %r.' % (label, APP_ID_FORM, app_id))
        if url is not None and not _valid_url(url):
            problems.append('%s.voice_url must be %s.' % (label, FLOW_URL_FORM))
        voice_url, want_app = (flow_url(client, app_id), app_id) if app_id is not None else (url, app_id_of(url))
        wanted.append(dict(sid=sid, phone_number=number, friendly_name=None, voice_url=voice_url, app_id=want_app,
                           sms_url=None, sms_app_id=None))
    if params['state'] != 'present' or params['allow_purchase']:
        problems.append('exophones sets the voice flows of ExoPhones the account has: use it with state=present and '
                        'without allow_purchase.')
    if problems:
        raise OptionError(' '.join(problems) + ' Nothing was sent.')
    return wanted


def flows_result(kind, outcome, wanted, diff):
    """The ExoPhones of ``exophones`` after the run, in the order given, and the numbers written."""
    items = [outcome.item_for(kind, want) or {} for want in wanted]
    written = set(kind.key(item) for item, dummy in outcome.updated)
    out = {'changed': outcome.changed, 'exophones': items,
           'changed_numbers': [item['phone_number'] for item in items if item and kind.key(item) in written]}
    if diff:
        before = [kind.matches(outcome.before, want) for want in wanted]
        out['diff'] = dict(before={'exophones': dict((i[0]['phone_number'], i[0]['voice_url']) for i in before if i)},
                           after={'exophones': dict((i['phone_number'], i['voice_url']) for i in items if i)})
    return out


def flow_kind(client):
    """The ExoPhones whose voice flows ``exophones`` sets: never bought, never released."""
    return FlowExoPhones(client, state='present', allow_purchase=False, allow_release=False, release_mapped=False,
                         country=None, number_type=None)

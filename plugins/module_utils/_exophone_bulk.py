# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

# This module_utils file is internal to exotel.trunking: its name starts with "_" and its
# interface may change without notice. Do not import it from other collections.

"""The bulk form of exotel_exophone (``exophones``): many ExoPhones of the account with one read of its list.

- ``check_entries``: every entry checked with the same checks as the single form, each problem named
  ``exophones[i].<option>``, before any request;
- ``BulkExoPhones``: the ``ExoPhones`` kind that reads the whole list once, finds each number in an
  index (not a walk per number), and never buys or releases (state present only);
- ``bulk_report``: the module result (the listed ExoPhones, the numbers changed, a diff of only those).
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.exotel.trunking.plugins.module_utils._exophones import ExoPhones, digits, same_number
from ansible_collections.exotel.trunking.plugins.module_utils._options import OptionError, check_exophone_options

# The options of one ExoPhone: each entry's, and the task's own single form (which exophones replaces).
ENTRY_OPTIONS = ('phone_number', 'sid', 'friendly_name', 'voice_app_id', 'voice_url', 'sms_app_id', 'sms_url')


def check_entries(params):
    """The ``exophones`` option, checked entry by entry before any request; returns the checked entries. Raises
    OptionError naming the entry (``exophones[3].voice_app_id ...``)."""
    used = [o for o in ENTRY_OPTIONS if params.get(o) is not None]
    if used:
        raise OptionError('exophones cannot be used with %s: give each ExoPhone\'s options in its entry.' % ', '.join(used))
    for option in ('allow_purchase', 'allow_release', 'release_mapped'):
        if params[option]:
            raise OptionError('exophones cannot be used with %s: the bulk form never buys or releases a number.' % option)
    if params['state'] != 'present':
        raise OptionError('exophones requires state=present: the bulk form never releases a number.')
    checked, seen = [], {}
    for index, entry in enumerate(params['exophones']):
        label = 'exophones[%d]' % index
        view = dict((k, entry.get(k)) for k in ENTRY_OPTIONS)
        view.update(country=None)
        if view['phone_number'] is None and view['sid'] is None:
            raise OptionError('%s needs phone_number or sid.' % label)
        try:
            check_exophone_options(view)
        except OptionError as exc:
            raise OptionError('%s.%s' % (label, exc.message), exc.secrets)
        for pair in (('voice_app_id', 'voice_url'), ('sms_app_id', 'sms_url')):
            if all(view[o] is not None for o in pair):
                raise OptionError('%s: %s and %s are mutually exclusive; give one.' % (label, pair[0], pair[1]))
        key = view['phone_number'] or view['sid']
        if key in seen:
            raise OptionError('%s.%s %s is listed more than once (also %s).' % (
                label, 'phone_number' if view['phone_number'] else 'sid', key, seen[key]))
        seen[key] = label
        checked.append(view)
    return checked


class BulkExoPhones(ExoPhones):
    """ExoPhones many at once: one walk of the list, an index by number, updates only."""

    def __init__(self, client):
        super(BulkExoPhones, self).__init__(client, state='present', allow_purchase=False, allow_release=False,
                                            release_mapped=False, country=None, number_type=None)
        self._index = (None, None)

    def current(self, wanted):
        return self.read()

    def matches(self, items, want):
        if want.get('sid'):
            return [i for i in items if i.get('sid') == want['sid']][:1]
        stamp = (id(items), len(items))
        if self._index[0] != stamp:
            index = {}
            for item in items:
                index.setdefault(digits(item.get('phone_number')), []).append(item)
            self._index = (stamp, index)
        found = self._index[1].get(digits(want['phone_number']))
        if found:
            return found[:1]
        # Exotel may write a number nationally (a leading 0): the slower comparison, for numbers not indexed only.
        return [i for i in items if same_number(i.get('phone_number'), want['phone_number'])][:1]

    def missing(self, want):
        if want.get('sid') and not want.get('phone_number'):
            return 'There is no ExoPhone with sid %s in account %s.' % (want['sid'], self.client.account_sid)
        return ('Phone number %s is not an ExoPhone of account %s: the exophones form never buys a number (use '
                'phone_number with allow_purchase=true for that).' % (want['phone_number'], self.client.account_sid))


def bulk_report(kind, outcome, wanted, diff):
    """The result of the bulk form: the listed ExoPhones after the run, the numbers changed, the diff of those."""
    items = [outcome.item_for(kind, want) or {} for want in wanted]
    changed = [item.get('phone_number') for item, dummy in outcome.updated]
    result = dict(changed=outcome.changed, exophones=items, changed_numbers=changed)
    if diff:
        sids = set(after.get('sid') for after, dummy in outcome.updated)
        before = dict((kind.label(i), kind.view(i)) for i in outcome.before if i.get('sid') in sids)
        result['diff'] = dict(before=dict(exophones=before),
                              after=dict(exophones=dict((kind.label(i), kind.view(i)) for i, dummy in outcome.updated)))
    return result

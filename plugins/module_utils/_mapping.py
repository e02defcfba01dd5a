# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

# This module_utils file is internal to exotel.trunking: its name starts with "_" and its
# interface may change without notice. Do not import it from other collections.

"""Phone-number mappings of a trunk: find one, compare its mode, switch it.

Shared by every module that touches a mapping, so the rules (null mode is pstn, one-request
lookup with a list fallback, verify the answer, re-read after a lost answer) live in one place.
``Mappings`` (exotel_trunk_number) and ``ModeSwitch`` (exotel_number_mode) are their ``Kind``s for
the write engine.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.exotel.trunking.plugins.module_utils._envelopes import item_data
from ansible_collections.exotel.trunking.plugins.module_utils._errors import ExotelError
from ansible_collections.exotel.trunking.plugins.module_utils._options import DIGITS_RE
from ansible_collections.exotel.trunking.plugins.module_utils._client import LIST_PAGE_SIZE
from ansible_collections.exotel.trunking.plugins.module_utils._kind import Kind
from ansible_collections.exotel.trunking.plugins.module_utils._retries import settle
from ansible_collections.exotel.trunking.plugins.module_utils._resource import Refusal, converge


def effective_mode(mode):
    """Exotel's documented rule: a mapping without a mode (null) routes like ``pstn``."""
    if mode is None or (isinstance(mode, str) and not mode.strip()):
        return 'pstn'
    return str(mode).strip().lower()


def numbers_path(client, trunk_sid, *more):
    return client.account_path('trunks', trunk_sid, 'phone-numbers', *more)


def iter_mappings(client, trunk_sid):
    """Every mapping of the trunk, page after page (largest page size the client asks for)."""
    return client.iter_list(numbers_path(client, trunk_sid))


class NotMapped(list):
    """An empty lookup result that came from Exotel's "Not Found" answer, kept in ``error``."""

    def __init__(self, error=None):
        super(NotMapped, self).__init__()
        self.error = error


def lookup(client, phone_number, trunk_sid=None, strict=False):
    """Mappings of ``phone_number`` from the one-request lookup ``GET /trunk-maps?exophone=[&trunk_sid=]``.

    Exotel documents a flat answer ``{exophone, trunk_sid, phone_number_id, mode}``; an envelope
    around it (single or list) is accepted too. Each mapping found is returned as ``id``,
    ``phone_number``, ``trunk_sid``, ``mode`` (whatever trunk the answer names).

    Returns ``[]`` when the answer says the number is mapped nowhere (on ``trunk_sid``): Exotel's
    "Not Found" error (HTTP 404 with an error envelope), or a success with no data. The lookup is
    trusted then: no list is walked.

    Lenient (default): returns None when the lookup is unavailable (an HTTP error other than
    Exotel's 404, an HTML page) or answers in a shape we do not understand, so that the caller can
    walk the trunk's list instead. Final, also when lenient: an authentication failure, throttling
    beyond the retries, and a host that cannot be reached (a list walk would fare no better).
    Strict: a 404 means "mapped nowhere" (``[]``); other failures and answers that are not
    understood raise ExotelError.
    """
    path = client.account_path('trunk-maps')
    query = {'exophone': phone_number}
    if trunk_sid is not None:
        query['trunk_sid'] = trunk_sid
    try:
        payload = client.request('GET', path, query=query)
    except ExotelError as exc:
        if exc.http_status in (401, 429) or exc.error_code == 1010 or exc.unreachable:
            raise   # bad credentials, throttled beyond max_retry_wait, or no answer at all
        if exc.http_status == 404 and (strict or exc.error_code is not None):
            return NotMapped(exc)
        if strict:
            raise
        return None
    if _says_nothing(payload):
        return []
    found = []
    for candidate in _lookup_candidates(payload):
        phone = candidate.get('exophone', candidate.get('phone_number'))
        number_id = candidate.get('phone_number_id', candidate.get('id'))
        sid = candidate.get('trunk_sid')
        if phone == phone_number and isinstance(sid, str) and 'mode' in candidate and number_id is not None \
                and DIGITS_RE.match(str(number_id)):
            found.append({'id': str(number_id), 'phone_number': phone, 'trunk_sid': sid, 'mode': candidate['mode']})
    if found or not strict:
        return found or None
    raise ExotelError('Exotel answered GET %s?exophone=%s with a lookup result that is not understood (expected '
                      'exophone, trunk_sid, phone_number_id and mode for %s).' % (path, phone_number, phone_number),
                      method='GET', path=path, request_id=payload.get('request_id'))


def _says_nothing(payload):
    """A successful lookup answer that holds no mapping at all: ``response: []`` or ``data: null``."""
    if 'response' not in payload:
        return False
    resp = payload['response']
    if resp is None or resp == []:
        return True
    return isinstance(resp, dict) and 'data' in resp and resp['data'] in (None, [])


def _lookup_candidates(payload):
    resp = payload.get('response', payload)
    if isinstance(resp, list):
        return [d for d in (item_data(i) for i in resp) if isinstance(d, dict)]
    if isinstance(resp, dict):
        data = resp.get('data', resp)
        if isinstance(data, list):
            return [d for d in data if isinstance(d, dict)]
        return [data] if isinstance(data, dict) else []
    return []


def find_mapping(client, trunk_sid, phone_number=None, number_id=None):
    """The mapping on ``trunk_sid`` with ``number_id`` (if given) else with ``phone_number``; None if absent.

    Asks the one-request lookup by phone number first and trusts it when it says the number is not
    on the trunk. Walks the trunk's list (stopping at the first match) only when the lookup is
    unavailable or its answer does not settle the question (another trunk or another mapping id
    than asked for: a server may ignore the trunk filter).
    """
    if phone_number is not None:
        found = lookup(client, phone_number, trunk_sid)
        if found == []:
            return None
        for mapping in found or []:
            if mapping['trunk_sid'] == trunk_sid and (number_id is None or mapping['id'] == number_id):
                return mapping
    for mapping in iter_mappings(client, trunk_sid):
        if number_id is not None:
            if str(mapping.get('id')) == number_id:
                return mapping
        elif mapping.get('phone_number') == phone_number:
            return mapping
    return None


def where_mapped(client, phone_number):
    """What the lookup without a trunk filter says of ``phone_number``: a list of mappings (a
    :class:`NotMapped` after Exotel's "Not Found"), or None when that is not known. For error
    messages only: never raises.
    """
    try:
        return lookup(client, phone_number)
    except ExotelError:
        return None


def mapping_problem(mapping, trunk_sid, phone_number, number_id, elsewhere=None):
    """Why ``mapping`` (as found) cannot be used for this request, or None when it can.

    ``elsewhere``: the trunks the number is mapped to according to :func:`where_mapped` (None when
    not known), to say where the number is when it is not on ``trunk_sid``.
    """
    if mapping is None:
        others = [t for t in elsewhere or [] if t != trunk_sid]
        if others:
            return ('Phone number %s is not mapped to trunk %s: it is mapped to trunk %s. Check trunk_sid, or '
                    'unmap it there and map it to %s first.' % (phone_number, trunk_sid, ', '.join(others), trunk_sid))
        if number_id is not None and elsewhere is None:
            return 'No mapping with number_id %s is on trunk %s. Omit number_id to find %s by phone number.' % (
                number_id, trunk_sid, phone_number)
        where = ''
        if elsewhere == []:
            where = ' The number lookup finds it on no trunk of the account.'
        return 'Phone number %s is not mapped to trunk %s. Map it to the trunk first.%s' % (
            phone_number, trunk_sid, where)
    if mapping.get('phone_number') != phone_number:
        return ('Mapping %s on trunk %s is for phone number %s, not %s: check number_id and phone_number. '
                'Nothing was changed.' % (number_id, trunk_sid, mapping.get('phone_number'), phone_number))
    return None


def put_mode(client, trunk_sid, mapping, mode):
    """Switch ``mapping`` to ``mode`` and return the mapping as it is afterwards.

    Succeeds only when Exotel's answer, or a re-read after an answer that was lost or unclear, shows
    the requested mode. When the re-read shows the old mode after a transient failure (a 5xx, a lost
    or malformed answer), the PUT is sent again within the ``retries`` budget (``_retries.settle``).
    Raises ExotelError otherwise: then nothing is claimed. Returns ``(mapping_after, warning_or_None)``.
    """
    path = numbers_path(client, trunk_sid, mapping['id'])
    body = {'phone_number': mapping['phone_number'], 'mode': mode}

    def reread(error):
        current = _reread(client, trunk_sid, mapping, error)
        if _has_mode(current, mode):
            return True, current
        return False, _still(current)

    data, error = settle(client, lambda: client.get_object('PUT', path, body=body), reread)
    if error is not None:
        return data, 'Exotel did not confirm the update (%s); a re-read shows the mapping now has mode %s.' % (
            error.message, mode)
    if _has_mode(data, mode):
        after = dict(mapping)
        after.update(data)
        return after, None
    # A success whose answer does not show the new mode: a re-read says what is there. Not sent again:
    # the server answered clearly, and would likely answer the same way.
    problem = ExotelError(
        'Exotel answered PUT %s with success, but the mapping it returned has mode %r instead of %r.' % (
            path, data.get('mode') if isinstance(data, dict) else data, mode),
        method='PUT', path=path, retryable=True)
    current = _reread(client, trunk_sid, mapping, problem)
    if not _has_mode(current, mode):
        raise problem.note(_still(current))
    return current, 'Exotel\'s answer to the update did not show the new mode; a re-read shows the mapping now has mode %s.' % mode


def _has_mode(mapping, mode):
    return isinstance(mapping, dict) and mapping.get('mode') is not None and effective_mode(mapping.get('mode')) == mode


def _still(current):
    return 'A re-read shows the mapping still has mode %r: nothing was changed.' % (current.get('mode') if current else None)


def _reread(client, trunk_sid, mapping, error):
    """The mapping read again after an unclear answer (None when it is gone); when the read fails, ``error`` stands."""
    try:
        return find_mapping(client, trunk_sid, phone_number=mapping['phone_number'], number_id=str(mapping['id']))
    except ExotelError:
        raise error


# What the diff of exotel_trunk_number compares: not the mapping id or Exotel's timestamps, which a
# mode change alone updates.
DIFF_KEYS = ('phone_number', 'trunk_sid', 'mode')
ACTIONS = {'create': 'map', 'update': 'switch the mode of', 'delete': 'unmap'}


class Mappings(Kind):
    """A trunk's phone-number mappings, keyed by phone number (or by mapping id when a wanted entry
    has ``number_id``). Wanted: ``phone_number``, ``mode`` (None: leave it) and maybe ``number_id``.

    One wanted number is found with the one-request lookup (:func:`find_mapping`); many (or any,
    with ``many``: the bulk form, where purge needs the whole list) with one walk of the list. A mode
    is switched with :func:`put_mode`, which verifies it. With ``many``, warnings name the number
    (the writes run in parallel).
    """

    segment = 'phone-numbers'
    noun = 'mapping of'
    plural = 'phone_numbers'
    singular = 'mapping'
    fields = ('phone_number', 'mode')

    def __init__(self, client, trunk_sid, many=False):
        super(Mappings, self).__init__(client, trunk_sid)
        self.many = many

    def key(self, item):
        return item.get('phone_number')

    def matches(self, items, want):
        if want.get('number_id') is not None:
            return [i for i in items if str(i.get('id')) == want['number_id']]
        return super(Mappings, self).matches(items, want)

    def current(self, wanted):
        if self.many or len(wanted) != 1:
            return self.read()
        found = find_mapping(self.client, self.trunk_sid, phone_number=wanted[0]['phone_number'],
                             number_id=wanted[0].get('number_id'))
        return [] if found is None else [found]

    def view(self, item):
        return dict((k, item.get(k, self.trunk_sid if k == 'trunk_sid' else None)) for k in DIFF_KEYS)

    def new_item(self, want):
        return dict(phone_number=want['phone_number'], trunk_sid=self.trunk_sid, mode=want['mode'])

    def update_body(self, have, want):
        if want['mode'] is None or effective_mode(have.get('mode')) == want['mode']:
            return None
        return {'phone_number': have['phone_number'], 'mode': want['mode']}

    def update(self, have, want, body):
        after, warning = put_mode(self.client, self.trunk_sid, have, want['mode'])
        if warning and self.many:
            warning = '%s: %s' % (have['phone_number'], warning)
        return after, warning

    def step_failure(self, step, exc):
        message = exc.message
        if exc.http_status in (403, 404) or exc.error_code in (1000, 1003):
            message = message.rstrip().rstrip('.') + '. Check trunk_sid: the trunk %s may not exist in account %s.' % (
                self.trunk_sid, self.client.account_sid)
        return 'Could not %s %s on trunk %s: %s' % (ACTIONS[step.verb], self.key(step.subject), self.trunk_sid, message)


class ModeSwitch(Mappings):
    """Mappings whose mode is switched, never created or deleted (exotel_number_mode).

    One number (``many`` false) that is not on the trunk is refused with where it is mapped, as far
    as the lookup knows; with many numbers (one list walk), every number not on the trunk is named.
    Writes of many numbers run in parallel, and their warnings name the number.
    """

    def view(self, item):
        return dict(mode=item.get('mode'))

    def current(self, wanted):
        if self.many:
            return self.read()
        found = super(ModeSwitch, self).current(wanted)
        want = wanted[0]
        mapping = found[0] if found else None
        elsewhere = lookup_answer = None
        if mapping is None:
            lookup_answer = where_mapped(self.client, want['phone_number'])
            elsewhere = None if lookup_answer is None else sorted(set(m['trunk_sid'] for m in lookup_answer))
            if elsewhere and self.trunk_sid not in elsewhere:
                self._check_trunk(want['phone_number'], elsewhere)
        problem = mapping_problem(mapping, self.trunk_sid, want['phone_number'], want.get('number_id'), elsewhere)
        if problem:
            # Exotel's "Not Found", with its request_id, when the lookup gave one.
            raise Refusal(problem, getattr(lookup_answer, 'error', None))
        return found

    def _check_trunk(self, phone_number, elsewhere):
        """Refuse as for an unknown trunk when ``trunk_sid`` does not exist (the lookup cannot tell)."""
        try:
            self.client.request('GET', self.path(), query={'page_size': LIST_PAGE_SIZE})
        except ExotelError as exc:
            raise Refusal('%s Phone number %s is mapped to trunk %s.' % (
                self.read_failure(exc), phone_number, ', '.join(elsewhere)), exc)

    def conflict(self, item, want, state):
        return mapping_problem(item, self.trunk_sid, want['phone_number'], want.get('number_id'))

    def missing(self, want):
        return mapping_problem(None, self.trunk_sid, want['phone_number'], want.get('number_id'))

    def step_failure(self, step, exc):
        return 'Could not switch %s on trunk %s to %s: %s' % (step.have['phone_number'], self.trunk_sid,
                                                              step.want['mode'], exc.message)


# ---------------------------------------------------------------------- the bulk form (``numbers``)

# Parallel writes of a bulk run; the client's pacer keeps them under rate_limit.
# Writes of a bulk task in progress at once. At most MAX_IN_FLIGHT (8) of them have a request in flight;
# the others wait for a slot or between retries. So a burst of faults at the gateway is spread over many
# numbers instead of using up the retries of the first eight.
BULK_WORKERS = 32


def bulk_result(kind, outcome, wanted, diff, purge=False):
    """The result of a bulk run: the mapping of every listed number that is on the trunk after the run
    (in the order listed), the numbers changed, and those whose write failed."""
    mappings = [m for m in (outcome.item_for(kind, want) for want in wanted) if m is not None]
    changed = [i['phone_number'] for i in outcome.added] + [i['phone_number'] for i, dummy in outcome.updated] + \
        [i['phone_number'] for i in outcome.removed]
    result = dict(changed=bool(changed), changed_numbers=changed, mappings=mappings)
    if diff:
        listed = set(want['phone_number'] for want in wanted)

        def modes(items):
            return dict((m['phone_number'], m.get('mode')) for m in items if purge or m.get('phone_number') in listed)
        result['diff'] = dict(before=dict(numbers=modes(outcome.before)), after=dict(numbers=modes(outcome.after)))
    if outcome.failed:
        result['failed_numbers'] = []
        for step, exc in outcome.failed:
            entry = dict(phone_number=step.subject['phone_number'], action=ACTIONS[step.verb].split()[0],
                         number_id=str(step.have['id']) if step.have else None,
                         mode=step.want['mode'] if step.want else None, msg=exc.message)
            entry.update(exc.details())
            entry['spent_budget'] = exc.spent_budget
            result['failed_numbers'].append(entry)
    return result


def spent_budgets(failed):
    """The summary of the failures that were not sent again because a retry budget was spent ('' when none)."""
    counts = {}
    for entry in failed:
        if entry.get('spent_budget'):
            counts[entry['spent_budget']] = counts.get(entry['spent_budget'], 0) + 1
    if not counts:
        return ''
    total = sum(counts.values())
    return ' %d of them %s not sent again because a retry budget was spent: %s.' % (
        total, 'was' if total == 1 else 'were', ', '.join('%s (%d)' % (k, counts[k]) for k in sorted(counts)))


def run_bulk(module, kind, wanted, state='present', purge=False, done='Changed', settled='as requested'):
    """Converge many numbers of one trunk with parallel writes, then exit; some writes failed: fail,
    saying exactly which numbers were ``done`` and which were not, and why (a re-run finishes)."""
    def report(kind, outcome, wanted, diff):
        return bulk_result(kind, outcome, wanted, diff, purge)
    outcome = converge(module, kind, wanted, state, purge, report=report, workers=BULK_WORKERS)
    result = report(kind, outcome, wanted, module._diff)
    if outcome.failed:
        module.fail_json(msg='%s %d of %d numbers that needed a change on trunk %s; %d failed: %s.%s '
                             'Re-run the task to finish: numbers already %s are left alone.' % (
                                 done, len(result['changed_numbers']), outcome.planned, kind.trunk_sid, len(outcome.failed),
                                 '; '.join('%s (%s)' % (f['phone_number'], f['msg'])
                                           for f in result['failed_numbers']), spent_budgets(result['failed_numbers']),
                                 settled),
                         **result)
    module.exit_json(**result)

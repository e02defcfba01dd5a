# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Phone-number mappings (_mapping.py): the lookup's trusted "Not Found", the list walk when the lookup
cannot settle it, a mode switch verified by Exotel's answer or a re-read, and the refusals' wording."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.exotel.trunking.plugins.module_utils._client import ExotelClient
from ansible_collections.exotel.trunking.plugins.module_utils._errors import ExotelError
from ansible_collections.exotel.trunking.plugins.module_utils._mapping import (
    Mappings, ModeSwitch, effective_mode, find_mapping, lookup, mapping_problem, put_mode,
)
from ansible_collections.exotel.trunking.plugins.module_utils._resource import Refusal
from ansible_collections.exotel.trunking.tests.unit.plugins.exotel_envelopes import (
    ACCOUNT, KEY, LOOKUP, NUMBERS, TOKEN, TRUNK, calls, error, listing, mapping, single,
)

PHONE = '+918040264208'
LIST_PATH = '/v2/accounts/%s/trunks/%s/phone-numbers' % (ACCOUNT, TRUNK)
LOOKUP_PATH = '/v2/accounts/%s/trunk-maps?exophone=%%2B918040264208&trunk_sid=%s' % (ACCOUNT, TRUNK)
OTHER_TRUNK = 'trmum1bbbbbbbbbbbbbbbbbbbb1n'


def client(retries=0, max_retry_wait=120):
    return ExotelClient(account_sid=ACCOUNT, api_key=KEY, api_token=TOKEN, region='mumbai', retries=retries,
                        max_retry_wait=max_retry_wait)


def found(mode='pstn', trunk=TRUNK, number_id='41523'):
    return single({'exophone': PHONE, 'trunk_sid': trunk, 'phone_number_id': number_id, 'mode': mode}, method='GET')


def short(mode='pstn', trunk=TRUNK):
    return {'id': '41523', 'phone_number': PHONE, 'trunk_sid': trunk, 'mode': mode}


def not_found():
    return dict(status=404, json=error(404, 1000, 'Not Found'))


# ---------------------------------------------------------------- the lookup and the list walk

def test_null_and_empty_modes_route_like_pstn():
    assert [effective_mode(m) for m in (None, '', ' ', 'FLOW', ' pstn ')] == ['pstn', 'pstn', 'pstn', 'flow', 'pstn']


def test_lookup_not_found_is_trusted_and_nothing_else_is_read(http):
    http.get(LOOKUP, **not_found())
    assert find_mapping(client(), TRUNK, phone_number=PHONE) is None
    assert calls(http) == [('GET', LOOKUP_PATH, None)]
    answer = lookup(client(), PHONE, TRUNK)
    assert answer == [] and answer.error.request_id == 'e45544e19a7f4d5d956fefe63fe3c6b6'


def test_lookup_answer_is_one_request(http):
    http.get(LOOKUP, json=found('flow'))
    assert find_mapping(client(), TRUNK, phone_number=PHONE) == short('flow')
    assert len(http.calls) == 1


@pytest.mark.parametrize('answer', [
    dict(status=400, body='<html>Bad Request</html>'),          # the lookup is not available
    dict(status=404, body='<html>Not Found</html>'),            # a 404 that is not Exotel's "Not Found"
    dict(json={'request_id': 'q1', 'response': {'code': 200, 'status': 'success', 'data': {'weird': 1}}}),
    dict(json=found('pstn', trunk=OTHER_TRUNK)),                # a server that ignored the trunk filter
])
def test_list_walk_when_the_lookup_does_not_settle_it(http, answer):
    http.get(LOOKUP, **answer)
    http.get(NUMBERS, json=listing([mapping('41522', '+918040264207'), mapping(mode='flow')]))
    assert find_mapping(client(), TRUNK, phone_number=PHONE) == mapping(mode='flow')
    assert calls(http)[1:] == [('GET', LIST_PATH + '?page_size=100', None)]


def test_list_walk_by_number_id_when_the_lookup_names_another_id(http):
    http.get(LOOKUP, json=found('pstn', number_id='41599'))
    http.get(NUMBERS, json=listing([mapping(mode='flow')]))
    assert find_mapping(client(), TRUNK, phone_number=PHONE, number_id='41523') == mapping(mode='flow')
    assert len(http.calls) == 2


@pytest.mark.parametrize('status, code', [(401, 1010), (429, None)])
def test_lookup_failures_a_list_walk_cannot_cure_are_final(http, status, code):
    http.get(LOOKUP, status=status, json=error(status, code, 'Nope'))
    with pytest.raises(ExotelError) as info:
        find_mapping(client(), TRUNK, phone_number=PHONE)
    assert info.value.http_status == status
    assert len(http.calls) == 1


def test_strict_lookup_refuses_an_answer_it_does_not_understand(http):
    http.get(LOOKUP, json={'request_id': 'q1', 'response': {'code': 200, 'status': 'success', 'data': {'weird': 1}}})
    with pytest.raises(ExotelError) as info:
        lookup(client(), PHONE, strict=True)
    assert 'lookup result that is not understood' in info.value.message and info.value.request_id == 'q1'


# ---------------------------------------------------------------- put_mode: verified switches

def test_put_mode_trusts_an_answer_that_shows_the_mode(http):
    http.put(NUMBERS + '/41523', json=single(mapping(mode='flow')))
    after, warning = put_mode(client(), TRUNK, short('pstn'), 'flow')
    assert calls(http) == [('PUT', LIST_PATH + '/41523', {'phone_number': PHONE, 'mode': 'flow'})]
    assert after == mapping(mode='flow') and warning is None


def test_put_mode_verifies_an_answer_without_the_mode_by_a_reread(http):
    http.put(NUMBERS + '/41523', json=single(dict(mapping(), mode=None)))
    http.get(LOOKUP, json=found('flow'))
    after, warning = put_mode(client(), TRUNK, short('pstn'), 'flow')
    assert [c[0] for c in calls(http)] == ['PUT', 'GET']
    assert after == short('flow')
    assert warning == "Exotel's answer to the update did not show the new mode; a re-read shows the mapping now has mode flow."


def test_put_mode_whose_answer_was_lost_and_not_applied_claims_nothing(http):
    http.put(NUMBERS + '/41523', status=504, body='')
    http.get(LOOKUP, json=found('pstn'))
    with pytest.raises(ExotelError) as info:
        put_mode(client(), TRUNK, short('pstn'), 'flow')
    assert info.value.http_status == 504
    assert info.value.message.endswith("A re-read shows the mapping still has mode 'pstn': nothing was changed. "
                                          "The write was sent 1 time; not sent again: retries=0 used.")


def test_put_mode_whose_answer_was_lost_but_applied_warns(http):
    http.put(NUMBERS + '/41523', status=504, body='')
    http.get(LOOKUP, json=found('flow'))
    after, warning = put_mode(client(), TRUNK, short('pstn'), 'flow')
    assert after == short('flow')
    assert warning.startswith('Exotel did not confirm the update (') and warning.endswith('now has mode flow.')


# ---------------------------------------------------------------- put_mode: sent again after a re-read shows the old mode

PUT_CALL = ('PUT', LIST_PATH + '/41523', {'phone_number': PHONE, 'mode': 'flow'})
REREAD_CALL = ('GET', LOOKUP_PATH, None)
MALFORMED = dict(status=200, body='{"request_id": "c719cd56", "response": {"code": 200, "data": {"id": "41')


def test_put_mode_malformed_answer_then_old_mode_is_sent_again_and_succeeds(http, sleeps):
    http.put(NUMBERS + '/41523', **MALFORMED)
    http.get(LOOKUP, json=found('pstn'))
    http.put(NUMBERS + '/41523', json=single(mapping(mode='flow')))
    after, warning = put_mode(client(retries=3), TRUNK, short('pstn'), 'flow')
    assert calls(http) == [PUT_CALL, REREAD_CALL, PUT_CALL]
    assert len(sleeps) == 1
    assert after == mapping(mode='flow') and warning is None   # the second answer shows the mode


def test_put_mode_malformed_answer_then_new_mode_is_not_sent_again(http, sleeps):
    http.put(NUMBERS + '/41523', **MALFORMED)
    http.get(LOOKUP, json=found('flow'))
    after, warning = put_mode(client(retries=3), TRUNK, short('pstn'), 'flow')
    assert calls(http) == [PUT_CALL, REREAD_CALL]
    assert sleeps == []
    assert after == short('flow')
    assert warning.startswith('Exotel did not confirm the update (Exotel answered PUT %s/41523 with HTTP 200 and a body '
                              'that is not valid JSON: ' % LIST_PATH)


@pytest.mark.parametrize('http_status', [200, 500])
def test_put_mode_failure_body_coded_500_is_sent_again(http, sleeps, http_status):
    failure = dict(error(500, 500, 'Internal Server Error', method='PUT'), http_code=http_status)
    http.put(NUMBERS + '/41523', status=http_status, json=failure)
    http.get(LOOKUP, json=found('pstn'))
    http.put(NUMBERS + '/41523', json=single(mapping(mode='flow')))
    after, warning = put_mode(client(retries=3), TRUNK, short('pstn'), 'flow')
    assert calls(http) == [PUT_CALL, REREAD_CALL, PUT_CALL]
    assert after['mode'] == 'flow' and warning is None


def test_put_mode_failure_body_coded_503_is_retried_like_a_503_without_a_reread(http, sleeps):
    http.put(NUMBERS + '/41523', json=error(503, 503, 'Service Unavailable', method='PUT'), headers={'Retry-After': '2'})
    http.put(NUMBERS + '/41523', json=single(mapping(mode='flow')))
    after, warning = put_mode(client(retries=3), TRUNK, short('pstn'), 'flow')
    assert calls(http) == [PUT_CALL, PUT_CALL]
    assert len(sleeps) == 1 and 2 <= sleeps[0] <= 3
    assert after['mode'] == 'flow'


def test_put_mode_never_clearing_fault_ends_within_the_retries_with_every_write_counted(http, sleeps):
    http.put(NUMBERS + '/41523', status=200, json=error(500, 500, 'Internal Server Error', method='PUT'))
    http.get(LOOKUP, json=found('pstn'))
    with pytest.raises(ExotelError) as info:
        put_mode(client(retries=3), TRUNK, short('pstn'), 'flow')
    assert calls(http) == [PUT_CALL, REREAD_CALL] * 4         # 1 + retries writes, each one checked
    assert len(sleeps) == 3
    assert (info.value.http_status, info.value.error_code, info.value.method) == (200, 500, 'PUT')
    assert info.value.message == (
        'Exotel rejected PUT %s/41523: HTTP 200 (code 500 in the body), error 500, Internal Server Error, request_id '
        'e45544e19a7f4d5d956fefe63fe3c6b6. A re-read shows the mapping still has mode \'pstn\': nothing was changed. '
        'The write was sent 4 times; not sent again: retries=3 used.' % LIST_PATH)


def test_put_mode_resends_share_the_retries_with_the_clients_own(http, sleeps):
    # Two 503s retried by the client, then a malformed answer: one retry is left for the send after the re-read.
    http.put(NUMBERS + '/41523', status=503, body='<html>503</html>')
    http.put(NUMBERS + '/41523', status=503, body='<html>503</html>')
    http.put(NUMBERS + '/41523', **MALFORMED)
    http.put(NUMBERS + '/41523', status=503, body='<html>503</html>')
    http.get(LOOKUP, json=found('pstn'))
    with pytest.raises(ExotelError) as info:
        put_mode(client(retries=3), TRUNK, short('pstn'), 'flow')
    assert calls(http) == [PUT_CALL, PUT_CALL, PUT_CALL, REREAD_CALL, PUT_CALL, REREAD_CALL]
    assert len(sleeps) == 3
    assert info.value.http_status == 503
    assert info.value.message.endswith("nothing was changed. The write was sent 4 times; not sent again: retries=3 used.")


def test_put_mode_resends_stop_when_max_retry_wait_is_spent(http, sleeps):
    http.put(NUMBERS + '/41523', **MALFORMED)
    http.get(LOOKUP, json=found('pstn'))
    with pytest.raises(ExotelError) as info:
        put_mode(client(retries=5, max_retry_wait=0), TRUNK, short('pstn'), 'flow')
    assert calls(http) == [PUT_CALL, REREAD_CALL]
    assert sleeps == []
    assert info.value.message.endswith("A re-read shows the mapping still has mode 'pstn': nothing was changed. "
                                          "The write was sent 1 time; not sent again: max_retry_wait=0s spent.")
    assert info.value.spent_budget == 'max_retry_wait=0s'


def test_put_mode_is_not_sent_again_after_a_clear_answer_that_ignores_it(http, sleeps):
    http.put(NUMBERS + '/41523', json=single(mapping(mode='pstn')))
    http.get(LOOKUP, json=found('pstn'))
    with pytest.raises(ExotelError) as info:
        put_mode(client(retries=3), TRUNK, short('pstn'), 'flow')
    assert calls(http) == [PUT_CALL, REREAD_CALL]
    assert "has mode 'pstn' instead of 'flow'" in info.value.message


def test_put_mode_is_not_sent_again_after_a_redirect(http, sleeps):
    http.put(NUMBERS + '/41523', status=307, headers={'Location': '/elsewhere'})
    http.get(LOOKUP, json=found('pstn'))
    with pytest.raises(ExotelError) as info:
        put_mode(client(retries=3), TRUNK, short('pstn'), 'flow')
    assert calls(http) == [PUT_CALL, REREAD_CALL]
    assert info.value.http_status == 307 and sleeps == []


def test_put_mode_whose_reread_fails_keeps_the_first_error_and_sends_nothing_more(http, sleeps):
    http.put(NUMBERS + '/41523', **MALFORMED)
    http.get(LOOKUP, status=401, json=error(401, 1010, 'Authentication failed'))
    with pytest.raises(ExotelError) as info:
        put_mode(client(retries=3), TRUNK, short('pstn'), 'flow')
    assert calls(http) == [PUT_CALL, REREAD_CALL]
    assert info.value.http_status == 200 and 'not valid JSON' in info.value.message


# ---------------------------------------------------------------- the kinds and their wording

def test_mapping_problem_wording():
    assert mapping_problem(short(), TRUNK, PHONE, None) is None
    assert mapping_problem(None, TRUNK, PHONE, None, elsewhere=[OTHER_TRUNK]) == (
        'Phone number %s is not mapped to trunk %s: it is mapped to trunk %s. Check trunk_sid, or unmap it there and '
        'map it to %s first.' % (PHONE, TRUNK, OTHER_TRUNK, TRUNK))
    assert mapping_problem(None, TRUNK, PHONE, '41523') == (
        'No mapping with number_id 41523 is on trunk %s. Omit number_id to find %s by phone number.' % (TRUNK, PHONE))
    assert mapping_problem(None, TRUNK, PHONE, None, elsewhere=[]) == (
        'Phone number %s is not mapped to trunk %s. Map it to the trunk first. The number lookup finds it on no trunk '
        'of the account.' % (PHONE, TRUNK))
    assert mapping_problem(dict(short(), phone_number='+918040264299'), TRUNK, PHONE, '41523') == (
        'Mapping 41523 on trunk %s is for phone number +918040264299, not %s: check number_id and phone_number. '
        'Nothing was changed.' % (TRUNK, PHONE))


def test_mappings_match_by_number_id_when_given():
    kind = Mappings(client(), TRUNK)
    items = [mapping('1', '+911111111111'), mapping('2', PHONE)]
    assert kind.matches(items, {'phone_number': PHONE}) == [items[1]]
    assert kind.matches(items, {'phone_number': PHONE, 'number_id': '1'}) == [items[0]]
    assert kind.update_body(items[1], {'phone_number': PHONE, 'mode': None}) is None
    assert kind.update_body(dict(items[1], mode=None), {'phone_number': PHONE, 'mode': 'pstn'}) is None
    assert kind.update_body(items[1], {'phone_number': PHONE, 'mode': 'flow'}) == {'phone_number': PHONE, 'mode': 'flow'}


def test_mode_switch_refuses_a_number_on_another_trunk_with_exotels_answer(http):
    http.get(LOOKUP, **not_found())
    http.get(LOOKUP, json=found('pstn', trunk=OTHER_TRUNK))
    http.get(NUMBERS, json=listing([]))   # the trunk exists
    with pytest.raises(Refusal) as info:
        ModeSwitch(client(), TRUNK).current([{'phone_number': PHONE, 'number_id': None, 'mode': 'flow'}])
    assert info.value.message.startswith('Phone number %s is not mapped to trunk %s: it is mapped to trunk %s.' % (
        PHONE, TRUNK, OTHER_TRUNK))
    assert [c[1].split('?')[0].rsplit('/', 1)[-1] for c in calls(http)] == ['trunk-maps', 'trunk-maps', 'phone-numbers']
    assert info.value.error is None


def test_mode_switch_of_many_reads_the_list_once_and_names_the_number_in_warnings(http):
    http.get(NUMBERS, json=listing([mapping(mode='pstn')]))
    http.put(NUMBERS + '/41523', status=504, body='')
    http.get(LOOKUP, json=found('flow'))
    kind = ModeSwitch(client(), TRUNK, many=True)
    current = kind.current([{'phone_number': PHONE, 'number_id': None, 'mode': 'flow'}] * 2)
    assert current == [mapping(mode='pstn')]
    after, warning = kind.update(current[0], {'phone_number': PHONE, 'mode': 'flow'}, {'mode': 'flow'})
    assert warning.startswith('%s: Exotel did not confirm the update' % PHONE)

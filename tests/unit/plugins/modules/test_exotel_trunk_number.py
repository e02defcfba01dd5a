# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""exotel_trunk_number: exact calls and results."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest
from responses import matchers

from ansible_collections.exotel.trunking.plugins.modules import exotel_trunk_number
from ansible_collections.exotel.trunking.tests.unit.plugins.exotel_envelopes import (
    ACCOUNT, KEY, LOOKUP, NUMBERS, TOKEN, TRUNK, calls, error, listing, mapping, single, warning_texts,
)

LIST_PATH = '/v2/accounts/%s/trunks/%s/phone-numbers' % (ACCOUNT, TRUNK)
LOOKUP_PATH = '/v2/accounts/%s/trunk-maps?exophone=%%2B918040264208&trunk_sid=%s' % (ACCOUNT, TRUNK)
PHONE = '+918040264208'


def args(**kw):
    base = dict(account_sid=ACCOUNT, api_key=KEY, api_token=TOKEN, region='mumbai', trunk_sid=TRUNK, phone_number=PHONE)
    base.update(kw)
    return {k: v for k, v in base.items() if v is not None}


def found(mode, number_id='41523', trunk=TRUNK, phone=PHONE):
    return single({'exophone': phone, 'trunk_sid': trunk, 'phone_number_id': number_id, 'mode': mode}, method='GET')


def not_found():
    return dict(status=404, json=error(404, 1000, 'Not Found'))


def test_maps_a_new_number_with_mode(http, run_module):
    http.get(LOOKUP, **not_found())
    http.post(NUMBERS, json=single(mapping(mode='flow'), method='POST'))
    run = run_module(exotel_trunk_number.main, args(mode='flow'), diff=True)
    assert calls(http) == [('GET', LOOKUP_PATH, None), ('POST', LIST_PATH, {'phone_number': PHONE, 'mode': 'flow'})]
    assert run.result['changed'] is True
    assert run.result['mapping'] == mapping(mode='flow')
    # The diff holds the compared fields, not the id or Exotel's timestamps.
    assert run.result['diff'] == {'before': {}, 'after': {'phone_number': PHONE, 'trunk_sid': TRUNK, 'mode': 'flow'}}


def test_maps_without_mode_sends_no_mode(http, run_module):
    http.get(LOOKUP, **not_found())
    http.post(NUMBERS, json=single(mapping(mode=None), method='POST'))
    run = run_module(exotel_trunk_number.main, args())
    assert calls(http)[-1] == ('POST', LIST_PATH, {'phone_number': PHONE})
    assert run.result['mapping']['mode'] is None


def test_present_and_same_mode_is_one_read(http, run_module):
    http.get(LOOKUP, json=found('flow'))
    run = run_module(exotel_trunk_number.main, args(mode='flow'))
    assert calls(http) == [('GET', LOOKUP_PATH, None)]
    assert run.result['changed'] is False
    assert run.result['mapping']['id'] == '41523'


def test_present_without_mode_leaves_mode_alone(http, run_module):
    http.get(LOOKUP, json=found('flow'))
    run = run_module(exotel_trunk_number.main, args())
    assert len(http.calls) == 1 and run.result['changed'] is False


def test_present_with_other_mode_switches_it(http, run_module):
    http.get(LOOKUP, json=found(None))
    http.put(NUMBERS + '/41523', json=single(mapping(mode='flow')))
    run = run_module(exotel_trunk_number.main, args(mode='flow'))
    assert calls(http) == [('GET', LOOKUP_PATH, None), ('PUT', LIST_PATH + '/41523', {'phone_number': PHONE, 'mode': 'flow'})]
    assert run.result['changed'] is True and run.result['mapping']['mode'] == 'flow'


def test_check_mode_predicts_a_new_mapping(http, run_module):
    http.get(LOOKUP, **not_found())
    run = run_module(exotel_trunk_number.main, args(mode='pstn'), check_mode=True)
    assert calls(http) == [('GET', LOOKUP_PATH, None)]
    assert run.result['changed'] is True
    assert run.result['mapping'] == {'phone_number': PHONE, 'trunk_sid': TRUNK, 'mode': 'pstn'}


def test_duplicate_after_a_race_returns_the_existing_mapping(http, run_module):
    http.get(LOOKUP, **not_found())
    http.post(NUMBERS, json=error(409, 1008, 'Duplicate resource', method='POST'))
    http.get(NUMBERS, json=listing([mapping(mode='flow')]))
    run = run_module(exotel_trunk_number.main, args(mode='flow'))
    assert [c[0] for c in calls(http)] == ['GET', 'POST', 'GET']
    assert calls(http)[2][1] == LIST_PATH + '?page_size=100'
    assert run.result['changed'] is False
    assert 'failed' not in run.result
    assert run.result['mapping']['id'] == '41523'


def test_lost_answer_to_post_is_not_retried_but_settled_by_reread(http, run_module, sleeps):
    http.get(LOOKUP, **not_found())
    http.post(NUMBERS, status=504, body='<html>Gateway Timeout</html>')
    http.get(NUMBERS, json=listing([mapping(mode='flow')]))
    run = run_module(exotel_trunk_number.main, args(mode='flow'))
    assert [c[0] for c in calls(http)] == ['GET', 'POST', 'GET']
    assert sleeps == []
    assert run.result['changed'] is True
    assert 'a re-read shows it exists' in warning_texts(run.result)[0]


def test_lost_answer_and_nothing_there_fails(http, run_module):
    http.get(LOOKUP, **not_found())
    http.post(NUMBERS, status=502, body='<html>Bad Gateway</html>')
    http.get(NUMBERS, json=listing([]))   # the re-read after the lost answer
    run = run_module(exotel_trunk_number.main, args(mode='flow', retries=2))
    r = run.result
    assert r['failed'] is True and r['changed'] is False and r['http_status'] == 502
    assert r['msg'].startswith('Could not map %s on trunk %s: Exotel answered POST %s with HTTP 502' % (PHONE, TRUNK, LIST_PATH))
    assert [(c[0], c[1].split('?')[0].rsplit('/', 1)[-1]) for c in calls(http)] == \
        [('GET', 'trunk-maps')] + [('POST', 'phone-numbers'), ('GET', 'phone-numbers')] * 3
    assert r['msg'].endswith('A re-read does not show mapping of %s: nothing was created. The write was sent 3 times; not sent again: retries=2 used.' % PHONE)


def test_absent_deletes_by_id_query(http, run_module):
    http.get(LOOKUP, json=found('pstn'))
    http.delete(NUMBERS, json=single(None, method='DELETE'))
    run = run_module(exotel_trunk_number.main, args(state='absent'), diff=True)
    assert calls(http) == [('GET', LOOKUP_PATH, None), ('DELETE', LIST_PATH + '?id=41523', None)]
    assert run.result['changed'] is True and run.result['mapping'] == {}
    assert run.result['diff']['after'] == {}


def test_absent_when_not_mapped_is_reads_only(http, run_module):
    http.get(LOOKUP, **not_found())
    run = run_module(exotel_trunk_number.main, args(state='absent'))
    assert calls(http) == [('GET', LOOKUP_PATH, None)]   # the lookup's "Not Found" is trusted
    assert run.result['changed'] is False and run.result['mapping'] == {}


def test_absent_404_on_delete_is_already_gone(http, run_module):
    http.get(LOOKUP, json=found('pstn'))
    http.delete(NUMBERS, **not_found())
    run = run_module(exotel_trunk_number.main, args(state='absent'))
    assert run.result['changed'] is False and 'failed' not in run.result


def test_absent_check_mode_does_not_delete(http, run_module):
    http.get(LOOKUP, json=found('pstn'))
    run = run_module(exotel_trunk_number.main, args(state='absent'), check_mode=True)
    assert [c[0] for c in calls(http)] == ['GET']
    assert run.result['changed'] is True


@pytest.mark.parametrize('option, value', [('phone_number', '12345'), ('trunk_sid', 'a/b')])
def test_bad_input_sends_nothing(http, run_module, option, value):
    run = run_module(exotel_trunk_number.main, args(**{option: value}))
    assert len(http.calls) == 0
    assert run.result['msg'].startswith('%s must be' % option)


def test_unknown_trunk_on_map_says_to_check_trunk_sid(http, run_module):
    http.get(LOOKUP, **not_found())
    http.post(NUMBERS, status=404, json=error(404, 1000, 'Not Found', method='POST'))
    r = run_module(exotel_trunk_number.main, args(mode='flow')).result
    assert r['failed'] is True and r['changed'] is False and r['http_status'] == 404
    assert r['msg'] == ('Could not map %s on trunk %s: Exotel rejected POST %s: HTTP 404, error 1000, Not Found, request_id '
                        'e45544e19a7f4d5d956fefe63fe3c6b6. Check trunk_sid: the trunk %s may not exist in account %s.' % (
                            PHONE, TRUNK, LIST_PATH, TRUNK, ACCOUNT))


# ---------------------------------------------------------------- bulk form (numbers)

FIRST_PAGE = LIST_PATH + '?page_size=100'
ON_TRUNK = [mapping('41523', '+918040264208', 'pstn'), mapping('41524', '+918040264209', 'flow'),
            mapping('41525', '+918040264210', None)]


def bulk_args(numbers, **kw):
    a = args(phone_number=None, **kw)
    a['numbers'] = numbers
    return a


def test_bulk_first_map_reads_once_and_writes_only_what_is_missing(http, run_module):
    http.get(NUMBERS, json=listing(ON_TRUNK))
    http.post(NUMBERS, json=single(mapping('41530', '+918040264211', 'flow'), method='POST'))
    http.put(NUMBERS + '/41523', json=single(mapping('41523', '+918040264208', 'flow')))
    run = run_module(exotel_trunk_number.main, bulk_args(
        ['+918040264208', {'phone_number': '+918040264209'}, {'phone_number': '+918040264211'},
         {'phone_number': '+918040264210', 'mode': 'pstn'}], mode='flow'))
    assert calls(http) == [
        ('GET', FIRST_PAGE, None),
        ('POST', LIST_PATH, {'phone_number': '+918040264211', 'mode': 'flow'}),
        ('PUT', LIST_PATH + '/41523', {'phone_number': '+918040264208', 'mode': 'flow'}),
    ]   # +918040264210 has no mode: that routes like pstn, so nothing to write
    r = run.result
    assert r['changed'] is True
    assert r['changed_numbers'] == ['+918040264211', '+918040264208']
    assert [(m['phone_number'], m['mode']) for m in r['mappings']] == [
        ('+918040264208', 'flow'), ('+918040264209', 'flow'), ('+918040264211', 'flow'), ('+918040264210', None)]
    assert 'failed_numbers' not in r and 'diff' not in r


def test_bulk_without_mode_maps_without_mode_and_leaves_modes_alone(http, run_module):
    http.get(NUMBERS, json=listing(ON_TRUNK))
    http.post(NUMBERS, json=single(mapping('41530', '+918040264211', None), method='POST'))
    run = run_module(exotel_trunk_number.main, bulk_args(['+918040264208', '+918040264211']))
    assert calls(http) == [('GET', FIRST_PAGE, None), ('POST', LIST_PATH, {'phone_number': '+918040264211'})]
    assert run.result['changed_numbers'] == ['+918040264211']


def test_bulk_rerun_is_one_read_per_page_and_no_write(http, run_module):
    page2 = LIST_PATH + '?offset=100&page_size=100'
    first = [mapping(str(60000 + i), '+9180500%05d' % i, 'flow') for i in range(100)]
    http.get(NUMBERS, json=listing(first, next_page_uri=page2), match=[matchers.query_string_matcher('page_size=100')])
    http.get(NUMBERS, json=listing(ON_TRUNK, offset=100), match=[matchers.query_string_matcher('offset=100&page_size=100')])
    wanted = [m['phone_number'] for m in first] + ['+918040264209']
    run = run_module(exotel_trunk_number.main, bulk_args(wanted, mode='flow', purge=False))
    assert calls(http) == [('GET', FIRST_PAGE, None), ('GET', page2, None)]
    assert run.result['changed'] is False and run.result['changed_numbers'] == []
    assert len(run.result['mappings']) == 101


def test_bulk_purge_unmaps_what_is_not_listed_after_the_maps(http, run_module):
    http.get(NUMBERS, json=listing(ON_TRUNK))
    http.post(NUMBERS, json=single(mapping('41530', '+918040264211', 'pstn'), method='POST'))
    http.delete(NUMBERS, json=single(None, method='DELETE'))
    run = run_module(exotel_trunk_number.main, bulk_args([{'phone_number': '+918040264211', 'mode': 'pstn'},
                                                          '+918040264209'], purge=True), diff=True)
    sent = calls(http)
    assert sent[:2] == [('GET', FIRST_PAGE, None), ('POST', LIST_PATH, {'phone_number': '+918040264211', 'mode': 'pstn'})]
    assert sorted(sent[2:]) == [('DELETE', LIST_PATH + '?id=41523', None), ('DELETE', LIST_PATH + '?id=41525', None)]
    r = run.result
    assert r['changed_numbers'] == ['+918040264211', '+918040264208', '+918040264210']
    assert [m['phone_number'] for m in r['mappings']] == ['+918040264211', '+918040264209']
    assert r['diff'] == {'before': {'numbers': {'+918040264208': 'pstn', '+918040264209': 'flow', '+918040264210': None}},
                         'after': {'numbers': {'+918040264209': 'flow', '+918040264211': 'pstn'}}}


def test_bulk_absent_unmaps_the_listed_numbers_only(http, run_module):
    http.get(NUMBERS, json=listing(ON_TRUNK))
    http.delete(NUMBERS, json=single(None, method='DELETE'))
    run = run_module(exotel_trunk_number.main, bulk_args(['+918040264208', '+918040264299'], state='absent'), diff=True)
    assert calls(http) == [('GET', FIRST_PAGE, None), ('DELETE', LIST_PATH + '?id=41523', None)]
    r = run.result
    assert r['changed_numbers'] == ['+918040264208'] and r['mappings'] == []
    assert r['diff'] == {'before': {'numbers': {'+918040264208': 'pstn'}}, 'after': {'numbers': {}}}


def test_bulk_check_mode_reads_only_and_predicts(http, run_module):
    http.get(NUMBERS, json=listing(ON_TRUNK))
    run = run_module(exotel_trunk_number.main, bulk_args(['+918040264208', '+918040264211'], mode='flow', purge=True),
                     check_mode=True, diff=True)
    assert calls(http) == [('GET', FIRST_PAGE, None)]
    r = run.result
    assert r['changed'] is True
    assert r['changed_numbers'] == ['+918040264211', '+918040264208', '+918040264209', '+918040264210']
    assert r['mappings'] == [mapping('41523', '+918040264208', 'flow'),
                             {'phone_number': '+918040264211', 'trunk_sid': TRUNK, 'mode': 'flow'}]
    assert r['diff']['after'] == {'numbers': {'+918040264208': 'flow', '+918040264211': 'flow'}}


def test_bulk_lost_answer_to_a_post_is_settled_by_a_reread_never_posted_twice(http, run_module, sleeps):
    http.get(NUMBERS, json=listing(ON_TRUNK))
    http.post(NUMBERS, status=504, body='<html>Gateway Timeout</html>')
    http.get(NUMBERS, json=listing(ON_TRUNK + [mapping('41530', '+918040264211', 'flow')]))
    run = run_module(exotel_trunk_number.main, bulk_args(['+918040264211'], mode='flow'))
    assert calls(http) == [('GET', FIRST_PAGE, None), ('POST', LIST_PATH, {'phone_number': '+918040264211', 'mode': 'flow'}),
                           ('GET', FIRST_PAGE, None)]
    assert sleeps == []
    r = run.result
    assert r['changed'] is True and r['changed_numbers'] == ['+918040264211'] and r['mappings'][0]['id'] == '41530'
    assert 'a re-read shows it exists' in warning_texts(r)[0]


def test_bulk_partial_failure_says_what_was_done_and_what_failed(http, run_module):
    http.get(NUMBERS, json=listing(ON_TRUNK))
    http.post(NUMBERS, status=400, json=error(400, 1002, 'Invalid parameter', 'Invalid PhoneNumber', method='POST'))
    http.put(NUMBERS + '/41523', json=single(mapping('41523', '+918040264208', 'flow')))
    run = run_module(exotel_trunk_number.main, bulk_args(['+918040264208', '+918040264211'], mode='flow'))
    assert calls(http) == [('GET', FIRST_PAGE, None), ('POST', LIST_PATH, {'phone_number': '+918040264211', 'mode': 'flow'}),
                           ('PUT', LIST_PATH + '/41523', {'phone_number': '+918040264208', 'mode': 'flow'})]
    r = run.result
    assert r['failed'] is True and r['changed'] is True
    assert r['changed_numbers'] == ['+918040264208']
    assert [(f['phone_number'], f['action'], f['number_id'], f['mode'], f['http_status'], f['error_code'])
            for f in r['failed_numbers']] == [('+918040264211', 'map', None, 'flow', 400, 1002)]
    assert r['msg'].startswith('Changed 1 of 2 numbers that needed a change on trunk %s; 1 failed: +918040264211 (' % TRUNK)
    assert r['msg'].endswith('Re-run the task to finish: numbers already as requested are left alone.')
    assert [m['phone_number'] for m in r['mappings']] == ['+918040264208']


@pytest.mark.parametrize('extra, expected', [
    (dict(numbers=['+918040264208'], phone_number=PHONE), 'parameters are mutually exclusive: phone_number|numbers'),
    (dict(purge=True), 'purge requires numbers'),
    (dict(numbers=['+918040264208'], purge=True, state='absent'), 'purge requires state=present'),
    (dict(numbers=[918040264208]), 'Invalid numbers: numbers[0] must be an E.164 phone number'),
    (dict(numbers=[{'phone_number': '+918040264208', 'number_id': '41523'}]), 'Invalid numbers: numbers[0] has unknown keys number_id'),
    (dict(numbers=['+918040264208', {'phone_number': '+918040264208'}]),
     'Invalid numbers: numbers[1].phone_number +918040264208 is listed more than once.'),
])
def test_bulk_bad_input_sends_nothing(http, run_module, extra, expected):
    a = args(phone_number=None if 'numbers' in extra and 'phone_number' not in extra else PHONE)
    a.update(extra)
    run = run_module(exotel_trunk_number.main, a)
    assert len(http.calls) == 0
    assert expected in run.result['msg'], run.result['msg']
    if extra.get('numbers') == [918040264208]:
        assert 'Quote it' in run.result['msg']

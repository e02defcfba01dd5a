# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The playbook exotel.trunking.failover_route on its own (as the rulebook and a person run it), through ansible-runner."""

import json
import sys

import pytest

from conftest import ACCOUNT, KEY, TOKEN, TRUNK

ansible_runner = pytest.importorskip('ansible_runner')

PHONES = ['+918040264208', '+918040264210']


def run_route(emulator, collections_path, tmp_path, extravars):
    env = {'ANSIBLE_COLLECTIONS_PATH': collections_path, 'ANSIBLE_NOCOLOR': '1', 'ANSIBLE_LOCAL_TEMP': str(tmp_path / 'tmp'),
           'EXOTEL_ACCOUNT_SID': ACCOUNT, 'EXOTEL_API_KEY': KEY, 'EXOTEL_API_TOKEN': TOKEN, 'EXOTEL_API_URL': emulator.url}
    (tmp_path / 'runner').mkdir(parents=True)
    inventory = {'all': {'hosts': {'localhost': {'ansible_connection': 'local', 'ansible_python_interpreter': sys.executable}}}}
    run = ansible_runner.run(private_data_dir=str(tmp_path / 'runner'), playbook='exotel.trunking.failover_route', inventory=inventory,
                             envvars=env, extravars=extravars, quiet=True)
    results = dict((e['event_data']['task'], (e['event'], e['event_data'].get('res', {}))) for e in run.events
                   if e['event'] in ('runner_on_ok', 'runner_on_failed', 'runner_on_skipped'))
    return run, results


@pytest.mark.parametrize('extravars', [
    {'exotel_failover_mode': 'pstn', 'exotel_failover_trunk_sid': TRUNK},
    {'exotel_failover_mode': 'down', 'exotel_failover_trunk_sid': TRUNK, 'exotel_failover_numbers': PHONES},
    {'exotel_failover_mode': 'pstn', 'exotel_failover_trunk_sid': TRUNK, 'exotel_failover_numbers': '+918040264208'},
])
def test_missing_or_bad_variables_fail_before_any_request(emulator, collections_path, tmp_path, extravars):
    run, results = run_route(emulator, collections_path, tmp_path, extravars)
    assert run.status == 'failed'
    event, res = results['Check the failover variables']
    assert event == 'runner_on_failed'
    assert res['msg'] == ('Set exotel_failover_mode (pstn or flow), exotel_failover_trunk_sid (the trunk SID) and '
                          'exotel_failover_numbers (a non-empty list of E.164 numbers such as "+918040264208").')
    assert emulator.requests_log() == []


def test_switches_once_then_changes_nothing_and_runs_the_after_tasks(emulator, collections_path, tmp_path):
    after = tmp_path / 'after.yml'
    after.write_text(json.dumps([{'name': 'After the switch', 'ansible.builtin.debug': {
        'msg': '{{ exotel_failover_mode }} {{ exotel_failover_result.changed_numbers | sort }}'}}]))
    extravars = {'exotel_failover_mode': 'flow', 'exotel_failover_trunk_sid': TRUNK, 'exotel_failover_numbers': PHONES,
                 'exotel_failover_after_tasks': str(after)}
    run, results = run_route(emulator, collections_path, tmp_path / 'first', extravars)
    assert run.status == 'successful'
    assert results['Switch the numbers in one bulk task'][1]['changed'] is True
    assert results['Say why the routing changes'][1]['msg'] == 'Run by hand: routing 2 number(s) of %s to flow.' % TRUNK
    assert results['After the switch'][1]['msg'] == 'flow %s' % PHONES
    puts = [e for e in emulator.requests_log() if e['method'] != 'GET']
    assert sorted((e['method'], e['json']['phone_number'], e['json']['mode']) for e in puts) == [('PUT', p, 'flow') for p in PHONES]

    del extravars['exotel_failover_after_tasks']
    run, results = run_route(emulator, collections_path, tmp_path / 'again', extravars)
    assert run.status == 'successful'
    assert results['Switch the numbers in one bulk task'][1]['changed'] is False
    assert results['Show what was switched'][1]['msg'] == 'Switched to flow: nothing (every number was already in this mode).'
    assert results['Run the tasks that follow the switch (for example the ExoPhones\' flows)'][0] == 'runner_on_skipped'
    assert len([e for e in emulator.requests_log() if e['method'] != 'GET']) == 2

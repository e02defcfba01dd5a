# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Adopt an account as code (issue #25): exotel.trunking.export and exotel.trunking.apply through ansible-playbook,
under default options (pacing on, default retries).

1. export, then apply to the same account: no write, changed=0;
2. export a seeded account (three trunks, 300 numbers, every kind of sub-resource, ExoPhones with flows) and apply it
   to a second account (a second emulator) that rents the same numbers but has no trunks and other flows: the second
   account then equals the first, SIDs, ids, dates and the account in flow URLs aside;
3. a change behind the collection's back (a mode, an ACL entry, a flow): apply --check names exactly it and fails with
   exotel_apply_fail_on_drift; apply fixes it with exactly the writes needed;
4. export twice without a change: identical bytes.
"""

import os
import re
import subprocess
import sys

import pytest

from conftest import BIN, writes
from exotel_emulator import Emulator

KEY, TOKEN = 'adopt_key', 'adopt_token_7Hq2'
NUMBERS = {'alpha_trunk': 150, 'beta_trunk': 100, 'gamma_trunk': 50}
EXOPHONES = 20   # the first numbers of each trunk are ExoPhones with flows too
PASSWORDS = {'vault_exotel_password_alpha_trunk_pbx_main': 'Alpha_pass_1',
             'vault_exotel_password_alpha_trunk_pbx_backup': 'Alpha_pass_3',
             'vault_exotel_password_beta_trunk_sbc_1': 'Beta_pass_2'}


def phone(trunk_index, index):
    return '+91806%d%06d' % (trunk_index, index)


def trunk_spec(account, index, name):
    sid = 'tr%s%02d' % (account[:5], index) + '0' * 20
    spec = {'account_sid': account, 'trunk_sid': sid, 'trunk_name': name, 'nso_code': 'ANY-ANY' if index else 'IN-ANY',
            'phone_numbers': [{'id': str(1000 * (index + 1) + i), 'phone_number': phone(index, i),
                               'mode': (None, 'pstn', 'flow')[i % 3]} for i in range(NUMBERS[name])],
            'whitelisted_ips': [{'id': '3%d01' % index, 'ip': '203.0.113.%d' % (10 + index), 'mask': 32},
                                {'id': '3%d02' % index, 'ip': '198.51.%d.0' % (100 + index), 'mask': 24}],
            'destination_uris': [{'id': '4%d01' % index, 'destination': 'sip:sbc%d.example.com:5061;transport=tls' % index,
                                  'priority': 0, 'weight': 2},
                                 {'id': '4%d02' % index, 'destination': 'sip:203.0.113.%d:5060;transport=tcp' % (10 + index),
                                  'priority': 1, 'weight': 1}],
            'credentials': [], 'settings': []}
    if index == 0:
        spec['credentials'] = [{'id': '5001', 'user_name': 'pbx_main', 'password': 'Alpha_pass_1', 'friendly_name': 'main'},
                               {'id': '5002', 'user_name': 'pbx_backup', 'password': 'Alpha_pass_3'}]
        spec['settings'] = [{'id': '6001', 'name': 'trunk_external_alias', 'value': phone(0, 1)}]
    if index == 1:
        spec['credentials'] = [{'id': '5101', 'user_name': 'sbc_1', 'password': 'Beta_pass_2', 'friendly_name': 'sbc'}]
    return spec


def exophones(account, first_flow):
    """The ExoPhones (the first numbers of each trunk), with flows from ``first_flow`` on."""
    out = []
    for trunk_index in range(len(NUMBERS)):
        for i in range(EXOPHONES // len(NUMBERS) + 1):
            n = len(out)
            out.append({'sid': '%s%04d' % (account, n), 'phone_number': phone(trunk_index, i), 'friendly_name': 'Line %d' % n,
                        'voice_url': 'https://my.exotel.com/%s/exoml/start_voice/%d' % (account, first_flow + n),
                        'sms_url': ('http://my.exotel.com/%s/exoml/start_sms/%d' % (account, first_flow + 500 + n))
                        if n % 2 else None})
    out[-1]['voice_url'] = 'https://flows.example.com/answer'   # a flow URL without an app id
    return out


def fixture(account, with_trunks, first_flow):
    return {'default_date': '2026-01-23T13:28:11Z', 'next_id': 900000, 'available_phone_numbers': [],
            'accounts': [{'sid': account, 'api_key': KEY, 'api_token': TOKEN,
                          'incoming_phone_numbers': exophones(account, first_flow)}],
            'trunks': [trunk_spec(account, i, name) for i, name in enumerate(NUMBERS)] if with_trunks else []}


@pytest.fixture
def first():
    emu = Emulator(fixture=fixture('alpha_account', True, 245000), rate_limit=0).start()
    yield emu
    emu.stop()


@pytest.fixture
def second():
    emu = Emulator(fixture=fixture('beta_account', False, 777000), rate_limit=0).start()
    yield emu
    emu.stop()


class Run(object):
    def __init__(self, proc):
        self.rc = proc.returncode
        self.output = proc.stdout
        recap = re.findall(r'localhost\s+: ok=\d+\s+changed=(\d+)', proc.stdout)
        self.changed = int(recap[-1]) if recap else None


@pytest.fixture
def playbook(collections_path, tmp_path):
    """Run a collection playbook (exotel.trunking.<name>) against an emulator, connected by EXOTEL_* variables."""
    def run(name, emu, account, extra=None, check=False, diff=False):
        command = [os.path.join(BIN, 'ansible-playbook'), 'exotel.trunking.' + name, '-i', 'localhost,',
                   '-e', 'ansible_python_interpreter=%s' % sys.executable]
        for key, value in (extra or {}).items():
            command += ['-e', '%s=%s' % (key, value)]
        command += ['--check'] if check else []
        command += ['--diff'] if diff else []
        env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=collections_path, ANSIBLE_NOCOLOR='1',
                   ANSIBLE_LOCAL_TEMP=str(tmp_path / 'tmp'), ANSIBLE_DEPRECATION_WARNINGS='False',
                   ANSIBLE_LOCALHOST_WARNING='False', PATH=BIN + os.pathsep + os.environ.get('PATH', ''),
                   EXOTEL_ACCOUNT_SID=account, EXOTEL_API_KEY=KEY, EXOTEL_API_TOKEN=TOKEN, EXOTEL_API_URL=emu.url)
        proc = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, universal_newlines=True,
                              timeout=600, check=False)
        return Run(proc)
    return run


def files(directory):
    out = {}
    for root, dummy, names in os.walk(directory):
        for name in names:
            path = os.path.join(root, name)
            with open(path, 'rb') as handle:
                out[os.path.relpath(path, directory)] = handle.read()
    return out


def app_id(url):
    match = re.search(r'/([0-9]+)$', url or '')
    return match.group(1) if match else url


def account_state(emu, account):
    """What the account holds, SIDs, ids, dates and the account in flow URLs aside."""
    trunks = {}
    for record in emu.store.account_trunks(account):
        trunks[record['trunk']['trunk_name']] = {
            'nso_code': record['trunk']['nso_code'],
            'numbers': sorted((m['phone_number'], m['mode']) for m in record['phone-numbers']),
            'acl': sorted((a['ip'], a['mask']) for a in record['whitelisted-ips']),
            'destinations': sorted((d['destination'], d['priority'], d['weight']) for d in record['destination-uris']),
            'credentials': sorted((c['user_name'], c.get('friendly_name'), c.get('password')) for c in record['credentials']),
            'settings': sorted((s['name'], s['value']) for s in record['settings'])}
    flows = sorted((e['phone_number'], e['friendly_name'], app_id(e['voice_url']), app_id(e['sms_url']))
                   for e in emu.store.exophones[account])
    return trunks, flows


def test_round_trip_to_the_same_account_writes_nothing_and_a_second_export_is_byte_identical(first, playbook, tmp_path):
    out = str(tmp_path / 'account')
    exported = playbook('export', first, 'alpha_account', {'exotel_export_dir': out})
    assert exported.rc == 0, exported.output[-3000:]
    written = files(out)
    assert sorted(written) == ['exophones.yml', 'trunks/alpha_trunk.yml', 'trunks/beta_trunk.yml', 'trunks/gamma_trunk.yml']
    assert b'password: "{{ vault_exotel_password_alpha_trunk_pbx_main | default(omit) }}"' in written['trunks/alpha_trunk.yml']
    assert b'Alpha_pass' not in b''.join(written.values())
    assert [e for e in first.requests_log() if e['method'] != 'GET'] == []
    # One read per list page: the trunk list, each trunk's numbers (2 + 1 + 1 pages) and four lists, the ExoPhones.
    assert len(first.requests_log()) == 1 + (2 + 4) + (1 + 4) + (1 + 4) + 1
    assert '(18 requests)' in exported.output

    again = playbook('export', first, 'alpha_account', {'exotel_export_dir': out})
    assert again.rc == 0 and again.changed == 0, again.output[-3000:]
    assert files(out) == written                                  # case 4: identical bytes

    before = len(first.requests_log())
    applied = playbook('apply', first, 'alpha_account', {'exotel_export_dir': out})
    assert applied.rc == 0 and applied.changed == 0, applied.output[-3000:]
    assert writes(first) == []                                    # case 1: no write sent
    log = first.requests_log()[before:]
    # exotel_account_info: the trunk list and each trunk's credentials (1 + 3); per trunk, the role: the trunk list, the
    # numbers (150: 2 pages), the ACL, the destinations, the credentials once per credential, the settings when an
    # alias is set (alpha 1+2+1+1+2+1, beta 1+1+1+1+1, gamma 1+1+1+1); the ExoPhones (21: 1 page).
    assert len(log) == (1 + 3) + (8 + 5 + 4) + 1, [(e['method'], e['path']) for e in log]
    assert 'Changes: 0 change(s) in 0 of 3 trunk(s) and 0 of 21 ExoPhone(s).' in applied.output


def test_apply_to_a_second_account_makes_it_equal_to_the_first(first, second, playbook, tmp_path):
    out = str(tmp_path / 'account')
    assert playbook('export', first, 'alpha_account', {'exotel_export_dir': out}).rc == 0

    refused = playbook('apply', second, 'beta_account', {'exotel_export_dir': out})
    assert refused.rc != 0 and writes(second) == []
    for var in ('vault_exotel_password_alpha_trunk_pbx_main', 'vault_exotel_password_alpha_trunk_pbx_backup',
                'vault_exotel_password_beta_trunk_sbc_1'):
        assert 'the variable %s its password refers to is not defined' % var in refused.output

    applied = playbook('apply', second, 'beta_account', dict(PASSWORDS, exotel_export_dir=out))
    assert applied.rc == 0, applied.output[-4000:]
    assert account_state(second, 'beta_account') == account_state(first, 'alpha_account')
    assert [e for e in writes(second) if '/IncomingPhoneNumbers' in e['path'] and e['method'] != 'PUT'] == []  # never buys
    creates = [e for e in writes(second) if e['method'] == 'POST' and e['path'].endswith('/phone-numbers')]
    assert len(creates) == sum(NUMBERS.values())                  # each number mapped once
    assert not [v for v in PASSWORDS.values() if v in applied.output]

    count = len(writes(second))
    again = playbook('apply', second, 'beta_account', {'exotel_export_dir': out})   # no password needed any more
    assert again.rc == 0 and again.changed == 0 and len(writes(second)) == count, again.output[-3000:]


def change_behind_the_back(emu):
    record = [r for r in emu.store.account_trunks('alpha_account') if r['trunk']['trunk_name'] == 'beta_trunk'][0]
    mapping = [m for m in record['phone-numbers'] if m['phone_number'] == phone(1, 5)][0]
    mapping['mode'] = 'pstn'                                       # was flow
    acl = [a for a in record['whitelisted-ips'] if a['ip'] == '198.51.101.0'][0]
    acl['mask'] = 28                                               # was 24
    line = [e for e in emu.store.exophones['alpha_account'] if e['phone_number'] == phone(2, 0)][0]
    line['voice_url'] = 'https://my.exotel.com/alpha_account/exoml/start_voice/111'


def test_drift_is_named_exactly_fails_the_check_and_is_fixed_with_exactly_the_writes_needed(first, playbook, tmp_path):
    out = str(tmp_path / 'account')
    assert playbook('export', first, 'alpha_account', {'exotel_export_dir': out}).rc == 0
    change_behind_the_back(first)

    check = playbook('apply', first, 'alpha_account', {'exotel_export_dir': out, 'exotel_apply_fail_on_drift': 'true'},
                     check=True, diff=True)
    assert check.rc != 0 and writes(first) == []
    assert 'Drift (check mode, nothing was written): 3 change(s) in 1 of 3 trunk(s) and 1 of 21 ExoPhone(s).' in check.output, \
        check.output[-6000:]
    assert 'beta_trunk (trunks/beta_trunk.yml): 2 change(s): numbers: %s; acl: set mask of 198.51.101.0' % phone(1, 5) \
        in check.output
    assert 'ExoPhones (exophones.yml): 1 change(s): %s' % phone(2, 0) in check.output
    assert 'exotel_apply_fail_on_drift is true' in check.output

    quiet = playbook('apply', first, 'alpha_account', {'exotel_export_dir': out}, check=True)
    assert quiet.rc == 0 and writes(first) == []                  # without the flag, a check run reports only

    fixed = playbook('apply', first, 'alpha_account', {'exotel_export_dir': out})
    assert fixed.rc == 0 and fixed.changed == 3, fixed.output[-3000:]
    beta = [r for r in first.store.account_trunks('alpha_account') if r['trunk']['trunk_name'] == 'beta_trunk'][0]
    assert [(e['method'], e['path'].rsplit('/', 2)[-2:]) for e in writes(first)] == [
        ('PUT', ['phone-numbers', '2005']), ('PUT', ['whitelisted-ips', '3102']),
        ('PUT', ['IncomingPhoneNumbers', 'alpha_account0014'])]
    assert [m['mode'] for m in beta['phone-numbers'] if m['phone_number'] == phone(1, 5)] == ['flow']

    clean = playbook('apply', first, 'alpha_account', {'exotel_export_dir': out, 'exotel_apply_fail_on_drift': 'true'},
                     check=True)
    assert clean.rc == 0 and len(writes(first)) == 3, clean.output[-3000:]


def test_bad_input_fails_before_any_request_naming_the_file_and_the_key(first, playbook, tmp_path):
    out = str(tmp_path / 'account')
    assert playbook('export', first, 'alpha_account', {'exotel_export_dir': out}).rc == 0
    path = os.path.join(out, 'trunks', 'gamma_trunk.yml')
    with open(path) as handle:
        text = handle.read()
    with open(path, 'w') as handle:
        handle.write(text.replace('- phone_number: "%s"' % phone(2, 7), '- phone_number: %s' % phone(2, 7)))
    count = len(first.requests_log())
    run = playbook('apply', first, 'alpha_account', {'exotel_export_dir': out})
    assert run.rc != 0 and len(first.requests_log()) == count
    assert ('%s: sip_trunk_definition.numbers[7].phone_number: must be a string; got the integer %s.' % (
        path, phone(2, 7)[1:])) in run.output.replace('\n', ' ')

    missing = playbook('apply', first, 'alpha_account', {'exotel_export_dir': str(tmp_path / 'nope')})
    assert missing.rc != 0 and 'exotel_export_dir %s does not exist' % (tmp_path / 'nope') in missing.output
    assert len(first.requests_log()) == count

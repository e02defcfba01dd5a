# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""A newcomer's mistakes, through ansible-playbook: each fails early, names the real cause, and
sends nothing it should not (judged by the emulator's request log)."""

import os
import socket
import subprocess
import sys
import time

import pytest
import yaml

from conftest import ACCOUNT, BIN, KEY, PAGED_TRUNK, ROOT, TOKEN, TRUNK, mapping_state

ARGS = {'trunk_sid': TRUNK, 'phone_number': '+918040264208', 'mode': 'flow'}
# What "fails fast" means for a connection failure with the default options (timeout 30, retries 5).
CONNECTION_FAILURE_BUDGET = 20


def closed_port():
    """A local TCP port nobody listens on."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(('127.0.0.1', 0))
    port = sock.getsockname()[1]
    sock.close()
    return port


@pytest.fixture
def timed(play):
    """Run a play and return ``(run, seconds the module spent beyond a play that sends no request)``.

    The start-up of ansible-playbook varies with the machine's load; a run refused before any
    request (an empty token) measures it, so that only the connection attempts are judged.
    """
    def run(*args, **kwargs):
        started = time.monotonic()
        play(dict(ARGS, api_token=''), emulator_url='http://127.0.0.1:1')
        overhead = time.monotonic() - started
        started = time.monotonic()
        result = play(*args, **kwargs)
        return result, time.monotonic() - started - overhead
    return run


# ------------------------------------------------------------------ authentication and api_url

def test_401_names_account_sid_among_the_causes(emulator, play):
    # A typo in the account SID is answered like a wrong key.
    result = play(dict(ARGS, account_sid='demo_acount'), emulator_url=emulator.url).result
    assert result['failed'] is True and result['http_status'] == 401 and result['error_code'] == 1010
    assert 'Check account_sid, api_key and api_token: a wrong account SID fails exactly like a wrong key' in result['msg']
    assert 'API keys are per region' in result['msg']


@pytest.mark.parametrize('suffix', ['/v2', '/v2/', '/v2/accounts/demo_account'])
def test_api_url_with_the_api_path_is_refused_before_any_request(emulator, play, suffix):
    result = play(ARGS, emulator_url=emulator.url + suffix).result
    assert result['failed'] is True
    assert result['msg'].startswith('api_url must be the base URL without the API path: remove "/v2')
    assert emulator.url + suffix in result['msg']
    assert emulator.requests_log() == []


def test_bad_api_url_from_the_environment_names_the_variable(emulator, play):
    run = play(ARGS, connection_args=False, env={'EXOTEL_API_URL': emulator.url + '/v2', 'EXOTEL_ACCOUNT_SID': ACCOUNT,
                                                 'EXOTEL_API_KEY': KEY, 'EXOTEL_API_TOKEN': TOKEN})
    assert run.result['msg'].startswith('api_url (from the environment variable EXOTEL_API_URL) must be the base URL')
    assert emulator.requests_log() == []


def test_bad_region_from_the_environment_names_the_variable(play):
    run = play(ARGS, connection_args=False, env={'EXOTEL_REGION': 'delhi', 'EXOTEL_ACCOUNT_SID': ACCOUNT,
                                                 'EXOTEL_API_KEY': KEY, 'EXOTEL_API_TOKEN': TOKEN})
    assert run.result['msg'] == ("region (from the environment variable EXOTEL_REGION) must be one of singapore, mumbai "
                                 "(in any case); got 'delhi'.")


def test_region_in_any_case(emulator, play):
    result = play(dict(ARGS, region='Mumbai', mode='pstn'), emulator_url=emulator.url).result
    assert result.get('failed') is not True and result['changed'] is False


@pytest.mark.parametrize('option, env', [('account_sid', 'EXOTEL_ACCOUNT_SID'), ('api_key', 'EXOTEL_API_KEY'),
                                         ('api_token', 'EXOTEL_API_TOKEN')])
def test_empty_credential_is_refused_naming_option_and_variable(emulator, play, option, env):
    # e.g. api_token: "{{ vault_exotel_token | default('') }}" with the vault variable unset
    result = play(dict(ARGS, **{option: ''}), emulator_url=emulator.url).result
    assert result['failed'] is True
    assert result['msg'].startswith('%s is empty: set it in the task (or module_defaults) or in the environment variable %s.'
                                    % (option, env))
    assert emulator.requests_log() == []


def test_empty_token_from_the_environment_names_the_variable(emulator, play):
    run = play(ARGS, connection_args=False, env={'EXOTEL_API_URL': emulator.url, 'EXOTEL_ACCOUNT_SID': ACCOUNT,
                                                 'EXOTEL_API_KEY': KEY, 'EXOTEL_API_TOKEN': ''})
    assert run.result['msg'].startswith('api_token (from the environment variable EXOTEL_API_TOKEN) is empty')
    assert emulator.requests_log() == []


# ------------------------------------------------------------------ connection failures, fast and in plain words

def test_connection_refused_fails_fast_and_says_so(timed):
    port = closed_port()
    run, seconds = timed(ARGS, emulator_url='http://127.0.0.1:%d' % port)
    assert run.result['failed'] is True
    assert run.result['msg'] == ('Could not reach Exotel at http://127.0.0.1:{0}: the connection to 127.0.0.1:{0} was '
                                 'refused: nothing is listening there. Check the host and port of api_url '
                                 '(ConnectionError).'.format(port))
    assert seconds < CONNECTION_FAILURE_BUDGET, seconds


def test_name_not_resolved_fails_fast_and_says_so(timed):
    run, seconds = timed(ARGS, emulator_url='https://no-such-host.invalid')
    assert run.result['failed'] is True
    assert run.result['msg'].startswith('Could not reach Exotel at https://no-such-host.invalid: the host name '
                                        'no-such-host.invalid could not be resolved')
    assert seconds < CONNECTION_FAILURE_BUDGET, seconds


def test_https_against_a_plain_http_server_fails_fast_and_says_so(emulator, timed):
    url = emulator.url.replace('http://', 'https://')
    run, seconds = timed(ARGS, emulator_url=url)
    msg = run.result['msg']
    assert run.result['failed'] is True
    assert msg.startswith('Could not reach Exotel at %s: the TLS handshake with %s failed (' % (url, url[len('https://'):]))
    assert 'Is it a plain-HTTP server (like the local emulator)? Then api_url must start with http://.' in msg
    assert seconds < CONNECTION_FAILURE_BUDGET, seconds


# ------------------------------------------------------------------ numbers

def test_number_mapped_nowhere_costs_two_requests(emulator, play):
    result = play(dict(ARGS, phone_number='+918040269999'), emulator_url=emulator.url).result
    assert result['msg'] == ('Phone number +918040269999 is not mapped to trunk %s. Map it to the trunk first. '
                             'The number lookup finds it on no trunk of the account.' % TRUNK)
    log = emulator.requests_log()
    assert [(e['method'], e['path'].rsplit('/', 1)[-1]) for e in log] == [('GET', 'trunk-maps'), ('GET', 'trunk-maps')]


def test_number_on_another_trunk_says_which(emulator, play):
    other = emulator.store.trunks[PAGED_TRUNK]['phone-numbers'][0]['phone_number']
    result = play(dict(ARGS, phone_number=other), emulator_url=emulator.url).result
    assert result['msg'].startswith('Phone number %s is not mapped to trunk %s: it is mapped to trunk %s.' % (
        other, TRUNK, PAGED_TRUNK))
    # The lookup on the trunk, the lookup across the account, and one page of the trunk to tell
    # "not on this trunk" from "no such trunk".
    assert [e['path'].rsplit('/', 1)[-1] for e in emulator.requests_log()] == ['trunk-maps', 'trunk-maps', 'phone-numbers']


def test_unknown_trunk_says_so_and_where_the_number_is(emulator, play):
    result = play(dict(ARGS, trunk_sid='trmum1doesnotexist00000000a1n'), emulator_url=emulator.url).result
    assert result['http_status'] == 404 and result['error_code'] == 1000
    assert result['msg'].startswith('Could not read the phone numbers of trunk trmum1doesnotexist00000000a1n: ')
    assert 'Check trunk_sid: the trunk trmum1doesnotexist00000000a1n does not exist in account' in result['msg']
    assert result['msg'].endswith('Phone number +918040264208 is mapped to trunk %s.' % TRUNK)


def test_numbers_take_plain_e164_strings(emulator, play):
    result = play({'trunk_sid': TRUNK, 'mode': 'flow',
                   'numbers': ['+918040264208', {'phone_number': '+918040264210', 'mode': 'pstn'}]},
                  emulator_url=emulator.url).result
    assert result['changed'] is True and result['changed_numbers'] == ['+918040264208']
    assert mapping_state(emulator, '41523')['mode'] == 'flow'
    assert mapping_state(emulator, '41525')['mode'] is None     # null is pstn already: not written


def run_yaml_play(collections_path, tmp_path, text, url, *options):
    """ansible-playbook on a playbook written as YAML text (to see what YAML itself does to a value)."""
    (tmp_path / 'play.yml').write_text(text)
    (tmp_path / 'inventory.yml').write_text(yaml.safe_dump({'all': {'hosts': {'localhost': {
        'ansible_connection': 'local', 'ansible_python_interpreter': sys.executable}}}}))
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=collections_path, ANSIBLE_NOCOLOR='1',
               ANSIBLE_LOCAL_TEMP=str(tmp_path / 'tmp'), EXOTEL_API_URL=url, EXOTEL_ACCOUNT_SID=ACCOUNT,
               EXOTEL_API_KEY=KEY, EXOTEL_API_TOKEN=TOKEN, PATH=BIN + os.pathsep + os.environ.get('PATH', ''))
    return subprocess.run([os.path.join(BIN, 'ansible-playbook'), '-i', str(tmp_path / 'inventory.yml'),
                           str(tmp_path / 'play.yml')] + list(options), stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, env=env, universal_newlines=True, timeout=600, check=False)


@pytest.mark.parametrize('task', [
    '        phone_number: +918040264208\n        mode: flow\n',
    '        mode: flow\n        numbers:\n          - +918040264208\n',
], ids=['phone_number', 'numbers'])
def test_unquoted_phone_number_says_to_quote_it(emulator, collections_path, tmp_path, task):
    text = ('- hosts: localhost\n  gather_facts: false\n  tasks:\n'
            '    - exotel.trunking.exotel_number_mode:\n        trunk_sid: %s\n%s' % (TRUNK, task))
    proc = run_yaml_play(collections_path, tmp_path, text, emulator.url)
    assert proc.returncode != 0
    assert ('It looks like a number without its "+": YAML reads an unquoted +918040264208 as the integer '
            '918040264208. Quote it: "+918040264208".') in proc.stdout
    assert emulator.requests_log() == []


# ------------------------------------------------------------------ check mode with a trunk that does not exist yet

def test_trunk_example_chains_a_new_trunk_under_check_mode(emulator, collections_path, tmp_path):
    """exotel_trunk's first example (create a trunk, use its SID in later tasks) runs under --check
    for a trunk that does not exist yet, writes nothing, and then really runs."""
    source = open(os.path.join(ROOT, 'plugins', 'modules', 'exotel_trunk.py'), encoding='utf-8').read()
    example = yaml.safe_load(source.split("EXAMPLES = r'''", 1)[1].split("'''", 1)[0])[0]
    assert '{{ trunk.trunk.trunk_sid }}' in yaml.safe_dump(example)   # it does chain the new SID
    playbook = yaml.safe_dump([{'hosts': 'localhost', 'gather_facts': False,
                                'vars': {'exotel_sid': ACCOUNT, 'exotel_key': KEY, 'exotel_token': TOKEN},
                                'tasks': [example]}])
    check = run_yaml_play(collections_path, tmp_path, playbook, emulator.url, '--check')
    assert check.returncode == 0 and 'failed=0' in check.stdout, check.stdout
    assert 'changed=1' in check.stdout
    assert [e['method'] for e in emulator.requests_log()] == ['GET']     # the trunk list, nothing written
    real = run_yaml_play(collections_path, tmp_path, playbook, emulator.url)
    assert real.returncode == 0 and 'failed=0' in real.stdout, real.stdout
    created = [t for t in emulator.store.trunks.values() if t['trunk']['trunk_name'] == 'voice_ai_prod']
    assert len(created) == 1 and [i['ip'] for i in created[0]['whitelisted-ips']] == ['203.0.113.10']

# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The "Exotel API" credential type of Automation Controller: its files, and the contract a job relies on.

Controller renders the injectors with the credential's inputs and starts the job through ansible-runner
with the resulting environment. Here ansible_runner.run does the same with that environment: the modules
must pick the credentials up, and the token must appear in no job event.
"""

import ast
import json
import os
import sys

import pytest
import yaml
from jinja2 import StrictUndefined
from jinja2.sandbox import ImmutableSandboxedEnvironment

from conftest import ACCOUNT, KEY, ROOT, TOKEN, TRUNK

ansible_runner = pytest.importorskip('ansible_runner')

TYPE_DIR = os.path.join(ROOT, 'extensions', 'controller', 'credential_types', 'exotel_api')


def load(name):
    with open(os.path.join(TYPE_DIR, name), encoding='utf-8') as handle:
        return yaml.safe_load(handle)


def module_env_vars():
    """ENV_VARS of plugins/module_utils/_options.py: the variable each connection option falls back to."""
    with open(os.path.join(ROOT, 'plugins', 'module_utils', '_options.py'), encoding='utf-8') as handle:
        tree = ast.parse(handle.read())
    for node in tree.body:
        if isinstance(node, ast.Assign) and [t.id for t in node.targets if isinstance(t, ast.Name)] == ['ENV_VARS']:
            return ast.literal_eval(node.value)
    raise AssertionError('ENV_VARS not found in _options.py')


def inject(values):
    """The environment Controller injects: fields missing from the credential take their default or ''."""
    namespace = dict((f['id'], f.get('default', '')) for f in load('inputs.yml')['fields'])
    namespace.update(values)
    env = ImmutableSandboxedEnvironment(undefined=StrictUndefined)
    return dict((k, env.from_string(v).render(namespace)) for k, v in load('injectors.yml')['env'].items())


def test_inputs_are_the_connection_options_and_the_token_is_secret():
    inputs = load('inputs.yml')
    fields = dict((f['id'], f) for f in inputs['fields'])
    assert sorted(fields) == sorted(module_env_vars())
    assert [f for f in fields if fields[f].get('secret')] == ['api_token']
    assert sorted(inputs['required']) == ['account_sid', 'api_key', 'api_token']
    assert fields['region']['choices'] == ['singapore', 'mumbai'] and fields['region']['default'] == 'singapore'
    assert all(f['type'] == 'string' and f['label'] and f['help_text'] for f in fields.values())
    assert sorted(load('injectors.yml')) == ['env']


def test_injectors_set_the_variables_the_modules_read():
    env = inject({'account_sid': 'acc', 'api_key': 'key', 'api_token': 'tok', 'region': 'mumbai', 'api_url': 'https://x.example'})
    assert env == dict((module_env_vars()[name], value) for name, value in (
        ('account_sid', 'acc'), ('api_key', 'key'), ('api_token', 'tok'), ('region', 'mumbai'), ('api_url', 'https://x.example')))


def test_injectors_without_optional_inputs():
    env = inject({'account_sid': 'acc', 'api_key': 'key', 'api_token': 'tok', 'region': ''})
    assert (env['EXOTEL_REGION'], env['EXOTEL_API_URL']) == ('singapore', '')


PLAYBOOK = [{
    'name': 'A job that takes its Exotel connection from the credential', 'hosts': 'localhost', 'gather_facts': False,
    'tasks': [
        {'name': 'Route the numbers to the bot', 'exotel.trunking.exotel_number_mode': {
            'trunk_sid': TRUNK, 'mode': 'flow', 'numbers': ['+918040264208', '+918040264210']}, 'register': 'first'},
        {'name': 'Again: nothing to change', 'exotel.trunking.exotel_number_mode': {
            'trunk_sid': TRUNK, 'mode': 'flow', 'numbers': ['+918040264208', '+918040264210']}, 'register': 'again'},
        {'name': 'A failure (unknown trunk) says what failed, not the token', 'exotel.trunking.exotel_number_mode': {
            'trunk_sid': 'trnosuchtrunk', 'phone_number': '+918040264208', 'mode': 'pstn'},
         'register': 'refused', 'ignore_errors': True},
        {'name': 'Show the results', 'ansible.builtin.debug': {'msg': '{{ [first.changed, again.changed, refused.failed, refused.msg] }}'}},
    ],
}]


@pytest.mark.parametrize('verbosity', [0, 4])
def test_a_job_with_the_injected_environment_uses_it_and_never_shows_the_token(emulator, collections_path, tmp_path, verbosity):
    env = inject({'account_sid': ACCOUNT, 'api_key': KEY, 'api_token': TOKEN, 'api_url': emulator.url})
    env.update(ANSIBLE_COLLECTIONS_PATH=collections_path, ANSIBLE_NOCOLOR='1', ANSIBLE_LOCAL_TEMP=str(tmp_path / 'tmp'),
               ANSIBLE_DEPRECATION_WARNINGS='False')
    project = tmp_path / 'project'
    project.mkdir()
    (project / 'job.yml').write_text(json.dumps(PLAYBOOK))
    inventory = {'all': {'hosts': {'localhost': {'ansible_connection': 'local', 'ansible_python_interpreter': sys.executable}}}}
    for name in module_env_vars().values():
        assert name not in os.environ, '%s is set in the test environment' % name

    run = ansible_runner.run(private_data_dir=str(tmp_path), playbook='job.yml', inventory=inventory, envvars=env,
                             quiet=True, verbosity=verbosity)

    events = list(run.events)
    assert (run.status, run.rc) == ('successful', 0), run.stdout.read()
    results = dict((e['event_data']['task'], dict(e['event_data']['res'], event=e['event'])) for e in events
                   if e['event'] in ('runner_on_ok', 'runner_on_failed'))
    assert results['Route the numbers to the bot']['changed'] is True
    assert sorted(results['Route the numbers to the bot']['changed_numbers']) == ['+918040264208', '+918040264210']
    assert results['Again: nothing to change']['changed'] is False
    refused = results['A failure (unknown trunk) says what failed, not the token']
    assert (refused['event'], refused['http_status'], refused['error_code']) == ('runner_on_failed', 404, 1000)
    assert refused['msg'].startswith('Could not read the phone numbers of trunk trnosuchtrunk: ')
    assert {e['user'] for e in emulator.requests_log()} == {KEY}
    assert [e['method'] for e in emulator.requests_log()].count('PUT') == 2

    # The token in no event (every field of every event, stdout included) and not in the job's output.
    leaked = [e['event'] for e in events if TOKEN in json.dumps(e)]
    assert leaked == []
    assert len(events) > 10
    stdout = run.stdout.read()
    assert 'trnosuchtrunk' in stdout and TOKEN not in stdout
    if verbosity:
        assert 'VALUE_SPECIFIED_IN_NO_LOG_PARAMETER' in stdout or '********' in stdout

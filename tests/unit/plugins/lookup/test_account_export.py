# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The account_export lookup: an export directory checked before any request, every problem named by file and key."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

try:  # ansible-core 2.19+: importing controller code marks the process as the controller, which makes
    from ansible.module_utils import _internal   # modules' warnings go to the display instead of their results.
except ImportError:  # ansible-core < 2.19
    _internal = None
CONTROLLER = getattr(_internal, 'is_controller', None)

from ansible.errors import AnsibleError  # noqa: E402  pylint: disable=wrong-import-position

from ansible_collections.exotel.trunking.plugins.lookup.account_export import LookupModule, read_export  # noqa: E402

if _internal is not None:   # the module tests collected in the same process keep their warnings
    _internal.is_controller = CONTROLLER

SUPPORT = '''sip_trunk_definition:
  name: "support_trunk"
  nso_code: "ANY-ANY"
  numbers:
    - phone_number: "+918040264208"
      mode: "pstn"
    - phone_number: "+918040264210"
  acl:
    - ip: "44.248.146.11"
      mask: 32
  destinations:
    - destination: "sip.company.com:5061;transport=tls"
      priority: 0
      weight: 1
  credentials:
    - user_name: "pbx_user"
      password: "{{ vault_exotel_password_support_trunk_pbx_user | default(omit) }}"
      update_password: on_create
    - user_name: "pbx_two"
      password: "{{ vault_two }}"
    - user_name: "pbx_none"
  alias: "+918040264208"
'''
EXOPHONES = '''exotel_exophones:
  - phone_number: "+918040264208"
    friendly_name: "Support line"
    voice_app_id: "245678"
  - phone_number: "+918040264209"
    voice_app_id: 245679
'''


def export(tmp_path, trunks=None, exophones=EXOPHONES):
    (tmp_path / 'trunks').mkdir()
    for name, text in (trunks if trunks is not None else {'support_trunk.yml': SUPPORT}).items():
        (tmp_path / 'trunks' / name).write_text(text)
    if exophones is not None:
        (tmp_path / 'exophones.yml').write_text(exophones)
    return str(tmp_path)


def problems(tmp_path, **kw):
    directory = export(tmp_path, **kw)
    with pytest.raises(AnsibleError) as info:
        read_export(directory)
    return info.value.message, directory


def test_a_good_export_is_summed_up_without_passwords(tmp_path):
    directory = export(tmp_path)
    summary = read_export(directory, {'vault_two': 'Secret_1'})
    assert summary == {
        'dir': directory, 'exophones': 2, 'exophones_path': directory + '/exophones.yml',
        'trunks': [{'name': 'support_trunk', 'numbers': 2, 'file': 'trunks/support_trunk.yml',
                    'path': directory + '/trunks/support_trunk.yml', 'credentials': [
                        {'user_name': 'pbx_user', 'password_var': 'vault_exotel_password_support_trunk_pbx_user',
                         'defined': False},
                        {'user_name': 'pbx_two', 'password_var': 'vault_two', 'defined': True},
                        {'user_name': 'pbx_none', 'password_var': None, 'defined': False}]}]}
    assert 'Secret_1' not in str(summary)


def test_the_lookup_returns_one_summary(tmp_path):
    directory = export(tmp_path, exophones=None)
    assert LookupModule().run([directory], {}) == [read_export(directory)]


def test_a_missing_directory_is_named(tmp_path):
    with pytest.raises(AnsibleError) as info:
        read_export(str(tmp_path / 'nope'))
    assert info.value.message == ('exotel_export_dir %s does not exist or is not a directory. Run exotel.trunking.export '
                                  'to write one, or check the path.' % (tmp_path / 'nope'))


def test_an_empty_directory_is_not_an_export(tmp_path):
    with pytest.raises(AnsibleError) as info:
        read_export(str(tmp_path))
    assert 'holds no export: expected trunks/<name>.yml files and/or exophones.yml' in info.value.message


def test_a_file_that_is_not_yaml_is_named(tmp_path):
    message, directory = problems(tmp_path, trunks={'support_trunk.yml': 'sip_trunk_definition: [unclosed\n'})
    assert message.startswith('%s/trunks/support_trunk.yml is not valid YAML: ' % directory)
    assert 'line' in message


@pytest.mark.parametrize('text, expected', [
    (SUPPORT.replace('      mode: "pstn"', '      mdoe: "pstn"'),
     'trunks/support_trunk.yml: sip_trunk_definition.numbers[0].mdoe: unknown key (known: phone_number, mode).'),
    (SUPPORT.replace('- phone_number: "+918040264210"', '- phone_number: +918040264210'),
     ('trunks/support_trunk.yml: sip_trunk_definition.numbers[1].phone_number: must be a string; got the integer '
      '918040264210. YAML reads an unquoted +918040264208 as the integer 918040264208: quote it, "+918040264208".')),
    (SUPPORT + 'extra: 1\n', 'trunks/support_trunk.yml: extra: unknown key (the file holds only sip_trunk_definition).'),
    (SUPPORT.replace('name: "support_trunk"', 'name: "other_trunk"'),
     ("trunks/support_trunk.yml: sip_trunk_definition.name: is 'other_trunk', but the file is named support_trunk.yml: "
      'name the file other_trunk.yml, or the trunk support_trunk.')),
    (SUPPORT.replace('"{{ vault_two }}"', 'Hunter_2'),
     ('trunks/support_trunk.yml: sip_trunk_definition.credentials[1].password: must be a variable reference such as '
      '"{{ vault_exotel_password | default(omit) }}" (keep the password in Ansible Vault, not in this file); the value '
      'is not shown.')),
    (SUPPORT.replace('mode: "pstn"', 'mode: "bot"'),
     "trunks/support_trunk.yml: sip_trunk_definition.numbers[0].mode: must be one of pstn, flow; got 'bot'."),
    (SUPPORT.replace('mask: 32', 'mask: "32"'),
     "trunks/support_trunk.yml: sip_trunk_definition.acl[0].mask: must be an integer; got '32'."),
    (SUPPORT.replace('"+918040264210"', '"918040264210"'),
     ('trunks/support_trunk.yml: sip_trunk_definition.numbers[1].phone_number: must be an E.164 phone number, "+" then 8 '
      "to 15 digits; got '918040264210'.")),
    ('- 1\n', 'trunks/support_trunk.yml: (top level): must be a mapping with the one key sip_trunk_definition; got list.'),
])
def test_a_bad_trunk_file_is_named_by_file_and_key(tmp_path, text, expected):
    message, directory = problems(tmp_path, trunks={'support_trunk.yml': text})
    assert message == 'The export in %s has 1 problem(s); nothing was sent to Exotel. %s/%s' % (
        directory, directory, expected)
    assert 'Hunter_2' not in message


def test_a_number_on_two_trunks_is_named_with_both_files(tmp_path):
    other = SUPPORT.replace('support_trunk', 'other_trunk').replace('+918040264210', '+918040264299')
    message, directory = problems(tmp_path, trunks={'support_trunk.yml': SUPPORT, 'other_trunk.yml': other})
    assert message == (
        'The export in %s has 1 problem(s); nothing was sent to Exotel. %s/trunks/support_trunk.yml: '
        'sip_trunk_definition.numbers[0].phone_number: +918040264208 is also listed in %s/trunks/other_trunk.yml '
        '(sip_trunk_definition.numbers[0].phone_number): a number can be on one trunk only.' % (
            directory, directory, directory))


def test_every_problem_is_named_at_once(tmp_path):
    bad_exophones = EXOPHONES + '  - phone_number: "+918040264208"\n    voice_app_id: "x"\n'
    message, directory = problems(tmp_path, trunks={'support_trunk.yml': SUPPORT.replace('mode: "pstn"', 'mode: 1'),
                                                    'notes.txt': 'hello'}, exophones=bad_exophones)
    assert message.startswith('The export in %s has 4 problem(s)' % directory)
    for part in ('%s/exophones.yml: exotel_exophones[2].voice_app_id: must be a flow (app) id of digits' % directory,
                 '%s/exophones.yml: exotel_exophones[2].phone_number: +918040264208 is listed more than once (also '
                 'exotel_exophones[0].phone_number).' % directory,
                 '%s/trunks/notes.txt: (file): is not a trunk file' % directory,
                 'sip_trunk_definition.numbers[0].mode: must be a string; got the integer 1. Quote it.'):
        assert part in message

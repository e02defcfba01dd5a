# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
---
name: account_export
short_description: Read and check a directory written by the exotel.trunking.export playbook
version_added: 0.1.0
author:
  - exotel.trunking contributors (@exotel-trunking)
description:
  - Reads the directory the C(exotel.trunking.export) playbook writes (C(trunks/<name>.yml), each holding a
    C(sip_trunk_definition), and C(exophones.yml), holding C(exotel_exophones)) and checks every file against what
    the C(exotel.trunking.sip_trunk) role and M(exotel.trunking.exotel_exophone) take, before anything is sent to
    Exotel. The C(exotel.trunking.apply) playbook uses it first.
  - 'Every problem names the file and the key: a missing directory, a file that is not YAML, an unknown key, a value
    of the wrong type (an unquoted phone number, which YAML reads as an integer), a number listed on two trunks, a
    trunk file whose name is not the trunk inside, a password that is not a variable reference.'
  - Returns a summary of the directory, never a password.
options:
  _terms:
    description: The directory (one).
    type: path
    required: true
'''

EXAMPLES = r'''
- name: Check an export directory and show its trunks
  ansible.builtin.debug:
    msg: "{{ lookup('exotel.trunking.account_export', 'account/') .trunks | map(attribute='name') | list }}"
'''

RETURN = r'''
_raw:
  description: One summary of the directory.
  type: list
  elements: dict
  contains:
    dir:
      description: The directory, as an absolute path.
      type: str
    trunks:
      description:
        - One entry per trunk file, sorted by trunk name, with C(name), C(file) (relative to the directory),
          C(path), C(numbers) (how many), and C(credentials), a list of C(user_name), C(password_var) (the variable
          its password refers to, or null) and C(defined) (whether that variable is defined).
      type: list
      elements: dict
    exophones:
      description: How many ExoPhones C(exophones.yml) lists (0 when there is no such file).
      type: int
    exophones_path:
      description: The path of C(exophones.yml), or null when there is none.
      type: str
'''

import os
import re

import yaml

from ansible.errors import AnsibleError
from ansible.plugins.lookup import LookupBase

ROLE_SPEC = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                         'roles', 'sip_trunk', 'meta', 'argument_specs.yml')
TRUNK_KEY = 'sip_trunk_definition'
EXOPHONES_KEY = 'exotel_exophones'
E164_RE = re.compile(r'^\+[0-9]{8,15}$')
DIGITS_RE = re.compile(r'^[0-9]{1,20}$')
PASSWORD_RE = re.compile(r'^\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*(\|\s*default\(\s*omit\s*\)\s*)?\}\}$')
EXOPHONE_SPEC = {
    'phone_number': {'type': 'str', 'required': True},
    'friendly_name': {'type': 'str'},
    'voice_app_id': {'type': 'app_id'},
    'voice_url': {'type': 'str'},
    'sms_app_id': {'type': 'app_id'},
    'sms_url': {'type': 'str'},
}
TYPES = {'str': 'a string', 'int': 'an integer', 'bool': 'true or false', 'list': 'a list', 'dict': 'a mapping',
         'app_id': 'a flow (app) id of digits, e.g. "245678"'}


def _is(value, kind):
    if kind == 'str':
        return isinstance(value, str)
    if kind == 'int':
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == 'bool':
        return isinstance(value, bool)
    if kind == 'list':
        return isinstance(value, list)
    if kind == 'dict':
        return isinstance(value, dict)
    if kind == 'app_id':
        return (isinstance(value, int) and not isinstance(value, bool) and value >= 0) or \
            (isinstance(value, str) and bool(DIGITS_RE.match(value)))
    return True


def _shown(value):
    if isinstance(value, bool):
        return 'true' if value else 'false'
    if isinstance(value, int):
        return 'the integer %d' % value
    return repr(value)


class Checker(object):
    """Checks parsed files against an argument spec; collects every problem as ``<file>: <key>: <what>``."""

    def __init__(self):
        self.problems = []

    def problem(self, where, key, text):
        self.problems.append('%s: %s: %s' % (where, key, text))

    def value(self, where, key, value, spec):
        kind = spec.get('type', 'str')
        if value is None:
            if spec.get('required'):
                self.problem(where, key, 'is required.')
            return
        if not _is(value, kind):
            hint = ''
            if kind == 'str' and isinstance(value, int) and not isinstance(value, bool):
                hint = (' YAML reads an unquoted +918040264208 as the integer 918040264208: quote it, '
                        '"+918040264208".' if len(str(abs(value))) >= 8 else ' Quote it.')
            self.problem(where, key, 'must be %s; got %s.%s' % (TYPES.get(kind, kind), _shown(value), hint))
            return
        if spec.get('choices') and value not in spec['choices']:
            self.problem(where, key, 'must be one of %s; got %s.' % (', '.join(str(c) for c in spec['choices']),
                                                                     _shown(value)))
        if kind == 'list' and spec.get('options'):
            for index, item in enumerate(value):
                if not isinstance(item, dict):
                    self.problem(where, '%s[%d]' % (key, index), 'must be a mapping; got %s.' % _shown(item))
                    continue
                self.mapping(where, '%s[%d]' % (key, index), item, spec['options'])
        elif kind == 'dict' and spec.get('options'):
            self.mapping(where, key, value, spec['options'])

    def mapping(self, where, key, value, options):
        unknown = sorted(str(k) for k in value if k not in options)
        for name in unknown:
            self.problem(where, '%s.%s' % (key, name), 'unknown key (known: %s).' % ', '.join(options))
        for name, spec in options.items():
            self.value(where, '%s.%s' % (key, name), value.get(name), spec)

    def phone(self, where, key, value):
        if isinstance(value, str) and not E164_RE.match(value):
            self.problem(where, key, 'must be an E.164 phone number, "+" then 8 to 15 digits; got %r.' % value)


def _load(path, shown):
    try:
        with open(path, 'rb') as handle:
            data = yaml.safe_load(handle.read().decode('utf-8'))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise AnsibleError('%s is not valid YAML: %s' % (shown, str(exc).replace('\n', ' ')))
    except (IOError, OSError) as exc:
        raise AnsibleError('%s cannot be read: %s' % (shown, exc))
    return data


def _top(checker, shown, data, key):
    """The value under the one top-level ``key`` of a file, or None (a problem is recorded)."""
    if not isinstance(data, dict):
        checker.problem(shown, '(top level)', 'must be a mapping with the one key %s; got %s.' % (
            key, 'an empty file' if data is None else data.__class__.__name__))
        return None
    for name in sorted(str(k) for k in data if k != key):
        checker.problem(shown, name, 'unknown key (the file holds only %s).' % key)
    if key not in data:
        checker.problem(shown, key, 'is missing.')
    return data.get(key)


def read_role_spec():
    with open(ROLE_SPEC, 'rb') as handle:
        return yaml.safe_load(handle.read())['argument_specs']['main']['options'][TRUNK_KEY]


def check_trunk(checker, shown, data, spec, variables, seen_numbers):
    """One trunk file: returns its summary (None when its definition is not usable)."""
    definition = _top(checker, shown, data, TRUNK_KEY)
    if definition is None:
        return None
    before = len(checker.problems)
    checker.value(shown, TRUNK_KEY, definition, spec)
    if len(checker.problems) > before or not isinstance(definition, dict):
        return None
    name = definition['name']
    stem = os.path.basename(shown)[:-len('.yml')]
    if name != stem:
        checker.problem(shown, TRUNK_KEY + '.name', 'is %r, but the file is named %s.yml: name the file %s.yml, or '
                        'the trunk %s.' % (name, stem, name, stem))
    for index, number in enumerate(definition.get('numbers') or []):
        key = '%s.numbers[%d].phone_number' % (TRUNK_KEY, index)
        phone = number['phone_number']
        checker.phone(shown, key, phone)
        if phone in seen_numbers:
            checker.problem(shown, key, '%s is also listed in %s: a number can be on one trunk only.' % (
                phone, seen_numbers[phone]))
        else:
            seen_numbers[phone] = '%s (%s)' % (shown, key)
    if definition.get('alias') is not None:
        checker.phone(shown, TRUNK_KEY + '.alias', definition['alias'])
    credentials = []
    for index, credential in enumerate(definition.get('credentials') or []):
        password, var = credential.get('password'), None
        if password is not None:
            match = PASSWORD_RE.match(password)
            if match is None:
                checker.problem(shown, '%s.credentials[%d].password' % (TRUNK_KEY, index),
                                'must be a variable reference such as "{{ vault_exotel_password | default(omit) }}" '
                                '(keep the password in Ansible Vault, not in this file); the value is not shown.')
            else:
                var = match.group(1)
        credentials.append({'user_name': credential['user_name'], 'password_var': var,
                            'defined': var is not None and var in (variables or {})})
    return {'name': name, 'numbers': len(definition.get('numbers') or []), 'credentials': credentials}


def check_exophones(checker, shown, data):
    entries = _top(checker, shown, data, EXOPHONES_KEY)
    if entries is None:
        return 0
    checker.value(shown, EXOPHONES_KEY, entries, {'type': 'list', 'options': EXOPHONE_SPEC})
    seen = {}
    for index, entry in enumerate(entries if isinstance(entries, list) else []):
        key = '%s[%d].phone_number' % (EXOPHONES_KEY, index)
        phone = entry.get('phone_number') if isinstance(entry, dict) else None
        checker.phone(shown, key, phone)
        if isinstance(phone, str) and phone in seen:
            checker.problem(shown, key, '%s is listed more than once (also %s).' % (phone, seen[phone]))
        seen.setdefault(phone, key)
    return len(entries) if isinstance(entries, list) else 0


def read_export(directory, variables=None):
    """The summary of an export directory; raises AnsibleError naming every problem (file and key)."""
    base = os.path.abspath(os.path.expanduser(directory))
    if not os.path.isdir(base):
        raise AnsibleError('exotel_export_dir %s does not exist or is not a directory. Run exotel.trunking.export '
                           'to write one, or check the path.' % directory)
    trunk_dir = os.path.join(base, 'trunks')
    names = sorted(os.listdir(trunk_dir)) if os.path.isdir(trunk_dir) else []
    exophones_path = os.path.join(base, 'exophones.yml')
    if not names and not os.path.isfile(exophones_path):
        raise AnsibleError('exotel_export_dir %s holds no export: expected trunks/<name>.yml files and/or '
                           'exophones.yml, as exotel.trunking.export writes them.' % directory)
    checker, spec, seen_numbers, trunks = Checker(), read_role_spec(), {}, []
    for name in names:
        if name.startswith('.'):
            continue
        shown = os.path.join(directory, 'trunks', name)
        if not name.endswith('.yml') or not os.path.isfile(os.path.join(trunk_dir, name)):
            checker.problem(shown, '(file)', 'is not a trunk file: trunks/ holds only <trunk name>.yml files.')
            continue
        summary = check_trunk(checker, shown, _load(os.path.join(trunk_dir, name), shown), spec, variables, seen_numbers)
        if summary is not None:
            summary.update(file='trunks/' + name, path=os.path.join(trunk_dir, name))
            trunks.append(summary)
    exophones = 0
    if os.path.isfile(exophones_path):
        shown = os.path.join(directory, 'exophones.yml')
        exophones = check_exophones(checker, shown, _load(exophones_path, shown))
    if checker.problems:
        raise AnsibleError('The export in %s has %d problem(s); nothing was sent to Exotel. %s' % (
            directory, len(checker.problems), ' '.join(checker.problems)))
    return {'dir': base, 'trunks': sorted(trunks, key=lambda t: t['name']), 'exophones': exophones,
            'exophones_path': exophones_path if os.path.isfile(exophones_path) else None}


class LookupModule(LookupBase):

    def run(self, terms, variables=None, **kwargs):
        if len(terms) != 1 or not isinstance(terms[0], str) or not terms[0].strip():
            raise AnsibleError('account_export takes one directory (exotel_export_dir); got %r.' % (terms,))
        return [read_export(terms[0], variables)]

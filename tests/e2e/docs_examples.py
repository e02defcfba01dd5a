# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The YAML examples of the docs, found where a reader finds them (test_docs_examples.py runs them).

Sources: the ``yaml`` / ``yml`` / ``yaml+jinja`` fenced blocks of README.md, roles/*/README.md and
tests/emulator/README.md, the ``.. code-block:: yaml`` / ``yaml+jinja`` blocks of docs/docsite/rst/*.rst,
and the ``EXAMPLES`` of every module in plugins/modules/.

Each example is a play list (``hosts`` or ``import_playbook`` in its items: run as it is), a task list
(run inside a play on localhost), a rulebook (``sources`` and ``rules``: ansible-playbook cannot run
it, so it needs a ``not-run`` marker) or data (a mapping: a vars file, an inventory, an event; only
parsed). Markers, right before the block (blank lines between are allowed), one directive a line:

- rst ``.. docs-test: DIRECTIVE``, markdown ``<!-- docs-test: DIRECTIVE -->``, and in ``EXAMPLES`` a
  YAML comment ``# docs-test: DIRECTIVE`` before its first task;
- ``not-run REASON``: not run (a real account needed, a deliberately failing snippet, a fragment);
  the test reports it skipped with REASON;
- ``vars NAME=VALUE ...``: extra variables a reader would give (a vault secret, ``-e`` on the
  command line); ``{emulator}`` in a value is the emulator's base URL;
- ``playbook NAME [NAME=VALUE ...]``: the block is a vars file for the playbook NAME (such as
  ``exotel.trunking.failover_route``), run with ``-e @`` the block and the variables given.
"""

import ast
import glob
import os
import re
from collections import namedtuple

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# source: path from the repository root; line: the example's first line in it (1-based)
Example = namedtuple('Example', 'source line text kind not_run extra_vars vars_for')

MARKER = re.compile(r'^\s*(?:\.\. |<!-- |# )docs-test: (?P<directive>.*?)\s*(?:-->)?\s*$')
RST_BLOCK = re.compile(r'^(?P<indent>\s*)\.\. code-block:: (?:yaml|yaml\+jinja)\s*$')
MD_FENCE = re.compile(r'^\s*```(?:yaml|yml|yaml\+jinja)\s*$')


def kind_of(text):
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        return 'invalid'
    if isinstance(data, list) and data and all(isinstance(item, dict) for item in data):
        if any('sources' in item and 'rules' in item for item in data):
            return 'rulebook'
        if any(set(item) & {'hosts', 'import_playbook', 'ansible.builtin.import_playbook'} for item in data):
            return 'playbook'
        return 'tasks'
    return 'data'


def markers(lines, index):
    """The markers on the lines right before lines[index] (blank lines skipped): (not_run, extra_vars, vars_for)."""
    not_run, extra_vars, vars_for = None, {}, None
    index -= 1
    while index >= 0 and (not lines[index].strip() or MARKER.match(lines[index])):
        match = MARKER.match(lines[index])
        index -= 1
        if not match:
            continue
        word, _sep, rest = match.group('directive').partition(' ')
        if word == 'not-run' and rest.strip():
            not_run = rest.strip()
        elif word in ('vars', 'playbook') and rest.strip() and all('=' in pair for pair in rest.split()[word == 'playbook':]):
            pairs = rest.split()
            if word == 'playbook':
                vars_for = pairs.pop(0)
            extra_vars.update(pair.split('=', 1) for pair in pairs)
        else:
            raise ValueError('unknown docs-test marker %r (not-run REASON, vars NAME=VALUE ..., playbook NAME [NAME=VALUE ...])'
                             % match.group(0).strip())
    return not_run, extra_vars, vars_for


def example(source, line, text, marks):
    return Example(source, line, text, kind_of(text), *marks)


def from_rst(source, lines):
    for number, line in enumerate(lines):
        match = RST_BLOCK.match(line)
        if not match:
            continue
        outer = len(match.group('indent'))
        end = number + 1
        while end < len(lines) and (not lines[end].strip() or len(lines[end]) - len(lines[end].lstrip()) > outer):
            end += 1
        body = [text for text in lines[number + 1:end] if not re.match(r'^\s*:[\w-]+:', text)]   # options
        first = next((i for i in range(number + 1, end) if lines[i].strip() and not re.match(r'^\s*:[\w-]+:', lines[i])), number + 1)
        indent = min(len(text) - len(text.lstrip()) for text in body if text.strip())
        text = '\n'.join(text[indent:] for text in body).strip('\n') + '\n'
        yield example(source, first + 1, text, markers(lines, number))


def from_markdown(source, lines):
    number = 0
    while number < len(lines):
        if MD_FENCE.match(lines[number]):
            end = next((i for i in range(number + 1, len(lines)) if lines[i].strip().startswith('```')), len(lines))
            yield example(source, number + 2, '\n'.join(lines[number + 1:end]) + '\n', markers(lines, number))
            number = end
        number += 1


def from_module(source, text):
    for node in ast.parse(text).body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], 'id', None) == 'EXAMPLES':
            body = node.value.value
            lines = body.split('\n')
            first = next((i for i, line in enumerate(lines) if line.strip() and not MARKER.match(line)), 0)
            # The string starts on the line of EXAMPLES = r'''; its first line break ends that line.
            yield example(source, node.lineno + first, body, markers(lines, first))


def collect(root=ROOT):
    """Every example, in a stable order."""
    found = []
    for pattern, reader in (('README.md', from_markdown), ('roles/*/README.md', from_markdown),
                            ('tests/emulator/README.md', from_markdown), ('docs/docsite/rst/*.rst', from_rst)):
        for path in sorted(glob.glob(os.path.join(root, pattern))):
            with open(path, encoding='utf-8') as handle:
                found.extend(reader(os.path.relpath(path, root), handle.read().split('\n')))
    for path in sorted(glob.glob(os.path.join(root, 'plugins', 'modules', '*.py'))):
        with open(path, encoding='utf-8') as handle:
            found.extend(from_module(os.path.relpath(path, root), handle.read()))
    return found


def playbook(item):
    """The example as a playbook: a task list goes into a play on localhost; a vars file imports its playbook."""
    if item.vars_for:
        return '- name: Docs example %s:%d\n  ansible.builtin.import_playbook: %s\n' % (item.source, item.line, item.vars_for)
    if item.kind != 'tasks':
        return item.text
    tasks = ''.join(('    ' + line if line.strip() else '') + '\n' for line in item.text.strip('\n').split('\n'))
    return '- name: Docs example %s:%d\n  hosts: localhost\n  gather_facts: false\n  tasks:\n%s' % (item.source, item.line, tasks)

# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Check that meta/runtime.yml action_groups.exotel lists exactly the collection's modules.

Every plugins/modules/*.py (except __init__.py) that talks to Exotel must be in the group, so that
`module_defaults: group/exotel.trunking.exotel` reaches it, and every entry of the group must be
a module that exists. Entries may be short names or FQCNs of this collection; a `metadata` entry
(extend_group) is allowed and ignored.

The modules that send no request to Exotel take no connection options, so they are kept out of the
group (the group's module_defaults would hand them options they refuse): OUTSIDE_GROUP lists each,
with the reason, and the check fails when one of them is in the group or no longer exists.

Usage: check_action_group.py [COLLECTION_ROOT]    (default: the current directory)
Exit status 0 when the group matches, 1 otherwise, naming each module that is missing or extra.
"""

from __future__ import annotations

import os
import sys

import yaml

COLLECTION = 'exotel.trunking'
GROUP = 'exotel'
# Modules that are not in the group, and why.
OUTSIDE_GROUP = {
    'cutover_journal': 'reads and writes a local journal file, sends no request to Exotel, takes no connection options',
    'cutover_canary': 'plans canary steps and judges call outcomes given as input, sends no request to Exotel, takes no connection options',
}


def main(argv: list[str]) -> int:
    root = argv[1] if len(argv) > 1 else '.'
    modules_dir = os.path.join(root, 'plugins', 'modules')
    runtime_path = os.path.join(root, 'meta', 'runtime.yml')

    modules = set()
    if os.path.isdir(modules_dir):
        modules = {name[:-3] for name in os.listdir(modules_dir) if name.endswith('.py') and name != '__init__.py'}

    try:
        with open(runtime_path, encoding='utf-8') as handle:
            runtime = yaml.safe_load(handle) or {}
    except (OSError, yaml.YAMLError) as exc:
        print(f'meta/runtime.yml cannot be read: {exc}')
        return 1

    group = (runtime.get('action_groups') or {}).get(GROUP)
    if group is None:
        print(f'meta/runtime.yml has no action_groups.{GROUP}; it must list: {", ".join(sorted(modules))}')
        return 1
    if not isinstance(group, list):
        print(f'meta/runtime.yml action_groups.{GROUP} must be a list')
        return 1

    problems = []
    listed = []
    for entry in group:
        if isinstance(entry, dict) and set(entry) == {'metadata'}:
            continue
        if not isinstance(entry, str):
            problems.append(f'action_groups.{GROUP} has an entry that is not a module name: {entry!r}')
            continue
        name = entry[len(COLLECTION) + 1:] if entry.startswith(COLLECTION + '.') else entry
        if '.' in name:
            problems.append(f'action_groups.{GROUP} lists {entry}, which is not a module of {COLLECTION}')
            continue
        if name in listed:
            problems.append(f'action_groups.{GROUP} lists {name} twice')
        listed.append(name)

    for name in sorted(OUTSIDE_GROUP):
        if name not in modules:
            problems.append(f'OUTSIDE_GROUP of scripts/check_action_group.py names {name}, but plugins/modules/{name}.py does not exist')
        if name in listed:
            problems.append(f'meta/runtime.yml action_groups.{GROUP} lists {name}, which {OUTSIDE_GROUP[name]}: remove it')
    outside = set(OUTSIDE_GROUP)
    for name in sorted(modules - set(listed) - outside):
        problems.append(f'module {name} (plugins/modules/{name}.py) is missing from meta/runtime.yml action_groups.{GROUP}')
    for name in sorted(set(listed) - modules - outside):
        problems.append(f'meta/runtime.yml action_groups.{GROUP} lists {name}, but plugins/modules/{name}.py does not exist')

    for problem in problems:
        print(problem)
    if not problems:
        print(f'action_groups.{GROUP} lists all {len(modules - outside)} modules that talk to Exotel: '
              f'{", ".join(sorted(modules - outside))}; outside it: {", ".join(sorted(outside))}')
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))

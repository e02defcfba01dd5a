# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Write the front page's lists of modules and roles (docs/build.sh includes them into index.rst).

Every plugins/modules/*.py (its name, linked to its page: the list fits the first screen) and every
role with a meta/argument_specs.yml (linked, with the short_description of its main entry point), so
that the front page lists what the collection has without a list kept by hand.

Usage: python front_lists.py COLLECTION_ROOT OUT_DIR    (writes OUT_DIR/modules.inc and OUT_DIR/roles.inc)
"""

import sys
from pathlib import Path

import yaml

PREFIX = 'ansible_collections.exotel.trunking'


def main(argv: list[str]) -> int:
    root, out = Path(argv[1]), Path(argv[2])
    modules = [f'- :ref:`{p.stem} <{PREFIX}.{p.stem}_module>`'
               for p in sorted((root / 'plugins' / 'modules').glob('*.py')) if p.stem != '__init__']
    roles = []
    for spec in sorted((root / 'roles').glob('*/meta/argument_specs.yml')):
        name = spec.parent.parent.name
        main_spec = (yaml.safe_load(spec.read_text()).get('argument_specs') or {}).get('main') or {}
        roles.append(f'- :ref:`{name} <{PREFIX}.{name}_role>`: {main_spec.get("short_description", "")}')
    (out / 'modules.inc').write_text('\n'.join(modules) + '\n')
    (out / 'roles.inc').write_text('\n'.join(roles) + '\n')
    return 0 if modules else 1


if __name__ == '__main__':
    sys.exit(main(sys.argv))

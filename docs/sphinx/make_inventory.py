# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Write a Sphinx (intersphinx) inventory for a few labels of Ansible's docs, so the build needs no network.

Usage: python make_inventory.py LABELS.txt OUTPUT.inv
"""

import sys
import zlib


def main(labels_path, output_path):
    lines = []
    with open(labels_path, encoding='utf-8') as labels:
        for line in labels:
            line = line.strip()
            if not line or line.startswith('#'):
                continue
            name, uri, title = line.split(' ', 2)
            lines.append('%s std:label -1 %s %s\n' % (name, uri, title))
    header = '# Sphinx inventory version 2\n# Project: Ansible\n# Version: devel\n# The remainder of this file is compressed using zlib.\n'
    with open(output_path, 'wb') as out:
        out.write(header.encode('utf-8'))
        out.write(zlib.compress(''.join(lines).encode('utf-8')))


if __name__ == '__main__':
    main(sys.argv[1], sys.argv[2])

# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Check the built HTML: every local link and anchor resolves, and every module page is there.

Usage: python check_links.py BUILD_HTML_DIR
"""

import os
import sys
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit

MODULE_DIR = os.path.join('collections', 'exotel', 'trunking')


class Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []
        self.ids = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get('id'):
            self.ids.add(attrs['id'])
        if tag == 'a' and attrs.get('name'):
            self.ids.add(attrs['name'])
        for key in ('href', 'src'):
            if attrs.get(key):
                self.links.append(attrs[key])


def parse(path):
    page = Page()
    with open(path, encoding='utf-8') as handle:
        page.feed(handle.read())
    return page


def main(root):
    pages = {}
    for folder, dummy, files in os.walk(root):
        for name in files:
            if name.endswith('.html'):
                path = os.path.normpath(os.path.join(folder, name))
                pages[path] = parse(path)
    problems = []
    for path, page in sorted(pages.items()):
        for link in page.links:
            parts = urlsplit(link)
            if parts.scheme or link.startswith(('//', 'mailto:')):
                continue
            target = path if not parts.path else os.path.normpath(os.path.join(os.path.dirname(path), unquote(parts.path)))
            if not os.path.exists(target):
                problems.append('%s: broken link %s' % (os.path.relpath(path, root), link))
            elif parts.fragment and target in pages and unquote(parts.fragment) not in pages[target].ids:
                problems.append('%s: missing anchor %s' % (os.path.relpath(path, root), link))
    modules = os.path.join(root, MODULE_DIR)
    for name in ('exotel_number_mode_module.html', 'index.html'):
        if not os.path.exists(os.path.join(modules, name)):
            problems.append('missing page %s' % os.path.join(MODULE_DIR, name))
    for problem in problems:
        print(problem)
    print('%d pages, %d links checked, %d problems' % (len(pages), sum(len(p.links) for p in pages.values()), len(problems)))
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1]))

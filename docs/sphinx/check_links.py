# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Check the built HTML site, which must also work when opened from disk (file://).

- Every local link and anchor resolves to a file of the built site (not to a file elsewhere on
  the disk), and no link is absolute to "/" or uses file:.
- The header, navigation and footer (everything outside the page's main content) link only to
  pages of the site, relatively.
- The guides link to no repository file (GitHub or GitLab blob/tree/raw URLs): only to pages of
  the site or to outside documentation.
- Every EXOTEL_* environment variable the pages (or, with COLLECTION_ROOT, the module sources)
  mention has a definition (an `.. envvar::` directive) on a page linked from the start page,
  and antsibull-docs' index of environment variables, if built, is not empty.
- The module pages are there: exotel_number_mode and, with COLLECTION_ROOT, one page for every
  module in plugins/modules and every role with a meta/argument_specs.yml.

Usage: python check_links.py BUILD_HTML_DIR [COLLECTION_ROOT]
"""

import os
import re
import sys
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit

MODULE_DIR = os.path.join('collections', 'exotel', 'trunking')
GUIDE_DIR = os.path.join(MODULE_DIR, 'docsite')
ENV_INDEX = os.path.join('collections', 'environment_variables.html')
ENV_VAR_RE = re.compile(r'\bEXOTEL_[A-Z0-9_]*[A-Z0-9]\b')
# In the sources: a string literal (as env_fallback gets it) or E(...) markup, not prose in comments.
SOURCE_ENV_VAR_RE = re.compile(r'[\'"](EXOTEL_[A-Z0-9_]*[A-Z0-9])[\'"]|\bE\((EXOTEL_[A-Z0-9_]*[A-Z0-9])\)')
# A file in a repository, rather than a page: GitHub's and GitLab's blob/tree/raw views.
REPO_FILE_RE = re.compile(r'^https?://(github\.com/[^/]+/[^/]+/(blob|tree|raw)/|raw\.githubusercontent\.com/'
                          r'|gitlab\.com/.+/-/(blob|tree|raw)/)')
# Schemes that do not leave the page.
HARMLESS_SCHEMES = ('javascript', 'data')


class Page(HTMLParser):
    """The links (with whether they are in the main content), ids and text of one page."""

    def __init__(self):
        super().__init__()
        self.links = []
        self.ids = set()
        self.text = []
        self._div_depth = 0
        self._main_depth = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == 'div':
            self._div_depth += 1
            if self._main_depth is None and attrs.get('role') == 'main':
                self._main_depth = self._div_depth
        if attrs.get('id'):
            self.ids.add(attrs['id'])
        if tag == 'a' and attrs.get('name'):
            self.ids.add(attrs['name'])
        for key in ('href', 'src'):
            if attrs.get(key):
                self.links.append((attrs[key], self._main_depth is not None))

    def handle_endtag(self, tag):
        if tag == 'div':
            if self._main_depth == self._div_depth:
                self._main_depth = None
            self._div_depth -= 1

    def handle_data(self, data):
        self.text.append(data)


def parse(path):
    page = Page()
    with open(path, encoding='utf-8') as handle:
        page.feed(handle.read())
    page.close()
    return page


def inside(path, root):
    return os.path.commonpath([os.path.abspath(path), os.path.abspath(root)]) == os.path.abspath(root)


def check_link(root, path, link, in_main, pages):
    """The problem with one link of the page at ``path``, or None."""
    parts = urlsplit(link)
    if parts.scheme in HARMLESS_SCHEMES:
        return None
    external = bool(parts.scheme) or link.startswith('//')
    if not in_main and (external or link.startswith('/')):
        return 'link outside the page content (header, navigation, footer) that leaves the site or is absolute: %s' % link
    if parts.scheme == 'file':
        return 'link to a local file outside the site: %s' % link
    if external:
        if os.path.dirname(path).startswith(os.path.join(root, GUIDE_DIR)) and REPO_FILE_RE.match(link):
            return 'link to a repository file, not to a page of the site: %s' % link
        return None
    if link.startswith('/'):
        return 'absolute link (breaks when the site is opened from disk): %s' % link
    target = path if not parts.path else os.path.normpath(os.path.join(os.path.dirname(path), unquote(parts.path)))
    if not inside(target, root):
        return 'link outside the site: %s' % link
    if not os.path.exists(target):
        return 'broken link %s' % link
    if parts.fragment and target in pages and unquote(parts.fragment) not in pages[target].ids:
        return 'missing anchor %s' % link
    return None


def source_env_vars(collection_root):
    """The EXOTEL_* names in the modules, their shared code and their doc fragments."""
    names = set()
    for folder in ('modules', 'module_utils', 'doc_fragments'):
        folder = os.path.join(collection_root, 'plugins', folder)
        if not os.path.isdir(folder):
            continue
        for name in sorted(os.listdir(folder)):
            if name.endswith('.py'):
                with open(os.path.join(folder, name), encoding='utf-8') as handle:
                    names.update(literal or markup for literal, markup in SOURCE_ENV_VAR_RE.findall(handle.read()))
    return names


def check_env_vars(root, pages, collection_root):
    problems = []
    used = set()
    for page in pages.values():
        used.update(ENV_VAR_RE.findall(''.join(page.text)))
    if collection_root:
        used.update(source_env_vars(collection_root))
    if not used:
        return problems
    defined = {}
    for path, page in pages.items():
        for anchor in page.ids:
            if anchor.startswith('envvar-'):
                defined.setdefault(anchor[len('envvar-'):], path)
    for name in sorted(used - set(defined)):
        problems.append('environment variable %s is used but not documented (no ".. envvar:: %s" on the site)' % (name, name))
    index = os.path.normpath(os.path.join(root, ENV_INDEX))
    if index in pages and not any(anchor.startswith('envvar-') for anchor in pages[index].ids):
        problems.append('%s: the index of environment variables lists none, but the modules use %s'
                        % (ENV_INDEX, ', '.join(sorted(used))))
    start = os.path.normpath(os.path.join(root, 'index.html'))
    defining = {path for name, path in defined.items() if name in used}
    if start in pages and defining:
        linked = {os.path.normpath(os.path.join(root, urlsplit(link).path)) for link, dummy in pages[start].links
                  if not urlsplit(link).scheme and urlsplit(link).path}
        if not linked & defining:
            problems.append('index.html links to no page that documents the environment variables (%s)'
                            % ', '.join(sorted(os.path.relpath(path, root) for path in defining)))
    return problems


def expected_pages(collection_root):
    names = ['exotel_number_mode_module.html', 'index.html']
    if collection_root:
        modules = os.path.join(collection_root, 'plugins', 'modules')
        for name in sorted(os.listdir(modules)) if os.path.isdir(modules) else []:
            if name.endswith('.py') and name != '__init__.py':
                names.append('%s_module.html' % name[:-3])
        roles = os.path.join(collection_root, 'roles')
        for name in sorted(os.listdir(roles)) if os.path.isdir(roles) else []:
            if any(os.path.exists(os.path.join(roles, name, 'meta', spec)) for spec in ('argument_specs.yml', 'argument_specs.yaml')):
                names.append('%s_role.html' % name)
    return sorted(set(names))


def main(root, collection_root=None):
    root = os.path.normpath(root)
    pages = {}
    for folder, dummy, files in os.walk(root):
        for name in files:
            if name.endswith('.html'):
                path = os.path.normpath(os.path.join(folder, name))
                pages[path] = parse(path)
    problems = []
    for path, page in sorted(pages.items()):
        for link, in_main in page.links:
            problem = check_link(root, path, link, in_main, pages)
            if problem:
                problems.append('%s: %s' % (os.path.relpath(path, root), problem))
    for name in expected_pages(collection_root):
        if not os.path.exists(os.path.join(root, MODULE_DIR, name)):
            problems.append('missing page %s' % os.path.join(MODULE_DIR, name))
    problems.extend(check_env_vars(root, pages, collection_root))
    for problem in problems:
        print('ERROR: %s' % problem)
    print('%d pages, %d links checked, %d problems' % (len(pages), sum(len(p.links) for p in pages.values()), len(problems)))
    return 1 if problems else 0


if __name__ == '__main__':
    if len(sys.argv) not in (2, 3):
        sys.exit('Usage: python check_links.py BUILD_HTML_DIR [COLLECTION_ROOT]')
    sys.exit(main(*sys.argv[1:]))

# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Check that every change to plugins/ comes with a changelog fragment.

The rule: a commit that adds, changes, renames or deletes anything under plugins/ must also add or
change a file changelogs/fragments/*.yml (or .yaml) in the same commit. Deleting fragments (as a
release does) does not count. A change that users do not see still needs a fragment, with a
`trivial:` section.

Which commits are checked, so that the result is the same on every clean clone:
  1. If origin/main exists and HEAD is not on it: every commit from the merge base with
     origin/main up to HEAD (the commits of the branch).
  2. Otherwise (HEAD is origin/main, as in CI's clone of main, or there is no origin/main): the
     newest commit, HEAD, compared with its first parent, or with the empty tree when it is the
     first commit (or its parent is cut off by a shallow clone).
  3. Uncommitted changes in the work tree (staged, unstaged and untracked files) are checked like
     one more commit, so `make test` says so before you commit.

Usage: check_changelog_fragment.py [REPO]    (default: the current directory)
Exit status 0 when every checked change is covered, 1 otherwise (naming the commit and the
plugins/ paths), 2 when REPO is not a git work tree.
"""

from __future__ import annotations

import subprocess
import sys

FRAGMENTS = 'changelogs/fragments/'
FRAGMENT_SUFFIXES = ('.yml', '.yaml')


def git(repo: str, *args: str, check: bool = True) -> str:
    result = subprocess.run(['git', '-C', repo, *args], capture_output=True, text=True, check=False)
    if check and result.returncode != 0:
        raise RuntimeError(f'git {" ".join(args)} failed: {result.stderr.strip()}')
    return result.stdout if result.returncode == 0 else ''


def parse_name_status(text: str) -> list[tuple[str, str]]:
    """(status letter, path) pairs; a rename or copy yields both its old and its new path."""
    changes = []
    for line in text.splitlines():
        if not line.strip():
            continue
        fields = line.split('\t')
        status = fields[0][:1]
        for path in fields[1:]:
            changes.append((status, path))
    return changes


def commit_changes(repo: str, commit: str) -> list[tuple[str, str]]:
    if git(repo, 'rev-parse', '--verify', '-q', commit + '^1', check=False).strip():
        return parse_name_status(git(repo, 'diff', '--name-status', '-M', commit + '^1', commit))
    return parse_name_status(git(repo, 'diff-tree', '--root', '-r', '--no-commit-id', '--name-status', '-M', commit))


def worktree_changes(repo: str) -> list[tuple[str, str]]:
    changes = parse_name_status(git(repo, 'diff', '--name-status', '-M', 'HEAD'))
    untracked = git(repo, 'ls-files', '--others', '--exclude-standard').splitlines()
    return changes + [('A', path) for path in untracked if path]


def verdict(label: str, changes: list[tuple[str, str]]) -> str | None:
    plugins = sorted({path for _status, path in changes if path.startswith('plugins/')})
    if not plugins:
        return None
    fragments = [path for status, path in changes
                 if status in 'AMRC' and path.startswith(FRAGMENTS) and path.endswith(FRAGMENT_SUFFIXES)]
    if fragments:
        return None
    shown = ', '.join(plugins[:5]) + (f' and {len(plugins) - 5} more' if len(plugins) > 5 else '')
    return f'{label} changes plugins/ ({shown}) but adds or changes no changelogs/fragments/*.yml'


def main(argv: list[str]) -> int:
    repo = argv[1] if len(argv) > 1 else '.'
    if git(repo, 'rev-parse', '--is-inside-work-tree', check=False).strip() != 'true':
        print(f'{repo} is not a git work tree: cannot tell which changes need a changelog fragment')
        return 2

    head = git(repo, 'rev-parse', 'HEAD').strip()
    commits: list[str] = []
    how = ''
    if git(repo, 'rev-parse', '--verify', '-q', 'refs/remotes/origin/main^{commit}', check=False).strip():
        base = git(repo, 'merge-base', 'HEAD', 'refs/remotes/origin/main', check=False).strip()
        if base and base != head:
            commits = git(repo, 'rev-list', '--reverse', f'{base}..HEAD').split()
            how = f'the {len(commits)} commit(s) of this branch since its merge base {base[:12]} with origin/main'
    if not commits:
        commits = [head]
        how = f'the newest commit {head[:12]}'

    problems = []
    for commit in commits:
        subject = git(repo, 'log', '-1', '--format=%s', commit).strip()
        problem = verdict(f'commit {commit[:12]} ({subject})', commit_changes(repo, commit))
        if problem:
            problems.append(problem)
    problem = verdict('the uncommitted work tree', worktree_changes(repo))
    if problem:
        problems.append(problem)

    print(f'checked {how} and the work tree')
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))

# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

# This module_utils file is internal to exotel.trunking: its name starts with "_" and its
# interface may change without notice. Do not import it from other collections.

"""An exclusive lock on a local file (``flock``), held until the process ends.

When ``ansible-playbook`` is killed with SIGKILL, the task it was running goes on in its worker (ansible-core
gives each worker its own session) and finishes its writes on its own. The voice_ai_cutover role's writing
tasks (option ``lock_file``) and its journal (``cutover_journal``) take the same lock, so the next run waits
for such a task to end before it reads anything, and the two never write at the same time. The operating
system releases the lock when the process ends, however it ends. The file holds the holder's process id.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import errno
import fcntl
import os
import signal

# Seconds to wait for another process's lock before giving up.
LOCK_WAIT = 900
# The files locked by this process: the locks last as long as the process.
_HELD = []


class LockError(Exception):
    def __init__(self, message):
        super(LockError, self).__init__(message)
        self.message = message


class _TimedOut(Exception):
    pass


def _alarm(signum, frame):
    raise _TimedOut()


def _holder(handle):
    try:
        handle.seek(0)
        return handle.read().strip() or 'unknown'
    except (IOError, OSError):
        return 'unknown'


def hold(path, create=True, wait=LOCK_WAIT):
    """Take the exclusive lock on ``path``, waiting up to ``wait`` seconds while another process holds it.

    Returns the open file (kept open, so the lock lasts until the process ends), or None when ``create``
    is false and there is no such file. The file is made, mode 0600, when missing. Raises LockError.
    """
    if not create and not os.path.exists(path):
        return None
    try:
        folder = os.path.dirname(os.path.abspath(path))
        if create and not os.path.isdir(folder):
            os.makedirs(folder, 0o700)
        fd = os.open(path, (os.O_RDWR | os.O_CREAT) if create else os.O_RDONLY, 0o600)
        handle = os.fdopen(fd, 'r+' if create else 'r')
    except (IOError, OSError) as exc:
        raise LockError('The lock file %s cannot be opened: %s.' % (path, exc.strerror or exc))
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except (IOError, OSError) as exc:
        if exc.errno not in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
            raise LockError('The lock file %s cannot be locked: %s.' % (path, exc.strerror or exc))
        holder = _holder(handle)
        previous = signal.signal(signal.SIGALRM, _alarm)
        signal.alarm(wait)
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        except _TimedOut:
            raise LockError('Another run still holds the lock %s (process %s) after %d s: a task of an earlier run that '
                            'was killed may still be writing. Wait for it to end (or stop that process), then run again.'
                            % (path, holder, wait))
        finally:
            signal.alarm(0)
            signal.signal(signal.SIGALRM, previous)
    if create:
        handle.seek(0)
        handle.truncate()
        handle.write('%d\n' % os.getpid())
        handle.flush()
    _HELD.append(handle)
    return handle

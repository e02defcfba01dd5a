# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The harness of test_cutover_crash.py: an account of many numbers, emulator latency that also tells the
test where the run is, and ansible-playbook runs of the voice_ai_cutover role that are killed (SIGKILL of the
whole process group, as when the controller goes away) at a chosen point.

Where the run is: every API request goes through a ``latency`` fault rule whose delay (a few milliseconds)
marks its class - a mode write, a flow write, a read of the ExoPhone list, anything else - and the emulator
calls the injected ``sleep`` with it. ``Gate.sleep`` counts the requests of each class and, from the chosen
one on, holds every request in the emulator (the parallel mode writes too) and tells the test, which kills
ansible-playbook while they are in flight; the held requests then either go through (their answers are lost
with the client) or are dropped (they never reached Exotel). A request the killed run sent that the emulator
reads only after the kill (a busy machine delays its thread) is treated the same way, and the test goes on
only once the emulator has no connection of the killed run left (/proc/net/tcp), so that no such request
lands in the next run. No fixed waits: the kill point is the Nth request of a class.
"""

import fcntl
import json
import os
import re
import signal
import subprocess
import threading
import time

from conftest import ACCOUNT, BIN, TRUNK
from exotel_emu.models import load_fixture
from role_play import environment

BOT_APP, PSTN_APP = '245679', '245678'
BOT_URL = 'https://my.exotel.com/%s/exoml/start_voice/%s' % (ACCOUNT, BOT_APP)
# Latency of each class of request, in seconds: the values tell the classes apart.
CLASSES = (('mode_put', 0.0101, 'PUT', '/phone-numbers/[0-9]+$'),
           ('flow_put', 0.0102, 'PUT', '/IncomingPhoneNumbers/[^/]+$'),
           ('flow_get', 0.0103, 'GET', '/IncomingPhoneNumbers$'),
           ('other', 0.0100, None, None))
LATENCY = dict((seconds, name) for name, seconds, dummy, dummy2 in CLASSES)
WAIT = 300   # seconds: the most any run may take before the test gives up on it


def numbers(count):
    return ['+9180412%05d' % i for i in range(count)]


def account(count):
    """The default fixture plus ``count`` ExoPhones mapped to the support trunk: modes pstn and flow, flows in
    several URL forms and app ids, every fifth number already on the bot's flow."""
    fixture = load_fixture(None)
    trunk = [t for t in fixture['trunks'] if t['trunk_sid'] == TRUNK][0]
    phones = [a for a in fixture['accounts'] if a['sid'] == ACCOUNT][0]['incoming_phone_numbers']
    forms = ('http://my.exotel.com/%s/exoml/start_voice/%%d' % ACCOUNT, 'https://my.in.exotel.com/%s/exoml/start_voice/%%d' % ACCOUNT,
             'https://my.exotel.com/exoml/start/%d')
    for i, number in enumerate(numbers(count)):
        trunk['phone_numbers'].append({'id': str(60000 + i), 'phone_number': number, 'mode': 'flow' if i % 4 == 0 else 'pstn'})
        url = 'https://my.in.exotel.com/%s/exoml/start_voice/%s' % (ACCOUNT, BOT_APP) if i % 5 == 0 else forms[i % 3] % (300000 + i % 7)
        phones.append({'sid': 'c0ffee%026d' % i, 'phone_number': number, 'friendly_name': 'line %d' % i, 'voice_url': url})
    return fixture


def state(emulator):
    """phone number -> (mode, voice_url, friendly_name) of every number, as the emulator holds them."""
    modes = dict((m['phone_number'], m['mode']) for m in emulator.store.trunks[TRUNK]['phone-numbers'])
    return dict((e['phone_number'], (modes.get(e['phone_number']), e['voice_url'], e['friendly_name']))
                for e in emulator.store.exophones[ACCOUNT])


def latency_rules():
    return [{'kind': 'latency', 'seconds': seconds, 'count': 10 ** 6,
             'match': dict((k, v) for k, v in (('method', method), ('path_regex', path)) if v)}
            for dummy, seconds, method, path in CLASSES]


def descendants(pid):
    """The process ids under ``pid`` (from /proc)."""
    children = {}
    for entry in os.listdir('/proc'):
        if entry.isdigit():
            try:
                with open('/proc/%s/stat' % entry) as handle:
                    parent = int(handle.read().rsplit(')', 1)[1].split()[1])
            except (IOError, OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def open_connections(port):
    """How many connections to the emulator's ``port`` (IPv4 loopback) it has not finished with: accepted and
    still open, or waiting to be accepted (TCP states ESTABLISHED, SYN_RECV and CLOSE_WAIT of /proc/net/tcp)."""
    with open('/proc/net/tcp') as handle:
        rows = [line.split() for line in handle.read().splitlines()[1:]]
    return sum(1 for row in rows if int(row[1].rsplit(':', 1)[1], 16) == port and row[3] in ('01', '03', '08'))


def wait_for_lock(path):
    """Return once no process holds the journal's lock (a killed run's task that went on has ended)."""
    if os.path.exists(path):
        with open(path) as handle:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)


class Dropped(Exception):
    """Raised in the emulator's request thread: the held request never reaches the API."""


class Gate(object):
    """The emulator's ``sleep``: counts requests by class and holds the chosen one (see the module docstring)."""

    def __init__(self):
        self.lock = threading.Condition()
        self.counts = {}
        self.point = None
        self.reached = threading.Event()
        self.released = threading.Event()
        self.drop = False
        self.in_flight = 0

    def arm(self, point=None, drop=False):
        """``point``: (class, n) or (class, predicate of the count); None: never hold."""
        with self.lock:
            self.counts = {}
            self.point, self.drop = point, drop
            self.reached.clear()
            self.released.clear()

    def sleep(self, seconds):
        name = LATENCY.get(seconds, 'other')
        with self.lock:
            self.counts[name] = count = self.counts.get(name, 0) + 1
            hold = self.point is not None and self.point[0] == name and (
                self.point[1](count) if callable(self.point[1]) else self.point[1] == count)
            if hold:
                self.point = None
                self.reached.set()
            # From the chosen request on, every request waits (parallel writes too) until the kill is done; with
            # drop, it is dropped, also when it is read only after the kill.
            hold = self.reached.is_set() and not self.released.is_set()
            dropped = self.reached.is_set() and self.drop
            self.in_flight += 1
        try:
            if hold:
                self.released.wait(WAIT)
            if dropped:
                raise Dropped('the request was sent before ansible-playbook was killed, and dropped')
            time.sleep(seconds)
        finally:
            with self.lock:
                self.in_flight -= 1
                self.lock.notify_all()

    def settle(self, port=None):
        """Let the held request go on (or be dropped) and wait until no request of the killed run is in flight;
        with ``port`` (the whole run was killed), also until the emulator has no connection left to read."""
        self.released.set()
        deadline = time.monotonic() + WAIT
        with self.lock:
            while self.in_flight or (port is not None and open_connections(port)):
                assert time.monotonic() < deadline, 'requests of the killed run still in flight'
                self.lock.wait(0.01)


class Runner(object):
    """ansible-playbook runs of the role against ``emulator``, the journal at ``journal``."""

    def __init__(self, emulator, gate, collections_path, work, count, connection=None):
        self.emulator, self.gate, self.work, self.journal = emulator, gate, work, str(work / 'journal' / (TRUNK + '.json'))
        self.numbers = numbers(count)
        role_vars = {'voice_ai_cutover_trunk_sid': TRUNK, 'voice_ai_cutover_numbers': self.numbers,
                     'voice_ai_cutover_bot_app_id': BOT_APP, 'voice_ai_cutover_pstn_app_id': PSTN_APP,
                     'voice_ai_cutover_journal': self.journal, 'voice_ai_cutover_connection': connection or {},
                     'voice_ai_cutover_direction': '{{ direction }}'}
        playbook = [{'name': 'Cutover', 'hosts': 'localhost', 'gather_facts': False, 'vars': {'direction': 'to_bot'},
                     'roles': [{'role': 'exotel.trunking.voice_ai_cutover', 'vars': role_vars}]}]
        self.playbook = work / 'cutover.json'
        self.playbook.write_text(json.dumps(playbook))
        self.env = environment(emulator, collections_path, work)
        self.runs = 0

    def start(self, direction, *args):
        self.runs += 1
        out = open(str(self.work / ('run%d.log' % self.runs)), 'w+')
        proc = subprocess.Popen([os.path.join(BIN, 'ansible-playbook'), '-i', 'localhost,', '-c', 'local', str(self.playbook),
                                 '-e', 'direction=%s' % direction] + list(args),
                                stdout=out, stderr=subprocess.STDOUT, env=self.env, start_new_session=True)
        return proc, out

    def run(self, direction, *args):
        """Run to the end: (rc, output, PLAY RECAP counts)."""
        self.gate.arm()
        proc, out = self.start(direction, *args)
        rc = proc.wait(WAIT)
        out.seek(0)
        output = out.read()
        out.close()
        recap = re.search(r'^localhost +: ok=(\d+) +changed=(\d+) .*failed=(\d+)', output, re.M)
        assert recap, output[-3000:]
        return rc, output, dict(zip(('ok', 'changed', 'failed'), map(int, recap.groups())))

    def kill_at(self, direction, point, drop=False, tree=True):
        """Run, and SIGKILL it while the request at ``point`` is held; then settle.

        ``tree``: kill ansible-playbook and every process under it (the controller goes away); else only
        ansible-playbook (an out-of-memory kill), whose task in progress goes on in its worker, which ansible-core
        puts in a session of its own, until it ends."""
        self.gate.arm(point, drop)
        proc, out = self.start(direction)
        # A run that ends before the point ends the wait too (joined below: it must not set ``reached`` in the next run).
        watcher = threading.Thread(target=lambda: (proc.wait(), self.gate.reached.set()), daemon=True)
        watcher.start()
        self.gate.reached.wait(WAIT)
        killed = proc.poll() is None
        if killed:
            for pid in ([proc.pid] + descendants(proc.pid) if tree else [proc.pid]):
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass
        proc.wait(WAIT)
        watcher.join(WAIT)
        # After a kill of the whole tree, every request the run sent is read (and dropped or let through) before the
        # test goes on; a worker left running (tree=False) goes on sending, and the test waits for its lock.
        self.gate.settle(self.emulator.port if tree else None)
        out.seek(0)
        output = out.read()
        out.close()
        assert killed, 'the run ended before reaching %s: %s' % (point, output[-3000:])
        return output

    def read_journal(self):
        with open(self.journal) as handle:
            return json.load(handle)

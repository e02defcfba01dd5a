# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The command line: ``serve`` (foreground), ``start`` (background, prints the URL) and ``stop``.

Run it as ``python3 tests/emulator/exotel_emulator.py COMMAND``; the commands and their options
are described in tests/emulator/README.md ("Run it").
"""

import argparse
import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request

from .emulator import Emulator
from .models import HERE
from .ratelimit import DEFAULT_EXOPHONE_RATE_LIMIT, DEFAULT_RATE_LIMIT
from .v1 import DEFAULT_CALLS_RATE_LIMIT

# The entry point that ``start`` runs in the background (its name is how ``stop`` recognises the process).
SCRIPT = os.path.join(HERE, 'exotel_emulator.py')


def _load_faults_file(path):
    if not path:
        return None
    with open(path, encoding='utf-8') as handle:
        return json.load(handle)


def cmd_serve(args):
    emu = Emulator(fixture=args.fixture, host=args.host, port=args.port, rate_limit=args.rate_limit,
                   trunk_maps_flat=args.trunk_maps_flat, faults=_load_faults_file(args.faults), verbose=args.verbose,
                   exophone_rate_limit=args.exophone_rate_limit, calls_rate_limit=args.calls_rate_limit)
    emu.bind()

    def _terminate(signum, frame):
        del signum, frame
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _terminate)
    if args.port_file:
        tmp = args.port_file + '.tmp'
        with open(tmp, 'w', encoding='utf-8') as handle:
            handle.write('%d\n' % emu.port)
        os.replace(tmp, args.port_file)
    print('Exotel emulator listening on %s' % emu.url, flush=True)
    try:
        emu.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        emu.server.server_close()
    return 0


def _answers(url, timeout=1.0):
    try:
        with urllib.request.urlopen(url + '/_emulator/config', timeout=timeout) as answer:
            return answer.status == 200
    except (OSError, urllib.error.URLError):
        return False


def _pid_alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _is_emulator(pid):
    """True when ``pid`` runs this emulator (or when /proc cannot tell)."""
    try:
        with open('/proc/%d/cmdline' % pid, 'rb') as handle:
            return b'exotel_emulator' in handle.read()
    except OSError:
        return _pid_alive(pid)


def _read(path):
    try:
        with open(path, encoding='utf-8') as handle:
            return handle.read().strip()
    except OSError:
        return None


def _write(path, text):
    with open(path, 'w', encoding='utf-8') as handle:
        handle.write(text + '\n')


def cmd_start(args):
    state_dir = os.path.abspath(args.state_dir)
    os.makedirs(state_dir, exist_ok=True)
    pid_file, port_file, url_file = (os.path.join(state_dir, n) for n in ('pid', 'port', 'url'))
    pid, url = _read(pid_file), _read(url_file)
    if pid and pid.isdigit() and url and _is_emulator(int(pid)) and _answers(url):
        sys.stderr.write('Exotel emulator already running (pid %s)\n' % pid)
        print(url)
        return 0
    for stale in (pid_file, port_file, url_file):
        if os.path.exists(stale):
            os.remove(stale)
    command = [sys.executable, SCRIPT, 'serve', '--host', args.host, '--port', str(args.port),
               '--rate-limit', str(args.rate_limit), '--exophone-rate-limit', str(args.exophone_rate_limit),
               '--calls-rate-limit', str(args.calls_rate_limit),
               '--port-file', port_file]
    for option, value in (('--fixture', args.fixture), ('--faults', args.faults)):
        if value:
            command += [option, os.path.abspath(value)]
    if args.trunk_maps_flat:
        command.append('--trunk-maps-flat')
    if args.verbose:
        command.append('--verbose')
    with open(os.path.join(state_dir, 'emulator.log'), 'ab') as log, open(os.devnull, 'rb') as devnull:
        # The child outlives this command on purpose: "stop" ends it.
        process = subprocess.Popen(command, stdin=devnull, stdout=log, stderr=log,  # pylint: disable=consider-using-with
                                   start_new_session=True, close_fds=True)
    _write(pid_file, str(process.pid))
    deadline = time.monotonic() + args.wait
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.stderr.write('Exotel emulator exited with status %s; see %s\n' % (
                process.returncode, os.path.join(state_dir, 'emulator.log')))
            os.remove(pid_file)
            return 1
        port = _read(port_file)
        if port and port.isdigit():
            url = 'http://%s:%s' % (args.host, port)
            if _answers(url):
                _write(url_file, url)
                print(url)
                return 0
        time.sleep(0.05)
    sys.stderr.write('Exotel emulator did not answer within %.0f s; stopping it\n' % args.wait)
    process.terminate()
    return 1


def cmd_stop(args):
    state_dir = os.path.abspath(args.state_dir)
    pid = _read(os.path.join(state_dir, 'pid'))
    if pid and pid.isdigit() and _is_emulator(int(pid)):
        pid = int(pid)
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        deadline = time.monotonic() + 5
        while _pid_alive(pid) and _is_emulator(pid) and time.monotonic() < deadline:
            time.sleep(0.05)
            try:
                os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                pass
        if _pid_alive(pid) and _is_emulator(pid):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
    for name in ('pid', 'port', 'url'):
        path = os.path.join(state_dir, name)
        if os.path.exists(path):
            os.remove(path)
    return 0


def build_parser():
    parser = argparse.ArgumentParser(prog='exotel_emulator.py', description='Local emulator of the Exotel trunk API (v2).')
    commands = parser.add_subparsers(dest='command', required=True)

    def common(sub, default_port):
        sub.add_argument('--host', default='127.0.0.1', help='address to bind (default 127.0.0.1)')
        sub.add_argument('--port', type=int, default=default_port, help='port to bind; 0 picks a free one')
        sub.add_argument('--fixture', help='fixture JSON file (default: tests/emulator/fixture.json)')
        sub.add_argument('--rate-limit', type=int, default=DEFAULT_RATE_LIMIT, help='requests per minute per account; 0 disables')
        sub.add_argument('--exophone-rate-limit', type=int, default=DEFAULT_EXOPHONE_RATE_LIMIT,
                         help='ExoPhone API (v2_beta) requests per minute per account; 0 disables')
        sub.add_argument('--calls-rate-limit', type=int, default=DEFAULT_CALLS_RATE_LIMIT,
                         help='Calls API (v1) requests per minute per account; 0 disables')
        sub.add_argument('--faults', help='JSON file with fault rules to install at start')
        sub.add_argument('--trunk-maps-flat', action='store_true', help='answer /trunk-maps in the flat documented form')
        sub.add_argument('--verbose', action='store_true', help='print one line per request on stderr')

    serve = commands.add_parser('serve', help='run in the foreground')
    common(serve, 0)
    serve.add_argument('--port-file', help='write the bound port to this file once listening')
    serve.set_defaults(func=cmd_serve)

    start = commands.add_parser('start', help='run in the background; prints the base URL')
    common(start, 0)
    start.add_argument('--state-dir', required=True, help='directory for pid, port, url and emulator.log')
    start.add_argument('--wait', type=float, default=15.0, help='seconds to wait for it to answer')
    start.set_defaults(func=cmd_start)

    stop = commands.add_parser('stop', help='stop the background emulator of --state-dir (idempotent)')
    stop.add_argument('--state-dir', required=True)
    stop.set_defaults(func=cmd_stop)
    return parser


def main(argv=None):
    args = build_parser().parse_args(argv)
    return args.func(args)

# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The HTTP layer: reads a request, hands it to the admin API or the Exotel API of the emulator, writes the answer.

It also logs each API request (``/_emulator/log``) and carries out the fault kinds that act on the
connection itself (``latency``, ``drop``, ``lost_answer``).
"""

import json
import socket
import sys
import urllib.parse
from http.server import BaseHTTPRequestHandler

from .faults import ANSWERING_KINDS, fault_response
from .gateway import parse_basic


def redact_body(value):
    """A request body for the log, with any password replaced."""
    if isinstance(value, dict):
        return {k: ('<redacted>' if k in ('password', 'api_token') and v is not None else redact_body(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [redact_body(v) for v in value]
    return value


def raw_query(query_string):
    return urllib.parse.parse_qs(query_string, keep_blank_values=True)


def flat_query(parsed):
    return {k: v[0] if len(v) == 1 else v for k, v in parsed.items()}


class Handler(BaseHTTPRequestHandler):
    """Dispatches to the admin API or the Exotel API of ``self.server.emulator``."""

    protocol_version = 'HTTP/1.1'
    server_version = 'ExotelEmulator/1.0'
    # Headers and body leave in separate writes: without TCP_NODELAY each answer waits ~40 ms.
    disable_nagle_algorithm = True

    def version_string(self):
        return self.server_version

    # BaseHTTPRequestHandler calls do_<METHOD>.
    def do_GET(self):  # noqa: N802 pylint: disable=invalid-name
        self.dispatch()

    do_POST = do_PUT = do_DELETE = do_PATCH = do_GET

    def log_message(self, format, *args):  # pylint: disable=redefined-builtin
        if self.server.emulator.verbose:
            sys.stderr.write('%s - %s\n' % (self.address_string(), format % args))

    @property
    def emu(self):
        return self.server.emulator

    def read_body(self):
        if 'chunked' in self.headers.get('Transfer-Encoding', '').lower():
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b';')[0].strip() or b'0', 16)
                if size == 0:
                    self.rfile.readline()
                    break
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
            return b''.join(chunks)
        length = int(self.headers.get('Content-Length') or 0)
        return self.rfile.read(length) if length else b''

    def send(self, response):
        body = response.body()
        self.send_response(response.status)
        if body or response.raw is not None:
            self.send_header('Content-Type', response.content_type)
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        if self.command != 'HEAD':
            self.wfile.write(body)

    def hang_up(self):
        """Close the connection without an answer."""
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def dispatch(self):
        parsed = urllib.parse.urlsplit(self.path)
        path = parsed.path.rstrip('/') or '/'
        query = raw_query(parsed.query)
        raw = self.read_body()
        if path == '/_emulator' or path.startswith('/_emulator/'):
            self.send(self.emu.admin(self.command, path, query, raw))
            return
        with self.emu.in_flight():
            self.api_request(path, query, raw)

    def api_request(self, path, query, raw):
        emu = self.emu
        try:
            body = json.loads(raw.decode('utf-8')) if raw else None
        except ValueError:
            body = None
        entry = {'method': self.command, 'path': path, 'query': flat_query(query), 'json': redact_body(body),
                 'user': self.auth_user(), 'status': None}
        if (self.headers.get('Content-Type') or '').split(';')[0].strip().lower() == 'application/x-www-form-urlencoded':
            entry['form'] = flat_query(raw_query(raw.decode('utf-8', 'replace')))
        rule = emu.take_fault(self.command, path)
        kind = rule['kind'] if rule is not None else None
        if kind is not None:
            entry['fault'] = kind
        if kind == 'latency':
            emu.sleep(float(rule.get('seconds', 1)))
        if kind == 'drop':
            emu.record(entry)
            self.hang_up()
            return
        if kind in ANSWERING_KINDS:
            response = fault_response(rule, self.command, self.path)
        else:
            response = emu.api(self.command, path, query, raw, self.headers, ignore_change=kind == 'ignore_change')
        entry['status'] = response.status
        emu.record(entry)
        if kind == 'lost_answer':
            # The request was carried out; its answer never reaches the client.
            self.hang_up()
            return
        self.send(response)

    def auth_user(self):
        credentials = parse_basic(self.headers.get('Authorization'))
        return credentials[0] if credentials else None

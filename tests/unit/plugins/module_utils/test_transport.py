# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Failures below HTTP, with real sockets on this machine: each is named in plain words, and only
a failure that a retry can cure is retried (the waits are recorded, never slept)."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import socket
import threading

import pytest

from ansible_collections.exotel.trunking.plugins.module_utils._client import ExotelClient
from ansible_collections.exotel.trunking.plugins.module_utils._errors import ExotelError
from ansible_collections.exotel.trunking.tests.unit.plugins.exotel_envelopes import ACCOUNT, KEY, TOKEN

PATH = '/v2/accounts/%s/trunks' % ACCOUNT


def client(url, **kw):
    options = dict(account_sid=ACCOUNT, api_key=KEY, api_token=TOKEN, api_url=url, retries=5, max_retry_wait=120)
    options.update(kw)
    return ExotelClient(**options)


def closed_port():
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(('127.0.0.1', 0))
    port = sock.getsockname()[1]
    sock.close()
    return port


@pytest.fixture
def plain_server():
    """A TCP server on 127.0.0.1 that answers anything with a plain HTTP 200 (no TLS)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(('127.0.0.1', 0))
    sock.listen(5)
    stop = threading.Event()

    def serve():
        sock.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, dummy = sock.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            try:
                conn.settimeout(2)
                conn.recv(4096)
                conn.sendall(b'HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}')
            except OSError:
                pass
            finally:
                conn.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield sock.getsockname()[1]
    stop.set()
    thread.join(5)
    sock.close()


def failure(c, method='GET'):
    with pytest.raises(ExotelError) as info:
        c.trunk.request(method, PATH)
    error = info.value
    assert error.unreachable is True and error.http_status is None
    assert TOKEN not in error.message
    return error


def test_refused_connection_is_retried_twice_then_named(sleeps):
    port = closed_port()
    c = client('http://127.0.0.1:%d' % port)
    error = failure(c)
    assert error.message == ('Could not reach Exotel at http://127.0.0.1:{0}: the connection to 127.0.0.1:{0} was refused: '
                             'nothing is listening there. Check the host and port of api_url (ConnectionError).'.format(port))
    assert c.stats['requests'] == 3 and len(sleeps) == 2 and sum(sleeps) <= 3
    assert error.unclear is False     # never reached the server: nothing to settle by a re-read


def test_refused_post_is_retried_the_same_way(sleeps):
    c = client('http://127.0.0.1:%d' % closed_port())
    failure(c, 'POST')
    assert c.stats['requests'] == 3


def test_unresolvable_host_is_not_retried(sleeps):
    c = client('https://no-such-host.invalid')
    error = failure(c)
    assert error.message.startswith('Could not reach Exotel at https://no-such-host.invalid: the host name '
                                    'no-such-host.invalid could not be resolved (no such host, or no DNS).')
    assert c.stats['requests'] == 1 and sleeps == []


def test_tls_against_plain_http_is_not_retried_and_says_use_http(sleeps, plain_server):
    url = 'https://127.0.0.1:%d' % plain_server
    c = client(url)
    error = failure(c)
    assert error.message.startswith('Could not reach Exotel at %s: the TLS handshake with 127.0.0.1:%d failed (' % (
        url, plain_server))
    assert 'Is it a plain-HTTP server (like the local emulator)? Then api_url must start with http://.' in error.message
    assert c.stats['requests'] == 1 and sleeps == []


def test_plain_server_over_http_answers(plain_server):
    assert client('http://127.0.0.1:%d' % plain_server, retries=0).trunk.request('GET', PATH) == {}

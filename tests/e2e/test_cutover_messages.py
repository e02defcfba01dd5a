# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The voice_ai_cutover role's pre-flight refusals (issue #30): each says what is wrong and which module or role, and
which option, fixes it; a health check that gets no answer says why in plain words. Every refusal comes before any
write (the health check before any request to Exotel). Default options (pacing on, default retries)."""

import socket
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from conftest import TRUNK, writes
from role_play import run_roles


ROLE = 'exotel.trunking.voice_ai_cutover'


def refusal(emulator, collections_path, tmp_path, **role_vars):
    """Run the role to_bot with ``role_vars``: the failure message, one line (the role folds its messages)."""
    role_vars = dict({'voice_ai_cutover_trunk_sid': TRUNK, 'voice_ai_cutover_numbers': ['+918040264208'],
                      'voice_ai_cutover_bot_app_id': '245679'}, **role_vars)
    proc, recap = run_roles(emulator, collections_path, tmp_path, [{'role': ROLE, 'vars': role_vars}])
    assert recap['failed'] == 1, proc.stdout[-3000:]
    assert writes(emulator) == []
    return ' '.join(proc.stdout.split())


def test_input_refusals_name_the_options(emulator, collections_path, tmp_path):
    output = refusal(emulator, collections_path, tmp_path, voice_ai_cutover_trunk_sid='trunk one', voice_ai_cutover_bot_app_id='bot')
    assert ('"msg": "voice_ai_cutover_trunk_sid must be a trunk SID (letters, digits, \\"_\\" and \\"-\\"); got \\"trunk one\\". '
            'voice_ai_cutover_bot_app_id must be a flow (app) id made of digits, e.g. \\"245678\\", for '
            'voice_ai_cutover_direction=to_bot; got \\"bot\\". Nothing was sent."') in output
    assert emulator.requests_log() == []


def test_numbers_that_cannot_move_name_the_module_and_option_that_fix_them(emulator, collections_path, tmp_path):
    # Not an ExoPhone (and so not mapped); mapped without a flow; an ExoPhone with a flow that is not mapped.
    output = refusal(emulator, collections_path, tmp_path,
                     voice_ai_cutover_numbers=['+918049999999', '+918040264210', '+918040264211'])
    assert ('"msg": "Not ExoPhones of the account (add them to the account first - exotel.trunking.exotel_exophone with '
            'allow_purchase: true buys one - or take them out of voice_ai_cutover_numbers): +918049999999. '
            'Not mapped to trunk %s (map them first, without a mode - in sip_trunk_definition.numbers of the '
            'exotel.trunking.sip_trunk role, or with exotel.trunking.exotel_trunk_number, options trunk_sid and phone_number - '
            'or take them out of voice_ai_cutover_numbers): +918049999999, +918040264211. '
            'Without a voice flow, which could not be put back after a failure (Exotel documents no way to remove one); assign '
            'them a flow first with exotel.trunking.exotel_exophone, option voice_app_id (for example the Connect flow '
            'voice_ai_cutover_pstn_app_id): +918040264210. Nothing was changed."' % TRUNK) in output


class Answer500(BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(500)
        self.send_header('Content-Length', '0')
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def bot():
    """A bot whose health URL answers HTTP 500 (plain HTTP)."""
    server = HTTPServer(('127.0.0.1', 0), Answer500)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield 'http://127.0.0.1:%d/healthz' % server.server_address[1]
    server.shutdown()
    server.server_close()


@pytest.fixture
def closed_port():
    """A port nothing listens on (bound, then closed)."""
    sock = socket.socket()
    sock.bind(('127.0.0.1', 0))
    port = sock.getsockname()[1]
    sock.close()
    return port


@pytest.fixture
def silent_port():
    """A port that takes the connection (the kernel's backlog) and never answers."""
    sock = socket.socket()
    sock.bind(('127.0.0.1', 0))
    sock.listen(5)
    yield sock.getsockname()[1]
    sock.close()


def unhealthy(url, why, statuses='200'):
    return ('"msg": "The bot is not healthy: GET %s %s, not one of the statuses %s (voice_ai_cutover_health_status). '
            'Nothing was changed."' % (url, why, statuses))


def health_refusal(emulator, collections_path, tmp_path, url, **role_vars):
    output = refusal(emulator, collections_path, tmp_path, voice_ai_cutover_health_url=url, **role_vars)
    assert emulator.requests_log() == []          # the bot is asked before Exotel
    return output


def test_a_health_check_answered_500_says_the_http_status(bot, emulator, collections_path, tmp_path):
    output = health_refusal(emulator, collections_path, tmp_path, bot, voice_ai_cutover_health_status=[200, 204])
    assert unhealthy(bot, 'answered HTTP status 500', '200, 204') in output


def test_a_closed_port_says_connection_refused(closed_port, emulator, collections_path, tmp_path):
    url = 'http://127.0.0.1:%d/healthz' % closed_port
    output = health_refusal(emulator, collections_path, tmp_path, url)
    assert unhealthy(url, 'got no answer: connection refused (nothing listens at that host and port; is the bot running?)') in output


def test_a_silent_bot_says_timed_out(silent_port, emulator, collections_path, tmp_path):
    # A timeout of 1 s (the default is 10) so that the test waits 1 s, not 10: the wording is the same.
    url = 'http://127.0.0.1:%d/healthz' % silent_port
    output = health_refusal(emulator, collections_path, tmp_path, url, voice_ai_cutover_health_timeout=1)
    assert unhealthy(url, 'got no answer: timed out (no answer within voice_ai_cutover_health_timeout=1 s)') in output


def test_https_to_a_plain_http_bot_says_tls_error(bot, emulator, collections_path, tmp_path):
    url = bot.replace('http://', 'https://')
    output = health_refusal(emulator, collections_path, tmp_path, url)
    assert unhealthy(url, 'got no answer: TLS/certificate error (the HTTPS connection could not be set up or its certificate '
                          'could not be verified)') in output


def test_an_unknown_host_says_dns_name_not_found(emulator, collections_path, tmp_path):
    url = 'http://bot.example.invalid/healthz'
    output = health_refusal(emulator, collections_path, tmp_path, url)
    assert unhealthy(url, 'got no answer: DNS name not found (the host name of voice_ai_cutover_health_url does not resolve)') in output

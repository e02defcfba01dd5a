# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The bot_health event source: argument checks, the debounce, and main() against a fake bot."""

import asyncio
import socket
import threading

import pytest

from conftest import drive, load_source, next_event, wait_for

SOURCE = load_source('bot_health')
main = SOURCE['main']
settings = SOURCE['settings']
watch = SOURCE['watch']
Debounce = SOURCE['Debounce']
ArgumentError = SOURCE['ArgumentError']


def run_main(args, until, timeout=10):
    """Run main(queue, args) until ``until()`` is true (polled with a deadline), then cancel it; the events it put."""
    async def scenario(queue, task):
        while not until():
            if task.done():
                task.result()
                raise AssertionError('main() returned')
            await asyncio.sleep(0.01)
        return [queue.get_nowait() for dummy in range(queue.qsize())]
    return drive(main, args, scenario, timeout)


def first_event(args):
    """The first event of main(queue, args)."""
    async def scenario(queue, task):
        return [await next_event(queue, task)]
    return drive(main, args, scenario)


def summary(events):
    return [(e['bot_health']['status'], e['bot_health']['previous'], e['bot_health']['consecutive'],
             e['bot_health']['status_code'], e['bot_health']['error']) for e in events]


# ------------------------------------------------------------------ arguments

def test_settings_defaults():
    conf = settings({'url': 'https://bot.example.com/healthz'})
    assert conf == {
        'url': 'https://bot.example.com/healthz', 'public_url': 'https://bot.example.com/healthz', 'name': 'bot.example.com',
        'headers': {}, 'interval': 5.0, 'timeout': 3.0, 'failures': 3, 'successes': 3, 'expect_status': [],
        'verify_ssl': True, 'emit_initial': True}


def test_settings_take_rendered_strings():
    """ansible-rulebook renders "{{ var }}" natively, but values from --env-vars arrive as strings."""
    conf = settings({'url': 'http://127.0.0.1:8080/h', 'interval': '0.2', 'failures': '2', 'successes': 4,
                     'verify_ssl': 'false', 'emit_initial': 'no', 'name': 'bot-a'})
    assert (conf['interval'], conf['failures'], conf['successes'], conf['verify_ssl'], conf['emit_initial'], conf['name']) == (
        0.2, 2, 4, False, False, 'bot-a')


@pytest.mark.parametrize('args, message', [
    ({}, "bot_health: url must be an http:// or https:// URL with a host, e.g. https://bot.example.com/healthz; got None"),
    ({'url': 'ftp://bot/x'}, ("bot_health: url must be an http:// or https:// URL with a host, e.g. "
                              "https://bot.example.com/healthz; got 'ftp://bot/x'")),
    ({'url': 'https://u:secret@bot:99999/x?token=t0k'}, ("bot_health: url must be an http:// or https:// URL with a host, e.g. "
                                                         "https://bot.example.com/healthz; got 'https://bot:99999/x'")),
    ({'url': 'http://bot/h', 'interval': 0}, 'bot_health: interval must be a number greater than 0; got 0'),
    ({'url': 'http://bot/h', 'timeout': 'soon'}, "bot_health: timeout must be a number greater than 0; got 'soon'"),
    ({'url': 'http://bot/h', 'timeout': 'nan'}, "bot_health: timeout must be a number greater than 0; got 'nan'"),
    ({'url': 'http://bot/h', 'interval': -1.5}, 'bot_health: interval must be a number greater than 0; got -1.5'),
    ({'url': 'http://bot/h', 'failures': 0}, 'bot_health: failures must be an integer of at least 1; got 0'),
    ({'url': 'http://bot/h', 'successes': 2.5}, 'bot_health: successes must be an integer of at least 1; got 2.5'),
    ({'url': 'http://bot/h', 'successes': True}, 'bot_health: successes must be an integer of at least 1; got True'),
    ({'url': 'http://bot/h', 'expect_status': [200, 'ok']}, ("bot_health: expect_status must be a list of HTTP statuses "
                                                             "(integers 100 to 599), e.g. [200, 204]; got [200, 'ok']")),
    ({'url': 'http://bot/h', 'headers': ['x']}, 'bot_health: headers must be a mapping of header names to values'),
    ({'url': 'http://bot/h', 'verify_ssl': 'maybe'}, "bot_health: verify_ssl must be true or false; got 'maybe'"),
])
def test_bad_arguments_name_the_argument_and_its_form(args, message):
    with pytest.raises(ArgumentError) as caught:
        settings(args)
    assert str(caught.value) == message
    assert 'secret' not in str(caught.value) and 't0k' not in str(caught.value)


def test_bad_arguments_fail_main_before_any_request(fake_bot):
    with pytest.raises(ArgumentError):
        asyncio.run(main(asyncio.Queue(), {'url': fake_bot.url, 'failures': -1}))
    assert fake_bot.count() == 0


# ------------------------------------------------------------------ debounce

@pytest.mark.parametrize('results, states', [
    ('uuu', [None, None, 'up']),
    ('uudddduuu', [None, None, None, None, 'down', None, None, None, 'up']),
    ('ududududud', [None] * 10),                                  # flaps faster than the debounce
    ('uuudduddd', [None, None, 'up', None, None, None, None, None, 'down']),
    ('uuuuuu', [None, None, 'up', None, None, None]),             # repeated successes: one event
])
def test_debounce(results, states):
    debounce = Debounce(failures=3, successes=3)
    assert [debounce.observe(r == 'u') for r in results] == states


def test_watch_reports_transitions_only_with_injected_probe_and_sleep():
    """watch() with a scripted probe and a sleep that ends the run: no real time passes."""
    script = [(True, 200, None)] * 2 + [(False, 503, 'HTTP status 503')] * 2 + [(False, None, 'refused')] + [(True, 204, None)] * 3
    sleeps = []

    class Done(Exception):
        pass

    async def probe():
        return script.pop(0)

    async def sleep(seconds):
        sleeps.append(seconds)
        if not script:
            raise Done()

    async def scenario():
        queue = asyncio.Queue()
        conf = settings({'url': 'http://bot/h', 'failures': 3, 'successes': 2, 'interval': 0.5, 'name': 'b'})
        with pytest.raises(Done):
            await watch(queue, conf, probe, sleep=sleep, clock=lambda: 'T')
        return [queue.get_nowait() for dummy in range(queue.qsize())]

    events = asyncio.run(scenario())
    assert events == [
        {'bot_health': {'name': 'b', 'url': 'http://bot/h', 'status': 'up', 'previous': 'unknown', 'consecutive': 2,
                        'status_code': 200, 'error': None, 'checked_at': 'T'}},
        {'bot_health': {'name': 'b', 'url': 'http://bot/h', 'status': 'down', 'previous': 'up', 'consecutive': 3,
                        'status_code': None, 'error': 'refused', 'checked_at': 'T'}},
        {'bot_health': {'name': 'b', 'url': 'http://bot/h', 'status': 'up', 'previous': 'down', 'consecutive': 2,
                        'status_code': 204, 'error': None, 'checked_at': 'T'}},
    ]
    assert sleeps == [0.5] * 8


# ------------------------------------------------------------------ main() against a fake bot

def test_down_and_up_after_consecutive_checks(fake_bot):
    answers = [200] * 3 + [503] * 3 + [200] * 3
    fake_bot.script(answers=answers, steady=200)
    events = run_main({'url': fake_bot.url, 'interval': 0.01, 'failures': 3, 'successes': 3, 'headers': {'Authorization': 'Bearer s3cr3t'}},
                      until=lambda: fake_bot.count() > len(answers) + 2)
    assert summary(events) == [('up', 'unknown', 3, 200, None), ('down', 'up', 3, 503, 'HTTP status 503'), ('up', 'down', 3, 200, None)]
    assert {e['bot_health']['url'] for e in events} == {fake_bot.url}
    assert {e['bot_health']['name'] for e in events} == {'127.0.0.1'}
    assert all(r['path'] == '/healthz' and r['headers']['Authorization'] == 'Bearer s3cr3t' for r in fake_bot.requests)
    assert 's3cr3t' not in repr(events)


def test_a_bot_that_flaps_faster_than_the_debounce_emits_nothing_more(fake_bot):
    fake_bot.script(answers=[200] * 2, flap=True)
    events = run_main({'url': fake_bot.url, 'interval': 0.01, 'failures': 2, 'successes': 2},
                      until=lambda: fake_bot.count() > 30)
    assert summary(events) == [('up', 'unknown', 2, 200, None)]


def test_emit_initial_false_reports_only_changes(fake_bot):
    answers = [503] * 2 + [200] * 2
    fake_bot.script(answers=answers, steady=200)
    events = run_main({'url': fake_bot.url, 'interval': 0.01, 'failures': 2, 'successes': 2, 'emit_initial': False},
                      until=lambda: fake_bot.count() > len(answers) + 2)
    assert summary(events) == [('up', 'down', 2, 200, None)]


@pytest.mark.parametrize('status, expect, error', [
    (302, [], 'HTTP status 302'),          # redirects are not followed: a login page is not a healthy bot
    (200, [204], 'HTTP status 200'),
])
def test_statuses_outside_expect_status_fail(fake_bot, status, expect, error):
    fake_bot.script(steady=status)
    events = run_main({'url': fake_bot.url, 'interval': 0.01, 'failures': 1, 'expect_status': expect},
                      until=lambda: fake_bot.count() > 2)
    assert summary(events) == [('down', 'unknown', 1, status, error)]
    assert all(r['path'] == '/healthz' for r in fake_bot.requests)


def test_a_refused_connection_is_a_failed_check():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))      # bound, not listening: connections are refused
        events = first_event({'url': 'http://127.0.0.1:%d/h' % sock.getsockname()[1], 'interval': 0.01, 'failures': 2})
    event = events[0]['bot_health']
    assert (event['status'], event['previous'], event['consecutive'], event['status_code']) == ('down', 'unknown', 2, None)
    assert event['error'].startswith('ClientConnectorError: ')


def test_a_bot_that_does_not_answer_within_timeout_is_down(fake_bot):
    fake_bot.hold = threading.Event()
    events = first_event({'url': fake_bot.url, 'interval': 0.01, 'timeout': 0.2, 'failures': 1})
    assert summary(events) == [('down', 'unknown', 1, None, 'no answer within 0.2 seconds')]


def test_events_never_show_credentials_or_query_of_the_url(fake_bot):
    url = 'http://user:pa55word@127.0.0.1:%d/healthz?key=qu3ry' % fake_bot.port
    events = run_main({'url': url, 'interval': 0.01, 'failures': 1, 'successes': 1}, until=lambda: fake_bot.count() > 1)
    assert summary(events) == [('up', 'unknown', 1, 200, None)]
    assert events[0]['bot_health']['url'] == 'http://127.0.0.1:%d/healthz' % fake_bot.port
    assert fake_bot.requests[0]['path'] == '/healthz?key=qu3ry'
    assert 'pa55word' not in repr(events) and 'qu3ry' not in repr(events)


def test_wait_for_fails_with_what_it_waited_for():
    with pytest.raises(AssertionError) as caught:
        wait_for(lambda: False, 0.1, 'nothing', interval=0.02)
    assert str(caught.value) == 'timed out after 0.1s waiting for nothing'

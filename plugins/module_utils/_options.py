# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

# This module_utils file is internal to exotel.trunking: its name starts with "_" and its
# interface may change without notice. Do not import it from other collections.

"""Every option a module takes, checked in one place before any request, with one wording.

- the connection options: ``exotel_argument_spec`` (with their ``EXOTEL_*`` environment variables; the
  defaults from ``_defaults.py``) and ``validate_options``;
- the forms of the values that go into a URL (SIDs, E.164 numbers, mapping ids) and their checks;
- the argument specs of the resource modules, and ``wanted_entries``, which turns a module's single
  options or its list option into the wanted entries of the engine (``_engine.py``).

The checks take the options as a dict (``params``, as ``AnsibleModule`` or ansible-core's
``ArgumentSpecValidator`` made them) and raise ``OptionError`` naming the option (or the environment
variable it came from) and the expected form; the module glue (``_module.option_errors``) and the event
sources turn it into their failure.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import ipaddress
import os
import re
from urllib.parse import urlsplit

from ansible.module_utils.basic import env_fallback

from ansible_collections.exotel.trunking.plugins.module_utils._defaults import CONNECTION_DEFAULTS, REGION_URLS


class OptionError(ValueError):
    """An option that does not have its form: ``message`` names it and the expected form. ``secrets``: values
    seen in it that must never be shown (a password inside a URL)."""

    def __init__(self, message, secrets=None):
        super(OptionError, self).__init__(message)
        self.message = message
        self.secrets = [s for s in secrets or [] if s]


# The environment variable each connection option falls back to.
ENV_VARS = {
    'account_sid': 'EXOTEL_ACCOUNT_SID',
    'api_key': 'EXOTEL_API_KEY',
    'api_token': 'EXOTEL_API_TOKEN',
    'region': 'EXOTEL_REGION',
    'api_url': 'EXOTEL_API_URL',
}

D = CONNECTION_DEFAULTS
SID_RE = re.compile(r'^[A-Za-z0-9_-]{1,64}$')
E164_RE = re.compile(r'^\+[0-9]{8,15}$')
DIGITS_RE = re.compile(r'^[0-9]{1,20}$')
MODES = ('pstn', 'flow')

SID_FORM = 'a trunk SID (letters, digits, "_" and "-"), e.g. trmum1f708622631150902801a1n'
PHONE_FORM = 'an E.164 phone number: "+" then 8 to 15 digits, e.g. "+918040264208"'
ID_FORM = 'a mapping id made of digits, e.g. "41523"'
TRUNK_NAME_RE = re.compile(r'^[A-Za-z0-9_]{1,16}$')
NSO_CODE_RE = re.compile(r'^[A-Z0-9]+-[A-Z0-9]+$')
DOMAIN_RE = re.compile(r'^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$')


# ---------------------------------------------------------------------- connection options

def exotel_argument_spec():
    """The connection options of every module (documented in doc_fragments/_exotel.py)."""
    return dict(
        account_sid=dict(type='str', required=True, fallback=(env_fallback, [ENV_VARS['account_sid']])),
        api_key=dict(type='str', required=True, no_log=False, fallback=(env_fallback, [ENV_VARS['api_key']])),
        api_token=dict(type='str', required=True, no_log=True, fallback=(env_fallback, [ENV_VARS['api_token']])),
        # Not `choices`: the region is accepted in any case, and checked in validate_options.
        region=dict(type='str', default=D['region'], fallback=(env_fallback, [ENV_VARS['region']])),
        api_url=dict(type='str', fallback=(env_fallback, [ENV_VARS['api_url']])),
        allow_insecure_http=dict(type='bool', default=D['allow_insecure_http']),
        ca_path=dict(type='path'),
        timeout=dict(type='int', default=D['timeout']),
        validate_certs=dict(type='bool', default=D['validate_certs']),
        retries=dict(type='int', default=D['retries']),
        max_retry_wait=dict(type='int', default=D['max_retry_wait']),
        rate_limit=dict(type='int', default=D['rate_limit']),
        # Every module takes it (one client, two pacers), so it can be set once for the action group.
        exophone_rate_limit=dict(type='int', default=D['exophone_rate_limit']),
    )


def option_name(params, name):
    """``name``, or ``EXOTEL_X (name)`` when the value came from its environment variable.

    The module cannot see whether the task set the option, so a value equal to the variable's is
    taken to come from it (the likelier source when a task does not set it).
    """
    env = ENV_VARS.get(name)
    if env and env in os.environ and params.get(name) == os.environ[env]:
        return '%s (from the environment variable %s)' % (name, env)
    return name


def phone_hint(value):
    """A hint for a phone number that lost its "+": YAML reads an unquoted +91... as an integer."""
    if isinstance(value, int) or (isinstance(value, str) and re.match(r'^[0-9]{8,15}$', value)):
        return (' It looks like a number without its "+": YAML reads an unquoted +918040264208 as the integer '
                '918040264208. Quote it: "+918040264208".')
    return ''


def check_option(params, name, pattern, expected, value=None, label=None):
    """Fail (naming the option and its expected form) unless the option matches ``pattern``."""
    if value is None:
        value = params.get(name)
    if value is None:
        return
    if not isinstance(value, str) or not pattern.match(value):
        hint = phone_hint(value) if pattern is E164_RE else ''
        raise OptionError('%s must be %s; got %r.%s' % (
            label or option_name(params, name), expected, value if name != 'api_token' else '***', hint))


def is_loopback(host):
    """Whether ``host`` (a URL's host name) is this machine: localhost, 127.0.0.0/8 or ::1."""
    host = (host or '').lower().rstrip('.')
    if host == 'localhost' or host.endswith('.localhost'):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def validate_options(params):
    """Check the connection options before any request is sent."""
    for name in ('account_sid', 'api_key', 'api_token'):
        value = params.get(name)
        if value is None or not value.strip():
            env = ENV_VARS[name]
            raise OptionError('%s is empty: set it in the task (or module_defaults) or in the environment variable '
                              '%s. An empty value usually comes from an unset variable or vault entry.' % (
                                  option_name(params, name), env))
    for name in ('api_key', 'api_token'):
        if re.search(r'[\s\x00-\x1f\x7f]', params[name]):
            raise OptionError('%s contains a space, a line break or another control character (the value is not shown); '
                              'check how it was copied, e.g. a trailing newline from a file.' % option_name(params, name))
    check_option(params, 'account_sid', SID_RE, 'an Exotel account SID (letters, digits, "_" and "-")')
    region = params.get('region')
    if region is not None:
        normal = region.strip().lower() if isinstance(region, str) else region
        if normal not in REGION_URLS:
            raise OptionError('%s must be one of %s (in any case); got %r.' % (
                option_name(params, 'region'), ', '.join(REGION_URLS), region))
        params['region'] = normal
    if params.get('api_url'):
        check_api_url(params)
    for name, low in (('timeout', 1), ('retries', 0), ('max_retry_wait', 0), ('rate_limit', 0), ('exophone_rate_limit', 0)):
        if params.get(name) is not None and params[name] < low:
            raise OptionError('%s must be an integer of at least %s; got %s.' % (name, low, params[name]))
    ca_path = params.get('ca_path')
    if ca_path is not None and not os.path.exists(ca_path):
        raise OptionError('ca_path must be an existing CA bundle file (PEM) or a directory of CA certificates; '
                          '%r does not exist.' % ca_path)


def check_api_url(params):
    """api_url: a base URL (no credentials, query, fragment or API version), TLS unless to loopback."""
    url = params['api_url']
    label = option_name(params, 'api_url')
    parts = urlsplit(url)
    secrets = [parts.password] if parts.password else []
    try:
        valid_port = parts.port is None or 0 < parts.port < 65536
    except ValueError:
        valid_port = False
    if parts.scheme not in ('http', 'https') or not parts.hostname or parts.username or parts.password \
            or parts.query or parts.fragment or not valid_port:
        raise OptionError('%s must be a base URL like https://api.exotel.com or http://127.0.0.1:8480 '
                          '(http or https, a host, an optional port and path; no credentials, query or fragment); '
                          'got %r.' % (label, strip_userinfo(url)), secrets)
    segments = [p for p in parts.path.split('/') if p]
    versioned = [p for p in segments if re.match(r'^v[0-9]+(_beta)?$', p, re.I) or p.lower() == 'accounts']
    if versioned:
        raise OptionError('%s must be the base URL without the API path: remove "/%s" (got %r). The modules add '
                          '/v2/accounts/<account_sid>/... themselves; Exotel\'s docs show the full path. Use e.g. '
                          'https://api.exotel.com.' % (label, '/'.join(segments[segments.index(versioned[0]):]),
                                                       strip_userinfo(url)))
    if parts.scheme == 'http' and not is_loopback(parts.hostname) and not params.get('allow_insecure_http'):
        raise OptionError('%s uses http:// to %s: the API key and token would travel unencrypted. Use https://, or '
                          'set allow_insecure_http=true if this plain-HTTP endpoint is on a network you trust '
                          '(http:// to localhost, 127.0.0.0/8 and ::1 is always allowed).' % (label, parts.hostname))


def strip_userinfo(url):
    return re.sub(r'//[^/@]*@', '//***@', url)


# ---------------------------------------------------------------------- values in a URL

def check_trunk_sid(params):
    check_option(params, 'trunk_sid', SID_RE, SID_FORM)


def check_phone_number(params, name='phone_number'):
    check_option(params, name, E164_RE, PHONE_FORM)


def check_number_id(params):
    check_option(params, 'number_id', DIGITS_RE, ID_FORM)


def check_trunk_options(params):
    """The options of exotel_trunk and exotel_trunk_info (those a module does not have are None)."""
    check_option(params, 'trunk_name', TRUNK_NAME_RE, '1 to 16 letters, digits and "_", e.g. voice_ai_prod')
    check_trunk_sid(params)
    check_option(params, 'nso_code', NSO_CODE_RE, 'two parts in capitals or digits joined by "-", e.g. ANY-ANY')
    check_option(params, 'domain_name', DOMAIN_RE, 'a DNS name, e.g. ameyo5m.pstn.exotel.com')


# ---------------------------------------------------------------------- entries of the resource modules

class BadValue(ValueError):
    """An input that does not have the expected form: ``field`` must be ``expected``; got ``value``."""

    def __init__(self, field, expected, value):
        super(BadValue, self).__init__(field)
        self.field = field
        self.expected = expected
        self.value = value


def wanted_entries(params, list_option, single_options, normalize, kind_key):
    """The wanted entries, from the single-form options or the list option, checked before any request.

    ``normalize(entry)`` returns the wanted entry or raises BadValue. Every problem is named with
    its option (``entries[1].ip``); duplicated keys in the list are an error too.
    """
    if params.get(list_option) is None:
        labelled = [('', dict((o, params.get(o)) for o in single_options))]
    else:
        labelled = [('%s[%d].' % (list_option, i), e) for i, e in enumerate(params[list_option])]
    wanted, problems, seen = [], [], {}
    for prefix, entry in labelled:
        try:
            want = normalize(entry)
        except BadValue as exc:
            problems.append('%s%s must be %s; got %r.' % (prefix, exc.field, exc.expected, exc.value))
            continue
        key = kind_key(want)
        if key in seen:
            problems.append('%s is the same entry as %s: list each entry once.' % (prefix.rstrip('.'), seen[key]))
        seen[key] = prefix.rstrip('.')
        wanted.append(want)
    if problems:
        raise OptionError(' '.join(problems))
    if params.get('purge') and (params.get(list_option) is None or params.get('state') != 'present'):
        raise OptionError('purge requires %s and state=present: it makes the trunk\'s list exactly %s.' % (
            list_option, list_option))
    return wanted


def check_value(field, value, test, expected):
    """Raise BadValue unless ``test(value)``; returns ``value``."""
    if value is not None and not test(value):
        raise BadValue(field, expected, value)
    return value


def trunk_list_spec(**options):
    """The argument spec of a module that manages one of a trunk's lists: connection, trunk_sid, state, ``options``."""
    return module_spec(trunk_sid=dict(type='str', required=True),
                       state=dict(type='str', default='present', choices=['present', 'absent']), **options)


def trunk_spec(**options):
    """The argument spec of the trunk modules: connection, trunk_name, trunk_sid, ``options``."""
    return module_spec(trunk_name=dict(type='str'), trunk_sid=dict(type='str'), **options)


def module_spec(**options):
    """The argument spec of a module: the connection options and ``options``."""
    spec = exotel_argument_spec()
    spec.update(options)
    return spec


# ---------------------------------------------------------------------- the ``numbers`` of the mapping modules

NUMBER_KEYS = ('phone_number', 'number_id', 'phone_number_id', 'mode')
MAPPING_KEYS = ('phone_number', 'mode')


def _number_entry(item, base, task_mode, problems, keys, need_mode):
    """One entry of ``numbers`` (a phone number string or a dict) as ``(phone_number, number_id, mode)``."""
    label = base
    if isinstance(item, dict):
        unknown = sorted(str(k) for k in item if k not in keys)
        if unknown:
            problems.append('%s has unknown keys %s (known: %s).' % (base, ', '.join(unknown), ', '.join(keys)))
        phone = item.get('phone_number')
        number_id = item.get('number_id', item.get('phone_number_id'))
        mode = item.get('mode')
        if mode is not None and mode not in MODES:
            problems.append('%s.mode must be one of %s; got %r.' % (base, ', '.join(MODES), mode))
        label = base + '.phone_number'
    elif isinstance(item, (str, int)) and not isinstance(item, bool):
        phone, number_id, mode = item, None, None
    else:
        problems.append('%s must be a phone number in E.164 form or a dict with phone_number; got %r.' % (base, item))
        return None
    if isinstance(number_id, int) and not isinstance(number_id, bool):
        number_id = str(number_id)
    if not isinstance(phone, str) or not E164_RE.match(phone):
        problems.append('%s must be %s; got %r.%s' % (label, PHONE_FORM, phone, phone_hint(phone)))
    if number_id is not None and (not isinstance(number_id, str) or not DIGITS_RE.match(number_id)):
        problems.append('%s.number_id must be %s; got %r.' % (base, ID_FORM, number_id))
    mode = mode or task_mode
    if mode is None and need_mode:
        problems.append('%s.mode is required when the task has no mode (pstn or flow).' % base)
    return phone, number_id, mode


def number_entries(params, keys=NUMBER_KEYS, need_mode=True):
    """The ``numbers`` option, checked before any request: the wanted ``phone_number``, ``number_id``, ``mode``.

    exotel_number_mode takes every key of ``NUMBER_KEYS`` and needs a mode for each number;
    exotel_trunk_number takes ``MAPPING_KEYS`` (no mode: a new mapping gets none, an existing one
    keeps its own).
    """
    wanted, problems, seen = [], [], set()
    for index, item in enumerate(params['numbers']):
        label = 'numbers[%d]' % index
        entry = _number_entry(item, label, params['mode'], problems, keys, need_mode)
        if entry is None:
            continue
        phone = entry[0]
        if isinstance(phone, str) and phone in seen:
            problems.append('%s %s is listed more than once.' % (label + ('.phone_number' if isinstance(item, dict) else ''), phone))
        seen.add(phone if isinstance(phone, str) else repr(phone))
        wanted.append(dict(zip(('phone_number', 'number_id', 'mode'), entry)))
    if problems:
        raise OptionError('Invalid numbers: ' + ' '.join(problems))
    return wanted


# ---------------------------------------------------------------------- the ExoPhone modules

EXOPHONE_SID_FORM = 'an ExoPhone SID (letters, digits, "_" and "-"), e.g. 9eeafc8ab479a386dc95f854f9d7cd8a'
APP_ID_FORM = 'a flow (app) id made of digits, as the Exotel dashboard shows it, e.g. "245678"'
FLOW_URL_FORM = ('an http:// or https:// URL with a host and no credentials or spaces, e.g. '
                 'https://my.exotel.com/<account_sid>/exoml/start_voice/245678')
COUNTRY_RE = re.compile(r'^[A-Z]{2}$')
FRIENDLY_NAME_RE = re.compile(r'^[^\x00-\x1f\x7f]{1,64}$')


def app_id_option(params, name):
    """Option ``name`` as a flow id (a string of digits; YAML may give an integer) or None; fails on any other form."""
    value = params.get(name)
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        value = str(value)
    if value is not None and (not isinstance(value, str) or not DIGITS_RE.match(value)):
        raise OptionError('%s must be %s; got %r.' % (name, APP_ID_FORM, value))
    params[name] = value
    return value


def check_flow_url(params, name):
    """Option ``name``, a flow URL: http(s), a host, no credentials, no white space."""
    value = params.get(name)
    if value is None:
        return
    parts = urlsplit(value)
    try:
        valid_port = parts.port is None or 0 < parts.port < 65536
    except ValueError:
        valid_port = False
    if parts.scheme not in ('http', 'https') or not parts.hostname or parts.username or parts.password \
            or not valid_port or re.search(r'\s', value):
        raise OptionError('%s must be %s; got %r.' % (name, FLOW_URL_FORM, strip_userinfo(value)),
                          [parts.password] if parts.password else [])


def check_exophone_options(params):
    """The options of exotel_exophone and exotel_exophone_info (those a module does not have are None)."""
    check_phone_number(params)
    check_option(params, 'sid', SID_RE, EXOPHONE_SID_FORM)
    for name in ('voice_app_id', 'sms_app_id', 'app_id'):
        if name in params:
            app_id_option(params, name)
    for name in ('voice_url', 'sms_url'):
        check_flow_url(params, name)
    check_option(params, 'friendly_name', FRIENDLY_NAME_RE, '1 to 64 characters without control characters, e.g. "Support line"')
    country = params.get('country')
    if country is not None:
        params['country'] = country.strip().upper()
        check_option(params, 'country', COUNTRY_RE, 'a two-letter ISO 3166 country code, e.g. IN', value=params['country'])

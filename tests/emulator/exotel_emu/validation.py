# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Checks of request fields, each failing with the Exotel error the API reference gives for it.

See "Endpoints" and "Error codes" in docs/docsite/rst/api_reference.rst.
"""

import ipaddress
import re

from .exceptions import ApiError

MODES = ('pstn', 'flow')
E164_RE = re.compile(r'^\+[1-9][0-9]{7,14}$')
TRUNK_NAME_RE = re.compile(r'^[A-Za-z0-9_]{1,16}$')
NSO_CODE_RE = re.compile(r'^[A-Z0-9]+-[A-Z0-9]+$')
SAFE_TEXT_RE = re.compile(r'^[A-Za-z0-9_]+$')
SETTING_NAME_RE = re.compile(r'^[A-Za-z][A-Za-z0-9_]{0,63}$')
FQDN_RE = re.compile(r'^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$')
DESTINATION_RE = re.compile(r'^(?P<host>[^:;]+)(:(?P<port>[0-9]{1,5}))?(;transport=(?P<transport>[A-Za-z]+))?$')


def field(body, name, kind, required=True, what=None):
    """``body[name]`` checked for type: missing -> 1001 (if required), wrong type -> 1007."""
    value = body.get(name)
    if value is None:
        if required:
            raise ApiError(1001, '%s is mandatory' % (what or name))
        return None
    if kind is int:
        ok = isinstance(value, int) and not isinstance(value, bool)
    else:
        ok = isinstance(value, kind)
    if not ok:
        raise ApiError(1007, '%s must be of type %s' % (name, 'integer' if kind is int else 'string'))
    return value


def check_phone_number(value):
    if value == '' or len(value) > 16:
        raise ApiError(1000, 'PhoneNumber not found')
    if not E164_RE.match(value):
        raise ApiError(1002, 'Invalid PhoneNumber')


def check_mode(body, required):
    mode = field(body, 'mode', str, required=required, what='Mode')
    if mode is not None and mode not in MODES:
        raise ApiError(1002, 'Invalid mode %s: expected pstn or flow' % mode)
    return mode


def check_trunk_name(name):
    if not TRUNK_NAME_RE.match(name):
        raise ApiError(1002, 'Invalid TrunkName')


def check_nso_code(nso_code):
    if not NSO_CODE_RE.match(nso_code):
        raise ApiError(1002, 'Nso code is invalid')


def check_ip(value):
    try:
        ipaddress.IPv4Address(value)
    except ValueError as exc:
        raise ApiError(1002, 'Invalid ip') from exc


def check_mask(value):
    if not 16 <= value <= 32:
        raise ApiError(1002, 'mask should be in-between 16 and 32')


def check_destination(value, whitelisted_ips):
    """The stored form (``sip:`` prefixed) of a destination; an IP must lie in one of ``whitelisted_ips``."""
    bare = value[4:] if value.startswith('sip:') else value
    match = DESTINATION_RE.match(bare)
    if not match:
        raise ApiError(1002, 'Destination is not a valid Ip or Fqdn')
    host, port, transport = match.group('host'), match.group('port'), match.group('transport')
    if port is not None and not 1 <= int(port) <= 65535:
        raise ApiError(1002, 'Invalid port %s' % port)
    if transport is not None and transport.lower() not in ('tls', 'tcp'):
        raise ApiError(1002, 'Invalid transport %s: expected tls or tcp' % transport)
    try:
        address = ipaddress.IPv4Address(host)
    except ValueError:
        if re.match(r'^[0-9.]+$', host) or not FQDN_RE.match(host):
            raise ApiError(1002, 'Destination is not a valid Ip or Fqdn') from None
    else:
        networks = [ipaddress.IPv4Network('%s/%d' % (a['ip'], a['mask']), strict=False) for a in whitelisted_ips]
        if not any(address in network for network in networks):
            raise ApiError(1002, 'Destination not whitelisted')
    return 'sip:' + bare


def check_credential(user_name, password, friendly_name):
    if user_name is not None and not user_name:
        raise ApiError(1001, 'UserName is mandatory')
    if password is not None and not SAFE_TEXT_RE.match(password):
        raise ApiError(1002, 'Invalid password: only letters, digits and _ are allowed')
    if friendly_name is not None and (len(friendly_name) > 32 or not SAFE_TEXT_RE.match(friendly_name)):
        raise ApiError(1002, 'Invalid friendly_name: up to 32 letters, digits and _')


def check_setting(name, value):
    if not SETTING_NAME_RE.match(name):
        raise ApiError(1002, 'Invalid setting name %s' % name)
    if name == 'trunk_external_alias' and not E164_RE.match(value):
        raise ApiError(1002, 'Invalid PhoneNumber')

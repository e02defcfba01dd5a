# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

# This module_utils file is internal to exotel.trunking: its name starts with "_" and its
# interface may change without notice. Do not import it from other collections.
"""The modules' option checks for code that is not a module (event sources): ``OptionAdapter`` and ``connection_params``.

An event source gets its arguments as a dict; ``connection_params`` turns them into the connection
options a module would see (argument, else the ``EXOTEL_*`` variable, else the default), and
``OptionAdapter`` is what ``_options``' checks and ``_module.client_from_module`` need of a module, its
``fail_json`` raising ``SourceArgumentError`` (after ``community.hashi_vault``'s option adapter).
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import math

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.exotel.trunking.plugins.module_utils._options import OptionError, exotel_argument_spec


class SourceArgumentError(ValueError):
    """An argument that does not have its form; the message names the source, the argument and the expected form."""


def connection_params(source, args):
    """The connection options of the modules from an event source's ``args``, validated by ansible-core's
    ArgumentSpecValidator against the modules' own spec: argument, else EXOTEL_* variable, else default, with
    ansible-core's wording for a wrong type. Whether the credentials are set is checked by ``validate_options``
    (through ``checked``), with the modules' wording."""
    spec = exotel_argument_spec()
    for entry in spec.values():
        entry.pop('required', None)
    result = ArgumentSpecValidator(spec).validate(dict((k, v) for k, v in args.items() if k in spec))
    if result.error_messages:
        raise SourceArgumentError('%s: %s' % (source, '; '.join(result.error_messages)))
    return result.validated_parameters


def checked(source, check, *args, **kwargs):
    """``check(*args, **kwargs)`` (one of ``_options``' checks); its OptionError becomes a SourceArgumentError."""
    try:
        return check(*args, **kwargs)
    except OptionError as exc:
        raise SourceArgumentError('%s: %s' % (source, exc.message))


def number_arg(source, args, name, default, integer=False, low=0, inclusive=False, high=None):
    """A numeric argument (strings of digits accepted, as rulebook variables arrive), checked against its range."""
    value = args.get(name)
    value = default if value is None else value
    try:
        if isinstance(value, bool):
            raise ValueError(value)
        number = float(value)
        if integer and number != int(number):
            raise ValueError(value)
    except (TypeError, ValueError):
        number = None
    ok = number is not None and math.isfinite(number) and (number >= low if inclusive else number > low) \
        and (high is None or number < high)
    if not ok:
        form = 'a whole number' if integer else 'a number'
        bounds = '%s %s %s' % (form, 'of at least' if inclusive else 'greater than', low)
        if high is not None:
            bounds += ' and below %s' % high
        raise SourceArgumentError('%s: %s must be %s; got %r' % (source, name, bounds, value))
    return int(number) if integer else number

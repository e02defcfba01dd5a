# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""A stateful local emulator of Exotel's dynamic SIP trunk API (v2), ExoPhone API (v2_beta) and Calls API (v1), for tests and demos.
Standard library only.

The API it emulates is described in docs/docsite/rst/api_reference.rst; how to run and steer it,
in tests/emulator/README.md. Import it and run it through ``tests/emulator/exotel_emulator.py``.

One module, one job (after moto's layout of a service):

- ``exceptions``: Exotel's error catalogue and ``ApiError``.
- ``envelopes``: the answers' shapes (single, list, batch, failure), ``Request`` and ``Response``.
- ``models``: the state (``Store``): accounts, trunks and their items, ExoPhones, numbers on offer, loaded from a fixture.
- ``validation``: checks of request fields, each failing with its documented error.
- ``urls``: which handler answers which method and path.
- ``responses``: the handlers of the endpoints (``Api``), and pagination.
- ``gateway``: what every trunk API request passes first: account path, auth, rate limit, content type, JSON.
- ``exophones``: the handlers of the ExoPhone API (``ExoPhoneApi``).
- ``beta``: what every ExoPhone API request passes first: account path, auth, its own rate limit, form body.
- ``traffic``: the call world (state): traffic streams, route health, compressed time, call records.
- ``calls``: the handlers of the Calls API (``CallsApi``): bulk and single call details.
- ``v1``: what every Calls API request passes first: account path, auth, its own rate limit.
- ``calls_admin``: the admin calls of the call world (``/_emulator/traffic``, ``/_emulator/calls``).
- ``ratelimit``: the per-account sliding-window limit.
- ``faults``: fault injection rules and the answers they give.
- ``admin``: the admin API under ``/_emulator/``.
- ``server``: the HTTP layer and the request log entries.
- ``emulator``: ``Emulator``, which ties them together and runs the server.
- ``cli``: the command line (``serve``, ``start``, ``stop``).
"""

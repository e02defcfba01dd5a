# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The fixtures of the emulator's API tests (test_emulator.py has its own): a fake clock, and an emulator in a
thread that runs on it."""

import pytest

from test_emulator import Emulator, FakeClock


@pytest.fixture(name='clock')
def clock_fixture():
    return FakeClock()


@pytest.fixture(name='emu')
def emu_fixture(clock):
    with Emulator(clock=clock, sleep=clock.sleep) as emulator:
        yield emulator

# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The opt-in live test against a real Exotel account (noxfile.py's `live` and `live-guard` sessions).

* targets(): the integration targets the live run runs, the same as the emulator run's.
* refusal(environ): why the live session must not start (no opt-in, missing credentials, a target
  not marked live-safe), or None.
* config_text(environ): the integration_config.yml of one live run (credentials from EXOTEL_*).
See CONTRIBUTING.md, "The live test".
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIVE_OPT_IN = 'yes-i-understand'
LIVE_PREFIX = 'anstest-'
# The alias a target carries once it may run against a real account (see CONTRIBUTING.md, "The live test").
LIVE_SAFE = 'exotel/live-safe'


def targets() -> list[str]:
    """The integration targets the live run runs: every target the emulator run (integration-*) runs."""
    targets = ROOT / 'tests' / 'integration' / 'targets'
    skipped = {'disabled', 'hidden', 'unsupported', 'unstable'}
    return sorted(p.name for p in targets.iterdir()
                  if p.is_dir() and not p.name.startswith(('setup_', 'prepare_')) and not _aliases(p) & skipped)


def _aliases(target: Path) -> set[str]:
    path = target / 'aliases'
    return set(path.read_text(errors='replace').split()) if path.exists() else set()


LIVE_VARS = ('EXOTEL_ACCOUNT_SID', 'EXOTEL_API_KEY', 'EXOTEL_API_TOKEN')


def refusal(environ: dict) -> str | None:
    """Why the live session must not start, or None."""
    if environ.get('EXOTEL_LIVE_TESTS') != LIVE_OPT_IN:
        return (f'refusing to run against a real Exotel account without EXOTEL_LIVE_TESTS={LIVE_OPT_IN} '
                f'(it creates, changes and deletes trunks and number mappings named {LIVE_PREFIX}*)')
    missing = [name for name in LIVE_VARS if not environ.get(name)]
    if missing:
        return f'EXOTEL_LIVE_TESTS is set but {" ".join(missing)} is not'
    if not environ.get('EXOTEL_LIVE_PHONE_NUMBER'):
        return 'EXOTEL_LIVE_PHONE_NUMBER (an ExoPhone of the test account that may be re-routed) is not set'
    unsafe = [t for t in targets() if LIVE_SAFE not in _aliases(ROOT / 'tests' / 'integration' / 'targets' / t)]
    if unsafe:
        return (f'refusing to run: these targets are not marked {LIVE_SAFE} in their aliases yet (they need the '
                f'emulator or do not confine themselves to {LIVE_PREFIX}* names and clean up): {" ".join(unsafe)}')
    return None


def config_text(environ) -> str:
    """integration_config.yml for one live run (written 0600 into the run's own copy, deleted after)."""
    lines = ['---', '# Written by the nox live session for one run; git-ignored.',
             f'exotel_account_sid: {environ["EXOTEL_ACCOUNT_SID"]}',
             f'exotel_api_key: {environ["EXOTEL_API_KEY"]}',
             f'exotel_api_token: {environ["EXOTEL_API_TOKEN"]}',
             f'exotel_region: {environ.get("EXOTEL_REGION", "singapore")}',
             f'exotel_live_prefix: {LIVE_PREFIX}',
             f'exotel_live_phone_number: "{environ["EXOTEL_LIVE_PHONE_NUMBER"]}"']
    # Optional: the flows role_voice_ai_cutover switches the test number between (else its current flow, both ways).
    for name in ('bot_app_id', 'pstn_app_id'):
        value = environ.get(f'EXOTEL_LIVE_{name.upper()}')
        if value:
            lines.append(f'exotel_live_{name}: "{value}"')
    region_url = {'singapore': 'https://api.exotel.com', 'mumbai': 'https://api.in.exotel.com'}
    url = environ.get('EXOTEL_API_URL') or region_url.get(environ.get('EXOTEL_REGION', 'singapore'), '')
    lines.append(f'exotel_api_url: {url}')
    return '\n'.join(lines) + '\n'

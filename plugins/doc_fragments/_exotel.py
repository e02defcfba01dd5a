# -*- coding: utf-8 -*-
# Copyright (c) exotel.trunking contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# This doc fragment is internal to exotel.trunking: its name starts with "_" and it may change
# without notice. Use the modules, not this fragment, from other collections.

from __future__ import absolute_import, division, print_function
__metaclass__ = type


class ModuleDocFragment(object):

    # The authors, the connection options every exotel.trunking module takes, the action group that sets
    # them once, and what a failed task returns.
    DOCUMENTATION = r'''
author:
  - exotel.trunking contributors (@exotel-trunking)
options:
  account_sid:
    description:
      - Your Exotel account SID, as shown on the API settings page of the Exotel dashboard.
      - It goes into every request path, so only letters, digits, V(_) and V(-) are accepted.
      - A wrong account SID is answered with HTTP 401 like a wrong key.
      - If not set, the value of the E(EXOTEL_ACCOUNT_SID) environment variable is used. An empty value
        (for example from an unset variable) is refused before any request.
    type: str
    required: true
  api_key:
    description:
      - The API key (the user name of HTTP Basic authentication).
      - Keys are per region. A key of the other region fails exactly like a wrong key (HTTP 401).
      - If not set, the value of the E(EXOTEL_API_KEY) environment variable is used. An empty value, or
        one with spaces or line breaks, is refused before any request.
    type: str
    required: true
  api_token:
    description:
      - The API token (the password of HTTP Basic authentication).
      - It is sent only in an C(Authorization) header, never in a URL, and never appears in results,
        warnings or error messages. It is sent only over TLS, except to a loopback address or with
        O(allow_insecure_http=true).
      - If not set, the value of the E(EXOTEL_API_TOKEN) environment variable is used. It is checked like
        O(api_key) before any request.
    type: str
    required: true
  region:
    description:
      - The Exotel cluster your account lives in, V(singapore) or V(mumbai), in any case.
      - V(singapore) uses C(https://api.exotel.com), V(mumbai) uses C(https://api.in.exotel.com).
      - Ignored when O(api_url) is set.
      - If not set, the value of the E(EXOTEL_REGION) environment variable is used, then V(singapore).
    type: str
    default: singapore
  api_url:
    description:
      - Full base URL of the API, overriding O(region). For proxies, tests and the local emulator,
        for example V(http://127.0.0.1:8480).
      - Only scheme, host, port and an optional path prefix; no credentials, query or fragment, and
        not the API's own path (the modules add C(/v2/accounts/<account_sid>/...) themselves, so
        V(https://api.exotel.com/v2) is refused).
      - C(http://) is allowed only to a loopback address (V(localhost), C(127.0.0.0/8), V(::1)), unless
        O(allow_insecure_http=true).
      - If not set, the value of the E(EXOTEL_API_URL) environment variable is used.
    type: str
  allow_insecure_http:
    description:
      - Allow an C(http://) O(api_url) to a host that is not a loopback address.
      - B(Risk:) the API key and token then travel unencrypted (HTTP Basic authentication) and anyone on
        the network path can read them and take over the account's API. Use it only for a plain-HTTP
        endpoint on a network you control, such as a test proxy.
    type: bool
    default: false
  ca_path:
    description:
      - A CA bundle (a PEM file) or a directory of CA certificates (processed with C(c_rehash)) to verify
        the API host's certificate with, instead of the CA bundle of C(requests).
      - For a TLS-inspecting corporate proxy or a private CA. Used only with O(validate_certs=true) and
        an C(https://) URL.
      - When not set, C(requests) uses the E(REQUESTS_CA_BUNDLE) environment variable if it is set.
    type: path
  timeout:
    description:
      - Seconds to wait for each HTTP request (connect and read) before giving up on it.
      - The connection itself must be made within 5 seconds (or O(timeout) when smaller), so that a
        wrong host or port fails fast.
    type: int
    default: 30
  validate_certs:
    description:
      - Whether to verify the TLS certificate of the API host.
      - Set to V(false) only for a test proxy you trust; the module then warns on every run (not for an
        C(http://) URL, which has no certificate).
    type: bool
    default: true
  retries:
    description:
      - How many times a request is retried after HTTP 429, 502, 503 or 504, a connection error
        or a timeout, with exponential backoff and jitter, honouring a C(Retry-After) header.
      - Reads and mode updates (same body, same result) are retried. Requests that create something
        are retried at once only when the server certainly did not act on them (HTTP 429, connection refused).
      - An HTTP 200 answer whose failure body is coded 429, 502, 503 or 504 is retried like that status.
      - When the answer to a write is unclear (lost, cut off, not valid JSON, or a server error in the HTTP
        status or in the body), the modules read the state back. If the write shows, it is reported as done;
        if not, the same write is sent again after a backoff, a create only when the re-read shows that
        nothing was created. These sends count as retries, so one write is sent at most O(retries) + 1 times.
      - A connection that is refused or not made in time is retried at most twice; a host name that does
        not resolve and a failed TLS handshake are not retried, since a retry cannot help.
      - V(0) disables retries.
    type: int
    default: 5
  max_retry_wait:
    description:
      - Upper bound, in seconds, on how much longer one task runs because of waits between retries (also before
        a write is sent again after a re-read). It is wall time. When several writes of one task wait side by side
        (a bulk task sends up to eight at once), the time they wait together counts once, so eight writes waiting
        2 seconds at the same time spend 2 seconds of it, not 16. Each write is still sent at most O(retries) + 1 times.
      - When the server asks (with C(Retry-After)) for a longer wait than what is left, the request
        fails at once with the server's answer instead of waiting.
      - "A failure that is not sent again because a budget is spent says which, with its figure, at the end of its
        message, for example C(not sent again: retries=5 used) or C(not sent again: max_retry_wait=120s spent).
        A bulk task also counts them in its summary and returns the budget as C(spent_budget) of each entry of
        C(failed_numbers)."
    type: int
    default: 120
  rate_limit:
    description:
      - Client-side pacing, in requests per minute. One task never starts more than this many
        requests in any 60 seconds, so a task that sends many requests (a bulk cutover) does not
        cause its own HTTP 429 answers.
      - Exotel's documented limit for the trunk API is 200 requests per minute per account. Lower
        this when other tasks or systems share the account; V(0) turns pacing off.
    type: int
    default: 200
  exophone_rate_limit:
    description:
      - Client-side pacing of the ExoPhone API (C(/v2_beta/Accounts/<account_sid>/IncomingPhoneNumbers)), in
        requests per minute, separate from O(rate_limit), which paces the trunk API.
      - Exotel documents 50 requests per minute per account for the ExoPhone API. V(0) turns pacing off.
      - Every module of the collection accepts it, so it can be set once for the action group in C(module_defaults);
        the modules that use only the trunk API send no request it paces.
    type: int
    default: 50
attributes:
  action_group:
    support: full
    membership:
      - exotel.trunking.exotel
    description: Use C(group/exotel.trunking.exotel) in C(module_defaults) to set the connection options once.
notes:
  - C(requests) honours the E(HTTPS_PROXY) and E(NO_PROXY) environment variables of the host that runs
    the module; credentials go to the proxy only inside the TLS tunnel.
  - The Exotel trunk API allows 200 requests per minute per account. Many parallel tasks against one
    account can reach it; the modules then wait as the server asks, within O(max_retry_wait).
  - Every input is checked before any request is sent; a bad value fails the task with a message naming the
    option and the form it expects.
  - When an API call fails, the task fails with Exotel's answer in C(msg) and, next to it, C(http_status),
    C(error_code) and C(error_description) (Exotel's C(response.error_data)), C(request_id) (quote it to Exotel
    support), and the C(method) and C(path) of the call.
  - This collection is community-built and not affiliated with Exotel.
requirements:
  - "requests >= 2.32.4 (older versions work, with a warning: they miss fixes for credential leaks)"
'''

    # A module that only reads (the *_info modules).
    READ_ONLY = r'''
attributes:
  check_mode:
    support: full
    details: This module never changes anything.
    description: Can run in check mode.
  diff_mode:
    support: N/A
    description: This module never changes anything.
'''

    # The ExoPhone modules (exotel_exophone, exotel_exophone_info):
    # what differs from the trunk API.
    # ansible-core 2.16 refuses a fragment without options or attributes, hence the empty options.
    EXOPHONES = r'''
options: {}
notes:
  - ExoPhones live in another API family than trunks (C(v2_beta), form-encoded requests, answers without the
    v2 envelope). Its failures return Exotel's C(RestException) the same way, C(error_code) being its C(Code)
    (a number or a word) and C(error_description) its C(Message); C(request_id) is set only when Exotel gives one.
  - A flow is compared by its app id, the last part of the flow URL (C(.../exoml/start_voice/245678)), never by the
    whole URL, whose host and form vary across Exotel's documentation.
'''

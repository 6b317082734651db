"""Signals of the auth domain (blinker), sent inside the caller's transaction (before its commit), so
a receiver's writes commit or roll back with it.

* ``credentials_revoked``  sender: the User whose password was set or whose login was deactivated;
                           kwarg ``reason`` ("password" or "deactivated"). The API revokes the user's
                           tokens: a token must not outlive the password or the login it came from.
* ``sign_in_code_ready``   sender: the User who asked for a sign-in code by mobile number; kwargs ``person``
                           (the linked person), ``code``, ``host`` (for the WebOTP line), ``minutes`` (how
                           long the code is valid). Sent after the request's commit: the receiver (the
                           reminders domain) sends the code at once through the SMS/WhatsApp channel,
                           and never keeps it in clear.

Connect with ``credentials_revoked.connect(fn, weak=False)``; ``fn(sender, **kwargs)``.
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

credentials_revoked = _signals.signal("credentials-revoked")

sign_in_code_ready = _signals.signal("sign-in-code-ready")

"""Signals of the auth domain (blinker), sent inside the caller's transaction (before its commit), so
a receiver's writes commit or roll back with it.

* ``credentials_revoked``  sender: the User whose password was set or whose login was deactivated;
                           kwarg ``reason`` ("password" or "deactivated"). The API revokes the user's
                           tokens: a token must not outlive the password or the login it came from.

Connect with ``credentials_revoked.connect(fn, weak=False)``; ``fn(sender, **kwargs)``.
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

credentials_revoked = _signals.signal("credentials-revoked")

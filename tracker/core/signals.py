"""Signals of core (blinker): what core's own pages do that a higher domain acts on. Sent inside the
request's transaction (before its commit), so a receiver's writes commit or roll back with it.

* ``post_ended``     sender: the directory's Post whose term was given an end date (ended, replaced,
                     or its dates changed); kwarg ``end_date``. The auth domain deactivates a login
                     left with no post from the day after (tracker.auth.posts); the reminders domain ends
                     the person's personal links then.
* ``locale_chosen``  sender: the logged-in user; kwarg ``locale``. The auth domain keeps the choice on the
                     login, so that it follows the user to their other devices.

Connect with ``locale_chosen.connect(fn, weak=False)``; ``fn(sender, **kwargs)``.
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

locale_chosen = _signals.signal("locale-chosen")

post_ended = _signals.signal("post-ended")

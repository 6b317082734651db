"""Signals of the attendance domain (blinker): questions asked of the reminders domain, which lies above
attendance (tracker/reminders/handlers.py connects them). Sender: the MeetingSession; kwarg ``people``,
the list of Person who stayed away without notice.

* ``absentee_message_routes``  The receiver returns ``{channel or None: count}``: through which channel each
                               would be reached (None: cannot be reached). No receiver: nobody can be.
* ``absentee_message``         The receiver queues one message to each, asking them to tell the office why
                               they stayed away (skipping those sent one a short while ago); returns how many
                               were queued.
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

absentee_message_routes = _signals.signal("absentee-message-routes")
absentee_message = _signals.signal("absentee-message")

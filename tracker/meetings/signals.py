"""Signals of the meetings domain (blinker). They are sent by :mod:`tracker.meetings.operations`
inside the caller's transaction (after a flush, before the commit), so a receiver that writes to
the database (e.g. queues reminder messages) commits or rolls back together with the change.

Only changes that people must hear about are signalled: everything except ``meeting_published``
is sent only for meetings that are already published (their invitation lists are frozen). Drafts
change silently.

* ``meeting_published``   sender: the Meeting; its invitations have just been frozen.
* ``session_changed``     sender: the MeetingSession; kwargs ``old_starts_at``, ``old_ends_at``
                          (aware UTC; the new times are on the session; ``sequence`` was bumped).
* ``session_cancelled``   sender: the MeetingSession (also for each session of a cancelled meeting).
* ``invitation_added``    sender: the Invitation (with its pass: ``pass_issued_at`` set).
* ``invitation_removed``  sender: the MeetingSession; kwarg ``person`` (the Invitation row is gone).
* ``reply_recorded``      sender: the Invitation; kwarg ``reply`` (its InvitationReply, given or changed).

One signal is a question rather than news, asked by the page that confirms publishing:

* ``reminder_offsets``    sender: the Meeting. The receiver (the reminders domain) returns
                          ``(day_before_minutes, same_day_minutes)``: how long before each session's start
                          its reminders go out. No receiver: no reminder goes out, so none is missed.

Two more are asked by the office's replies page (``tracker.meetings.reply_list_views``), sender: the Meeting,
kwarg ``people``: ``[(Person, [sessions they have not answered]), ...]``:

* ``reply_request_routes``  The receiver (the reminders domain) returns ``{channel or None: count}``: through
                            which channel each would be reached (None: cannot be reached).
* ``reply_request``         The receiver queues one message to each, asking for a reply (with their personal
                            link), skipping those asked a short while ago; returns how many were queued.

Connect with ``meeting_published.connect(fn)``; ``fn(sender, **kwargs)``.
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

meeting_published = _signals.signal("meeting-published")
session_changed = _signals.signal("session-changed")
session_cancelled = _signals.signal("session-cancelled")
invitation_added = _signals.signal("invitation-added")
invitation_removed = _signals.signal("invitation-removed")
reminder_offsets = _signals.signal("reminder-offsets")
# An invitee's reply before the session was given or changed (sender: the Invitation; kwarg ``reply``,
# the InvitationReply): the reminders domain stops (or restores) their reminders.
reply_recorded = _signals.signal("reply-recorded")
# The office reminds the invitees who have not answered (see the module's notes).
reply_request_routes = _signals.signal("reply-request-routes")
reply_request = _signals.signal("reply-request")

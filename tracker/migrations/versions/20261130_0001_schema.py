"""The whole schema, one domain after another, and the standard post roles.

Revision ID: 0001_schema
Revises:
Create Date: 2026-11-30 22:00:00

Squashed, before anything was deployed, from the first history (0001_initial, a branch per domain
0002..0007 joined by 0008_merge, then 0009_roster_pass_codes): it makes that history's schema,
constraint for constraint, and ``tracker.commands.upgrade_database`` re-stamps a database it made.
Names are written out as the models' naming convention makes them, so that this file keeps making
the same schema whatever the models become. Enumerations are VARCHAR(32) with a CHECK of their
values (the models' ``enum_column``), times are naive UTC ``DateTime`` (the models' ``UTCDateTime``).
"""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0001_schema'
down_revision = None
branch_labels = None
depends_on = None

CHOICE = sa.String(length=32)  # an enumeration's column

ACTION_ITEM_STATUSES = ('open', 'in_progress', 'done', 'dropped')
ATTENDANCE_STATUSES = ('present', 'late', 'excused', 'absent', 'represented')
MESSAGE_KINDS = (
    'invitation', 'reminder_24h', 'reminder_2h', 'change', 'cancellation', 'digest', 'action_due')

# The standard post roles, a snapshot (not read from the models).
# (code, English title, Hindi title, single holder, sort order)
STANDARD_POST_ROLES = (
    ('state_president', 'State president', 'प्रदेश कांग्रेस अध्यक्ष', True, 10),
    ('state_incharge', 'State in-charge', 'प्रदेश प्रभारी', False, 20),
    ('co_incharge', 'Co-in-charge', 'सह प्रभारी', False, 30),
    ('org_incharge', 'Organization in-charge', 'संगठन प्रभारी', False, 40),
    ('vice_president', 'Vice-president', 'प्रदेश उपाध्यक्ष', False, 50),
    ('general_secretary', 'General secretary', 'प्रदेश महामंत्री', False, 60),
    ('treasurer', 'Treasurer', 'कोषाध्यक्ष', False, 70),
    ('leader_of_opposition', 'Leader of Opposition', 'नेता प्रतिपक्ष', False, 80),
    ('district_president', 'District president', 'जिला अध्यक्ष', True, 100),
    ('district_incharge', 'District in-charge', 'जिला प्रभारी', False, 110),
    ('district_co_incharge', 'District co-in-charge', 'जिला सह प्रभारी', False, 120),
    ('observer', 'Observer', 'पर्यवेक्षक', False, 130),
    ('block_president', 'Block president', 'ब्लॉक अध्यक्ष', True, 140),
    ('spokesperson', 'Spokesperson', 'प्रवक्ता', False, 150),
    ('coordinator', 'Coordinator', 'समन्वयक', False, 160),
    ('member', 'Member', 'सदस्य', False, 200),
)

# Every table, in the order upgrade() makes them (downgrade() drops them the other way round).
TABLES = (
    'audit_entries',
    'people', 'post_roles', 'units', 'revenue_districts', 'posts',
    'users', 'login_throttles',
    'campaigns', 'meetings', 'meeting_sessions', 'agenda_items', 'invitations', 'session_units',
    'calendar_feeds',
    'attendance', 'pass_codes',
    'challenge_categories', 'checklist_templates', 'checklist_items', 'review_notes', 'action_items',
    'review_note_categories', 'review_note_reviewers', 'review_note_versions', 'action_item_updates',
    'scheduler_leases', 'meeting_reminder_settings', 'outbox_settings', 'notify_problems', 'outbox_messages',
    'api_tokens',
)


# --- how things are named ------------------------------------------------------------------------


def _id(table):
    """The ``id`` column and its primary key."""
    return sa.Column('id', sa.Integer(), nullable=False), _pk(table)


def _timestamps():
    return (sa.Column('created_at', sa.DateTime(), nullable=False),
            sa.Column('updated_at', sa.DateTime(), nullable=False))


def _pk(table, *columns):
    return sa.PrimaryKeyConstraint(*(columns or ('id',)), name=op.f(f'pk_{table}'))


def _fk(table, column, target, ondelete):
    """A foreign key from ``table.column`` to ``target.id``."""
    return sa.ForeignKeyConstraint([column], [f'{target}.id'], name=op.f(f'fk_{table}_{column}_{target}'),
                                   ondelete=ondelete)


def _unique(table, *columns):
    return sa.UniqueConstraint(*columns, name=op.f(f"uq_{table}_{'_'.join(columns)}"))


def _check(table, name, condition):
    return sa.CheckConstraint(condition, name=op.f(f'ck_{table}_{name}'))


def _one_of(table, name, column, values):
    """An enumeration's CHECK: the column holds one of its values (or NULL)."""
    listed = ', '.join(f"'{value}'" for value in values)
    return _check(table, name, f'{column} IN ({listed})')


def _index(table, *columns, name=None, unique=False):
    """An index; unnamed ones are on one column, ``ix_<table>_<column>``."""
    return sa.Index(name or f'ix_{table}_{columns[0]}', *columns, unique=unique)


# --- upgrade -------------------------------------------------------------------------------------


def upgrade():
    _audit()
    _directory()
    _auth()
    _meetings()
    _attendance()
    _reviews()
    _reminders()
    _api()


def _audit():
    op.create_table(
        'audit_entries',
        *_id('audit_entries'),
        sa.Column('at', sa.DateTime(), nullable=False),
        sa.Column('actor_user_id', sa.Integer(), nullable=True),  # a plain id, no foreign key
        sa.Column('actor_label', sa.String(length=120), nullable=False),
        sa.Column('entity_type', sa.String(length=64), nullable=False),
        sa.Column('entity_id', sa.Integer(), nullable=False),
        sa.Column('action', sa.String(length=32), nullable=False),
        sa.Column('changes', sa.JSON(), nullable=False),
        _index('audit_entries', 'actor_user_id'),
        _index('audit_entries', 'entity_type', 'entity_id', 'id', name='ix_audit_entries_entity'),
    )


def _directory():
    op.create_table(
        'people',
        *_id('people'),
        sa.Column('name_hi', sa.String(length=200), nullable=False),
        sa.Column('name_en', sa.String(length=200), nullable=False),
        sa.Column('mobile', sa.String(length=20), nullable=True),
        sa.Column('email', sa.String(length=254), nullable=True),
        sa.Column('preferred_locale', sa.String(length=8), nullable=False),
        sa.Column('preferred_channel', CHOICE, nullable=False),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('search_key', sa.Text(), nullable=False),
        sa.Column('is_archived', sa.Boolean(), nullable=False),
        *_timestamps(),
        _one_of('people', 'channel', 'preferred_channel', ('email', 'sms', 'whatsapp', 'none')),
        _index('people', 'mobile'),
    )
    post_roles = op.create_table(
        'post_roles',
        *_id('post_roles'),
        sa.Column('code', sa.String(length=64), nullable=False),
        sa.Column('title_hi', sa.String(length=200), nullable=False),
        sa.Column('title_en', sa.String(length=200), nullable=False),
        sa.Column('single_holder', sa.Boolean(), nullable=False),
        sa.Column('sort_order', sa.Integer(), nullable=False),
        *_timestamps(),
        _unique('post_roles', 'code'),
    )
    now = datetime.now(UTC).replace(tzinfo=None)
    op.bulk_insert(post_roles, [
        {'code': code, 'title_en': title_en, 'title_hi': title_hi, 'single_holder': single,
         'sort_order': order, 'created_at': now, 'updated_at': now}
        for code, title_en, title_hi, single, order in STANDARD_POST_ROLES
    ])

    # A unit and its revenue district refer to each other: the unit's key to it comes after both tables.
    op.create_table(
        'units',
        *_id('units'),
        sa.Column('code', sa.String(length=64), nullable=False),
        sa.Column('level', CHOICE, nullable=False),
        sa.Column('district_kind', CHOICE, nullable=True),
        sa.Column('name_hi', sa.String(length=200), nullable=False),
        sa.Column('name_en', sa.String(length=200), nullable=False),
        sa.Column('parent_id', sa.Integer(), nullable=True),
        sa.Column('revenue_district_id', sa.Integer(), nullable=True),
        sa.Column('is_archived', sa.Boolean(), nullable=False),
        sa.Column('search_key', sa.Text(), nullable=False),
        *_timestamps(),
        _unique('units', 'code'),
        _fk('units', 'parent_id', 'units', 'RESTRICT'),
        _one_of('units', 'unit_level', 'level', ('state', 'division', 'district', 'block')),
        _one_of('units', 'district_kind', 'district_kind', ('city', 'rural', 'whole')),
        _check('units', 'valid_parent', "(parent_id IS NULL) = (level = 'state')"),
        _check('units', 'kind_only_for_districts', "(district_kind IS NULL) OR (level = 'district')"),
        _index('units', 'parent_id'),
        _index('units', 'revenue_district_id'),
        _index('units', 'parent_id', 'level', name='ix_units_parent_level'),
    )
    op.create_table(
        'revenue_districts',
        *_id('revenue_districts'),
        sa.Column('code', sa.String(length=64), nullable=False),
        sa.Column('name_hi', sa.String(length=200), nullable=False),
        sa.Column('name_en', sa.String(length=200), nullable=False),
        sa.Column('division_id', sa.Integer(), nullable=False),
        _unique('revenue_districts', 'code'),
        _fk('revenue_districts', 'division_id', 'units', 'RESTRICT'),
        _index('revenue_districts', 'division_id'),
    )
    with op.batch_alter_table('units') as batch:  # SQLite cannot add a constraint: batch mode remakes it
        batch.create_foreign_key(op.f('fk_units_revenue_district_id_revenue_districts'), 'revenue_districts',
                                 ['revenue_district_id'], ['id'], ondelete='RESTRICT')

    op.create_table(
        'posts',
        *_id('posts'),
        sa.Column('person_id', sa.Integer(), nullable=False),
        sa.Column('unit_id', sa.Integer(), nullable=False),
        sa.Column('role_id', sa.Integer(), nullable=False),
        sa.Column('start_date', sa.Date(), nullable=False),
        sa.Column('end_date', sa.Date(), nullable=True),
        sa.Column('note', sa.Text(), nullable=False),
        *_timestamps(),
        _fk('posts', 'person_id', 'people', 'RESTRICT'),
        _fk('posts', 'role_id', 'post_roles', 'RESTRICT'),
        _fk('posts', 'unit_id', 'units', 'RESTRICT'),
        _check('posts', 'valid_term', 'end_date IS NULL OR end_date >= start_date'),
        _index('posts', 'person_id', 'start_date', name='ix_posts_person'),
        _index('posts', 'unit_id', 'role_id', 'start_date', name='ix_posts_unit_role'),
    )


def _auth():
    op.create_table(
        'users',
        *_id('users'),
        sa.Column('username', sa.String(length=80), nullable=False),
        sa.Column('full_name', sa.String(length=200), nullable=False),
        sa.Column('password_hash', sa.String(length=256), nullable=False),
        sa.Column('role', CHOICE, nullable=False),
        sa.Column('person_id', sa.Integer(), nullable=True),
        sa.Column('locale', sa.String(length=8), nullable=True),
        sa.Column('is_active', sa.Boolean(), nullable=False),
        sa.Column('session_version', sa.Integer(), nullable=False),
        sa.Column('last_login_at', sa.DateTime(), nullable=True),
        sa.Column('grants', sa.String(length=500), nullable=False),
        *_timestamps(),
        _unique('users', 'username'),
        _fk('users', 'person_id', 'people', 'SET NULL'),
        _one_of('users', 'user_role', 'role', ('admin', 'office', 'coordinator', 'incharge', 'president')),
        _index('users', 'person_id', unique=True),  # a person has at most one login
    )
    op.create_table(
        'login_throttles',
        sa.Column('key', sa.String(length=120), nullable=False),
        sa.Column('failures', sa.Integer(), nullable=False),
        sa.Column('locked_until', sa.DateTime(), nullable=True),
        sa.Column('last_failure_at', sa.DateTime(), nullable=True),
        _pk('login_throttles', 'key'),
    )


def _meetings():
    op.create_table(
        'campaigns',
        *_id('campaigns'),
        sa.Column('code', sa.String(length=64), nullable=False),
        sa.Column('name_hi', sa.String(length=200), nullable=False),
        sa.Column('name_en', sa.String(length=200), nullable=False),
        sa.Column('is_active', sa.Boolean(), nullable=False),
        *_timestamps(),
        _unique('campaigns', 'code'),
    )
    op.create_table(
        'meetings',
        *_id('meetings'),
        sa.Column('title_hi', sa.String(length=300), nullable=False),
        sa.Column('title_en', sa.String(length=300), nullable=False),
        sa.Column('purpose', CHOICE, nullable=False),
        sa.Column('campaign_id', sa.Integer(), nullable=True),
        sa.Column('host_unit_id', sa.Integer(), nullable=True),
        sa.Column('venue', sa.String(length=300), nullable=False),
        sa.Column('starts_on', sa.Date(), nullable=False),
        sa.Column('ends_on', sa.Date(), nullable=False),
        sa.Column('status', CHOICE, nullable=False),
        sa.Column('description', sa.Text(), nullable=False),
        sa.Column('published_at', sa.DateTime(), nullable=True),
        *_timestamps(),
        _fk('meetings', 'campaign_id', 'campaigns', 'SET NULL'),
        _fk('meetings', 'host_unit_id', 'units', 'RESTRICT'),
        _one_of('meetings', 'meeting_purpose', 'purpose', ('review', 'training', 'campaign', 'other')),
        _one_of('meetings', 'meeting_status', 'status', ('draft', 'published', 'completed', 'cancelled')),
        _check('meetings', 'valid_dates', 'ends_on >= starts_on'),
        _index('meetings', 'campaign_id'),
        _index('meetings', 'host_unit_id'),
    )
    op.create_table(
        'meeting_sessions',
        *_id('meeting_sessions'),
        sa.Column('meeting_id', sa.Integer(), nullable=False),
        sa.Column('kind', CHOICE, nullable=False),
        sa.Column('title_hi', sa.String(length=300), nullable=False),
        sa.Column('title_en', sa.String(length=300), nullable=False),
        sa.Column('starts_at', sa.DateTime(), nullable=False),
        sa.Column('ends_at', sa.DateTime(), nullable=False),
        sa.Column('room', sa.String(length=120), nullable=False),
        sa.Column('status', CHOICE, nullable=False),
        sa.Column('chair_person_id', sa.Integer(), nullable=True),
        sa.Column('district_unit_id', sa.Integer(), nullable=True),
        sa.Column('what_to_bring_hi', sa.Text(), nullable=False),
        sa.Column('what_to_bring_en', sa.Text(), nullable=False),
        sa.Column('sequence', sa.Integer(), nullable=False),
        sa.Column('self_checkin_enabled', sa.Boolean(), nullable=False),
        sa.Column('attendance_locked_at', sa.DateTime(), nullable=True),
        *_timestamps(),
        _fk('meeting_sessions', 'chair_person_id', 'people', 'RESTRICT'),
        _fk('meeting_sessions', 'district_unit_id', 'units', 'RESTRICT'),
        _fk('meeting_sessions', 'meeting_id', 'meetings', 'CASCADE'),
        _one_of('meeting_sessions', 'session_kind', 'kind', ('group', 'one_to_one')),
        _one_of('meeting_sessions', 'session_status', 'status', ('scheduled', 'cancelled')),
        _check('meeting_sessions', 'valid_times', 'ends_at > starts_at'),
        _index('meeting_sessions', 'chair_person_id'),
        _index('meeting_sessions', 'district_unit_id'),
        _index('meeting_sessions', 'meeting_id', 'starts_at', name='ix_meeting_sessions_meeting_start'),
    )
    op.create_table(
        'agenda_items',
        *_id('agenda_items'),
        sa.Column('session_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('title_hi', sa.String(length=300), nullable=False),
        sa.Column('title_en', sa.String(length=300), nullable=False),
        sa.Column('presenter_person_id', sa.Integer(), nullable=True),
        sa.Column('minutes', sa.Integer(), nullable=True),
        *_timestamps(),
        _fk('agenda_items', 'presenter_person_id', 'people', 'SET NULL'),
        _fk('agenda_items', 'session_id', 'meeting_sessions', 'CASCADE'),
        _check('agenda_items', 'positive_minutes', 'minutes IS NULL OR minutes > 0'),
        _index('agenda_items', 'session_id'),
    )
    op.create_table(
        'invitations',
        *_id('invitations'),
        sa.Column('session_id', sa.Integer(), nullable=False),
        sa.Column('person_id', sa.Integer(), nullable=False),
        sa.Column('kind', CHOICE, nullable=False),
        sa.Column('unit_id', sa.Integer(), nullable=True),
        sa.Column('pass_token', sa.String(length=64), nullable=True),
        sa.Column('pass_revoked_at', sa.DateTime(), nullable=True),
        *_timestamps(),
        _fk('invitations', 'person_id', 'people', 'RESTRICT'),
        _fk('invitations', 'session_id', 'meeting_sessions', 'CASCADE'),
        _fk('invitations', 'unit_id', 'units', 'SET NULL'),
        _unique('invitations', 'pass_token'),
        sa.UniqueConstraint('session_id', 'person_id', name='one_per_person'),
        _one_of('invitations', 'invitation_kind', 'kind',
                ('invitee', 'reviewer', 'chair', 'dais', 'guest', 'walk_in')),
        _index('invitations', 'person_id', 'session_id', name='ix_invitations_person'),
        _index('invitations', 'unit_id'),
    )
    op.create_table(
        'session_units',
        sa.Column('session_id', sa.Integer(), nullable=False),
        sa.Column('unit_id', sa.Integer(), nullable=False),
        _pk('session_units', 'session_id', 'unit_id'),
        _fk('session_units', 'session_id', 'meeting_sessions', 'CASCADE'),
        _fk('session_units', 'unit_id', 'units', 'RESTRICT'),
        _index('session_units', 'unit_id'),
    )
    op.create_table(  # private calendar subscriptions
        'calendar_feeds',
        *_id('calendar_feeds'),
        sa.Column('person_id', sa.Integer(), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('revoked_at', sa.DateTime(), nullable=True),
        _fk('calendar_feeds', 'person_id', 'people', 'CASCADE'),
        _unique('calendar_feeds', 'token_hash'),
        _index('calendar_feeds', 'person_id', 'revoked_at', name='ix_calendar_feeds_person'),
    )


def _attendance():
    op.create_table(
        'attendance',
        *_id('attendance'),
        sa.Column('session_id', sa.Integer(), nullable=False),
        sa.Column('person_id', sa.Integer(), nullable=False),
        sa.Column('status', CHOICE, nullable=False),
        sa.Column('late_at', sa.DateTime(), nullable=True),
        sa.Column('represented_by_person_id', sa.Integer(), nullable=True),
        sa.Column('represented_by_name', sa.String(length=200), nullable=False),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('is_walk_in', sa.Boolean(), nullable=False),
        sa.Column('marked_by_user_id', sa.Integer(), nullable=True),
        sa.Column('marked_at', sa.DateTime(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        # the state before the last change, for one step of undo
        sa.Column('can_undo', sa.Boolean(), nullable=False),
        sa.Column('prev_status', CHOICE, nullable=True),
        sa.Column('prev_late_at', sa.DateTime(), nullable=True),
        sa.Column('prev_represented_by_person_id', sa.Integer(), nullable=True),
        sa.Column('prev_represented_by_name', sa.String(length=200), nullable=True),
        sa.Column('prev_note', sa.Text(), nullable=True),
        sa.Column('prev_marked_by_user_id', sa.Integer(), nullable=True),
        sa.Column('prev_marked_at', sa.DateTime(), nullable=True),
        _fk('attendance', 'marked_by_user_id', 'users', 'SET NULL'),
        _fk('attendance', 'person_id', 'people', 'RESTRICT'),
        _fk('attendance', 'prev_marked_by_user_id', 'users', 'SET NULL'),
        _fk('attendance', 'prev_represented_by_person_id', 'people', 'SET NULL'),
        _fk('attendance', 'represented_by_person_id', 'people', 'SET NULL'),
        _fk('attendance', 'session_id', 'meeting_sessions', 'CASCADE'),
        _unique('attendance', 'session_id', 'person_id'),
        _one_of('attendance', 'attendance_status', 'status', ATTENDANCE_STATUSES),
        _one_of('attendance', 'attendance_prev_status', 'prev_status', ATTENDANCE_STATUSES),
        _check('attendance', 'late_at_only_when_late', "(status = 'late') OR (late_at IS NULL)"),
        _check('attendance', 'representative_only_when_represented',
               "(status = 'represented') OR (represented_by_person_id IS NULL AND represented_by_name = '')"),
        _check('attendance', 'positive_version', 'version > 0'),
        _index('attendance', 'person_id'),
        _index('attendance', 'represented_by_person_id'),
    )
    op.create_table(  # short pass codes: six characters, unique within a meeting
        'pass_codes',
        sa.Column('invitation_id', sa.Integer(), nullable=False),
        sa.Column('meeting_id', sa.Integer(), nullable=False),
        sa.Column('code', sa.String(length=6), nullable=False),
        _pk('pass_codes', 'invitation_id'),
        _fk('pass_codes', 'invitation_id', 'invitations', 'CASCADE'),
        _fk('pass_codes', 'meeting_id', 'meetings', 'CASCADE'),
        _unique('pass_codes', 'meeting_id', 'code'),
    )


def _reviews():
    op.create_table(
        'challenge_categories',
        *_id('challenge_categories'),
        sa.Column('name_hi', sa.String(length=200), nullable=False),
        sa.Column('name_en', sa.String(length=200), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('is_archived', sa.Boolean(), nullable=False),
        *_timestamps(),
    )
    op.create_table(
        'checklist_templates',
        *_id('checklist_templates'),
        sa.Column('campaign_id', sa.Integer(), nullable=False),
        *_timestamps(),
        _fk('checklist_templates', 'campaign_id', 'campaigns', 'CASCADE'),
        _unique('checklist_templates', 'campaign_id'),
    )
    op.create_table(
        'checklist_items',
        *_id('checklist_items'),
        sa.Column('template_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('label_hi', sa.String(length=300), nullable=False),
        sa.Column('label_en', sa.String(length=300), nullable=False),
        sa.Column('kind', CHOICE, nullable=False),
        sa.Column('is_archived', sa.Boolean(), nullable=False),
        *_timestamps(),
        _fk('checklist_items', 'template_id', 'checklist_templates', 'CASCADE'),
        _one_of('checklist_items', 'checklist_kind', 'kind', ('yes_no', 'number', 'text')),
        _index('checklist_items', 'template_id'),
    )
    op.create_table(
        'review_notes',
        *_id('review_notes'),
        sa.Column('session_id', sa.Integer(), nullable=True),
        sa.Column('district_unit_id', sa.Integer(), nullable=False),
        sa.Column('president_person_id', sa.Integer(), nullable=True),
        sa.Column('campaign_id', sa.Integer(), nullable=True),
        sa.Column('reviewed_on', sa.Date(), nullable=False),
        sa.Column('status', CHOICE, nullable=False),
        sa.Column('answers', sa.JSON(), nullable=False),
        sa.Column('challenges', sa.Text(), nullable=False),
        sa.Column('strategy', sa.Text(), nullable=False),
        sa.Column('decisions', sa.Text(), nullable=False),
        sa.Column('readiness', sa.SmallInteger(), nullable=True),
        sa.Column('private_remark', sa.Text(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('signed_off_at', sa.DateTime(), nullable=True),
        sa.Column('signed_off_by_user_id', sa.Integer(), nullable=True),
        sa.Column('created_by_user_id', sa.Integer(), nullable=True),
        *_timestamps(),
        _fk('review_notes', 'campaign_id', 'campaigns', 'SET NULL'),
        _fk('review_notes', 'created_by_user_id', 'users', 'SET NULL'),
        _fk('review_notes', 'district_unit_id', 'units', 'RESTRICT'),
        _fk('review_notes', 'president_person_id', 'people', 'RESTRICT'),
        _fk('review_notes', 'session_id', 'meeting_sessions', 'SET NULL'),
        _fk('review_notes', 'signed_off_by_user_id', 'users', 'SET NULL'),
        _unique('review_notes', 'session_id'),
        _one_of('review_notes', 'review_note_status', 'status', ('draft', 'signed_off')),
        _check('review_notes', 'readiness_range', 'readiness IS NULL OR (readiness BETWEEN 1 AND 5)'),
        _check('review_notes', 'version_not_negative', 'version >= 0'),
        _index('review_notes', 'campaign_id'),
        _index('review_notes', 'district_unit_id', 'reviewed_on', name='ix_review_notes_district_date'),
        _index('review_notes', 'president_person_id'),
    )
    op.create_table(
        'action_items',
        *_id('action_items'),
        sa.Column('title', sa.Text(), nullable=False),
        sa.Column('owner_person_id', sa.Integer(), nullable=False),
        sa.Column('due_on', sa.Date(), nullable=True),
        sa.Column('status', CHOICE, nullable=False),
        sa.Column('review_note_id', sa.Integer(), nullable=True),
        sa.Column('district_unit_id', sa.Integer(), nullable=True),
        sa.Column('campaign_id', sa.Integer(), nullable=True),
        sa.Column('created_by_user_id', sa.Integer(), nullable=True),
        *_timestamps(),
        _fk('action_items', 'campaign_id', 'campaigns', 'SET NULL'),
        _fk('action_items', 'created_by_user_id', 'users', 'SET NULL'),
        _fk('action_items', 'district_unit_id', 'units', 'RESTRICT'),
        _fk('action_items', 'owner_person_id', 'people', 'RESTRICT'),
        _fk('action_items', 'review_note_id', 'review_notes', 'SET NULL'),
        _one_of('action_items', 'action_item_status', 'status', ACTION_ITEM_STATUSES),
        _index('action_items', 'campaign_id'),
        _index('action_items', 'district_unit_id', 'status', name='ix_action_items_district_status'),
        _index('action_items', 'owner_person_id', 'status', name='ix_action_items_owner_status'),
        _index('action_items', 'review_note_id'),
        _index('action_items', 'status', 'due_on', name='ix_action_items_status_due'),
    )
    op.create_table(
        'review_note_categories',
        sa.Column('note_id', sa.Integer(), nullable=False),
        sa.Column('category_id', sa.Integer(), nullable=False),
        _pk('review_note_categories', 'note_id', 'category_id'),
        _fk('review_note_categories', 'category_id', 'challenge_categories', 'RESTRICT'),
        _fk('review_note_categories', 'note_id', 'review_notes', 'CASCADE'),
    )
    op.create_table(
        'review_note_reviewers',
        sa.Column('note_id', sa.Integer(), nullable=False),
        sa.Column('person_id', sa.Integer(), nullable=False),
        _pk('review_note_reviewers', 'note_id', 'person_id'),
        _fk('review_note_reviewers', 'note_id', 'review_notes', 'CASCADE'),
        _fk('review_note_reviewers', 'person_id', 'people', 'RESTRICT'),
        _index('review_note_reviewers', 'person_id'),
    )
    op.create_table(
        'review_note_versions',
        *_id('review_note_versions'),
        sa.Column('note_id', sa.Integer(), nullable=False),
        sa.Column('number', sa.Integer(), nullable=False),
        sa.Column('snapshot', sa.JSON(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('created_by_user_id', sa.Integer(), nullable=True),
        sa.Column('created_by_label', sa.String(length=200), nullable=False),
        _fk('review_note_versions', 'created_by_user_id', 'users', 'SET NULL'),
        _fk('review_note_versions', 'note_id', 'review_notes', 'CASCADE'),
        sa.UniqueConstraint('note_id', 'number', name='one_per_number'),
    )
    op.create_table(
        'action_item_updates',
        *_id('action_item_updates'),
        sa.Column('item_id', sa.Integer(), nullable=False),
        sa.Column('at', sa.DateTime(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('user_label', sa.String(length=200), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('old_status', CHOICE, nullable=True),
        sa.Column('new_status', CHOICE, nullable=True),
        _fk('action_item_updates', 'item_id', 'action_items', 'CASCADE'),
        _fk('action_item_updates', 'user_id', 'users', 'SET NULL'),
        _one_of('action_item_updates', 'action_item_update_old_status', 'old_status', ACTION_ITEM_STATUSES),
        _one_of('action_item_updates', 'action_item_update_new_status', 'new_status', ACTION_ITEM_STATUSES),
        _index('action_item_updates', 'item_id'),
    )


def _reminders():
    op.create_table(  # which scheduler process may send (one at a time)
        'scheduler_leases',
        sa.Column('name', sa.String(length=64), nullable=False),
        sa.Column('holder', sa.String(length=128), nullable=False),
        sa.Column('acquired_at', sa.DateTime(), nullable=False),
        sa.Column('expires_at', sa.DateTime(), nullable=False),
        _pk('scheduler_leases', 'name'),
    )
    op.create_table(
        'meeting_reminder_settings',
        sa.Column('meeting_id', sa.Integer(), nullable=False),
        sa.Column('day_before_minutes', sa.Integer(), nullable=False),
        sa.Column('same_day_minutes', sa.Integer(), nullable=False),
        _pk('meeting_reminder_settings', 'meeting_id'),
        _fk('meeting_reminder_settings', 'meeting_id', 'meetings', 'CASCADE'),
        _check('meeting_reminder_settings', 'offsets_not_negative',
               'day_before_minutes >= 0 AND same_day_minutes >= 0'),
    )
    op.create_table(  # the sending switch: one row
        'outbox_settings',
        *_id('outbox_settings'),
        sa.Column('sending_paused', sa.Boolean(), nullable=False),
        sa.Column('changed_at', sa.DateTime(), nullable=True),
        sa.Column('changed_by_user_id', sa.Integer(), nullable=True),
        _fk('outbox_settings', 'changed_by_user_id', 'users', 'SET NULL'),
        _check('outbox_settings', 'single_row', 'id = 1'),
    )
    op.create_table(  # the could-not-notify list
        'notify_problems',
        *_id('notify_problems'),
        sa.Column('idempotency_key', sa.String(length=200), nullable=False),
        sa.Column('kind', CHOICE, nullable=False),
        sa.Column('reason', CHOICE, nullable=False),
        sa.Column('person_id', sa.Integer(), nullable=True),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('meeting_id', sa.Integer(), nullable=True),
        sa.Column('session_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('resolved_at', sa.DateTime(), nullable=True),
        _fk('notify_problems', 'meeting_id', 'meetings', 'CASCADE'),
        _fk('notify_problems', 'person_id', 'people', 'CASCADE'),
        _fk('notify_problems', 'session_id', 'meeting_sessions', 'SET NULL'),
        _fk('notify_problems', 'user_id', 'users', 'CASCADE'),
        _unique('notify_problems', 'idempotency_key'),
        _one_of('notify_problems', 'notify_problem_kind', 'kind', MESSAGE_KINDS),
        _one_of('notify_problems', 'notify_problem_reason', 'reason',
                ('no_email', 'no_mobile', 'no_messages', 'no_person')),
        _index('notify_problems', 'created_at'),
        _index('notify_problems', 'meeting_id'),
        _index('notify_problems', 'person_id'),
    )
    op.create_table(
        'outbox_messages',
        *_id('outbox_messages'),
        sa.Column('idempotency_key', sa.String(length=200), nullable=False),
        sa.Column('kind', CHOICE, nullable=False),
        sa.Column('channel', CHOICE, nullable=False),
        sa.Column('recipient_person_id', sa.Integer(), nullable=True),
        sa.Column('address', sa.String(length=254), nullable=False),
        sa.Column('locale', sa.String(length=8), nullable=False),
        sa.Column('subject', sa.String(length=300), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('ics', sa.Text(), nullable=True),
        sa.Column('meeting_id', sa.Integer(), nullable=True),
        sa.Column('session_id', sa.Integer(), nullable=True),
        sa.Column('action_item_id', sa.Integer(), nullable=True),  # reviews' action item, no foreign key
        sa.Column('send_after', sa.DateTime(), nullable=False),
        sa.Column('send_before', sa.DateTime(), nullable=True),
        sa.Column('state', CHOICE, nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('last_error', sa.Text(), nullable=False),
        sa.Column('next_attempt_at', sa.DateTime(), nullable=True),
        sa.Column('claim_token', sa.String(length=64), nullable=True),
        sa.Column('claimed_at', sa.DateTime(), nullable=True),
        sa.Column('handed_over_at', sa.DateTime(), nullable=True),
        sa.Column('sent_at', sa.DateTime(), nullable=True),
        *_timestamps(),
        _fk('outbox_messages', 'meeting_id', 'meetings', 'SET NULL'),
        _fk('outbox_messages', 'recipient_person_id', 'people', 'SET NULL'),
        _fk('outbox_messages', 'session_id', 'meeting_sessions', 'SET NULL'),
        _unique('outbox_messages', 'idempotency_key'),
        _one_of('outbox_messages', 'outbox_kind', 'kind', MESSAGE_KINDS),
        _one_of('outbox_messages', 'outbox_channel', 'channel', ('email', 'sms', 'whatsapp', 'console')),
        _one_of('outbox_messages', 'outbox_state', 'state',
                ('pending', 'sending', 'sent', 'failed', 'cancelled', 'skipped')),
        _check('outbox_messages', 'attempts_not_negative', 'attempts >= 0'),
        _check('outbox_messages', 'sending_is_claimed', "(state != 'sending') OR (claim_token IS NOT NULL)"),
        _index('outbox_messages', 'state', 'send_after', name='ix_outbox_messages_due'),
        _index('outbox_messages', 'send_after', 'id', name='ix_outbox_messages_send_after'),  # newest first
        _index('outbox_messages', 'meeting_id'),
        _index('outbox_messages', 'recipient_person_id'),
        _index('outbox_messages', 'session_id', 'recipient_person_id',
               name='ix_outbox_messages_session_person'),
    )


def _api():
    op.create_table(
        'api_tokens',
        *_id('api_tokens'),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=100), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('prefix', sa.String(length=16), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('last_used_at', sa.DateTime(), nullable=True),
        sa.Column('revoked_at', sa.DateTime(), nullable=True),
        _fk('api_tokens', 'user_id', 'users', 'CASCADE'),
        _unique('api_tokens', 'token_hash'),
        _index('api_tokens', 'prefix'),
        _index('api_tokens', 'user_id'),
    )


# --- downgrade: everything goes ------------------------------------------------------------------


def downgrade():
    # The unit's key to its revenue district first: then the tables go in the reverse of their order.
    with op.batch_alter_table('units') as batch:
        batch.drop_constraint(op.f('fk_units_revenue_district_id_revenue_districts'), type_='foreignkey')
    for table in reversed(TABLES):
        op.drop_table(table)

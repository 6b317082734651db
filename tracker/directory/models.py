from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.audit.operations import Audited
from tracker.core.enums import TitledEnum
from tracker.db import TimestampMixin, enum_column
from tracker.directory import search_index
from tracker.extensions import db
from tracker.i18n import _l, lazy_pgettext


class UnitLevel(TitledEnum):
    STATE = "state", lazy_pgettext("unit level", "State")
    DIVISION = "division", _l("Division")
    DISTRICT = "district", _l("District")  # organizational district
    BLOCK = "block", _l("Block")


# The level a unit's parent must have.
PARENT_LEVEL = {
    UnitLevel.STATE: None,
    UnitLevel.DIVISION: UnitLevel.STATE,
    UnitLevel.DISTRICT: UnitLevel.DIVISION,
    UnitLevel.BLOCK: UnitLevel.DISTRICT,
}


class DistrictKind(TitledEnum):
    CITY = "city", _l("City")
    RURAL = "rural", _l("Rural")
    WHOLE = "whole", _l("Whole district")


class Channel(TitledEnum):
    EMAIL = "email", _l("Email")
    SMS = "sms", _l("SMS")
    WHATSAPP = "whatsapp", _l("WhatsApp")
    NONE = "none", _l("No messages")


class RevenueDistrict(db.Model):
    """A revenue (administrative) district; it may hold two organizational districts."""

    __tablename__ = "revenue_districts"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(64), unique=True, nullable=False)
    name_hi: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    name_en: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    division_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id", ondelete="RESTRICT"), index=True)


class Unit(Audited, TimestampMixin, db.Model):
    __tablename__ = "units"
    __table_args__ = (
        sa.CheckConstraint(
            "(parent_id IS NULL) = (level = 'state')", name="valid_parent"
        ),
        sa.CheckConstraint(
            "(district_kind IS NULL) OR (level = 'district')", name="kind_only_for_districts"
        ),
        sa.Index("ix_units_parent_level", "parent_id", "level"),
        sa.Index("ix_units_level_archived", "level", "is_archived", "parent_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(64), unique=True, nullable=False)
    level: Mapped[UnitLevel] = enum_column(UnitLevel, "unit_level", nullable=False)
    district_kind: Mapped[DistrictKind | None] = enum_column(DistrictKind, "district_kind", nullable=True)
    name_hi: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    name_en: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    parent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("units.id", ondelete="RESTRICT"), index=True)
    revenue_district_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("revenue_districts.id", ondelete="RESTRICT", use_alter=True), index=True
    )
    is_archived: Mapped[bool] = mapped_column(sa.Boolean, default=False, nullable=False)
    # Normalized, script-independent key for search (see directory.search).
    search_key: Mapped[str] = mapped_column(sa.Text, default="", nullable=False)

    parent: Mapped[Unit | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Unit]] = relationship(back_populates="parent", order_by="Unit.name_en")
    revenue_district: Mapped[RevenueDistrict | None] = relationship(foreign_keys=[revenue_district_id])

    def __repr__(self) -> str:
        return f"<Unit {self.code}>"


class Person(Audited, TimestampMixin, db.Model):
    __tablename__ = "people"

    id: Mapped[int] = mapped_column(primary_key=True)
    name_hi: Mapped[str] = mapped_column(sa.String(200), default="", nullable=False)
    name_en: Mapped[str] = mapped_column(sa.String(200), default="", nullable=False)
    mobile: Mapped[str | None] = mapped_column(sa.String(20), index=True)  # E.164, e.g. +919876543210
    email: Mapped[str | None] = mapped_column(sa.String(254))
    preferred_locale: Mapped[str] = mapped_column(sa.String(8), default="hi", nullable=False)
    preferred_channel: Mapped[Channel] = enum_column(Channel, "channel", default=Channel.SMS, nullable=False)
    note: Mapped[str] = mapped_column(sa.Text, default="", nullable=False)
    search_key: Mapped[str] = mapped_column(sa.Text, default="", nullable=False)
    is_archived: Mapped[bool] = mapped_column(sa.Boolean, default=False, nullable=False)

    posts: Mapped[list[Post]] = relationship(back_populates="person", order_by="Post.start_date.desc()")

    def __repr__(self) -> str:
        return f"<Person {self.id} {self.name_en}>"


class PostRole(TimestampMixin, db.Model):
    """A kind of post: district president, co-in-charge … with Hindi and English titles."""

    __tablename__ = "post_roles"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(64), unique=True, nullable=False)
    title_hi: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    title_en: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    # At most one current holder per unit (presidents).
    single_holder: Mapped[bool] = mapped_column(sa.Boolean, default=False, nullable=False)
    sort_order: Mapped[int] = mapped_column(sa.Integer, default=100, nullable=False)


class Post(Audited, TimestampMixin, db.Model):
    """A person holds a role at a unit from ``start_date`` to an optional ``end_date`` (inclusive)."""

    __tablename__ = "posts"
    __table_args__ = (
        sa.CheckConstraint("end_date IS NULL OR end_date >= start_date", name="valid_term"),
        sa.Index("ix_posts_unit_role", "unit_id", "role_id", "start_date"),
        sa.Index("ix_posts_person", "person_id", "start_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id", ondelete="RESTRICT"), nullable=False)
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id", ondelete="RESTRICT"), nullable=False)
    role_id: Mapped[int] = mapped_column(sa.ForeignKey("post_roles.id", ondelete="RESTRICT"), nullable=False)
    start_date: Mapped[date] = mapped_column(sa.Date, nullable=False)
    end_date: Mapped[date | None] = mapped_column(sa.Date)
    note: Mapped[str] = mapped_column(sa.Text, default="", nullable=False)

    person: Mapped[Person] = relationship(back_populates="posts")
    unit: Mapped[Unit] = relationship()
    role: Mapped[PostRole] = relationship(lazy="joined")

    def is_current(self, on: date) -> bool:
        return self.start_date <= on and (self.end_date is None or self.end_date >= on)


# Codes of the post roles the app's rules rely on (seeded by the initial data migration / demo).
class RoleCode:
    STATE_PRESIDENT = "state_president"
    STATE_INCHARGE = "state_incharge"
    CO_INCHARGE = "co_incharge"
    ORG_INCHARGE = "org_incharge"
    DISTRICT_PRESIDENT = "district_president"
    COORDINATOR = "coordinator"
    MEMBER = "member"
    DISTRICT_INCHARGE = "district_incharge"
    DISTRICT_CO_INCHARGE = "district_co_incharge"
    BLOCK_PRESIDENT = "block_president"
    VICE_PRESIDENT = "vice_president"
    GENERAL_SECRETARY = "general_secretary"
    TREASURER = "treasurer"
    OBSERVER = "observer"
    SPOKESPERSON = "spokesperson"
    LEADER_OF_OPPOSITION = "leader_of_opposition"


# The standard post roles: (code, English title, Hindi title (from roles.csv), single holder, sort order).
# The first migration (0001_schema) seeds them; ``operations.role_by_code`` recreates a missing one.
STANDARD_ROLES: tuple[tuple[str, str, str, bool, int], ...] = (
    (RoleCode.STATE_PRESIDENT, "State president", "प्रदेश कांग्रेस अध्यक्ष", True, 10),
    (RoleCode.STATE_INCHARGE, "State in-charge", "प्रदेश प्रभारी", False, 20),
    (RoleCode.CO_INCHARGE, "Co-in-charge", "सह प्रभारी", False, 30),
    (RoleCode.ORG_INCHARGE, "Organization in-charge", "संगठन प्रभारी", False, 40),
    (RoleCode.VICE_PRESIDENT, "Vice-president", "प्रदेश उपाध्यक्ष", False, 50),
    (RoleCode.GENERAL_SECRETARY, "General secretary", "प्रदेश महामंत्री", False, 60),
    (RoleCode.TREASURER, "Treasurer", "कोषाध्यक्ष", False, 70),
    (RoleCode.LEADER_OF_OPPOSITION, "Leader of Opposition", "नेता प्रतिपक्ष", False, 80),
    (RoleCode.DISTRICT_PRESIDENT, "District president", "जिला अध्यक्ष", True, 100),
    (RoleCode.DISTRICT_INCHARGE, "District in-charge", "जिला प्रभारी", False, 110),
    (RoleCode.DISTRICT_CO_INCHARGE, "District co-in-charge", "जिला सह प्रभारी", False, 120),
    (RoleCode.OBSERVER, "Observer", "पर्यवेक्षक", False, 130),
    (RoleCode.BLOCK_PRESIDENT, "Block president", "ब्लॉक अध्यक्ष", True, 140),
    (RoleCode.SPOKESPERSON, "Spokesperson", "प्रवक्ता", False, 150),
    (RoleCode.COORDINATOR, "Coordinator", "समन्वयक", False, 160),
    (RoleCode.MEMBER, "Member", "सदस्य", False, 200),
)


# The search's index (trigram GIN on PostgreSQL, FTS5 with triggers on SQLite) is made by migration 0027;
# a database made from the models by create_all gets it too.
for _table in (Unit.__table__, Person.__table__):
    sa.event.listen(_table, "after_create", search_index.on_create)

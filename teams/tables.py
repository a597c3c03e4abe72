"""List tables of 队伍建设 (columns = Excel export columns; phones always masked)."""

from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.utils.html import format_html

from portal.dates import today
from portal.tables import PhoneColumn, PortalTable

from .models import Cadre, Certificate, Person, Team, Volunteer
from .selectors import cadre_deadline, certificate_valid_at

NUM = {"td": {"class": "num"}, "th": {"class": "num"}}


def badge(css: str, text: str) -> str:
    return format_html('<span class="badge {}">{}</span>', css, text)


def link(url_name: str) -> tuple[str, dict[str, Any]]:
    return (url_name, {"pk": tables.A("pk")})


class PersonTable(PortalTable):
    code = tables.Column(linkify=link("teams:person_detail"))
    name = tables.Column(linkify=link("teams:person_detail"))
    phone = PhoneColumn()
    roles = tables.Column(verbose_name="身份", empty_values=(), orderable=False)

    class Meta(PortalTable.Meta):
        model = Person
        fields = ("code", "name", "gender", "birth_year", "phone")
        order_by = ("code",)

    def _roles(self, record: Person) -> list[str]:
        flags = (
            ("is_member", "团队成员"),
            ("is_volunteer", "志愿者"),
            ("is_instructor", "指导员"),
            ("is_cadre", "文体干部"),
        )
        return [label for attr, label in flags if getattr(record, attr, False)]

    def render_roles(self, record: Person) -> str:
        roles = self._roles(record)
        if not roles:
            return "—"
        return format_html("{}", "、".join(roles))

    def value_roles(self, record: Person) -> str:
        return "、".join(self._roles(record))


class TeamTable(PortalTable):
    name = tables.Column(linkify=link("teams:detail"))
    phone = PhoneColumn()
    member_count = tables.Column(verbose_name="成员数", attrs=NUM)
    state = tables.Column(verbose_name="状态", empty_values=(), order_by=("dissolved_on",))

    class Meta(PortalTable.Meta):
        model = Team
        fields = (
            "community",
            "name",
            "category",
            "project",
            "leader",
            "phone",
            "founded_on",
            "dissolved_on",
        )
        sequence = (
            "community",
            "name",
            "category",
            "project",
            "leader",
            "phone",
            "member_count",
            "founded_on",
            "dissolved_on",
            "state",
        )
        order_by = ("community", "name")

    def render_state(self, record: Team) -> str:
        if record.dissolved_on and record.dissolved_on <= today():
            return badge("plain", "已解散")
        return badge("ok", "活跃")

    def value_state(self, record: Team) -> str:
        return "已解散" if record.dissolved_on and record.dissolved_on <= today() else "活跃"


class VolunteerTable(PortalTable):
    code = tables.Column(
        verbose_name="人员编号", accessor="person__code", linkify=link("teams:volunteer_detail")
    )
    name = tables.Column(
        verbose_name="姓名", accessor="person__name", linkify=link("teams:volunteer_detail")
    )
    gender = tables.Column(verbose_name="性别", accessor="person__gender")
    phone = PhoneColumn(verbose_name="联系电话", accessor="person__phone")
    service_hours = tables.Column(attrs=NUM)
    state = tables.Column(verbose_name="状态", empty_values=(), orderable=False)

    class Meta(PortalTable.Meta):
        model = Volunteer
        fields = (
            "community",
            "code",
            "name",
            "gender",
            "phone",
            "registered_on",
            "left_on",
            "service_hours",
            "state",
        )
        order_by = ("community", "code")

    @staticmethod
    def _state(record: Volunteer) -> tuple[str, str]:
        day = today()
        if record.registered_on is None:
            return "warn", "未注册"
        if record.left_on and record.left_on <= day:
            return "plain", "已退出"
        return "ok", "在册"

    def render_state(self, record: Volunteer) -> str:
        return badge(*self._state(record))

    def value_state(self, record: Volunteer) -> str:
        return self._state(record)[1]


class CertificateTable(PortalTable):
    number = tables.Column(linkify=link("teams:certificate_detail"))
    code = tables.Column(verbose_name="人员编号", accessor="person__code")
    name = tables.Column(verbose_name="姓名", accessor="person__name")
    phone = PhoneColumn(verbose_name="联系电话", accessor="person__phone")
    valid = tables.Column(verbose_name="今日有效", empty_values=(), orderable=False)

    class Meta(PortalTable.Meta):
        model = Certificate
        fields = (
            "community",
            "code",
            "name",
            "level",
            "number",
            "sport",
            "issued_on",
            "expires_on",
            "phone",
            "valid",
        )
        order_by = ("community", "code")

    def render_valid(self, record: Certificate) -> str:
        return (
            badge("ok", "有效") if certificate_valid_at(record, today()) else badge("bad", "无效")
        )

    def value_valid(self, record: Certificate) -> str:
        return "有效" if certificate_valid_at(record, today()) else "无效"


class CadreTable(PortalTable):
    name = tables.Column(
        verbose_name="姓名", accessor="person__name", linkify=link("teams:cadre_detail")
    )
    code = tables.Column(verbose_name="人员编号", accessor="person__code")
    phone = PhoneColumn(verbose_name="联系电话", accessor="person__phone")
    deadline = tables.Column(verbose_name="持证期限", empty_values=(), orderable=False)

    class Meta(PortalTable.Meta):
        model = Cadre
        fields = (
            "community",
            "name",
            "code",
            "post",
            "appointed_on",
            "left_on",
            "phone",
            "deadline",
        )
        order_by = ("community", "post")

    @staticmethod
    def _deadline(record: Cadre):
        # person__certificates is prefetched by the view: no query per row.
        return cadre_deadline(record, record.person.certificates.all(), today())

    def render_deadline(self, record: Cadre) -> str:
        d = self._deadline(record)
        css = {"ok": "ok", "due": "warn", "overdue": "bad"}.get(d.state, "plain")
        return badge(css, d.label)

    def value_deadline(self, record: Cadre) -> str:
        return self._deadline(record).label

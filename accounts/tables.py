"""Tables of the 安全日志 and 账号 lists (columns = Excel export columns)."""

from __future__ import annotations

import django_tables2 as tables

from communities.models import Membership, Role
from portal.tables import IsoDateTimeColumn, PortalTable
from security_log.models import SecurityEvent

# The keys callers give `security_log.services.record`, as the page and the export show them.
DETAIL_LABELS = {
    "list": "列表",
    "filters": "筛选条件",
    "rows": "行数",
    "file": "文件",
    "pk": "编号",
    "job": "任务",
    "run": "考核版本",
    "year": "年度",
    "street": "街道编号",
    "community": "社区编号",
    "community_id": "社区编号",
    "change": "变更",
    "role": "角色",
    "target_user_id": "对象用户编号",
    "method": "方式",
    "reason": "原因",
    "devices": "设备数",
    "backup_codes": "备用码数",
    "removed": "删除条数",
    "retention_days": "保存天数",
    "cutoff": "截止时间",
    "anchor_seq": "锚点序号",
    # privacy (reveal, anonymise, exports with full numbers)
    "record": "记录类型",
    "id": "记录编号",
    "field": "字段",
    "full_phones": "完整联系电话",
}
DETAIL_VALUES = {
    **dict(Role.choices),
    "totp": "手机验证器",
    "backup_code": "备用验证码",
    "idle": "长时间未操作",
    "lifetime": "超过最长登录时间",
    "teams.person": "人员",
    "teams.team": "团队",
    "phone": "联系电话",
    "True": "是",
    "False": "否",
}


def _value_text(value: object) -> str:
    if isinstance(value, dict):
        return "，".join(f"{k}={_value_text(v)}" for k, v in value.items())
    if isinstance(value, list):
        return "、".join(_value_text(v) for v in value)
    return DETAIL_VALUES.get(str(value), str(value))


def _details_text(details: dict) -> str:
    return "；".join(
        f"{DETAIL_LABELS.get(k, k)}：{_value_text(v)}" for k, v in details.items() if v is not None
    )


class SecurityEventTable(PortalTable):
    created_at = IsoDateTimeColumn(verbose_name="时间")
    details = tables.Column(verbose_name="详情", orderable=False)

    class Meta(PortalTable.Meta):
        model = SecurityEvent
        fields = ("seq", "created_at", "username", "ip", "event", "result", "details")
        order_by = ("-seq",)

    def render_details(self, value: dict) -> str:
        return _details_text(value)

    def value_details(self, value: dict) -> str:
        return _details_text(value)


class AccountTable(PortalTable):
    username = tables.Column(verbose_name="账号", accessor="user__username")
    street = tables.Column(verbose_name="街道")
    last_login = IsoDateTimeColumn(verbose_name="最近登录", accessor="user__last_login")
    second_factor = tables.Column(
        verbose_name="双因素", accessor="second_factor", orderable=False, empty_values=()
    )
    actions = tables.TemplateColumn(
        template_name="accounts/_reset_button.html",
        verbose_name="操作",
        orderable=False,
        exclude_from_export=True,
    )

    class Meta(PortalTable.Meta):
        model = Membership
        fields = ("username", "role", "street", "community", "last_login", "second_factor")
        order_by = ("username",)

    def render_second_factor(self, record: Membership) -> str:
        return "已启用" if getattr(record, "has_second_factor", False) else "未启用"

    def value_second_factor(self, record: Membership) -> str:
        return self.render_second_factor(record)


class DistrictAccountTable(PortalTable):
    """The accounts of a district's streets, for its district admin."""

    username = tables.Column(verbose_name="账号", accessor="user__username")
    street = tables.Column(verbose_name="街道")
    active = tables.BooleanColumn(
        verbose_name="状态", accessor="user__is_active", yesno="正常,已停用"
    )
    last_login = IsoDateTimeColumn(verbose_name="最近登录", accessor="user__last_login")
    actions = tables.TemplateColumn(
        template_name="accounts/_district_account_actions.html",
        verbose_name="操作",
        orderable=False,
        exclude_from_export=True,
    )

    class Meta(PortalTable.Meta):
        model = Membership
        fields = ("username", "role", "street", "community", "active", "last_login")
        order_by = ("street", "username")

    def value_active(self, value: bool) -> str:
        return "正常" if value else "已停用"

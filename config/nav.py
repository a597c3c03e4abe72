"""The main menu's entries, one line each: work area, label, URL name, who sees it.

portal/nav.py builds the menu from this list (settings.PORTAL_NAV). To add a page to the
menu add a line here; tests/portal/test_nav.py resolves every name and checks who sees what.
The views refuse on their own: a predicate here only hides links a role cannot use.
"""

from communities.models import Role
from communities.scope import can_administer, can_verify, is_district_user, is_street_user, role_of
from portal.nav import Entry, staff
from privacy.selectors import may_anonymise


def reports_periods(user) -> bool:  # noqa: ANN001
    """The street's reporting board (street and community users); district users have the
    district's own (district:reporting), whose street cells open the street's board."""
    return user.is_authenticated and not is_district_user(user)


def is_district_admin(user) -> bool:  # noqa: ANN001
    """区县账号 is the district admin's page (the operator has Django's admin)."""
    return role_of(user) == Role.DISTRICT_ADMIN


ENTRIES = [
    Entry("台账", "设施", "facilities:list"),
    Entry("台账", "提升工程", "facilities:project_list"),
    Entry("台账", "团队", "teams:list"),
    Entry("台账", "人员", "teams:person_list"),
    Entry("台账", "志愿者", "teams:volunteer_list"),
    Entry("台账", "志愿服务", "service:home"),
    Entry("台账", "指导员", "teams:certificate_list"),
    Entry("台账", "干部", "teams:cadre_list"),
    Entry("活动", "活动", "activities:list"),
    Entry("活动", "待审核", "activities:queue", can_verify),
    Entry("活动", "品牌", "activities:brand_list"),
    Entry("活动", "配送", "delivery:menu"),
    Entry("活动", "照片核查", "evidence:report", is_street_user),
    Entry("活动", "报送", "yearcycle:board", reports_periods),
    Entry("考核", "考核", "assessments:index"),
    Entry("考核", "考核方案", "assessments:scheme_list", is_street_user),
    Entry("考核", "整改", "rectification:list", reports_periods),
    Entry("报表", "看板", "dashboard:index"),
    Entry("报表", "报表", "reports:index"),
    Entry("报表", "区县", "district:index", is_district_user),
    Entry("报表", "全区排名", "district:rankings", is_district_user),
    Entry("报表", "全区报送", "district:reporting", is_district_user),
    Entry("管理", "账号", "accounts:users", can_administer),
    Entry("管理", "区县账号", "accounts:district_accounts", is_district_admin),
    Entry("管理", "安全日志", "accounts:security_log", can_administer),
    Entry("管理", "校验规则", "checks:settings", can_administer),
    Entry("管理", "保存期限", "privacy:retention", may_anonymise),
    Entry("管理", "管理后台", "admin:index", staff),
]

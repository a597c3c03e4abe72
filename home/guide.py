"""使用说明: for each role the five tasks it does most, as plain data (no database).

Each task names the page where it is done (a URL name without arguments), the steps in the
words of the menu and buttons, and a screenshot of that page that the browser test
tests/browser/test_help_screenshots.py takes and stores under static/help/.
"""

from __future__ import annotations

from dataclasses import dataclass

from communities.models import Role


@dataclass(frozen=True)
class Task:
    title: str
    url_name: str
    steps: tuple[str, ...]
    query: str = ""

    def screenshot(self, role: str, n: int) -> str:
        """The static path of the task's screenshot."""
        return f"help/{role}-{n}.jpg"


GUIDES: dict[str, tuple[Task, ...]] = {
    Role.COMMUNITY_ADMIN: (
        Task(
            "录入一项活动并提交审核",
            "activities:create",
            (
                "菜单“活动”→“活动”，点“新增”。",
                "填写活动名称、日期、类别、地点和参与团队；文化走亲活动勾选走亲社区。",
                "在“五有”档案中上传计划、安排、资料、影像、总结（手机可直接拍照）。",
                "点“提交审核”；暂不提交可点“保存草稿”。",
            ),
        ),
        Task(
            "处理被退回的活动",
            "activities:list",
            (
                "菜单“活动”→“活动”，状态选“已退回”后点“筛选”。",
                "打开活动，阅读页面上方的退回原因。",
                "点“修改”补充内容或档案，再点“提交审核”。",
            ),
            "status=returned",
        ),
        Task(
            "维护团队和花名册",
            "teams:list",
            (
                "菜单“台账”→“团队”，点团队名称打开。",
                "在“花名册”中添加成员（姓名或人员编号），或移除已离开的成员。",
                "团队获奖后在“荣誉”中登记年度和称号。",
            ),
        ),
        Task(
            "登记志愿者服务时长",
            "teams:volunteer_list",
            (
                "菜单“台账”→“志愿者”，打开志愿者。",
                "在“服务记录”中填写日期、时长和服务内容后保存。",
                "累计时长自动计入志愿者档案和考核。",
            ),
        ),
        Task(
            "看本社区的进度和差距",
            "dashboard:index",
            (
                "菜单“报表”→“看板”，显示本社区当年各项指标。",
                "“还差”一栏说明距离目标还差多少、每月还需多少。",
                "提醒列出待审核过久的活动和即将到期的证书。",
            ),
        ),
    ),
    Role.STREET_STAFF: (
        Task(
            "审核社区提交的活动",
            "activities:queue",
            (
                "菜单“活动”→“待审核”，等待最久的排在最前。",
                "打开活动核对信息和“五有”档案。",
                "属实点“审核通过”；需要补充时填写原因后点“退回”。",
            ),
        ),
        Task(
            "核查重复使用的照片",
            "evidence:report",
            (
                "菜单“活动”→“照片核查”，列出疑似重复使用的活动照片。",
                "并排比较两项活动的照片。",
                "确属不同活动的，填写说明并标记为已说明。",
            ),
        ),
        Task(
            "看街道看板和提醒",
            "dashboard:index",
            (
                "菜单“报表”→“看板”，查看各社区当年得分、进度和落后的社区。",
                "提醒按天数列出久未审核的活动、到期的证书和人口数据缺失。",
                "点社区名称进入该社区的看板。",
            ),
        ),
        Task(
            "运行年度考核",
            "assessments:index",
            (
                "菜单“考核”→“考核”，选择年度和考核方案后点“运行考核”。",
                "打开结果查看各社区得分，点分数查看计分依据。",
                "人工评分的指标在“人工评分”中录入。",
            ),
        ),
        Task(
            "导入、导出工作簿和生成报表",
            "reports:index",
            (
                "菜单“报表”→“报表”。",
                "下载导入模板，填好后上传；系统先检查，确认无误后才写入。",
                "选择年度生成年度报告、社区通知书或活动年鉴（PDF）。",
            ),
        ),
    ),
    Role.STREET_ADMIN: (
        Task(
            "管理账号",
            "accounts:users",
            (
                "菜单“管理”→“账号”，查看各账号的角色和双因素登录状态。",
                "账号丢失手机时点“重置双因素”，用户下次登录重新绑定。",
                "每位用户可点右上角自己的姓名，修改密码或绑定双因素登录。",
            ),
        ),
        Task(
            "维护考核方案",
            "assessments:scheme_list",
            (
                "菜单“考核”→“考核方案”，打开当年方案。",
                "修改指标分值、目标或星级分档；已定稿年度的方案不能修改。",
                "需要新方案时点“复制”，在副本上修改。",
            ),
        ),
        Task(
            "定稿年度考核",
            "assessments:index",
            (
                "菜单“考核”→“考核”，打开当年最新一次考核结果。",
                "核对无误后点“定稿”；定稿后结果不再变化。",
                "在“报表”中生成定稿年度的年度报告 PDF。",
            ),
        ),
        Task(
            "设定配送菜单和额度",
            "delivery:quotas",
            (
                "菜单“活动”→“配送”，维护配送产品和提供方。",
                "在“额度”中为各社区设定当年可点单次数。",
                "社区点单后在“订单”中确认、改期或谢绝。",
            ),
        ),
        Task(
            "查看安全日志",
            "accounts:security_log",
            (
                "菜单“管理”→“安全日志”，按时间查看登录、导出、修改等记录。",
                "可按事件类型和账号筛选，并导出 Excel。",
                "日志只能追加，不能修改或删除。",
            ),
        ),
    ),
    Role.LEADER: (
        Task(
            "看街道看板",
            "dashboard:index",
            (
                "菜单“报表”→“看板”，查看各社区当年得分和进度。",
                "“落后的社区”列出进度落后于时间的社区。",
                "点社区名称查看该社区的详细情况。",
            ),
        ),
        Task(
            "查看考核结果",
            "assessments:index",
            (
                "菜单“考核”→“考核”，打开某年度的考核结果。",
                "结果按社区列出总分和星级，点分数查看计分依据。",
                "对比两次考核可看到分数变化的原因。",
            ),
        ),
        Task(
            "下载年度报告",
            "reports:index",
            (
                "菜单“报表”→“报表”。",
                "选择年度，下载年度报告或活动年鉴（PDF），可直接打印。",
            ),
        ),
        Task(
            "查看各社区的活动",
            "activities:list",
            (
                "菜单“活动”→“活动”，按社区、年度、类别和状态筛选。",
                "打开活动查看内容和“五有”档案。",
                "点“导出Excel”下载当前筛选的列表。",
            ),
        ),
        Task(
            "查找团队或人员",
            "search:index",
            (
                "在页面顶部的搜索框输入名称或人员编号，边输入边显示结果。",
                "结果按社区、团队、人员、设施、活动分组，点击即可打开。",
                "按回车查看全部结果。",
            ),
        ),
    ),
    Role.DISTRICT_ADMIN: (
        Task(
            "看全区看板",
            "district:index",
            (
                "菜单“报表”→“区县”，查看全区等次分布和各街道社区总分。",
                "“全区最薄弱的指标”列出得分率最低的指标。",
                "“有超期待审核活动的街道”提示需要督促的街道。",
            ),
        ),
        Task(
            "查看全区社区排名",
            "district:rankings",
            (
                "菜单“报表”→“全区排名”（或区县页面的“社区排名”），按总分、类别或单项指标排名。",
                "可按街道、等次筛选；并列名次按相同分数处理。",
                "点“导出 Excel”下载当前排名，或下载全部排名工作簿。",
            ),
        ),
        Task(
            "比较各街道",
            "district:streets",
            (
                "在区县页面打开“街道排名”，查看每个街道的社区数、平均分和等次。",
                "点街道名称查看该街道所列社区。",
            ),
        ),
        Task(
            "发布全区统一考核方案",
            "district:scheme",
            (
                "在区县页面打开“考核方案”，选择作为全区统一方案的街道方案。",
                "核对指标和分值后发布；发布后方案冻结，全区按它计分。",
            ),
        ),
        Task(
            "生成年度白皮书",
            "district:index",
            (
                "在区县看板上方点“生成××年白皮书（PDF）”。",
                "白皮书在后台生成，完成后按页面提示下载。",
            ),
        ),
    ),
    Role.DISTRICT_VIEWER: (
        Task(
            "看全区看板",
            "district:index",
            (
                "菜单“报表”→“区县”，查看全区等次分布和各街道社区总分。",
                "“全区最薄弱的指标”列出得分率最低的指标。",
            ),
        ),
        Task(
            "查看全区社区排名",
            "district:rankings",
            (
                "菜单“报表”→“全区排名”（或区县页面的“社区排名”），按总分、类别或单项指标排名。",
                "点“导出 Excel”下载当前排名。",
            ),
        ),
        Task(
            "比较各街道",
            "district:streets",
            (
                "在区县页面打开“街道排名”，查看每个街道的平均分和等次。",
                "点街道名称查看该街道所列社区。",
            ),
        ),
        Task(
            "查看全区统一考核方案",
            "district:scheme",
            ("在区县页面打开“考核方案”，查看全区统一使用的指标和分值。",),
        ),
        Task(
            "查找社区或团队",
            "search:index",
            (
                "在页面顶部的搜索框输入名称，边输入边显示结果。",
                "结果按社区、团队、人员、设施、活动分组，点击即可打开。",
            ),
        ),
    ),
}

ROLE_LABELS = dict(Role.choices)


def guide_for(role: str) -> tuple[Task, ...]:
    return GUIDES.get(role, ())


def role_for_user(role: str | None, is_superuser: bool) -> str:
    """Whose guide a user reads first: their own role's; a superuser reads the street admin's."""
    if role in GUIDES:
        return role
    return Role.STREET_ADMIN if is_superuser else Role.COMMUNITY_ADMIN

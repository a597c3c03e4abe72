"""整改建议: one plain, concrete sentence per shortfall, keyed by the indicator's metric.

The shortfall itself (还差3次大中型文化活动) comes from the assessment engine
(assessments/gaps.py) and is stored with the run; this adds what the community should do
about it, in the plan's own terms (seed 000, section 四).
"""

from __future__ import annotations

ADVICE: dict[str, str] = {
    "culture_room_area": (
        "通过新建、改建、整合闲置用房或与辖区单位共建，将在用文化活动室面积扩大到200㎡以上；"
        "在建设施投用后及时登记启用日期。"
    ),
    "function_rooms": (
        "按省文化示范社区标准补齐所缺功能室（可与现有用房合并设置），建成后在设施台账中登记为在用。"
    ),
    "shared_free_facilities": (
        "与辖区学校、楼宇单位签订共建协议，推动其文体设施向居民免费开放，并在设施台账中上传协议。"
    ),
    "fitness_path_sets": "在小区或公园增设健身路径，建成后登记套数和启用日期。",
    "indoor_sports_rooms": (
        "按《市城市基层体育工作星级评选办法》建设室内体育活动室，或与共建单位协商共用场地。"
    ),
    "culture_teams": (
        "发掘居民文艺骨干组建新的文化团队并登记花名册，扶持现有团队参加街道优秀文化团队评选。"
    ),
    "sports_teams": (
        "围绕群众喜爱的运动项目组建体育团队并登记花名册，扶持现有团队争创优秀体育团队。"
    ),
    "volunteers": (
        "面向辖区居民、在职党员和共建单位招募文体志愿者，完成注册登记并定期记录服务时长。"
    ),
    "instructors": (
        "组织居民参加社会体育指导员培训，取得证书后及时登记发证日期，并关注证书有效期按时复审。"
    ),
    "senior_instructors": "推荐二级社会体育指导员参加一级培训，至少培养1名一级及以上指导员。",
    "cadre_posts": (
        "由社区两委成员分管文体工作，并至少配备1名文体管理员，在文体干部台账中登记任职日期。"
    ),
    "cadre_certified": (
        "督促分管文体的两委成员和文体管理员在任职一年内取得三级、三年内取得一级社会体育指导员证书。"
    ),
    "culture_activities": (
        "结合传统节日和街道系列主题活动制定月度活动计划，活动结束后及时录入并提交街道审核"
        "（未审核的活动不计分）。"
    ),
    "culture_activities_large": (
        "每季度组织1至2次大中型文化活动（文艺演出、广场展演等），提前报街道备案，结束后及时录入。"
    ),
    "exchange_activities": ("与结对社区开展“文化走亲”，在活动记录中注明文化走亲并登记走亲社区。"),
    "sports_activities": ("每年开展2至5项单项比赛或休闲健身活动，活动结束后及时录入并提交审核。"),
    "archive_complete": (
        "对照“五有”（计划、安排、资料、影像、总结）逐次补齐活动台账，并上传相应附件。"
    ),
    "culture_brands": "围绕本社区文化特色培育文化项目，申报示范文化品牌认定。",
    "sports_brands": "选择群众基础好的运动项目重点培育，形成至少1个特色体育项目并申报认定。",
    "star_rating": ("对照市星级社区评选办法逐项自查，补齐设施、队伍和活动短板，争取达到目标星级。"),
}

GENERIC = "对照指标要求逐项补齐相关台账记录。"
MANUAL_UNSCORED = "请街道工作人员尽快完成考评；考评前本项不计分，等次待定。"
MANUAL_SHORT = "对照考评意见逐项整改，并补充佐证材料。"


def advice_for(metric: str, *, is_manual: bool, scored: bool) -> str:
    """The rectification sentence for a shortfall on an indicator of this metric."""
    if is_manual:
        return MANUAL_SHORT if scored else MANUAL_UNSCORED
    return ADVICE.get(metric, GENERIC)

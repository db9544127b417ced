"""Policy section `conduct` (CON, INT-1, INT-2): the coded prohibitions inspectors record (禁止性规范)
and the integrity rules (廉政 四不准, 保密)."""

from __future__ import annotations

from typing import Literal, Self

from pydantic import field_validator, model_validator

from servicehall.policy.base import PolicyRuleError, StrictModel, rule_field

SLUG = r"^[a-z][a-z0-9_]*$"
Secret = Literal["personal_information", "trade_secrets", "government_secrets"]


class Prohibition(StrictModel):
    """One coded prohibition: inspections (EVAL-3) record violations by `code`."""

    code: str = rule_field(rule="CON", doc="Stable code stored with each recorded violation", pattern=SLUG)
    label: str = rule_field(rule="CON", doc="What is forbidden, as inspectors read it (中文)", min_length=1)
    sources: list[str] = rule_field(list, rule="CON", doc="Seed and section the prohibition comes from")


def _p(code: str, label: str, *sources: str) -> Prohibition:
    return Prohibition(code=code, label=label, sources=list(sources))


# The union of the seed lists; a preset lists the items of its own seed.
CONDUCT_CATALOGUE: tuple[Prohibition, ...] = (
    _p(
        "unrelated_activity",
        "工作时间打游戏、看股市、看视频、听音乐、网购、网上聊天等与工作无关的事",
        "000 §五.2",
        "002/篇1 §一.1",
        "002/篇2 §一(一)",
        "002/篇7 §六(三)",
    ),
    _p(
        "noise_chatting",
        "大声喧哗、嬉闹、串岗聊天",
        "000 §五.1",
        "002/篇1 §一.2",
        "002/篇2 §一(三)",
        "002/篇7 §六(三)",
    ),
    _p("cards_chess", "打扑克、下棋等娱乐活动", "000 §五.2", "002/篇1 §一.2", "002/篇2 §一(三)"),
    _p("reading_unrelated", "在窗口看与工作无关的报纸、书籍、杂志", "002/篇2 §一(三)", "002/篇7 §六(四)"),
    _p("climbing_counter", "翻越柜台", "002/篇2 §一(三)"),
    _p(
        "eating",
        "在大厅吃东西、吃零食、吃早餐",
        "000 §五.1",
        "002/篇1 §一.3",
        "002/篇2 §一(四)",
        "002/篇7 §六(三)",
    ),
    _p("smoking", "在大厅吸烟", "000 §五.3", "002/篇1 §一.3", "002/篇2 §一(四)"),
    _p("spitting_littering", "随地吐痰、乱扔垃圾", "000 §五.3", "002/篇1 §一.3", "002/篇2 §一(四)"),
    _p("sleeping", "打瞌睡、趴卧、睡觉", "002/篇2 §一(三)", "002/篇1 §四.2"),
    _p("improper_posture", "不规范的坐姿、仰靠等不雅姿势", "000 §三.1", "002/篇1 §一.3", "002/篇7 §六(五)"),
    _p("arguing_with_visitors", "与服务对象争吵", "000 §三.4", "002/篇1 §一.4", "002/篇2 §一(七)"),
    _p(
        "clothes_bags_in_hall", "在大厅窗口区域悬挂、晾晒、放置衣物或背包", "002/篇1 §一.5", "002/篇2 §一(六)"
    ),
    _p("guests_behind_counter", "在柜台(工作台)内接待服务对象、会客", "002/篇1 §一.6", "002/篇2 §一(八)"),
    _p("children_at_work", "带孩子上班", "002/篇1 §一.6", "002/篇2 §一(九)"),
    _p("friends_at_desk", "带朋友或亲人在工作台前聊天, 占用办公区", "002/篇2 §一(十一)"),
    _p(
        "grooming_in_public",
        "在服务对象面前整理服饰、化妆、掏耳朵、挖鼻孔、剔牙、剪指甲",
        "000 §三.1",
        "002/篇1 §一.7",
        "002/篇2 §一(十)",
        "002/篇7 §六(三)",
    ),
    _p("drinking_before_work", "酒后上班", "002/篇2 §一(五)"),
    _p(
        "unauthorised_software", "在大厅电脑上安装、运行无关软件, 增设音箱, 删除程序或配置", "002/篇2 §一(二)"
    ),
    _p("foreign_storage_device", "未经同意使用外单位移动存储设备(U盘等)", "002/篇1 §七.3"),
    _p("throwing_documents", "扔、投审批件或材料", "002/篇2 §三(五)"),
    _p(
        "missing_badge_or_uniform",
        "未着工作服或未佩戴工作胸牌",
        "000 §二.1",
        "002/篇1 §四.1",
        "002/篇2 §五(一)",
    ),
    _p(
        "improper_dress",
        "穿拖鞋、背心、吊带裙、超短裙等, 浓妆艳抹",
        "000 §二.1",
        "002/篇1 §四.4",
        "002/篇2 §二(四)",
    ),
    _p(
        "private_items_on_desk",
        "桌面摆放私人物品或与工作无关的物品",
        "000 §五.4",
        "002/篇1 §五.1",
        "002/篇2 §六(一)",
        "002/篇7 §六(二)",
    ),
    _p("no_pause_sign", "暂离窗口未摆放暂停服务指示牌", "002/篇1 §五.2", "002/篇2 §六(三)"),
    _p(
        "off_post",
        "中途擅离工作岗位(脱岗), 记录离岗分钟数",
        "000 §十.2",
        "002/篇1 §六(一).3",
        "002/篇2 §七(二).10(6)",
    ),
    _p("chair_not_tucked", "离开窗口未将座椅推进办公桌下摆放整齐", "002/篇1 §五.2", "002/篇2 §六(三)"),
    _p(
        "counter_items_disordered",
        "岗位职责、评价器、办事指南、样表夹等未与服务台成水平线整齐摆放",
        "002/篇1 §五.3",
        "002/篇2 §六(四)",
    ),
    _p("guide_missing", "窗口未备有对应的《办事指南》或断档", "002/篇1 §五.4"),
    _p("monitor_moved", "擅自改变电脑显示屏摆放位置", "002/篇2 §六(二)"),
    _p("computer_used_by_others", "无关人员使用窗口工作台计算机", "002/篇1 §七.1"),
    _p("self_repair_equipment", "擅自拆机维护或拆卸网络设备", "002/篇1 §七.2"),
    _p("computer_left_on", "下班未关闭计算机及外接设备", "002/篇1 §七.4"),
    _p("not_logged_in", "上班期间未登录本窗口办件管理主页", "002/篇1 §七.6"),
    _p("wrong_season_uniform", "未按季节全套着统一配发的工作服装", "002/篇2 §五(三)"),
    _p("cover_not_formal", "临时顶岗人员顶岗期间未着正装", "002/篇2 §五(五)"),
    _p("untidy_office", "办公场所不整洁(无灰尘、无杂物、无异味, 地板门窗墙壁桌椅干净)", "002/篇7 §六(一)"),
)

INTEGRITY_FOUR: tuple[Prohibition, ...] = (
    _p("private_gain", "不准利用职权和工作之便为个人谋取私利", "000 §七.1"),
    _p("bribery", "不准索贿、受贿", "000 §七.2"),
    _p("intermediary_business", "不准借工作之便从事中介活动并从中收取好处费", "000 §七.3"),
    _p("obstruction_delay", "不准借故刁难, 拖延办事时间", "000 §七.4"),
)


class ConductPolicy(StrictModel):
    """Conduct and integrity (CON, INT-*)."""

    prohibitions: list[Prohibition] = rule_field(
        lambda: list(CONDUCT_CATALOGUE),
        rule="CON",
        doc="Coded conduct prohibitions recorded in inspections (禁止性规范)",
        min_length=1,
    )
    integrity_prohibitions: list[Prohibition] = rule_field(
        lambda: list(INTEGRITY_FOUR),
        rule="INT-1",
        doc="Integrity prohibitions (廉政 四不准)",
        min_length=1,
    )
    refuse_gifts_and_banquets: bool = rule_field(
        True, rule="INT-1", doc="Gifts and banquets offered by applicants are refused (不接受馈赠或宴请)"
    )
    confidential: list[Secret] = rule_field(
        lambda: ["personal_information", "trade_secrets", "government_secrets"],
        rule="INT-2",
        doc="What staff keep confidential (个人信息、商业秘密、政务工作秘密)",
    )

    @field_validator("confidential")
    @classmethod
    def _unique(cls, value: list[str]) -> list[str]:
        if len(set(value)) != len(value):
            raise ValueError("lists an entry more than once")
        return value

    @model_validator(mode="after")
    def _codes_unique(self) -> Self:
        for name, rule in (("prohibitions", "CON"), ("integrity_prohibitions", "INT-1")):
            codes = [p.code for p in getattr(self, name)]
            repeated = sorted({c for c in codes if codes.count(c) > 1})
            if repeated:
                raise PolicyRuleError(rule, f"code {', '.join(repeated)} appears more than once", field=name)
        overlap = {p.code for p in self.prohibitions} & {p.code for p in self.integrity_prohibitions}
        if overlap:
            raise PolicyRuleError(
                "INT-1",
                f"code {', '.join(sorted(overlap))} is also a conduct prohibition",
                field="integrity_prohibitions",
            )
        return self

    def prohibition(self, code: str) -> Prohibition | None:
        """The conduct or integrity prohibition with `code`, if the policy lists it."""
        for item in (*self.prohibitions, *self.integrity_prohibitions):
            if item.code == code:
                return item
        return None

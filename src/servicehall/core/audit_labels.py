"""Chinese names for the operation log page (CASE-9): actor roles and actions.

An action (`verb`) is shown by its Chinese name where one is known, else by its domain's name and the
code. Domains whose verbs come from their own enums register them (`register_verb_labels`, e.g. the
case lifecycle's actions); the rest are listed here."""

from __future__ import annotations

from collections.abc import Mapping

from servicehall.core.roles import Role

ROLE_LABELS: dict[str, str] = {**{r.value: str(r.label) for r in Role}, "superuser": "系统管理员"}

DOMAIN_LABELS = {
    "accountability": "问责", "admin": "后台", "assessment": "考核", "attendance": "考勤", "audit": "操作日志",
    "cases": "办件", "catalog": "事项目录", "evaluation": "评价投诉", "inspections": "巡查", "language": "文明用语",
    "leave": "请假", "org": "组织机构", "personal_data": "个人信息", "policy": "政策版本", "queue": "排队叫号",
    "rotation": "轮岗", "study": "学习", "supervision": "效能监察", "workdays": "工作日历",
}  # fmt: skip

VERB_LABELS: dict[str, str] = {
    "audit.archive": "归档操作日志",
    "personal_data.purge": "清除过期个人信息",
    "personal_data.rotate_keys": "更换加密密钥",
    "org.centre.create": "新建服务中心", "org.centre.update": "修改服务中心",
    "org.centre.grant": "授权上级中心管理", "org.centre.revoke": "撤销上级中心管理",
    "org.unit.create": "新建窗口单位", "org.unit.update": "修改窗口单位", "org.unit.chief_rep": "指定首席代表",
    "org.window.create": "新建窗口", "org.window.update": "修改窗口",
    "org.window.pause": "窗口暂停", "org.window.resume": "窗口恢复",
    "org.staff.create": "新增工作人员", "org.staff.update": "修改工作人员", "org.staff.role": "变更角色",
    "org.staff.posting": "变更派驻", "org.staff.windows": "调整窗口", "org.staff.link_login": "绑定登录账号",
    "org.post.create": "新建岗位", "org.post.update": "修改岗位",
    "policy.version.publish": "发布政策版本",
    "catalog.revision.propose": "提交事项修订", "catalog.revision.approve": "批准事项修订",
    "catalog.revision.reject": "驳回事项修订", "catalog.revision.cancel": "撤回事项修订",
    "catalog.item.withdraw": "停用事项", "catalog.items.import": "导入事项",
    "cases.inquiry.log": "咨询登记", "cases.inquiry.answer": "咨询答复",
    "queue.ticket.transfer": "转移排队号", "queue.ticket.abandon": "作废排队号",
    "queue.priority.confirm": "确认优先", "queue.appointment.no_show": "预约爽约",
    "attendance.punch.add": "补卡", "attendance.punch.void": "作废打卡", "attendance.import": "导入打卡",
    "attendance.off_post": "登记离岗", "attendance.off_post.withdraw": "撤销离岗",
    "leave.apply": "请假申请", "leave.cancel": "撤销请假", "leave.return": "销假",
    "leave.step.approve": "审批同意", "leave.step.reject": "审批不同意",
    "leave.cover.assign": "指定顶岗", "leave.cover.check_in": "顶岗到岗",
    "leave.sick_converted": "病假转换", "leave.late_filing_approved": "批准补办请假",
    "evaluation.rating.submit": "提交评价", "evaluation.rating.replace": "更正评价",
    "evaluation.ratings.import": "导入评价", "evaluation.contact.reveal": "查看评价人联系方式",
    "evaluation.complaint.file": "登记投诉", "evaluation.complaint.advance": "推进投诉办理",
    "evaluation.appeal.file": "提出差评申诉", "evaluation.appeal.decide": "裁定差评申诉",
    "evaluation.rectification.open": "差评整改立项", "evaluation.rectification.answer": "整改答复",
    "evaluation.rectification.review": "整改审核", "evaluation.rectification.close": "整改销号",
    "evaluation.rectification.callback": "整改回访", "evaluation.rectification.void": "作废整改",
    "evaluation.flag.raise": "标记异常评价", "evaluation.flag.review": "复核异常评价",
    "evaluation.suggestion.submit": "意见箱留言", "evaluation.suggestion.reply": "答复留言",
    "evaluation.unserved.record": "登记回访名单", "evaluation.unserved.outcome": "登记回访结果",
    "evaluation.scan": "扫码评价",
    "supervision.card.raise": "亮牌", "supervision.card.reply": "亮牌回复", "supervision.card.appeal": "亮牌申诉",
    "supervision.card.uphold": "维持亮牌", "supervision.investigation.open": "立案调查",
    "supervision.fee.charge": "登记收费", "supervision.leader_day": "领导坐班",
    "accountability.record": "记录问责", "accountability.withdraw": "撤销问责",
    "accountability.criticism.issue": "通报批评", "accountability.training.start": "开始培训",
    "assessment.round.open": "开启考核", "assessment.round.compute": "计算考核", "assessment.score": "考核评分",
    "inspections.finding.record": "记录巡查问题", "inspections.finding.decide": "认定巡查问题",
    "inspections.finding.contest": "申辩巡查问题",
    "language.reply.override": "用语提示确认",
    "rotation.apply": "申请轮岗", "rotation.reply": "答复轮岗", "rotation.handover": "轮岗交接",
    "rotation.return_unfit": "不适岗退回",
    "study.session.plan": "安排学习", "study.session.roll_call": "学习点名", "study.notebook.check": "检查学习笔记",
    "workdays.import": "导入工作日", "workdays.refresh": "刷新工作日", "workdays.load_notice": "载入放假通知",
    "workdays.day.change": "修改工作日",
}  # fmt: skip


def register_verb_labels(prefix: str, labels: Mapping[str, object]) -> None:
    """Name the verbs `<prefix>.<code>` a domain builds from its own choices (called at app start)."""
    for code, label in labels.items():
        VERB_LABELS.setdefault(f"{prefix}.{code}", str(label))


def role_label(code: str) -> str:
    return ROLE_LABELS.get(code, code)


def verb_label(verb: str) -> str:
    """The action's Chinese name; unknown ones as '<domain name> · code'."""
    if verb in VERB_LABELS:
        return VERB_LABELS[verb]
    domain = verb.split(".", 1)[0]
    if verb.startswith("admin."):
        return "后台删除" if verb.endswith(".delete") else "后台修改"
    return DOMAIN_LABELS.get(domain, "")

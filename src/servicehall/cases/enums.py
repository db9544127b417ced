"""Choices of the case domain (办件): statuses, actions, material states, channels."""

from __future__ import annotations

from django.db import models


class CaseStatus(models.TextChoices):
    REGISTERED = "registered", "申报登记"
    CORRECTION = "correction", "补正(补办件)"
    ACCEPTED = "accepted", "已受理"
    IN_PROGRESS = "in_progress", "办理中"
    REPORTED = "reported", "已上报"
    REFUSED = "refused", "不予受理"
    DONE = "done", "已办结"
    DELIVERED = "delivered", "已送达"
    RETURNED = "returned", "已退回(退件)"


OPEN_STATUSES = (
    CaseStatus.REGISTERED,
    CaseStatus.CORRECTION,
    CaseStatus.ACCEPTED,
    CaseStatus.IN_PROGRESS,
    CaseStatus.REPORTED,
)
CLOCK_STATUSES = (CaseStatus.ACCEPTED, CaseStatus.IN_PROGRESS, CaseStatus.REPORTED)


class Action(models.TextChoices):
    REGISTER = "register", "申报登记"
    ACCEPT = "accept", "受理"
    REQUEST_CORRECTION = "request_correction", "一次性告知补正"
    REFUSE = "refuse", "不予受理"
    START = "start", "开始办理"
    REPORT_UP = "report_up", "上报"
    CONCLUDE = "conclude", "办结"
    COMPLETE_ON_SPOT = "complete_on_spot", "即办办结"
    DELIVER = "deliver", "送达"
    RETURN = "return", "退回"
    DEEM_ACCEPT = "deem_accept", "逾期未告知视为受理"
    DEFAULT_APPROVE = "default_approve", "超时默认办结"


class EventKind(models.TextChoices):
    """Timeline entries that are not status changes (CASE-9 logs them all)."""

    TRANSITION = "transition", "状态变更"
    REASSIGN = "reassign", "更换第一责任人"
    MATERIAL = "material", "材料变更"
    ON_SPOT_FIX = "on_spot_fix", "当场改正"
    STEP = "step", "单位办理环节"
    PAUSE = "pause", "暂停计时"
    RESUME = "resume", "恢复计时"
    EXTEND = "extend", "延期"
    URGENT = "urgent", "急办标记"
    REFUSAL_REPORT = "refusal_report", "否定事项报备"
    NOTICE = "notice", "告知书"
    SECOND_VISIT = "second_visit", "第二次来办"
    URGE = "urge", "督促办理"
    ASSISTED = "assisted", "帮办代办"
    HOME_VISIT = "home_visit", "上门服务"
    RECOMPUTE_DUE = "recompute_due", "重新计算办结期限"


class Outcome(models.TextChoices):
    APPROVED = "approved", "准予许可/办理"
    NOT_APPROVED = "not_approved", "不予许可"


class MaterialState(models.TextChoices):
    OK = "ok", "齐全合格"
    MISSING = "missing", "缺少"
    DEFECTIVE = "defective", "不符合要求"
    FIXED_ON_SPOT = "fixed_on_spot", "当场改正"
    FIXED = "fixed", "已补正"


PROBLEM_STATES = (MaterialState.MISSING, MaterialState.DEFECTIVE)


class DeliveryMethod(models.TextChoices):
    WINDOW = "window", "窗口领取"
    POST = "post", "邮寄送达"


class PauseKind(models.TextChoices):
    CORRECTION = "correction", "补正材料"
    EXPERT_REVIEW = "expert_review", "专家评审"
    HEARING = "hearing", "听证"
    PUBLIC_NOTICE = "public_notice", "公示"
    TESTING = "testing", "检验检测"
    OTHER_STATUTORY = "other_statutory", "其他法定除外时间"


class RefusalKind(models.TextChoices):
    NOT_ACCEPTED = "not_accepted", "不予受理"
    NOT_APPROVED = "not_approved", "不予许可"


class Channel(models.TextChoices):
    ON_SITE = "on_site", "现场"
    PHONE = "phone", "电话"
    WEB = "web", "网上"
    VIDEO = "video", "视频"


class InquiryOutcome(models.TextChoices):
    ANSWERED = "answered", "当场答复"
    REFERRED = "referred", "引导至其他窗口"
    PROMISED = "promised", "承诺限时答复"

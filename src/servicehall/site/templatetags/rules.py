"""Rule IDs on pages: `{% rule_badge "Q-2" %}` and `{{ text|rule_badges }}` for staff (a small badge linking to
the rule's page, its Chinese title as tooltip); `{{ text|citizen_text }}` drops the IDs for citizens."""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

from servicehall.core.rule_texts import RULE_ID, rule_title, strip_rule_ids

register = template.Library()


@register.simple_tag
def rule_badge(rule_id: str) -> SafeString:
    rule_id = (rule_id or "").strip().upper()
    if not RULE_ID.fullmatch(rule_id):
        return mark_safe("")
    return format_html(
        '<a class="rule-badge" href="{}" title="{}">{}</a>',
        reverse("rule", args=[rule_id]),
        f"规则 {rule_id}：{rule_title(rule_id)}",
        rule_id,
    )


@register.filter
def rule_badges(text: object) -> SafeString:
    """Staff text with each rule ID turned into a badge; the rest of the text escaped."""
    escaped = str(conditional_escape(str(text) if text is not None else ""))
    return mark_safe(RULE_ID.sub(lambda m: str(rule_badge(m.group(0))), escaped))


@register.filter
def citizen_text(text: object) -> str:
    return strip_rule_ids(str(text if text is not None else ""))


@register.filter
def policy_name(ref: object) -> str:
    """ "yuanzhou-p2@2026.1" → "原州区政务服务中心（县级，篇2）2026.1 版": staff read the policy's Chinese title."""
    name, _, version = str(ref or "").partition("@")
    if not name:
        return ""
    from servicehall.policy.loader import load_policy, preset_names

    title = load_policy(name).title if name in preset_names() else ""
    title = title or "本中心制度"
    return f"{title} {version} 版" if version else title

"""Consultation (咨询登记, 首问负责): the first person asked answers, refers or promises a reply (ASK-1..3)."""

"""Masking of applicants' personal data (INT-2): the helpers live in `core.masking`, shared by every domain."""

from servicehall.core.masking import last4, mask_id, mask_mapping, mask_name, mask_phone, mask_value

__all__ = ["last4", "mask_id", "mask_mapping", "mask_name", "mask_phone", "mask_value"]

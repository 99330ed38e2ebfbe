"""Referral forms, one module per entity."""

"""Referral pages, one module per entity."""

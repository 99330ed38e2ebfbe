"""Dated parameter files of the planning tools (TOML, shipped as package data)."""

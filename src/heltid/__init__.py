"""Heltid: full-time activation and the national activity requirement."""

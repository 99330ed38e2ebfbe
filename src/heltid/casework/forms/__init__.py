"""Casework forms, one module per entity; each error is shown beside its field, in Swedish."""

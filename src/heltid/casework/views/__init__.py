"""Casework pages, one module per entity: caseload, assessment, plan, follow-up, progression."""

"""Every write in casework: keyword-only, one transaction, access log in the same transaction.
One module per entity."""

"""Every write about referrals: keyword-only, one transaction, access log in the same one."""

"""Referrals (anvisningar) to interventions, waiting lists, attendance, signals, the benefit
officer's decisions under SoL 12 kap. 5 §, and notifications to Arbetsförmedlingen."""

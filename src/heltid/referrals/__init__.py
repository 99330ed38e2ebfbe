"""Referrals (anvisningar) to interventions, waiting lists, attendance, signals, the benefit
officer's decisions under the activity requirement (socialtjänstlagen (2025:400),
aktivitetskravet (prop. 2025/26:207)), and notifications to Arbetsförmedlingen."""

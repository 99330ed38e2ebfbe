"""Referral models, one module per entity."""

from heltid.referrals.models.attendance import ATTENDED, Attendance, AttendanceStatus
from heltid.referrals.models.decision import (
    AfNotification,
    Decision,
    DecisionOutcome,
    NotificationKind,
    Signal,
    SignalKind,
)
from heltid.referrals.models.referral import (
    HOLDING,
    OPEN,
    TRANSITIONS,
    WAITING_ORDER,
    DeclineReason,
    Referral,
    ReferralEvent,
    ReferralStatus,
)

__all__ = [
    "ATTENDED",
    "HOLDING",
    "OPEN",
    "TRANSITIONS",
    "WAITING_ORDER",
    "AfNotification",
    "Attendance",
    "AttendanceStatus",
    "Decision",
    "DecisionOutcome",
    "DeclineReason",
    "NotificationKind",
    "Referral",
    "ReferralEvent",
    "ReferralStatus",
    "Signal",
    "SignalKind",
]

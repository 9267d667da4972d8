"""All tables, one module per resource. Importing this package registers every table on Base.metadata."""

from mirrorball.store.models.audit import AuditHead, AuditRecord
from mirrorball.store.models.auth import AuthSession, Credential
from mirrorball.store.models.competition import Competition
from mirrorball.store.models.couple import Couple
from mirrorball.store.models.dance import Dance
from mirrorball.store.models.decision import Decision
from mirrorball.store.models.event import Event
from mirrorball.store.models.heat import Heat, HeatCouple
from mirrorball.store.models.judge import Judge, Panel, Seat
from mirrorball.store.models.mark import Mark, PaperKeying, Sheet
from mirrorball.store.models.publication import Publication
from mirrorball.store.models.result import Result
from mirrorball.store.models.reveal import Reveal
from mirrorball.store.models.round import Round, RoundCouple
from mirrorball.store.models.show import RoutineCouple, ShowWeek, VoteTally

__all__ = [
    "AuditHead",
    "AuditRecord",
    "AuthSession",
    "Competition",
    "Couple",
    "Credential",
    "Dance",
    "Decision",
    "Event",
    "Heat",
    "HeatCouple",
    "Judge",
    "Mark",
    "Panel",
    "PaperKeying",
    "Publication",
    "Result",
    "Reveal",
    "Round",
    "RoundCouple",
    "RoutineCouple",
    "Seat",
    "Sheet",
    "ShowWeek",
    "VoteTally",
]

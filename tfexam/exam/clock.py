"""The exam's clock: started and deadline are stored in the state, so they travel with the workspace."""
from datetime import datetime, timedelta, timezone

from tfexam.exam.state import ExamState

EXAM_HOURS = 5.0


def now() -> datetime:
    return datetime.now(timezone.utc)


def timestamp(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds")


def deadline_after(started: datetime, hours: float) -> datetime:
    return started + timedelta(hours=hours)


def time_left(state: ExamState, at: datetime) -> timedelta:
    return max(state.deadline_at - at, timedelta(0))


def is_over(state: ExamState, at: datetime) -> bool:
    return at >= state.deadline_at


def duration(span: timedelta) -> str:
    """H:MM:SS."""
    seconds = int(span.total_seconds())
    return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


def clock_time(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")

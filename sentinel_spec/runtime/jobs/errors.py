"""What the job queue raises, to user code and inside a job run."""

from __future__ import annotations


class JobsError(RuntimeError):
    """Base of the job queue's own errors."""


class UnknownJob(JobsError, AttributeError):
    """``context.jobs.<name>`` where the spec declares no job ``name``."""


class JobAlreadyQueued(JobsError):
    """A job with ``singletonKey`` is already waiting: this submit added nothing."""

    def __init__(self, name: str, key: str) -> None:
        super().__init__(
            f"job `{name}` is already queued with singletonKey {key!r}; this submit was "
            "not queued (at most one waiting job per key)"
        )
        self.name = name
        self.key = key


class JobQueueNotReady(JobsError):
    """The database has no (or an outdated) job queue schema; the message says what to run."""


class JobExpired(JobsError):
    """A run took longer than ``expireInSeconds``: it is cancelled and counts as failed."""


class JobReleased(JobsError):
    """A run interrupted by its worker shutting down: put back in the queue as it was."""


class JobLost(JobsError):
    """The job stopped belonging to this worker while it ran (its heartbeat had lapsed
    and another worker took it over): the run's changes are rolled back."""

"""``job``: background functions and their schedules (no routes of their own)."""

from __future__ import annotations

from collections.abc import Iterator

from sentinel_spec.appspec import AppSpec, ExtImport, Job
from sentinel_spec.contract.routes import PlannedRoute
from sentinel_spec.generator import pyexpr as px
from sentinel_spec.generator.declwriter import DeclWriter, Kwargs, call, fields_of
from sentinel_spec.generator.openapi import OpenApiDocument


def functions(spec: AppSpec) -> Iterator[ExtImport]:
    return (job.fn for job in spec.jobs)


def declaration(job: Job, w: DeclWriter) -> px.Call:
    kwargs: Kwargs = [("name", px.lit(job.name)), ("fn", w.fn(job.fn))]
    kwargs.append(("options", call("d.JobOptions", fields_of(job.options))))
    if job.schedule is not None:
        kwargs.append(("cron", px.lit(job.schedule.cron)))
        kwargs.append(("cron_args", px.literal(job.schedule.args)))
        kwargs.append(("timezone", px.lit(job.schedule.timezone)))
    kwargs += w.entities(job.entities)
    return call("d.Job", kwargs)


def declarations(spec: AppSpec, w: DeclWriter) -> Kwargs:
    items = tuple(declaration(job, w) for job in spec.jobs)
    return [("jobs", px.Tuple(items))] if items else []


def routes(spec: AppSpec) -> list[PlannedRoute]:
    return []


def openapi(spec: AppSpec, document: OpenApiDocument) -> None:
    """Jobs are not HTTP routes."""

"""A workspace's notification providers (ADMIN or OWNER only): validated configs, secrets
sealed at rest and never returned, target URLs checked against SSRF rules."""

from __future__ import annotations

import secrets
import uuid
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, Field, ValidationError, field_validator
from sqlalchemy import select

from sentinel_spec.runtime import HttpError
from sentinel_spec.runtime.email.message import InvalidEmail, check_addr_spec
from src.core.audit.record import audit
from src.core.entities import model
from src.core.notifications import sealed_config, urls
from src.core.notifications.serialize import provider_json
from src.core.workspace.access import member_of

ProviderType = Literal["EMAIL", "SLACK", "DISCORD", "WEBHOOK", "TELEGRAM", "TEAMS"]
EventType = Annotated[str, Field(min_length=1, max_length=100)]


class _Config(BaseModel):
    model_config = {"extra": "forbid"}


class EmailConfig(_Config):
    recipients: list[str] = Field(min_length=1, max_length=20)

    @field_validator("recipients")
    @classmethod
    def _addresses(cls, value: list[str]) -> list[str]:
        try:
            return [check_addr_spec(address.strip()) for address in value]
        except InvalidEmail as error:
            raise ValueError(str(error)) from None


class SlackConfig(_Config):
    webhookUrl: str | None = Field(default=None, max_length=2048)
    channel: str | None = Field(default=None, max_length=80)


class DiscordConfig(_Config):
    webhookUrl: str | None = Field(default=None, max_length=2048)
    username: str | None = Field(default=None, max_length=80)


class TeamsConfig(_Config):
    webhookUrl: str | None = Field(default=None, max_length=2048)


class TelegramConfig(_Config):
    botToken: str | None = Field(default=None, pattern=r"^\d{3,20}:[A-Za-z0-9_-]{30,64}$")
    chatId: str = Field(pattern=r"^(-?\d{1,20}|@[A-Za-z0-9_]{5,32})$")


class WebhookConfig(_Config):
    url: str | None = Field(default=None, max_length=2048)
    # Omitted on create: a random one is made and shown once in the answer.
    signingSecret: str | None = Field(default=None, min_length=32, max_length=256)


CONFIGS: dict[str, type[_Config]] = {
    "EMAIL": EmailConfig,
    "SLACK": SlackConfig,
    "DISCORD": DiscordConfig,
    "TEAMS": TeamsConfig,
    "TELEGRAM": TelegramConfig,
    "WEBHOOK": WebhookConfig,
}
SECRET_FIELDS = {
    "EMAIL": (),
    "SLACK": ("webhookUrl",),
    "DISCORD": ("webhookUrl",),
    "TEAMS": ("webhookUrl",),
    "TELEGRAM": ("botToken",),
    "WEBHOOK": ("url", "signingSecret"),
}
URL_FIELDS = {
    "SLACK": "webhookUrl",
    "DISCORD": "webhookUrl",
    "TEAMS": "webhookUrl",
    "WEBHOOK": "url",
}


class SaveProviderArgs(BaseModel):
    workspaceId: str = Field(min_length=1, max_length=64)
    provider: ProviderType
    isEnabled: bool = True
    # Secret fields left out of an update keep their sealed values.
    config: dict[str, Any]
    eventTypes: list[EventType] = Field(default_factory=list, max_length=100)

    @field_validator("eventTypes")
    @classmethod
    def _event_types(cls, value: list[str]) -> list[str]:
        return sorted(set(value))


class ToggleProviderArgs(BaseModel):
    id: str = Field(min_length=1, max_length=64)
    isEnabled: bool


class ProviderRef(BaseModel):
    id: str = Field(min_length=1, max_length=64)


class WorkspaceRef(BaseModel):
    workspaceId: str = Field(min_length=1, max_length=64)


def mask_url(url: str) -> str:
    """``https://hooks.slack.com/…/Xy9z``: enough to recognise, useless to call."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.hostname}/…{url[-4:]}" if len(url) > 12 else "…"


def _public(kind: str, config: dict[str, Any], secret: dict[str, Any]) -> dict[str, Any]:
    public = {k: v for k, v in config.items() if k not in SECRET_FIELDS[kind] and v is not None}
    if kind in URL_FIELDS and secret.get(URL_FIELDS[kind]):
        public[URL_FIELDS[kind] + "Masked"] = mask_url(secret[URL_FIELDS[kind]])
    if kind == "TELEGRAM":
        public["botTokenSet"] = bool(secret.get("botToken"))
    if kind == "WEBHOOK":
        public["signingSecretSet"] = bool(secret.get("signingSecret"))
    return public


async def list_providers(context: Any, workspace_id: str) -> list[dict[str, Any]]:
    await member_of(context, workspace_id, "ADMIN")
    provider = model(context, "NotificationProvider")
    rows = await context.session.scalars(
        select(provider)
        .where(provider.workspaceId == workspace_id)
        .order_by(provider.createdAt.desc(), provider.id)
    )
    return [provider_json(row) for row in rows]


def _validated(kind: str, raw: dict[str, Any]) -> dict[str, Any]:
    try:
        config = CONFIGS[kind].model_validate(raw)
    except ValidationError as error:
        details = [
            {"field": "config." + ".".join(str(p) for p in e["loc"]), "message": e["msg"]}
            for e in error.errors()
        ]
        raise HttpError(400, f"invalid {kind} configuration", details) from None
    return config.model_dump()


async def save_provider(context: Any, args: SaveProviderArgs) -> dict[str, Any]:
    await member_of(context, args.workspaceId, "ADMIN")
    provider = model(context, "NotificationProvider")
    kind = args.provider
    config = _validated(kind, args.config)
    existing = await context.session.scalar(
        select(provider).where(provider.workspaceId == args.workspaceId, provider.provider == kind)
    )
    secret: dict[str, Any] = {}
    if existing is not None:
        secret = sealed_config.open_sealed(existing.id, existing.secretConfig)
    for name in SECRET_FIELDS[kind]:
        if config.get(name) is not None:
            secret[name] = config[name]
    generated = None
    if kind == "WEBHOOK" and not secret.get("signingSecret"):
        generated = secret["signingSecret"] = "whsec_" + secrets.token_urlsafe(32)
    missing = [n for n in SECRET_FIELDS[kind] if not secret.get(n)]
    if missing:
        raise HttpError(
            400,
            f"invalid {kind} configuration",
            [{"field": f"config.{name}", "message": "Field required"} for name in missing],
        )
    if kind in URL_FIELDS:
        try:
            await urls.check_target(secret[URL_FIELDS[kind]])
        except urls.UnsafeUrl as error:
            raise HttpError(
                400,
                f"invalid {kind} configuration",
                [{"field": f"config.{URL_FIELDS[kind]}", "message": str(error)}],
            ) from None

    row = existing or provider(id=str(uuid.uuid4()), workspaceId=args.workspaceId, provider=kind)
    row.isEnabled = args.isEnabled
    row.eventTypes = args.eventTypes
    row.publicConfig = _public(kind, config, secret)
    row.secretConfig = sealed_config.seal(row.id, secret)
    if existing is None:
        context.session.add(row)
    await context.session.flush()
    await context.session.refresh(row)
    await audit(
        context,
        workspace_id=args.workspaceId,
        action="PROVIDER_CONFIGURED",
        resource="notification_provider",
        resource_id=row.id,
        description=f"{kind} notification provider {'updated' if existing else 'added'}",
        metadata={"provider": kind, "isEnabled": args.isEnabled, "eventTypes": args.eventTypes},
    )
    answer = provider_json(row)
    if generated is not None:
        answer["signingSecret"] = generated  # shown this once; only its seal is kept
    return answer


async def _admin_provider(context: Any, provider_id: str) -> Any:
    provider = model(context, "NotificationProvider")
    row = await context.session.get(provider, provider_id)
    if row is None:
        raise HttpError(404, "Notification provider not found")
    await member_of(context, row.workspaceId, "ADMIN")  # a non-member gets the same 404
    return row


async def toggle_provider(context: Any, args: ToggleProviderArgs) -> dict[str, Any]:
    row = await _admin_provider(context, args.id)
    row.isEnabled = args.isEnabled
    await context.session.flush()
    await context.session.refresh(row)
    await audit(
        context,
        workspace_id=row.workspaceId,
        action="PROVIDER_CONFIGURED",
        resource="notification_provider",
        resource_id=row.id,
        description=f"notification provider {'enabled' if args.isEnabled else 'disabled'}",
        metadata={
            "provider": getattr(row.provider, "value", row.provider),
            "isEnabled": args.isEnabled,
        },
    )
    return provider_json(row)


async def delete_provider(context: Any, provider_id: str) -> dict[str, Any]:
    row = await _admin_provider(context, provider_id)
    kind = getattr(row.provider, "value", row.provider)
    await context.session.delete(row)
    await audit(
        context,
        workspace_id=row.workspaceId,
        action="PROVIDER_CONFIGURED",
        resource="notification_provider",
        resource_id=provider_id,
        description=f"{kind} notification provider removed",
        metadata={"provider": kind, "deleted": True},
    )
    return {"deleted": provider_id}

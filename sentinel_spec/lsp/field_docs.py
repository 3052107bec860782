"""One line of documentation per field of the declaration schemas, for hover and completion.

Keys are schema paths (``kind.field.field``; ``*`` matches one key, so queries and
actions, or the five crud operations, share a line). The fields themselves come from
``analyzer/schema.py``: ``tests/unit/lsp/test_field_docs.py`` holds this table to it, so
every field has a line and no line names a field that does not exist.
"""

from __future__ import annotations

KIND_DOCS: dict[str, str] = {
    "app": "The application: its title, auth, server, database, email and socket settings. "
    "Exactly one per spec.",
    "entity": "A database table, in Prisma's model syntax; becomes a SQLAlchemy model.",
    "enum": "A set of names (`enum Role { OWNER MEMBER }`), a PostgreSQL enum.",
    "page": "A server-rendered page: `component(request, context)` returns HTML or a Response.",
    "route": "A URL path served by a page.",
    "query": "A read operation at `/operations/<kebab-name>` (GET or POST): `fn(args, context)`.",
    "action": "A write operation at `/operations/<kebab-name>` (POST): `fn(args, context)`.",
    "api": "A custom HTTP endpoint: `fn(request, context)` at `httpRoute`.",
    "apiNamespace": "Middleware for every api under a path prefix.",
    "job": "A background job on PostgreSQL (procrastinate), optionally on a cron schedule.",
    "crud": "Generated get / getAll / create / update / delete operations for one entity.",
    "websocket": "A native WebSocket endpoint; `context.realtime.publish` reaches it.",
}

FIELD_DOCS: dict[str, str] = {
    "app.title": "The application's name as people read it (page titles, emails).",
    "app.auth": "Sign-up, log-in and sessions. Needs `userEntity` and `onAuthFailedRedirectTo`.",
    "app.auth.userEntity": "The entity that holds users.",
    "app.auth.methods": "The ways to sign in: `email`, `google`.",
    "app.auth.methods.email": "Email and password sign-in; needs `app.emailSender`.",
    "app.auth.methods.email.fromField": "The sender of verification and reset emails.",
    "app.auth.methods.email.fromField.email": "The sender's address.",
    "app.auth.methods.email.fromField.name": "The sender's display name.",
    "app.auth.methods.email.emailVerification": "Where the verification link leads.",
    "app.auth.methods.email.emailVerification.clientRoute": "The route of the verification page.",
    "app.auth.methods.email.passwordReset": "Where the password-reset link leads.",
    "app.auth.methods.email.passwordReset.clientRoute": "The route of the reset page.",
    "app.auth.methods.*.userSignupFields": "A function `(data) -> dict` of extra user fields "
    "to set at sign-up.",
    "app.auth.methods.google": "Sign-in with Google (OpenID Connect).",
    "app.auth.methods.google.configFn": "A function returning extra Google settings (scopes).",
    "app.auth.passwordPolicy": "What a password must contain.",
    "app.auth.passwordPolicy.minLength": "Minimum length (default 8).",
    "app.auth.passwordPolicy.requireUpper": "Require an uppercase letter.",
    "app.auth.passwordPolicy.requireLower": "Require a lowercase letter.",
    "app.auth.passwordPolicy.requireDigit": "Require a digit.",
    "app.auth.passwordPolicy.requireSymbol": "Require a symbol.",
    "app.auth.twoFactor": "TOTP two-factor authentication with backup codes.",
    "app.auth.twoFactor.issuer": "The name authenticator apps show.",
    "app.auth.twoFactor.backupCodes": "How many one-time backup codes a user gets (default 10).",
    "app.auth.sessions": "Session lifetimes.",
    "app.auth.sessions.idleTimeout": "Sign out after this long without a request (default 30m).",
    "app.auth.sessions.absoluteTimeout": "Sign out this long after sign-in (default 12h).",
    "app.auth.sessions.refreshTokens": "Refresh tokens for API clients.",
    "app.auth.sessions.refreshTokens.ttl": "How long a refresh token lives (default 30d).",
    "app.auth.sessions.refreshTokens.rotate": "Issue a new refresh token on each use "
    "(default true).",
    "app.auth.onAuthFailedRedirectTo": "Where a visitor without a session is sent from an "
    "`authRequired` page.",
    "app.auth.onAuthSucceededRedirectTo": "Where a user lands after signing in (default `/`).",
    "app.auth.onAfterSignup": "A function `(user, context)` called after a sign-up.",
    "app.auth.methods.email.emailVerification.getEmailContentFn": "A function `(link, user, "
    "email)` returning `{subject, text, html}` for the verification mail.",
    "app.auth.methods.email.passwordReset.getEmailContentFn": "A function `(link, user, email)` "
    "returning `{subject, text, html}` for the password-reset mail.",
    "app.auth.onBeforeSignup": "A function `(provider_id, data, request, context)` called "
    "before a user is created; raise HttpError to refuse.",
    "app.auth.onBeforeLogin": "A function `(provider_id, user, request, context)` called "
    "before a session is made; raise HttpError to refuse.",
    "app.auth.onAfterLogin": "A function `(provider_id, user, oauth, session_id, request, "
    "context)` called after a sign-in.",
    "app.auth.onAfterEmailVerified": "A function `(email, user, request, context)` called once "
    "an address is confirmed.",
    "app.auth.workspaces": "Where workspace memberships, roles, IP allowlists and session "
    "timeouts live, for `require_role`.",
    "app.auth.workspaces.entity": "The workspace entity (single-field id).",
    "app.auth.workspaces.memberEntity": "The membership entity (a user in a workspace, with "
    "a role).",
    "app.auth.workspaces.roleField": "The membership's role field (default role): OWNER, ADMIN, "
    "MEMBER or VIEWER.",
    "app.auth.workspaces.userField": "The membership's user key (default userId).",
    "app.auth.workspaces.workspaceField": "The membership's workspace key (default workspaceId).",
    "app.auth.workspaces.ipAllowlistField": "The workspace's `String[]` of CIDRs allowed to use it "
    "(none: no allowlist).",
    "app.auth.workspaces.sessionTimeoutField": "The workspace's idle timeout in minutes, an Int "
    "(stricter than the app's only).",
    "app.server": "The HTTP server: set-up, middleware, CORS, limits, Sentry.",
    "app.server.setupFn": "A function `(app)` called once at start-up.",
    "app.server.middlewareConfigFn": "A function `(middleware) -> middleware` that edits the "
    "server's middleware stack.",
    "app.server.cors": "Cross-origin requests.",
    "app.server.cors.origins": "Allowed origins: a string (comma separated), a list, or "
    "`env(...)`.",
    "app.server.bodyLimits": "Largest request bodies, by content type.",
    "app.server.bodyLimits.json": "JSON bodies (default 1mb).",
    "app.server.bodyLimits.form": "Form bodies (default 1mb).",
    "app.server.bodyLimits.raw": "Other bodies, uploads included (default 10mb).",
    "app.server.rateLimit": "The default rate limit, named limits and where counts are kept.",
    "app.server.rateLimit.default": 'A limit for every request, like `"300/minute"`.',
    "app.server.rateLimit.storage": "`memory://` or a Redis URL shared by every instance.",
    "app.server.rateLimit.failOpen": "Let requests through while the storage is down "
    "(default true).",
    "app.server.sentry": "Error reporting to Sentry.",
    "app.server.sentry.dsn": 'The project\'s DSN, usually `env("SENTRY_DSN")`.',
    "app.server.sentry.tracesSampleRate": "Share of requests traced, 0 to 1 (default 0).",
    "app.server.sentry.environment": "The environment name Sentry shows (default `SENTINEL_ENV`).",
    "app.server.sentry.release": "The release Sentry shows (default `SENTRY_RELEASE`, then git).",
    "app.server.cors.credentials": "Let listed origins send cookies (default true).",
    "app.server.cors.maxAge": 'How long a browser may cache a preflight (default "10m").',
    "app.server.rateLimit.named": "Limits your code counts with `context.rate_limit(name)`: "
    '`{ name: { limit: "20/hour", by: workspace } }`.',
    "app.server.trustedProxies": "Peers whose X-Forwarded-For is believed: IPs, CIDRs or `*` "
    "(default `FORWARDED_ALLOW_IPS`, else loopback).",
    "app.server.securityHeaders": "Replace (a string) or drop (`false`) a security header.",
    "app.server.securityHeaders.contentSecurityPolicy": "The Content-Security-Policy header.",
    "app.server.securityHeaders.hsts": "Strict-Transport-Security: `{ maxAge, "
    "includeSubDomains, preload }` or `false`.",
    "app.server.securityHeaders.hsts.maxAge": 'How long browsers keep to HTTPS (default "365d").',
    "app.server.securityHeaders.hsts.includeSubDomains": "Subdomains too (default true).",
    "app.server.securityHeaders.hsts.preload": "Ask for the browsers' preload list "
    "(default false).",
    "app.server.securityHeaders.frameOptions": 'X-Frame-Options: "DENY" (default) or "SAMEORIGIN".',
    "app.server.securityHeaders.referrerPolicy": "The Referrer-Policy header "
    "(default strict-origin-when-cross-origin).",
    "app.server.securityHeaders.permissionsPolicy": "The Permissions-Policy header "
    "(default: camera, microphone, geolocation off).",
    "app.server.limits": "What the HTTP server accepts: sizes and timeouts.",
    "app.server.limits.maxUrlBytes": 'Longest request target (default "8kb"; longer: 414).',
    "app.server.limits.maxHeaderBytes": 'All headers together (default "32kb"; more: 431).',
    "app.server.limits.maxHeaders": "Most header lines (default 100; more: 431).",
    "app.server.limits.headersTimeout": 'Time to send the request head (default "10s"; 408).',
    "app.server.limits.bodyTimeout": 'Longest pause in a body (default "30s"; 408).',
    "app.server.limits.requestTimeout": 'Time to send the whole request (default "300s"; 408).',
    "app.server.limits.idleTimeout": 'Close a connection idle this long (default "5s").',
    "app.realtime": "Channels of `context.realtime`: who may subscribe to what.",
    "app.realtime.authorizeFn": "A function `(user, channel, context) -> bool` deciding every "
    "subscription other than a socket's own `user:<id>` channel (none: refused).",
    "app.uploads": "The framework's streaming upload endpoint (`POST /api/upload`).",
    "app.uploads.path": "Where uploads are posted (default /api/upload).",
    "app.uploads.maxSize": "Largest upload, a size (default 50mb); refused mid-stream past it.",
    "app.uploads.allowedTypes": "Media types accepted, sniffed from the first bytes.",
    "app.uploads.authorizeFn": "A function `(request, fields, context) -> dict | None` run "
    "before any byte is stored; raise HttpError to refuse.",
    "app.uploads.onUploadFn": "A function `(file, context)` run after the file row is written, "
    "in the same transaction; what it returns joins the 201 answer.",
    "app.uploads.auth": "Whether a session is needed (default true).",
    "app.jobs": "Settings of the job queue as a whole.",
    "app.jobs.retention": "How long finished (succeeded, cancelled, aborted) jobs are kept "
    "before pruning, a duration (default 7d).",
    "app.jobs.failedRetention": "How long failed jobs stay visible for `sentinel jobs retry`, "
    "a duration (default 30d).",
    "app.db": "Database settings.",
    "app.db.seeds": "Functions `(session)` that `sentinel db seed` runs.",
    "app.webSocket": "A Socket.IO server.",
    "app.webSocket.fn": "A function `(sio, context)` run once at start-up to register handlers.",
    "app.webSocket.path": "Where Socket.IO is mounted (default `/socket.io`).",
    "app.emailSender": "How the app sends email.",
    "app.emailSender.provider": "`SMTP`, `SendGrid` or `Console` (prints emails).",
    "app.emailSender.defaultFrom": "The sender when a send names none.",
    "app.emailSender.defaultFrom.email": "The sender's address.",
    "app.emailSender.defaultFrom.name": "The sender's display name.",
    "*.fn": "The Python function the declaration calls.",
    "*.entities": "The entities the function uses: `context.entities.<Name>`.",
    "*.auth": "Require a session (default: true when `app.auth` exists).",
    "*.rateLimit": "A rate limit for this endpoint.",
    "*.rateLimit.limit": 'Calls allowed per period, like `"5/hour"`.',
    "*.rateLimit.by": "Count per `user`, `ip` (default) or `workspace`.",
    "api.httpRoute": 'The method and path, like `(GET, "/api/items/:id")`.',
    "*.middlewareConfigFn": "A function `(middleware) -> middleware` for these requests.",
    "apiNamespace.path": "The path prefix the middleware applies to.",
    "job.executor": "The job runner: `PgBoss` (PostgreSQL, through procrastinate).",
    "job.perform": "What the job runs.",
    "job.perform.fn": "The Python function `(args, context)` the job runs.",
    "job.perform.executorOptions": "Retry and queue options.",
    "job.perform.executorOptions.pgBoss": "`{=json {...} json=}` with retryLimit, retryDelay, "
    "retryBackoff, expireInSeconds, singletonKey, priority, queue, startAfter.",
    "job.schedule": "Run the job on a cron schedule.",
    "job.schedule.cron": 'Five cron fields, like `"0 1 * * *"`.',
    "job.schedule.args": "The arguments each scheduled run gets, as `{=json ... json=}`.",
    "job.schedule.timezone": "The cron's time zone (default UTC).",
    "route.path": 'The URL path, like `"/dashboard"`.',
    "route.to": "The page that serves it.",
    "page.component": "The Python function `(request, context)` that renders the page.",
    "page.authRequired": "Redirect visitors without a session (default false).",
    "crud.entity": "The entity the operations work on.",
    "crud.operations": "Which of get, getAll, create, update, delete to serve.",
    "crud.operations.*": "Serve this operation at `/crud/<name>/<op>`.",
    "crud.operations.*.isPublic": "Serve it without a session (default false).",
    "crud.operations.*.overrideFn": "A function `(args, context)` to run instead of the "
    "generated one.",
    "websocket.path": "The URL path of the socket.",
}


def field_doc(path: str) -> str | None:
    """The line for schema path ``path`` (``query.rateLimit.by``), or None."""
    if path in FIELD_DOCS:
        return FIELD_DOCS[path]
    parts = path.split(".")
    for pattern, doc in FIELD_DOCS.items():
        pattern_parts = pattern.split(".")
        if len(pattern_parts) == len(parts) and all(
            p in ("*", q) for p, q in zip(pattern_parts, parts, strict=True)
        ):
            return doc
    return None

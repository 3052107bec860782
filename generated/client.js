// Generated from app.sq by sentinel; do not edit.
// The operations and apis of SentinelIQ, for the scripts of its pages:
//   <script type="module">
//     import { SentinelError } from "/client.js";
//   </script>
// Served at /client.js. Calls send the page's session cookie; an error answer rejects
// with a SentinelError (status, code, message, details, requestId).

const settings = { baseUrl: globalThis.SENTINEL_BASE_URL ?? "", token: null };

/** Change where calls go and the bearer token they send (default: same origin, cookie). */
export function configure({ baseUrl, token } = {}) {
  if (baseUrl !== undefined) settings.baseUrl = baseUrl;
  if (token !== undefined) settings.token = token;
}

export class SentinelError extends Error {
  constructor(status, error = {}) {
    super(error.message ?? `HTTP ${status}`);
    this.name = "SentinelError";
    this.status = status;
    this.code = error.code ?? "error";
    this.details = error.details;
    this.requestId = error.requestId;
  }
}

async function send(path, init = {}) {
  const headers = { ...(init.headers ?? {}) };
  if (settings.token) headers.Authorization = `Bearer ${settings.token}`;
  const response = await fetch(settings.baseUrl + path, {
    credentials: "same-origin",
    ...init,
    headers,
  });
  if (response.status >= 400) {
    let error = {};
    try {
      error = (await response.clone().json()).error ?? {};
    } catch {
      error = { message: await response.text() };
    }
    throw new SentinelError(response.status, error);
  }
  return response;
}

async function call(path, args) {
  const response = await send(path, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(args === undefined ? null : args),
  });
  const text = await response.text();
  return text ? JSON.parse(text) : null;
}

/** query getWorkspaces: GET/POST /operations/get-workspaces */
export const getWorkspaces = (args) => call("/operations/get-workspaces", args);

/** action createWorkspace: POST /operations/create-workspace */
export const createWorkspace = (args) => call("/operations/create-workspace", args);

/** action updateWorkspace: POST /operations/update-workspace */
export const updateWorkspace = (args) => call("/operations/update-workspace", args);

/** action deleteWorkspace: POST /operations/delete-workspace */
export const deleteWorkspace = (args) => call("/operations/delete-workspace", args);

/** crud Techniques */
export const Techniques = {
  get: (args) => call("/crud/techniques/get", args),
  getAll: (args) => call("/crud/techniques/get-all", args),
};

/** api emailPreview: GET /api/email-preview; resolves to the fetch Response */
export const emailPreview = (params = {}, init = {}) =>
  send(`/api/email-preview`, { method: "GET", ...init });

/** api screenshot: GET /api/screenshot/{alertId}; resolves to the fetch Response */
export const screenshot = (params = {}, init = {}) =>
  send(`/api/screenshot/${encodeURIComponent(params.alertId)}`, { method: "GET", ...init });

/** api onboardingForm: POST /onboarding; resolves to the fetch Response */
export const onboardingForm = (params = {}, init = {}) =>
  send(`/onboarding`, { method: "POST", ...init });

/** api assets: GET /assets/{name}; resolves to the fetch Response */
export const assets = (params = {}, init = {}) =>
  send(`/assets/${encodeURIComponent(params.name)}`, { method: "GET", ...init });

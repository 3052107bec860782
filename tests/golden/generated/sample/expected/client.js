// Generated from app.sq by sentinel; do not edit.
// The operations and apis of Tracker, for the scripts of its pages:
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

/** query getGreeting: GET/POST /operations/get-greeting */
export const getGreeting = (args) => call("/operations/get-greeting", args);

/** query getTasks: GET/POST /operations/get-tasks */
export const getTasks = (args) => call("/operations/get-tasks", args);

/** action createTask: POST /operations/create-task */
export const createTask = (args) => call("/operations/create-task", args);

/** action failWithHttpError: POST /operations/fail-with-http-error */
export const failWithHttpError = (args) => call("/operations/fail-with-http-error", args);

/** action crash: POST /operations/crash */
export const crash = (args) => call("/operations/crash", args);

/** crud Tasks */
export const Tasks = {
  get: (args) => call("/crud/tasks/get", args),
  getAll: (args) => call("/crud/tasks/get-all", args),
  create: (args) => call("/crud/tasks/create", args),
  update: (args) => call("/crud/tasks/update", args),
  delete: (args) => call("/crud/tasks/delete", args),
};

/** api ping: GET /api/ping; resolves to the fetch Response */
export const ping = (params = {}, init = {}) =>
  send(`/api/ping`, { method: "GET", ...init });

/** api echoItem: ALL /api/items/{itemId}; resolves to the fetch Response */
export const echoItem = (params = {}, init = {}) =>
  send(`/api/items/${encodeURIComponent(params.itemId)}`, { method: "GET", ...init });

/** api adminStats: GET /api/admin/stats; resolves to the fetch Response */
export const adminStats = (params = {}, init = {}) =>
  send(`/api/admin/stats`, { method: "GET", ...init });

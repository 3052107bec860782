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

/** query getNotifications: GET/POST /operations/get-notifications */
export const getNotifications = (args) => call("/operations/get-notifications", args);

/** query getUnreadCount: GET/POST /operations/get-unread-count */
export const getUnreadCount = (args) => call("/operations/get-unread-count", args);

/** query getNotificationProviders: GET/POST /operations/get-notification-providers */
export const getNotificationProviders = (args) => call("/operations/get-notification-providers", args);

/** query getNotificationPreferences: GET/POST /operations/get-notification-preferences */
export const getNotificationPreferences = (args) => call("/operations/get-notification-preferences", args);

/** query getPushSubscriptions: GET/POST /operations/get-push-subscriptions */
export const getPushSubscriptions = (args) => call("/operations/get-push-subscriptions", args);

/** query getNotificationDeliveryLogs: GET/POST /operations/get-notification-delivery-logs */
export const getNotificationDeliveryLogs = (args) => call("/operations/get-notification-delivery-logs", args);

/** action createWorkspace: POST /operations/create-workspace */
export const createWorkspace = (args) => call("/operations/create-workspace", args);

/** action updateWorkspace: POST /operations/update-workspace */
export const updateWorkspace = (args) => call("/operations/update-workspace", args);

/** action deleteWorkspace: POST /operations/delete-workspace */
export const deleteWorkspace = (args) => call("/operations/delete-workspace", args);

/** action markAsRead: POST /operations/mark-as-read */
export const markAsRead = (args) => call("/operations/mark-as-read", args);

/** action markAllAsRead: POST /operations/mark-all-as-read */
export const markAllAsRead = (args) => call("/operations/mark-all-as-read", args);

/** action deleteNotification: POST /operations/delete-notification */
export const deleteNotification = (args) => call("/operations/delete-notification", args);

/** action deleteAllNotifications: POST /operations/delete-all-notifications */
export const deleteAllNotifications = (args) => call("/operations/delete-all-notifications", args);

/** action saveNotificationProvider: POST /operations/save-notification-provider */
export const saveNotificationProvider = (args) => call("/operations/save-notification-provider", args);

/** action toggleNotificationProvider: POST /operations/toggle-notification-provider */
export const toggleNotificationProvider = (args) => call("/operations/toggle-notification-provider", args);

/** action deleteNotificationProvider: POST /operations/delete-notification-provider */
export const deleteNotificationProvider = (args) => call("/operations/delete-notification-provider", args);

/** action updateNotificationPreferences: POST /operations/update-notification-preferences */
export const updateNotificationPreferences = (args) => call("/operations/update-notification-preferences", args);

/** action savePushSubscription: POST /operations/save-push-subscription */
export const savePushSubscription = (args) => call("/operations/save-push-subscription", args);

/** action removePushSubscription: POST /operations/remove-push-subscription */
export const removePushSubscription = (args) => call("/operations/remove-push-subscription", args);

/** action removeAllPushSubscriptions: POST /operations/remove-all-push-subscriptions */
export const removeAllPushSubscriptions = (args) => call("/operations/remove-all-push-subscriptions", args);

/** action createAlert: POST /operations/create-alert */
export const createAlert = (args) => call("/operations/create-alert", args);

/** action updateAlertStatus: POST /operations/update-alert-status */
export const updateAlertStatus = (args) => call("/operations/update-alert-status", args);

/** action createIncident: POST /operations/create-incident */
export const createIncident = (args) => call("/operations/create-incident", args);

/** action updateIncident: POST /operations/update-incident */
export const updateIncident = (args) => call("/operations/update-incident", args);

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

/** api notificationsForm: POST /notifications; resolves to the fetch Response */
export const notificationsForm = (params = {}, init = {}) =>
  send(`/notifications`, { method: "POST", ...init });

/** api assets: GET /assets/{name}; resolves to the fetch Response */
export const assets = (params = {}, init = {}) =>
  send(`/assets/${encodeURIComponent(params.name)}`, { method: "GET", ...init });

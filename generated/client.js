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

/** query getUserWorkspaces: GET/POST /operations/get-user-workspaces */
export const getUserWorkspaces = (args) => call("/operations/get-user-workspaces", args);

/** query getCurrentWorkspace: GET/POST /operations/get-current-workspace */
export const getCurrentWorkspace = (args) => call("/operations/get-current-workspace", args);

/** query getWorkspaceById: GET/POST /operations/get-workspace-by-id */
export const getWorkspaceById = (args) => call("/operations/get-workspace-by-id", args);

/** query getWorkspaceMembers: GET/POST /operations/get-workspace-members */
export const getWorkspaceMembers = (args) => call("/operations/get-workspace-members", args);

/** query checkSlugAvailability: GET/POST /operations/check-slug-availability */
export const checkSlugAvailability = (args) => call("/operations/check-slug-availability", args);

/** query getWorkspaceInvitations: GET/POST /operations/get-workspace-invitations */
export const getWorkspaceInvitations = (args) => call("/operations/get-workspace-invitations", args);

/** query getWorkspaceUsage: GET/POST /operations/get-workspace-usage */
export const getWorkspaceUsage = (args) => call("/operations/get-workspace-usage", args);

/** query getStorageStats: GET/POST /operations/get-storage-stats */
export const getStorageStats = (args) => call("/operations/get-storage-stats", args);

/** query exportWorkspaceData: GET/POST /operations/export-workspace-data */
export const exportWorkspaceData = (args) => call("/operations/export-workspace-data", args);

/** query getAllWorkspacesForAdmin: GET/POST /operations/get-all-workspaces-for-admin */
export const getAllWorkspacesForAdmin = (args) => call("/operations/get-all-workspaces-for-admin", args);

/** query getWorkspaceCount: GET/POST /operations/get-workspace-count */
export const getWorkspaceCount = (args) => call("/operations/get-workspace-count", args);

/** query getSystemLogCount: GET/POST /operations/get-system-log-count */
export const getSystemLogCount = (args) => call("/operations/get-system-log-count", args);

/** query getNotificationCount: GET/POST /operations/get-notification-count */
export const getNotificationCount = (args) => call("/operations/get-notification-count", args);

/** query getContactMessagesCount: GET/POST /operations/get-contact-messages-count */
export const getContactMessagesCount = (args) => call("/operations/get-contact-messages-count", args);

/** query getWorkspaceDetails: GET/POST /operations/get-workspace-details */
export const getWorkspaceDetails = (args) => call("/operations/get-workspace-details", args);

/** query getWorkspaceIpWhitelist: GET/POST /operations/get-workspace-ip-whitelist */
export const getWorkspaceIpWhitelist = (args) => call("/operations/get-workspace-ip-whitelist", args);

/** query getAuditLogs: GET/POST /operations/get-audit-logs */
export const getAuditLogs = (args) => call("/operations/get-audit-logs", args);

/** query getAuditLogsByResource: GET/POST /operations/get-audit-logs-by-resource */
export const getAuditLogsByResource = (args) => call("/operations/get-audit-logs-by-resource", args);

/** query exportAuditLogs: GET/POST /operations/export-audit-logs */
export const exportAuditLogs = (args) => call("/operations/export-audit-logs", args);

/** query getAllAuditLogsForAdmin: GET/POST /operations/get-all-audit-logs-for-admin */
export const getAllAuditLogsForAdmin = (args) => call("/operations/get-all-audit-logs-for-admin", args);

/** query getSystemLogs: GET/POST /operations/get-system-logs */
export const getSystemLogs = (args) => call("/operations/get-system-logs", args);

/** query getSystemHealth: GET/POST /operations/get-system-health */
export const getSystemHealth = (args) => call("/operations/get-system-health", args);

/** query getDatabaseMetrics: GET/POST /operations/get-database-metrics */
export const getDatabaseMetrics = (args) => call("/operations/get-database-metrics", args);

/** query getInfrastructureStatus: GET/POST /operations/get-infrastructure-status */
export const getInfrastructureStatus = (args) => call("/operations/get-infrastructure-status", args);

/** query getContactMessages: GET/POST /operations/get-contact-messages */
export const getContactMessages = (args) => call("/operations/get-contact-messages", args);

/** query getPaginatedUsers: GET/POST /operations/get-paginated-users */
export const getPaginatedUsers = (args) => call("/operations/get-paginated-users", args);

/** query getUserActivity: GET/POST /operations/get-user-activity */
export const getUserActivity = (args) => call("/operations/get-user-activity", args);

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

/** action restoreWorkspace: POST /operations/restore-workspace */
export const restoreWorkspace = (args) => call("/operations/restore-workspace", args);

/** action switchWorkspace: POST /operations/switch-workspace */
export const switchWorkspace = (args) => call("/operations/switch-workspace", args);

/** action completeOnboarding: POST /operations/complete-onboarding */
export const completeOnboarding = (args) => call("/operations/complete-onboarding", args);

/** action updateWorkspaceBranding: POST /operations/update-workspace-branding */
export const updateWorkspaceBranding = (args) => call("/operations/update-workspace-branding", args);

/** action updateWorkspaceSessionTimeout: POST /operations/update-workspace-session-timeout */
export const updateWorkspaceSessionTimeout = (args) => call("/operations/update-workspace-session-timeout", args);

/** action updateWorkspaceTwoFactorPolicy: POST /operations/update-workspace-two-factor-policy */
export const updateWorkspaceTwoFactorPolicy = (args) => call("/operations/update-workspace-two-factor-policy", args);

/** action inviteMemberToWorkspace: POST /operations/invite-member-to-workspace */
export const inviteMemberToWorkspace = (args) => call("/operations/invite-member-to-workspace", args);

/** action sendWorkspaceInvitation: POST /operations/send-workspace-invitation */
export const sendWorkspaceInvitation = (args) => call("/operations/send-workspace-invitation", args);

/** action acceptWorkspaceInvitation: POST /operations/accept-workspace-invitation */
export const acceptWorkspaceInvitation = (args) => call("/operations/accept-workspace-invitation", args);

/** action revokeWorkspaceInvitation: POST /operations/revoke-workspace-invitation */
export const revokeWorkspaceInvitation = (args) => call("/operations/revoke-workspace-invitation", args);

/** action removeMemberFromWorkspace: POST /operations/remove-member-from-workspace */
export const removeMemberFromWorkspace = (args) => call("/operations/remove-member-from-workspace", args);

/** action updateMemberRole: POST /operations/update-member-role */
export const updateMemberRole = (args) => call("/operations/update-member-role", args);

/** action leaveWorkspace: POST /operations/leave-workspace */
export const leaveWorkspace = (args) => call("/operations/leave-workspace", args);

/** action transferWorkspaceOwnership: POST /operations/transfer-workspace-ownership */
export const transferWorkspaceOwnership = (args) => call("/operations/transfer-workspace-ownership", args);

/** action confirmOwnershipTransfer: POST /operations/confirm-ownership-transfer */
export const confirmOwnershipTransfer = (args) => call("/operations/confirm-ownership-transfer", args);

/** action suspendWorkspace: POST /operations/suspend-workspace */
export const suspendWorkspace = (args) => call("/operations/suspend-workspace", args);

/** action updateWorkspaceQuotas: POST /operations/update-workspace-quotas */
export const updateWorkspaceQuotas = (args) => call("/operations/update-workspace-quotas", args);

/** action enable2FA: POST /operations/enable2-fa */
export const enable2FA = (args) => call("/operations/enable2-fa", args);

/** action verify2FA: POST /operations/verify2-fa */
export const verify2FA = (args) => call("/operations/verify2-fa", args);

/** action disable2FA: POST /operations/disable2-fa */
export const disable2FA = (args) => call("/operations/disable2-fa", args);

/** action generateNew2FABackupCodes: POST /operations/generate-new2-fa-backup-codes */
export const generateNew2FABackupCodes = (args) => call("/operations/generate-new2-fa-backup-codes", args);

/** action updateWorkspaceIpWhitelist: POST /operations/update-workspace-ip-whitelist */
export const updateWorkspaceIpWhitelist = (args) => call("/operations/update-workspace-ip-whitelist", args);

/** action addIpToWhitelist: POST /operations/add-ip-to-whitelist */
export const addIpToWhitelist = (args) => call("/operations/add-ip-to-whitelist", args);

/** action removeIpFromWhitelist: POST /operations/remove-ip-from-whitelist */
export const removeIpFromWhitelist = (args) => call("/operations/remove-ip-from-whitelist", args);

/** action toggleIpWhitelist: POST /operations/toggle-ip-whitelist */
export const toggleIpWhitelist = (args) => call("/operations/toggle-ip-whitelist", args);

/** action sendContactMessage: POST /operations/send-contact-message */
export const sendContactMessage = (args) => call("/operations/send-contact-message", args);

/** action markMessageAsRead: POST /operations/mark-message-as-read */
export const markMessageAsRead = (args) => call("/operations/mark-message-as-read", args);

/** action markMessageAsReplied: POST /operations/mark-message-as-replied */
export const markMessageAsReplied = (args) => call("/operations/mark-message-as-replied", args);

/** action deleteContactMessage: POST /operations/delete-contact-message */
export const deleteContactMessage = (args) => call("/operations/delete-contact-message", args);

/** action updateIsUserAdminById: POST /operations/update-is-user-admin-by-id */
export const updateIsUserAdminById = (args) => call("/operations/update-is-user-admin-by-id", args);

/** action suspendUser: POST /operations/suspend-user */
export const suspendUser = (args) => call("/operations/suspend-user", args);

/** action resetUser2FA: POST /operations/reset-user2-fa */
export const resetUser2FA = (args) => call("/operations/reset-user2-fa", args);

/** action resetUserPassword: POST /operations/reset-user-password */
export const resetUserPassword = (args) => call("/operations/reset-user-password", args);

/** action deleteUserCascade: POST /operations/delete-user-cascade */
export const deleteUserCascade = (args) => call("/operations/delete-user-cascade", args);

/** action updateProfile: POST /operations/update-profile */
export const updateProfile = (args) => call("/operations/update-profile", args);

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

/** api onboardingForm: POST /forms/onboarding; resolves to the fetch Response */
export const onboardingForm = (params = {}, init = {}) =>
  send(`/forms/onboarding`, { method: "POST", ...init });

/** api switchWorkspaceForm: POST /forms/switch-workspace; resolves to the fetch Response */
export const switchWorkspaceForm = (params = {}, init = {}) =>
  send(`/forms/switch-workspace`, { method: "POST", ...init });

/** api invitationForm: POST /forms/accept-invitation; resolves to the fetch Response */
export const invitationForm = (params = {}, init = {}) =>
  send(`/forms/accept-invitation`, { method: "POST", ...init });

/** api transferConfirmForm: POST /forms/confirm-transfer; resolves to the fetch Response */
export const transferConfirmForm = (params = {}, init = {}) =>
  send(`/forms/confirm-transfer`, { method: "POST", ...init });

/** api workspaceSettingsForm: POST /forms/workspaces/{workspaceId}/settings; resolves to the fetch Response */
export const workspaceSettingsForm = (params = {}, init = {}) =>
  send(`/forms/workspaces/${encodeURIComponent(params.workspaceId)}/settings`, { method: "POST", ...init });

/** api aegisAlertsForm: POST /forms/aegis/alerts; resolves to the fetch Response */
export const aegisAlertsForm = (params = {}, init = {}) =>
  send(`/forms/aegis/alerts`, { method: "POST", ...init });

/** api aegisAlertForm: POST /forms/aegis/alerts/{alertId}; resolves to the fetch Response */
export const aegisAlertForm = (params = {}, init = {}) =>
  send(`/forms/aegis/alerts/${encodeURIComponent(params.alertId)}`, { method: "POST", ...init });

/** api aegisIncidentsForm: POST /forms/aegis/incidents; resolves to the fetch Response */
export const aegisIncidentsForm = (params = {}, init = {}) =>
  send(`/forms/aegis/incidents`, { method: "POST", ...init });

/** api aegisIncidentForm: POST /forms/aegis/incidents/{incidentId}; resolves to the fetch Response */
export const aegisIncidentForm = (params = {}, init = {}) =>
  send(`/forms/aegis/incidents/${encodeURIComponent(params.incidentId)}`, { method: "POST", ...init });

/** api accountForm: POST /forms/account; resolves to the fetch Response */
export const accountForm = (params = {}, init = {}) =>
  send(`/forms/account`, { method: "POST", ...init });

/** api notificationsForm: POST /forms/notifications; resolves to the fetch Response */
export const notificationsForm = (params = {}, init = {}) =>
  send(`/forms/notifications`, { method: "POST", ...init });

/** api auditExport: GET /workspaces/{workspaceId}/audit/export; resolves to the fetch Response */
export const auditExport = (params = {}, init = {}) =>
  send(`/workspaces/${encodeURIComponent(params.workspaceId)}/audit/export`, { method: "GET", ...init });

/** api assets: GET /assets/{name}; resolves to the fetch Response */
export const assets = (params = {}, init = {}) =>
  send(`/assets/${encodeURIComponent(params.name)}`, { method: "GET", ...init });

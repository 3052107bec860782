// Written for Sentinel's tests: a Wasp 0.15-0.23 `wasp-config` spec using every
// constructor, plus things the importer must report instead of guessing.
import { App } from 'wasp-config'

const app = new App('notesApp', {
  title: 'Notes',
  wasp: { version: '^0.16.0' },
  head: ['<link rel="icon" href="/favicon.ico" />'],
})

app.auth({
  userEntity: 'User',
  methods: {
    email: {
      fromField: { name: 'Notes', email: 'hello@notes.example' },
      emailVerification: { clientRoute: 'VerifyRoute' },
      passwordReset: { clientRoute: 'ResetRoute' },
    },
    usernameAndPassword: {},
  },
  onAuthFailedRedirectTo: '/login',
  onAfterSignup: { import: 'afterSignup', from: '@src/auth/hooks' },
})

app.server({ setupFn: { importDefault: 'setup', from: '@src/server/setup.js' } })
app.emailSender({ provider: 'SendGrid', defaultFrom: { name: 'Notes', email: 'hello@notes.example' } })

const mainPage = app.page('MainPage', {
  authRequired: true,
  component: { importDefault: 'Main', from: '@src/MainPage.tsx' },
})
app.route('RootRoute', { path: '/', to: mainPage })
app.route('VerifyRoute', { path: '/verify', to: app.page('VerifyPage', { component: { import: 'Verify', from: '@src/auth/pages' } }) })
const resetPage = app.page('ResetPage', { component: { import: 'Reset', from: '@src/auth/pages' } })
app.route('ResetRoute', { path: '/reset', to: resetPage })

app.query('getNotes', {
  fn: { import: 'getNotes', from: '@src/notes/operations' },
  entities: ['Note'],
})
app.action('createNote', {
  fn: { import: 'createNote', from: '@src/notes/operations' },
  entities: ['Note', 'User'],
  auth: true,
})
app.api('notesExport', {
  fn: { import: 'exportNotes', from: '@src/notes/api' },
  httpRoute: { method: 'GET', route: '/api/notes/:id/export' },
  entities: ['Note'],
})
app.apiNamespace('notesApi', {
  middlewareConfigFn: { import: 'notesMiddleware', from: '@src/notes/api' },
  path: '/api/notes',
})
app.job('purgeOldNotes', {
  executor: 'PgBoss',
  perform: {
    fn: { import: 'purgeOldNotes', from: '@src/notes/jobs' },
    executorOptions: { pgBoss: { retryLimit: 3, retryDelay: 30, onComplete: 'x' } },
  },
  schedule: { cron: '0 3 * * *', args: { days: 30 } },
  entities: ['Note'],
})
app.crud('Notes', {
  entity: 'Note',
  operations: { getAll: {}, create: { overrideFn: { import: 'createNote', from: '@src/notes/crud' } } },
})

configureAdmin(app)

export default app

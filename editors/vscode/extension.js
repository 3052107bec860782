// The VS Code side of Sentinel's editor support: it starts `sentinel lsp` (stdio) for
// .sq files and lets the language server do the rest (diagnostics, completion, hover,
// definitions, references, rename, code actions, formatting).
"use strict";

const vscode = require("vscode");
const { LanguageClient, TransportKind } = require("vscode-languageclient/node");

let client;

function serverOptions() {
  const config = vscode.workspace.getConfiguration("sentinel");
  const command = config.get("command", "sentinel");
  const args = ["lsp", ...config.get("extraArgs", [])];
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  return { command, args, transport: TransportKind.stdio, options: { cwd: folder } };
}

async function start(context) {
  client = new LanguageClient(
    "sentinel",
    "Sentinel",
    serverOptions(),
    {
      documentSelector: [{ scheme: "file", language: "sq" }],
      // Python files define what imports point at: tell the server when they change.
      synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher("**/*.py") },
    },
  );
  context.subscriptions.push(client);
  try {
    await client.start();
  } catch (error) {
    vscode.window.showErrorMessage(
      `Sentinel: could not start \`${serverOptions().command} lsp\` (${error.message}). ` +
        "Install sentinel-spec in this workspace's Python, or set sentinel.command.",
    );
  }
}

async function activate(context) {
  context.subscriptions.push(
    vscode.commands.registerCommand("sentinel.restartServer", async () => {
      if (client) {
        await client.stop();
      }
      await start(context);
    }),
  );
  await start(context);
}

async function deactivate() {
  if (client) {
    await client.stop();
  }
}

module.exports = { activate, deactivate };

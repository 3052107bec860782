// Connects with socket.io-client (npm) as a browser app would, prints each event as a JSON line.
const { io } = require("socket.io-client");
const [url, token] = process.argv.slice(2);
const socket = io(url, { auth: token ? { token } : undefined, transports: ["polling", "websocket"], reconnection: false });
const out = (kind, data) => console.log(JSON.stringify({ kind, data }));
socket.on("connect_error", (err) => { out("connect_error", err.message); process.exit(0); });
socket.on("ready", (data) => { out("ready", data); socket.emit("shout", { from: "node" }); });
socket.on("shouted", (data) => { out("shouted", data); socket.close(); process.exit(0); });
setTimeout(() => { out("timeout", null); process.exit(1); }, 15000);

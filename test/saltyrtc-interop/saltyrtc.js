'use strict';
// Loads the browser builds of @saltyrtc/client and @saltyrtc/task-relayed-data
// under Node: they expect window, WebSocket, nacl and msgpack as globals.
const fs = require('fs');
const path = require('path');
const vm = require('vm');
const WS = require('ws');

// The signalling server's TLS certificate is self-signed; the client's pinned
// SaltyRTC server key (signed_keys) is what authenticates the server.
class InsecureWebSocket extends WS {
  constructor(url, protocols) {
    super(url, protocols, { rejectUnauthorized: false });
  }
}

globalThis.window = globalThis;
globalThis.WebSocket = InsecureWebSocket;
globalThis.nacl = require('tweetnacl');
globalThis.msgpack = require('msgpack-lite');

function load(pkg, file) {
  const p = path.join(__dirname, 'node_modules', '@saltyrtc', pkg, 'dist', file);
  vm.runInThisContext(fs.readFileSync(p, 'utf8'), { filename: p });
}

load('client', 'saltyrtc-client.es5.js');
load('task-relayed-data', 'saltyrtc-task-relayed-data.es5.js');

module.exports = {
  client: globalThis.saltyrtcClient,
  RelayedDataTask: globalThis.saltyrtcTaskRelayedData.RelayedDataTask,
};

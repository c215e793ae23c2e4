'use strict';
// One SaltyRTC peer using the reference JS implementation and the Relayed
// Data task. It connects, sends --send, expects --expect from the peer and
// prints JSON lines on stdout:
//   {"event":"ready","publicKey":…,"authToken":…}   (initiator, before connecting)
//   {"event":"result","ok":true|false,"received":…,"peerKey":…,"error":…}
// It exits 0 on success and 1 otherwise.
//
// node peer.js --role initiator|responder --url wss://host:port --server-key HEX
//              [--token HEX --initiator-key HEX] (responder) [--secret-key HEX]
//              [--send TEXT] [--expect TEXT] [--timeout MS]
const { client: saltyrtc, RelayedDataTask } = require('./saltyrtc');

function parseArgs(argv) {
  const args = { send: 'hello from js', expect: '', timeout: '20000' };
  for (let i = 0; i < argv.length; i += 2) {
    const k = argv[i];
    if (!k.startsWith('--') || i + 1 >= argv.length) {
      throw new Error('bad argument ' + k);
    }
    args[k.slice(2).replace(/-([a-z])/g, (_, c) => c.toUpperCase())] = argv[i + 1];
  }
  return args;
}

function print(obj) {
  process.stdout.write(JSON.stringify(obj) + '\n');
}

function toText(p) {
  if (typeof p === 'string') return p;
  if (p instanceof ArrayBuffer) return Buffer.from(new Uint8Array(p)).toString('utf8');
  if (ArrayBuffer.isView(p)) return Buffer.from(p.buffer, p.byteOffset, p.byteLength).toString('utf8');
  return JSON.stringify(p);
}

function main() {
  const args = parseArgs(process.argv.slice(2));
  const url = new URL(args.url);
  const keyStore = new saltyrtc.KeyStore(args.secretKey);
  const task = new RelayedDataTask(false);
  let builder = new saltyrtc.SaltyRTCBuilder()
    .connectTo(url.hostname, Number(url.port))
    .withKeyStore(keyStore)
    .withServerKey(args.serverKey)
    .withPingInterval(5)
    .usingTasks([task]);
  let client;
  if (args.role === 'initiator') {
    client = builder.asInitiator();
    print({ event: 'ready', publicKey: keyStore.publicKeyHex, authToken: client.authTokenHex });
  } else if (args.role === 'responder') {
    client = builder.initiatorInfo(args.initiatorKey, args.token).asResponder();
  } else {
    throw new Error('--role must be initiator or responder');
  }

  let finished = false;
  const finish = (ok, extra) => {
    if (finished) return;
    finished = true;
    print(Object.assign({ event: 'result', role: args.role, ok }, extra));
    setTimeout(() => {
      try { client.disconnect(); } catch (e) { /* already closed */ }
      setTimeout(() => process.exit(ok ? 0 : 1), 200);
    }, ok ? 300 : 0);
  };
  setTimeout(() => finish(false, { error: 'timeout' }), Number(args.timeout));
  client.on('connection-closed', (ev) => finish(false, { error: 'connection closed: ' + ev.data }));
  client.on('connection-error', () => finish(false, { error: 'connection error' }));
  client.on('state-change:task', () => {
    const t = client.getTask();
    t.on('data', (ev) => {
      const got = toText(ev.data);
      const ok = args.expect === '' || got === args.expect;
      finish(ok, { received: got, peerKey: client.peerPermanentKeyHex });
    });
    // An ArrayBuffer is encoded as msgpack bin (codec binarraybuffer).
    const b = Buffer.from(args.send, 'utf8');
    t.sendMessage(b.buffer.slice(b.byteOffset, b.byteOffset + b.length));
  });
  client.connect();
}

try {
  main();
} catch (e) {
  print({ event: 'result', ok: false, error: String(e && e.stack || e) });
  process.exit(1);
}

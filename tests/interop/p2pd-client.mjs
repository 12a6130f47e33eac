#!/usr/bin/env node
// Drives a libp2p daemon (satori-p2pd) with @libp2p/daemon-client, against
// a js-libp2p peer (js-peer.mjs, started here as a child process).
// usage: node p2pd-client.mjs CONTROL_MULTIADDR
// Prints one JSON line per step on stdout and {"result":"pass"} at the end;
// exits non-zero on the first failure.

// Node 20 polyfill, before any libp2p module is evaluated (see js-peer.mjs).
if (typeof Promise.withResolvers !== 'function') {
  Object.defineProperty(Promise, 'withResolvers', {
    configurable: true,
    writable: true,
    value: function withResolvers () {
      let resolve
      let reject
      const promise = new this((res, rej) => { resolve = res; reject = rej })
      return { promise, resolve, reject }
    }
  })
}

import { spawn } from 'node:child_process'
import readline from 'node:readline'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const { createClient } = await import('@libp2p/daemon-client')
const { multiaddr } = await import('@multiformats/multiaddr')
const { peerIdFromString } = await import('@libp2p/peer-id')

const ECHO = '/echo/1.0.0'
const here = path.dirname(fileURLToPath(import.meta.url))

function step (name, extra = {}) {
  process.stdout.write(JSON.stringify({ step: name, ok: true, ...extra }) + '\n')
}

function fail (err) {
  process.stdout.write(JSON.stringify({ result: 'fail', message: String(err?.stack ?? err) }) + '\n')
  process.exit(1)
}

setTimeout(() => fail(new Error('timed out')), 60000).unref()

// the js peer, driven by JSON lines
const js = spawn(process.execPath, [path.join(here, 'js-peer.mjs'), '--listen', '/ip4/127.0.0.1/tcp/0',
  '--max-lifetime', '90'], { stdio: ['pipe', 'pipe', 'inherit'] })
const events = readline.createInterface({ input: js.stdout })
const waiting = []
events.on('line', (line) => {
  const ev = JSON.parse(line)
  const i = waiting.findIndex(w => w.match(ev))
  if (i >= 0) waiting.splice(i, 1)[0].resolve(ev)
})
function waitFor (match) {
  const { promise, resolve } = Promise.withResolvers()
  waiting.push({ match, resolve })
  return promise
}
function jsCommand (cmd) {
  const reply = waitFor(ev => ev.id === cmd.id)
  js.stdin.write(JSON.stringify(cmd) + '\n')
  return reply
}

/** reads from a MultiaddrConnection until `bytes` bytes arrived */
function readBytes (conn, bytes) {
  const { promise, resolve, reject } = Promise.withResolvers()
  const chunks = []
  let got = 0
  conn.addEventListener('message', (evt) => {
    const data = evt.data.subarray()
    chunks.push(data)
    got += data.byteLength
    if (got >= bytes) resolve(Buffer.concat(chunks))
  })
  conn.addEventListener('close', () => reject(new Error(`closed after ${got} bytes`)))
  return promise
}

try {
  const listening = await waitFor(ev => ev.event === 'listening')
  const jsPeer = peerIdFromString(listening.peerId)
  const jsAddr = multiaddr(listening.addrs[0]).decapsulateCode(421)

  // js multiaddrs spell a unix path as one URI-encoded component
  const control = process.argv[2].startsWith('/unix/')
    ? multiaddr('/unix/' + encodeURIComponent(process.argv[2].slice('/unix'.length)))
    : multiaddr(process.argv[2])
  const client = createClient(control)

  const identity = await client.identify()
  if (identity.addrs.length === 0) throw new Error('IDENTIFY: no addresses')
  step('identify', { peerId: identity.peerId.toString(), addrs: identity.addrs.map(String) })

  await client.connect(jsPeer, [jsAddr])
  step('connect')

  const peers = await client.listPeers()
  if (!peers.some(p => p.equals(jsPeer))) throw new Error('LIST_PEERS: js peer missing')
  step('list-peers', { peers: peers.map(String) })

  // STREAM_OPEN: echo through the control connection
  const stream = await client.openStream(jsPeer, ECHO)
  const message = Buffer.from('hello through satori-p2pd')
  const echoed = readBytes(stream, message.byteLength)
  stream.send(message)
  const back = await echoed
  if (!back.equals(message)) throw new Error(`STREAM_OPEN: echoed ${back}`)
  await stream.close()
  step('stream-open', { bytes: back.byteLength })

  // STREAM_HANDLER: the js peer opens /echo/1.0.0 to the daemon, which passes
  // the stream to this client, which echoes
  const PROTO = ECHO
  const served = Promise.withResolvers()
  await client.registerStreamHandler(PROTO, async (conn) => {
    const done = Promise.withResolvers()
    let bytes = 0
    conn.addEventListener('message', (evt) => {
      bytes += evt.data.byteLength
      conn.send(evt.data)
    })
    conn.addEventListener('remoteCloseWrite', () => done.resolve())
    conn.addEventListener('close', () => done.resolve())
    await done.promise
    served.resolve(bytes)
  })
  step('stream-handler')
  const open = await jsCommand({ cmd: 'echo', id: 1, peer: identity.peerId.toString(), bytes: 4096 })
  if (open.ok !== true) throw new Error(`js echo through the handler failed: ${open.message}`)
  step('inbound-stream', { bytes: await served.promise })

  // an unsupported request: a clear error
  try {
    await client.dht.findPeer(jsPeer)
    throw new Error('DHT: no error')
  } catch (err) {
    if (!/not supported/.test(err.message)) throw err
    step('dht-unsupported', { message: err.message })
  }

  // DISCONNECT
  // (the js client has no method for it)
  const { Request, Response } = await import('@libp2p/daemon-protocol')
  const sh = await client.send({ type: Request.Type.DISCONNECT, disconnect: { peer: jsPeer.toMultihash().bytes } })
  const response = await sh.read(Response)
  if (response.type !== Response.Type.OK) throw new Error(`DISCONNECT: ${response.error?.msg}`)
  await sh.unwrap().close()
  let left = await client.listPeers()
  for (let i = 0; i < 50 && left.some(p => p.equals(jsPeer)); i++) {
    await new Promise(resolve => setTimeout(resolve, 100))
    left = await client.listPeers()
  }
  if (left.some(p => p.equals(jsPeer))) throw new Error('DISCONNECT: still connected')
  step('disconnect')

  process.stdout.write(JSON.stringify({ result: 'pass' }) + '\n')
  js.kill('SIGTERM')
  process.exit(0)
} catch (err) {
  js.kill('SIGTERM')
  fail(err)
}

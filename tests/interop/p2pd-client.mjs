#!/usr/bin/env node
// Drives a libp2p daemon (satori-p2pd) with @libp2p/daemon-client, against
// a js-libp2p peer (js-peer.mjs, started here as a child process).
// usage: node p2pd-client.mjs CONTROL_MULTIADDR
// Prints one JSON line per step on stdout and {"result":"pass"} at the end;
// exits non-zero on the first failure.

import { step, pass, fail, startJsPeer, controlAddress } from './p2pd-driver.mjs'

const { createClient } = await import('@libp2p/daemon-client')
const { multiaddr } = await import('@multiformats/multiaddr')
const { peerIdFromString } = await import('@libp2p/peer-id')

const ECHO = '/echo/1.0.0'

const { js, waitFor, jsCommand } = startJsPeer(['--listen', '/ip4/127.0.0.1/tcp/0'])

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

  const client = createClient(await controlAddress())

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

  // DHT requests without -dht: a clear error (p2pd-dht-client.mjs has them with)
  try {
    await client.dht.findPeer(jsPeer)
    throw new Error('DHT: no error')
  } catch (err) {
    if (!/-dht/.test(err.message)) throw err
    step('dht-disabled', { message: err.message })
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

  pass(js)
} catch (err) {
  fail(err, js)
}

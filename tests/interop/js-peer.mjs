#!/usr/bin/env node
// js-libp2p reference peer for satorip2p interop tests.
//
// TCP + Noise + Yamux, with identify, ping and a /echo/1.0.0 handler.
// Machine-readable JSON lines on stdout, one object per line; commands are
// read as JSON lines on stdin (and/or given with --ops).  Diagnostics go to
// stderr only.  See README.md in this directory for the full protocol.

// ---------------------------------------------------------------------------
// Node 20 polyfill: js-libp2p 3 targets Node >= 22 and calls
// Promise.withResolvers (added in Node 22).  This must run before any libp2p
// module is evaluated, which is why every import below is a dynamic import.
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
// ---------------------------------------------------------------------------

import fs from 'node:fs'
import readline from 'node:readline'
import { setMaxListeners } from 'node:events'
import { performance } from 'node:perf_hooks'
import { createHash } from 'node:crypto'

const { createLibp2p } = await import('libp2p')
const { tcp } = await import('@libp2p/tcp')
const { noise } = await import('@libp2p/noise')
const { yamux } = await import('@libp2p/yamux')
const { identify, identifyPush } = await import('@libp2p/identify')
const { ping } = await import('@libp2p/ping')
const { generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf, publicKeyToProtobuf } = await import('@libp2p/crypto/keys')
const { peerIdFromString, peerIdFromPrivateKey } = await import('@libp2p/peer-id')
const { multiaddr } = await import('@multiformats/multiaddr')

const ECHO_PROTOCOL = '/echo/1.0.0'
const VERSION = '1'

// ---------------------------------------------------------------- output ---

function emit (obj) {
  try {
    process.stdout.write(JSON.stringify(obj) + '\n')
  } catch {
    process.exit(3)
  }
}

function diag (...args) {
  process.stderr.write(`[js-peer ${process.pid}] ${args.join(' ')}\n`)
}

// Stdout going away (the test died) means we should go away too.
process.stdout.on('error', () => process.exit(3))

// Never die on a stray rejection/exception: report it and carry on.
process.on('unhandledRejection', (err) => {
  emit({ event: 'error', cmd: null, message: `unhandled rejection: ${errMsg(err)}` })
})
process.on('uncaughtException', (err) => {
  emit({ event: 'error', cmd: null, message: `uncaught exception: ${errMsg(err)}` })
})

function errMsg (err) {
  if (err == null) return String(err)
  const name = err.name != null && err.name !== 'Error' ? `${err.name}: ` : ''
  return `${name}${err.message ?? String(err)}`
}

// ----------------------------------------------------------------- args ---

function usage (code) {
  process.stderr.write(`usage: node js-peer.mjs [options]
  --listen MA          listen on MA (repeatable), e.g. /ip4/127.0.0.1/tcp/0
  --dial MA            dial MA (with /p2p/ID) after start (repeatable)
  --key HEX            libp2p PrivateKey protobuf (hex) for a fixed identity
  --gen-key [TYPE]     print {"event":"key",...} for a new key and exit
                       (TYPE: Ed25519 (default), secp256k1, ECDSA, RSA)
  --agent STR          identify agentVersion (default js-libp2p's)
  --ping-monitor MODE  lenient (default): ping every connection but never
                       close it on failure; strict: js default (close on
                       failure); off: no periodic pings
  --ping-interval MS   connection monitor interval (default 10000)
  --ping-service MODE  on (default): answer /ipfs/ping/1.0.0; off: do not
                       support it; blackhole: accept the protocol, read,
                       never answer (harness self-test of --ping-monitor)
  --ops JSON           command object or array of them, run before stdin
                       commands (repeatable)
  --timeout MS         default per-command timeout (default 30000)
  --stay               keep running after stdin reaches EOF
  --max-lifetime S     exit after S seconds no matter what (default 0 = never)
  --pubsub ROUTER      floodsub or gossipsub (see the pubsub block)
  --score-topic TOPIC  gossipsub: score TOPIC, invalid messages only
                       (P4 weight -1, the other topic weights 0)
  --dht                add @libp2p/kad-dht in server mode (dht-* commands)
  --mdns MS            add @libp2p/mdns discovery, querying every MS ms
                       (peer-discovered events)
  --autonat            add @libp2p/autonat (AutoNAT v1 client and server;
                       autonat-addresses command)
  --satori             serve /satori/1.0.0 (satori-* commands and events)
`)
  process.exit(code)
}

const opts = {
  listen: [],
  dial: [],
  key: null,
  genKey: null,
  agent: null,
  pingMonitor: 'lenient',
  pingInterval: 10000,
  pingService: 'on',
  ops: [],
  timeout: 30000,
  stay: false,
  maxLifetime: 0,
  pubsub: null,
  scoreTopic: null,
  dht: false,
  mdns: 0,
  autonat: false,
  satori: false
}

{
  const argv = process.argv.slice(2)
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    const val = () => {
      if (i + 1 >= argv.length) { diag(`missing value for ${a}`); usage(2) }
      return argv[++i]
    }
    switch (a) {
      case '--listen': opts.listen.push(val()); break
      case '--dial': opts.dial.push(val()); break
      case '--key': opts.key = val(); break
      case '--gen-key':
        opts.genKey = (argv[i + 1] != null && !argv[i + 1].startsWith('--')) ? argv[++i] : 'Ed25519'
        break
      case '--agent': opts.agent = val(); break
      case '--ping-monitor': opts.pingMonitor = val(); break
      case '--ping-interval': opts.pingInterval = Number(val()); break
      case '--ping-service': opts.pingService = val(); break
      case '--ops': {
        const v = JSON.parse(val())
        opts.ops.push(...(Array.isArray(v) ? v : [v]))
        break
      }
      case '--timeout': opts.timeout = Number(val()); break
      case '--stay': opts.stay = true; break
      case '--max-lifetime': opts.maxLifetime = Number(val()); break
      case '--pubsub': opts.pubsub = val(); break
      case '--score-topic': opts.scoreTopic = val(); break
      case '--dht': opts.dht = true; break
      case '--mdns': opts.mdns = Number(val()); break
      case '--autonat': opts.autonat = true; break
      case '--satori': opts.satori = true; break
      case '-h': case '--help': usage(0); break
      default: diag(`unknown argument ${a}`); usage(2)
    }
  }
  if (!['lenient', 'strict', 'off'].includes(opts.pingMonitor)) {
    diag(`bad --ping-monitor ${opts.pingMonitor}`)
    usage(2)
  }
  if (!['on', 'off', 'blackhole'].includes(opts.pingService)) {
    diag(`bad --ping-service ${opts.pingService}`)
    usage(2)
  }
}

const hex = (u8) => Buffer.from(u8.buffer, u8.byteOffset, u8.byteLength).toString('hex')
const fromHex = (s) => {
  if (!/^([0-9a-fA-F]{2})*$/.test(s)) throw new Error('bad hex')
  return new Uint8Array(Buffer.from(s, 'hex'))
}

if (opts.genKey != null) {
  const key = opts.genKey === 'RSA' ? await generateKeyPair('RSA', 2048) : await generateKeyPair(opts.genKey)
  emit({
    event: 'key',
    type: key.type,
    key: hex(privateKeyToProtobuf(key)),
    publicKey: hex(publicKeyToProtobuf(key.publicKey)),
    peerId: peerIdFromPrivateKey(key).toString()
  })
  process.exit(0)
}

if (opts.maxLifetime > 0) {
  setTimeout(() => {
    emit({ event: 'exit', reason: 'max-lifetime' })
    process.exit(4)
  }, opts.maxLifetime * 1000).unref()
}

// ----------------------------------------------------------------- node ---

function fatal (stage, err) {
  emit({ event: 'error', ok: false, cmd: stage, message: errMsg(err) })
  diag(`${stage} failed:`, err?.stack ?? errMsg(err))
  process.exit(2)
}

let privateKey
try {
  privateKey = opts.key != null ? privateKeyFromProtobuf(fromHex(opts.key)) : undefined
} catch (err) {
  fatal('key', err)
}

const node = await createLibp2p({
  privateKey,
  start: false,
  addresses: { listen: opts.listen },
  transports: [tcp()],
  connectionEncrypters: [noise()],
  streamMuxers: [yamux()],
  peerDiscovery: await mdnsDiscovery(),
  nodeInfo: opts.agent != null ? { userAgent: opts.agent } : undefined,
  connectionManager: {
    // generous limits: the peer under test must never be pruned or refused
    maxConnections: 10000,
    maxParallelDials: 100,
    maxIncomingPendingConnections: 1000,
    inboundConnectionThreshold: 10000,
    dialTimeout: 10000
  },
  connectionMonitor: {
    enabled: opts.pingMonitor !== 'off',
    pingInterval: opts.pingInterval,
    abortConnectionOnPingFailure: opts.pingMonitor === 'strict'
  },
  services: {
    identify: identify(),
    identifyPush: identifyPush(),
    ...(opts.pingService === 'on' ? { ping: ping({ maxInboundStreams: 64, maxOutboundStreams: 64 }) } : {}),
    ...(await pubsubServices()),
    ...(await dhtServices()),
    ...(await autonatServices())
  }
})

if (opts.pingService === 'blackhole') {
  await node.handle('/ipfs/ping/1.0.0', (stream) => {
    stream.addEventListener('message', () => {})
  }, { maxInboundStreams: 1024 })
}

node.addEventListener('connection:open', (evt) => {
  const c = evt.detail
  emit({
    event: 'connected',
    peer: c.remotePeer.toString(),
    remoteAddr: c.remoteAddr.toString(),
    direction: c.direction,
    connId: c.id,
    encryption: c.encryption,
    multiplexer: c.multiplexer
  })
})

node.addEventListener('connection:close', (evt) => {
  const c = evt.detail
  emit({
    event: 'disconnected',
    peer: c.remotePeer.toString(),
    remoteAddr: c.remoteAddr.toString(),
    connId: c.id
  })
})

function identifyEvent (r) {
  return {
    event: 'identify',
    peer: r.peerId.toString(),
    agentVersion: r.agentVersion ?? null,
    protocolVersion: r.protocolVersion ?? null,
    protocols: [...(r.protocols ?? [])].sort(),
    listenAddrs: (r.listenAddrs ?? []).map(a => a.toString()),
    observedAddr: r.observedAddr != null ? r.observedAddr.toString() : null,
    publicKey: r.publicKey != null ? hex(r.publicKey) : null,
    signedPeerRecord: r.signedPeerRecord != null
  }
}

node.addEventListener('peer:identify', (evt) => {
  emit(identifyEvent(evt.detail))
})

// ------------------------------------------------------------ streams ---

/**
 * Event-based reader (js-libp2p 3.3 can hang iterating a stream whose remote
 * closed before the iterator started).  Calls onData(Uint8Array) for every
 * chunk; resolves when the remote closed its write side and everything was
 * delivered; rejects on reset/abort or when signal fires.
 */
function readStream (stream, onData, signal) {
  return new Promise((resolve, reject) => {
    let settled = false
    const finish = (err) => {
      if (settled) return
      settled = true
      stream.removeEventListener('message', onMessage)
      stream.removeEventListener('end', onEnd)
      stream.removeEventListener('close', onClose)
      signal?.removeEventListener('abort', onAbort)
      if (err != null) reject(err)
      else resolve()
    }
    const onMessage = (evt) => {
      if (settled) return
      try {
        const d = evt.data
        if (d instanceof Uint8Array) onData(d)
        else for (const chunk of d) onData(chunk)
      } catch (err) {
        finish(err)
      }
    }
    // 'end' also fires on reset/abort (before 'close'), so check the status
    const onEnd = () => {
      if (stream.status === 'reset' || stream.status === 'aborted') finish(new Error(`stream ${stream.status}`))
      else finish()
    }
    const onClose = (evt) => {
      if (evt.error != null) finish(evt.error)
      else if (stream.readBufferLength === 0) finish()
      // else: buffered data still to be dispatched, 'end' follows it
    }
    const onAbort = () => finish(signal.reason ?? new Error('aborted'))

    stream.addEventListener('message', onMessage)
    stream.addEventListener('end', onEnd)
    stream.addEventListener('close', onClose)
    signal?.addEventListener('abort', onAbort)

    // the remote may have finished before we started listening
    if (signal?.aborted) onAbort()
    else if (stream.status === 'reset' || stream.status === 'aborted') finish(new Error(`stream ${stream.status}`))
    else if (stream.readableEnded) onEnd()
    else if (stream.status === 'closed' && stream.readBufferLength === 0) finish()
  })
}

/** send with backpressure */
async function sendAll (stream, data, chunkSize, signal, onChunk) {
  for (let off = 0; off < data.byteLength; off += chunkSize) {
    if (signal?.aborted) throw signal.reason ?? new Error('aborted')
    const chunk = data.subarray(off, Math.min(off + chunkSize, data.byteLength))
    if (!stream.send(chunk)) {
      await stream.onDrain({ signal })
    }
    if (onChunk != null) await onChunk(off + chunk.byteLength)
  }
}

// Echo handler: echo every byte back until the remote closes its write side,
// then close ours.  Reports {"event":"echo-served",...} when done.
await node.handle(ECHO_PROTOCOL, (stream, connection) => {
  const t0 = performance.now()
  let bytes = 0
  const hash = createHash('sha256')
  const peer = connection.remotePeer.toString()
  const onData = (buf) => {
    bytes += buf.byteLength
    hash.update(buf)
    const needsDrain = !stream.send(buf)
    if (needsDrain && stream.readStatus === 'readable') {
      stream.pause()
      stream.onDrain().then(() => {
        if (stream.readStatus === 'paused') stream.resume()
      }, () => {})
    }
  }
  readStream(stream, onData)
    .then(() => stream.close())
    .then(() => {
      emit({
        event: 'echo-served',
        ok: true,
        peer,
        bytes,
        sha256: hash.digest('hex'),
        ms: round(performance.now() - t0)
      })
    })
    .catch((err) => {
      emit({
        event: 'echo-served',
        ok: false,
        peer,
        bytes,
        reset: stream.status === 'reset',
        status: stream.status,
        message: errMsg(err),
        ms: round(performance.now() - t0)
      })
      stream.abort(err instanceof Error ? err : new Error(String(err)))
    })
}, {
  maxInboundStreams: 1024,
  maxOutboundStreams: 1024
})

// ---------------------------------------------------------------- utils ---

const round = (x, d = 3) => Math.round(x * 10 ** d) / 10 ** d

/** deterministic xorshift32 bytes */
function prng (n, seed) {
  const out = new Uint8Array(n)
  let x = (seed >>> 0) || 0x9e3779b9
  let i = 0
  for (; i + 4 <= n; i += 4) {
    x ^= x << 13; x >>>= 0
    x ^= x >>> 17
    x ^= x << 5; x >>>= 0
    out[i] = x; out[i + 1] = x >>> 8; out[i + 2] = x >>> 16; out[i + 3] = x >>> 24
  }
  for (; i < n; i++) {
    x ^= x << 13; x >>>= 0
    x ^= x >>> 17
    x ^= x << 5; x >>>= 0
    out[i] = x
  }
  return out
}

function peerIdOf (s) {
  if (s.startsWith('/')) {
    const ma = multiaddr(s)
    const id = ma.getComponents().filter(c => c.name === 'p2p').pop()?.value
    if (id == null) throw new Error(`multiaddr has no /p2p/ component: ${s}`)
    return peerIdFromString(id)
  }
  return peerIdFromString(s)
}

/** the peer a command is about: "peer" field (peer id or multiaddr), or the only connected peer */
function cmdPeer (cmd) {
  if (cmd.peer != null) return peerIdOf(String(cmd.peer))
  const peers = node.getPeers()
  if (peers.length === 1) return peers[0]
  throw new Error(`"peer" is required (${peers.length} peers connected)`)
}

/** dial target for a command: a multiaddr if "peer"/"addr" is one, else the peer id */
function cmdTarget (cmd) {
  const p = cmd.addr ?? cmd.peer
  if (p != null && String(p).startsWith('/')) return multiaddr(String(p))
  return cmdPeer(cmd)
}

function timeoutSignal (cmd) {
  const signal = AbortSignal.timeout(Number(cmd.timeout_ms ?? opts.timeout))
  setMaxListeners(Infinity, signal) // shared by many concurrent streams
  return signal
}

function connInfo (c) {
  return {
    peer: c.remotePeer.toString(),
    remoteAddr: c.remoteAddr.toString(),
    direction: c.direction,
    status: c.status,
    connId: c.id,
    encryption: c.encryption,
    multiplexer: c.multiplexer,
    rtt_ms: c.rtt ?? null, // set by the connection monitor's periodic pings
    streams: c.streams.map(s => s.protocol)
  }
}

// --------------------------------------------------------------- pubsub ---
// --pubsub floodsub|gossipsub adds node.services.pubsub (@libp2p/floodsub,
// @libp2p/gossipsub). Every message it delivers is printed as
// {"event":"pubsub-message","topic","data" (UTF-8),"from","seqno" (hex),
// "signed","received_from"}; subscription changes of peers as
// {"event":"pubsub-subscription","peer","topic","subscribe"}.

async function pubsubServices () {
  if (opts.pubsub == null) return {}
  if (opts.pubsub === 'floodsub') {
    const { floodsub } = await import('@libp2p/floodsub')
    // two streams each way a peer: the router's own and one a test crafts
    return { pubsub: floodsub({ maxInboundStreams: 2, maxOutboundStreams: 2 }) }
  }
  if (opts.pubsub === 'gossipsub') {
    const { gossipsub } = await import('@libp2p/gossipsub')
    return {
      pubsub: gossipsub({
        allowPublishToZeroTopicPeers: true,
        maxInboundStreams: 2,
        maxOutboundStreams: 2,
        scoreParams: gossipsubScoreParams()
      })
    }
  }
  fatal('pubsub', new Error(`unknown --pubsub ${opts.pubsub}`))
}

if (node.services.pubsub != null) {
  node.services.pubsub.addEventListener('message', (evt) => {
    const m = evt.detail.msg ?? evt.detail // gossipsub wraps it in { msg, propagationSource }
    emit({
      event: 'pubsub-message',
      topic: m.topic,
      data: Buffer.from(m.data).toString('utf8'),
      from: m.type === 'signed' ? m.from.toString() : null,
      seqno: m.type === 'signed' ? m.sequenceNumber.toString(16).padStart(16, '0') : null,
      signed: m.type === 'signed',
      received_from: evt.detail.propagationSource?.toString() ?? null
    })
  })
  node.services.pubsub.addEventListener('subscription-change', (evt) => {
    for (const s of evt.detail.subscriptions) {
      emit({ event: 'pubsub-subscription', peer: evt.detail.peerId.toString(), topic: s.topic, subscribe: s.subscribe })
    }
  })
}

/** bytes with their length as a varint first */
function lengthPrefixed (bytes) {
  const len = []
  for (let n = bytes.byteLength; ; n >>>= 7) {
    if (n < 0x80) { len.push(n); break }
    len.push((n & 0x7f) | 0x80)
  }
  return Buffer.concat([Buffer.from(len), Buffer.from(bytes)])
}

/** protobuf: a length-delimited field */
function pbField (tag, bytes) {
  return Buffer.concat([Buffer.from([(tag << 3) | 2]), lengthPrefixed(bytes)])
}

/** a pubsub Message signed by `key`, spoiled as `spoil` says */
async function craftMessage (key, topic, text, spoil) {
  const author = peerIdFromPrivateKey(key).toMultihash().bytes
  const seqno = prng(8, Date.now() & 0xffffffff)
  const fromBytes = spoil === 'wrong-from' ? node.peerId.toMultihash().bytes : author
  const unsigned = Buffer.concat([pbField(1, fromBytes), pbField(2, Buffer.from(text)),
    pbField(3, seqno), pbField(4, Buffer.from(topic))])
  const signature = await key.sign(Buffer.concat([Buffer.from('libp2p-pubsub:'), unsigned]))
  const data = spoil === 'bad-signature' ? Buffer.from(text.replace(/^./, c => c === 'x' ? 'y' : 'x')) : Buffer.from(text)
  return Buffer.concat([pbField(1, fromBytes), pbField(2, data), pbField(3, seqno),
    pbField(4, Buffer.from(topic)), pbField(5, signature)])
}

/** --score-topic: a score that only invalid messages on that topic move */
function gossipsubScoreParams () {
  if (opts.scoreTopic == null) return undefined
  return {
    topics: {
      [opts.scoreTopic]: {
        topicWeight: 1,
        timeInMeshWeight: 0,
        timeInMeshQuantum: 1000,
        timeInMeshCap: 1,
        firstMessageDeliveriesWeight: 0,
        firstMessageDeliveriesDecay: 0.5,
        firstMessageDeliveriesCap: 1,
        meshMessageDeliveriesWeight: 0,
        meshMessageDeliveriesDecay: 0.5,
        meshMessageDeliveriesCap: 1,
        meshMessageDeliveriesThreshold: 1,
        meshMessageDeliveriesWindow: 10,
        meshMessageDeliveriesActivation: 5000,
        meshFailurePenaltyWeight: 0,
        meshFailurePenaltyDecay: 0.5,
        invalidMessageDeliveriesWeight: -1,
        invalidMessageDeliveriesDecay: 0.9
      }
    }
  }
}

const pubsubCommands = {
  async subscribe (cmd) {
    node.services.pubsub.subscribe(String(cmd.topic))
    return { topic: cmd.topic }
  },

  async unsubscribe (cmd) {
    node.services.pubsub.unsubscribe(String(cmd.topic))
    return { topic: cmd.topic }
  },

  async publish (cmd) {
    const r = await node.services.pubsub.publish(String(cmd.topic), Buffer.from(String(cmd.data ?? '')))
    return { topic: cmd.topic, recipients: (r?.recipients ?? []).map(String) }
  },

  // gossipsub only: the peers of our mesh for `topic`
  async 'mesh-peers' (cmd) {
    return { topic: cmd.topic, peers: node.services.pubsub.getMeshPeers(String(cmd.topic)).map(String) }
  },

  // gossipsub only: our score of `peer`
  async score (cmd) {
    return { peer: String(cmd.peer), score: node.services.pubsub.getScore(String(cmd.peer)) }
  },

  async 'topic-peers' (cmd) {
    return { topic: cmd.topic, peers: node.services.pubsub.getSubscribers(String(cmd.topic)).map(String) }
  },

  // Opens a pubsub stream of our own to `peer` and sends one RPC whose
  // messages are `messages`: [{text, spoil: null|"bad-signature"|"wrong-from"}],
  // signed by a fresh Ed25519 author (not this node), in that order; keeps
  // the stream open `hold_ms` (default 2000) and closes it.
  async inject (cmd) {
    const target = cmdTarget(cmd)
    const key = await generateKeyPair('Ed25519')
    const messages = []
    for (const m of cmd.messages ?? []) messages.push(await craftMessage(key, String(cmd.topic), String(m.text), m.spoil ?? null))
    const rpc = Buffer.concat(messages.map(m => pbField(2, m)))
    const stream = await node.dialProtocol(target, String(cmd.protocol ?? '/floodsub/1.0.0'),
      { signal: timeoutSignal(cmd) })
    stream.send(lengthPrefixed(rpc))
    await new Promise(resolve => setTimeout(resolve, Number(cmd.hold_ms ?? 2000)))
    await stream.close().catch(() => {})
    return { peer: target.toString(), author: peerIdFromPrivateKey(key).toString(), messages: messages.length }
  }
}

// ------------------------------------------------------------- commands ---

/**
 * One echo exchange: resolves to {received, sent_sha256, received_sha256,
 * received_at_close} where received_at_close is how many bytes had come back
 * when we closed our write side (the last chunk cannot have: it was only
 * just queued, so the remote echoes on after our half-close).
 */
async function echoOne (target, data, chunkSize, signal) {
  const stream = await node.dialProtocol(target, ECHO_PROTOCOL, { signal })
  let received = 0
  let receivedAtClose = null
  const hash = createHash('sha256')
  const expected = Buffer.from(data.buffer, data.byteOffset, data.byteLength)
  const reading = readStream(stream, (buf) => {
    if (received + buf.byteLength > expected.byteLength) {
      throw new Error(`received more than sent (${received + buf.byteLength} > ${expected.byteLength})`)
    }
    const got = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength)
    if (!got.equals(expected.subarray(received, received + buf.byteLength))) {
      throw new Error(`echo mismatch in bytes ${received}..${received + buf.byteLength}`)
    }
    hash.update(buf)
    received += buf.byteLength
  }, signal)
  try {
    await Promise.all([
      (async () => {
        await sendAll(stream, data, chunkSize, signal)
        receivedAtClose = received
        await stream.close({ signal })
      })(),
      reading
    ])
  } catch (err) {
    stream.abort(err instanceof Error ? err : new Error(String(err)))
    throw err
  }
  if (received !== data.byteLength) {
    throw new Error(`short echo: ${received}/${data.byteLength} bytes`)
  }
  return {
    received,
    sent_sha256: createHash('sha256').update(data).digest('hex'),
    received_sha256: hash.digest('hex'),
    received_at_close: receivedAtClose
  }
}

const commands = {
  async dial (cmd) {
    const ma = multiaddr(String(cmd.addr ?? cmd.peer))
    const t0 = performance.now()
    const c = await node.dial(ma, { signal: timeoutSignal(cmd) })
    return { ...connInfo(c), ms: round(performance.now() - t0) }
  },

  async ping (cmd) {
    const target = cmdTarget(cmd)
    const count = Math.max(1, Number(cmd.count ?? 1))
    const rtts = []
    const elapsed = []
    for (let i = 0; i < count; i++) {
      const t0 = performance.now()
      if (node.services.ping == null) throw new Error('ping service disabled (--ping-service)')
      rtts.push(await node.services.ping.ping(target, { signal: timeoutSignal(cmd) }))
      elapsed.push(round(performance.now() - t0))
    }
    return {
      peer: target.toString(),
      rtt_ms: rtts[rtts.length - 1],
      rtts_ms: rtts,
      elapsed_ms: elapsed
    }
  },

  async echo (cmd) {
    const target = cmdTarget(cmd)
    const bytes = Number(cmd.bytes ?? 1024)
    const streams = Math.max(1, Number(cmd.streams ?? 1))
    const chunk = Math.max(1, Number(cmd.chunk ?? 65536))
    const seed = Number(cmd.seed ?? 1)
    const signal = timeoutSignal(cmd)
    const datas = Array.from({ length: streams }, (_, k) => prng(bytes, seed + k))
    const t0 = performance.now()
    const results = await Promise.allSettled(datas.map(d => echoOne(target, d, chunk, signal)))
    const ms = performance.now() - t0
    const failed = results.map((r, k) => [r, k]).filter(([r]) => r.status === 'rejected')
    if (failed.length > 0) {
      const [r, k] = failed[0]
      const e = new Error(`${failed.length}/${streams} echo streams failed; stream ${k}: ${errMsg(r.reason)}`)
      e.details = { bytes, streams, failed: failed.length }
      throw e
    }
    const total = bytes * streams
    const echoes = results.map(r => r.value)
    return {
      peer: target.toString(),
      bytes,
      streams,
      total_bytes: total,
      ms: round(ms),
      mib_per_s: round(total / (1 << 20) / (ms / 1000), 2),
      sent_sha256: echoes.map(e => e.sent_sha256),
      received_sha256: echoes.map(e => e.received_sha256),
      received_at_close: echoes.map(e => e.received_at_close)
    }
  },

  async 'reset-echo' (cmd) {
    // open /echo/1.0.0, send `bytes` bytes, (by default) wait until they have
    // all been echoed back, then reset the stream; then (by default) check the
    // connection still works with a small echo on a fresh stream.
    const target = cmdTarget(cmd)
    const bytes = Number(cmd.bytes ?? 65536)
    const wait = cmd.wait !== false
    const check = cmd.check !== false
    const signal = timeoutSignal(cmd)
    const stream = await node.dialProtocol(target, ECHO_PROTOCOL, { signal })
    let received = 0
    const gotAll = Promise.withResolvers()
    gotAll.promise.catch(() => {})
    if (bytes === 0) gotAll.resolve()
    const reading = readStream(stream, (buf) => {
      received += buf.byteLength
      if (received >= bytes) gotAll.resolve()
    }, signal)
    reading.catch((err) => gotAll.reject(err))
    await sendAll(stream, prng(bytes, Number(cmd.seed ?? 7)), 65536, signal)
    if (wait) await gotAll.promise
    stream.abort(new Error('reset-echo: deliberate reset'))
    const readErr = await reading.then(() => null, (err) => err)
    const out = {
      peer: target.toString(),
      sent: bytes,
      received,
      status: stream.status,
      readError: readErr != null ? errMsg(readErr) : null
    }
    if (check) {
      await echoOne(target, prng(1024, 99), 65536, signal)
      out.connection_ok = true
    }
    return out
  },

  async open (cmd) {
    // negotiate `protocol` on a new stream, then close it: tests
    // multistream-select success/failure
    const target = cmdTarget(cmd)
    const protocols = Array.isArray(cmd.protocol) ? cmd.protocol : [String(cmd.protocol)]
    const stream = await node.dialProtocol(target, protocols, { signal: timeoutSignal(cmd) })
    const protocol = stream.protocol
    await stream.close().catch(() => {})
    stream.abort(new Error('open: done'))
    return { peer: target.toString(), protocol }
  },

  async identify (cmd) {
    const peer = cmdPeer(cmd)
    const conns = node.getConnections(peer).filter(c => c.status === 'open')
    if (conns.length === 0) throw new Error(`not connected to ${peer}`)
    const r = await node.services.identify.identify(conns[0], { signal: timeoutSignal(cmd) })
    const ev = identifyEvent(r)
    delete ev.event
    return ev
  },

  async peers () {
    return { peers: node.getConnections().map(connInfo) }
  },

  async close (cmd) {
    const peer = cmdPeer(cmd)
    const conns = node.getConnections(peer)
    await node.hangUp(peer, { signal: timeoutSignal(cmd) })
    return { peer: peer.toString(), connections: conns.length }
  },

  // --- signed peer records (host area) ---
  async 'peer-store' (cmd) {
    // what js keeps about a peer: its addresses, each certified or not, and
    // the signed peer record it kept, opened and checked again here
    const peer = cmdPeer(cmd)
    const stored = await node.peerStore.get(peer)
    const out = {
      peer: peer.toString(),
      addresses: stored.addresses.map(a => ({ addr: a.multiaddr.toString(), certified: a.isCertified === true })),
      protocols: stored.protocols,
      record: null
    }
    if (stored.peerRecordEnvelope != null) {
      const { RecordEnvelope, PeerRecord } = await import('@libp2p/peer-record')
      const envelope = await RecordEnvelope.openAndCertify(stored.peerRecordEnvelope, PeerRecord.DOMAIN)
      const record = PeerRecord.createFromProtobuf(envelope.payload)
      out.record = {
        peer: record.peerId.toString(),
        seq: record.seqNumber.toString(),
        addrs: record.multiaddrs.map(a => a.toString())
      }
    }
    return out
  },
  // --- end of signed peer records ---

  async sleep (cmd) {
    await new Promise(resolve => setTimeout(resolve, Number(cmd.ms ?? 1000)))
    return {}
  },

  async exit (cmd) {
    exiting = true
    emit({ event: 'exit', ok: true, cmd: 'exit', ...(cmd.id != null ? { id: cmd.id } : {}) })
    await shutdown(Number(cmd.code ?? 0))
    return null
  }
}

// ---------------------------------------------------------------- perf ---
// /perf/1.0.0 (libp2p/specs perf/perf.md): the client sends the number of
// bytes it wants back as a big-endian u64, then its upload, and closes its
// write side; the server reads everything, then sends that many bytes and
// closes.  Payload bytes are zeros: perf measures throughput, not content.

const PERF_PROTOCOL = '/perf/1.0.0'
const PERF_CHUNK = new Uint8Array(65536)

/** send n zero bytes with backpressure */
async function sendZeros (stream, n, signal) {
  let left = BigInt(n)
  while (left > 0n) {
    const len = left < BigInt(PERF_CHUNK.byteLength) ? Number(left) : PERF_CHUNK.byteLength
    if (!stream.send(PERF_CHUNK.subarray(0, len))) await stream.onDrain({ signal })
    left -= BigInt(len)
  }
}

await node.handle(PERF_PROTOCOL, (stream, connection) => {
  const t0 = performance.now()
  const peer = connection.remotePeer.toString()
  const header = new Uint8Array(8)
  let received = 0
  const onData = (buf) => {
    if (received < 8) header.set(buf.subarray(0, 8 - received), received)
    received += buf.byteLength
  }
  let download = 0n
  readStream(stream, onData)
    .then(async () => {
      if (received < 8) throw new Error(`stream ended after ${received} of the 8 header bytes`)
      download = new DataView(header.buffer).getBigUint64(0)
      await sendZeros(stream, download)
      await stream.close()
      emit({
        event: 'perf-served',
        ok: true,
        peer,
        upload_bytes: received - 8,
        download_bytes: Number(download),
        ms: round(performance.now() - t0)
      })
    })
    .catch((err) => {
      emit({ event: 'perf-served', ok: false, peer, status: stream.status, message: errMsg(err) })
      stream.abort(err instanceof Error ? err : new Error(String(err)))
    })
}, {
  maxInboundStreams: 64,
  maxOutboundStreams: 64
})

/**
 * perf: one /perf/1.0.0 exchange as a client: `upload` bytes up, `download`
 * bytes down.  `seconds` runs from asking for the stream until the server
 * closed it (as tools/satori-perf measures); `gbit_per_s` counts both
 * directions' payload.
 */
commands.perf = async (cmd) => {
  const target = cmdTarget(cmd)
  const upload = Number(cmd.upload ?? 0)
  const download = Number(cmd.download ?? 0)
  const signal = timeoutSignal(cmd)
  const t0 = performance.now()
  const stream = await node.dialProtocol(target, PERF_PROTOCOL, { signal })
  let received = 0
  let firstByte = null
  const reading = readStream(stream, (buf) => {
    if (firstByte == null) firstByte = performance.now()
    received += buf.byteLength
  }, signal)
  try {
    const header = new Uint8Array(8)
    new DataView(header.buffer).setBigUint64(0, BigInt(download))
    stream.send(header)
    await sendZeros(stream, upload, signal)
    await stream.close({ signal })
    await reading
  } catch (err) {
    stream.abort(err instanceof Error ? err : new Error(String(err)))
    throw err
  }
  if (received !== download) throw new Error(`downloaded ${received} of ${download} bytes`)
  const seconds = (performance.now() - t0) / 1000
  return {
    peer: target.toString(),
    upload_bytes: upload,
    download_bytes: received,
    seconds: round(seconds, 6),
    gbit_per_s: round(8 * (upload + received) / seconds / 1e9, 4),
    time_to_first_byte_seconds: firstByte != null ? round((firstByte - t0) / 1000, 6) : 0
  }
}

// ----------------------------------------------------------------- mdns ---
// --mdns MS: @libp2p/mdns (it answers queries with our private addresses
// and queries every MS ms); every peer it finds is printed as
// {"event":"peer-discovered","peer","addrs"}.

async function mdnsDiscovery () {
  if (opts.mdns <= 0) return []
  const { mdns } = await import('@libp2p/mdns')
  return [mdns({ interval: opts.mdns })]
}

if (opts.mdns > 0) {
  node.addEventListener('peer:discovery', (evt) => {
    emit({
      event: 'peer-discovered',
      peer: evt.detail.id.toString(),
      addrs: evt.detail.multiaddrs.map(a => a.toString())
    })
  })
}

// ------------------------------------------------------------------ dht ---
// --dht adds node.services.dht (@libp2p/kad-dht, server mode, 127.0.0.1
// addresses kept) with a validator and selector for the "test" namespace
// (any value; the greatest value as bytes wins), as the C tests use.
// Keys and values of the dht-* commands are hex; provider keys are
// multihashes (hex), wrapped in a raw CIDv1 for js.

async function dhtServices () {
  if (!opts.dht) return {}
  const { kadDHT, passthroughMapper } = await import('@libp2p/kad-dht')
  return {
    dht: kadDHT({
      clientMode: false,
      peerInfoMapper: passthroughMapper,
      validators: { test: async () => {} },
      selectors: { test: (key, values) => greatestIndex(values) }
    })
  }
}

function greatestIndex (values) {
  let best = 0
  for (let i = 1; i < values.length; i++) {
    if (Buffer.compare(Buffer.from(values[i]), Buffer.from(values[best])) > 0) best = i
  }
  return best
}

async function cidOf (mhHex) {
  const { CID } = await import('multiformats/cid')
  const Digest = await import('multiformats/hashes/digest')
  return CID.createV1(0x55, Digest.decode(fromHex(mhHex)))
}

/** the events of a DHT query, `onEvent` seeing each; a QUERY_ERROR does not end it */
async function dhtQuery (events, onEvent) {
  for await (const evt of events) {
    if (onEvent(evt) === true) break
  }
}

const dhtCommands = {
  async 'dht-put' (cmd) {
    const stored = new Set()
    await dhtQuery(node.services.dht.put(fromHex(String(cmd.key)), fromHex(String(cmd.value)),
      { signal: timeoutSignal(cmd) }), (evt) => {
      if (evt.name === 'PEER_RESPONSE' && evt.messageName === 'PUT_VALUE') stored.add(evt.from.toString())
    })
    return { key: cmd.key, stored: [...stored].sort() }
  },

  async 'dht-get' (cmd) {
    let found = null
    await dhtQuery(node.services.dht.get(fromHex(String(cmd.key)), { signal: timeoutSignal(cmd) }),
      (evt) => {
        if (evt.name === 'VALUE' && found == null) found = { value: hex(evt.value), from: evt.from.toString() }
      })
    if (found == null) throw new Error('value not found')
    return { key: cmd.key, ...found }
  },

  async 'dht-provide' (cmd) {
    await dhtQuery(node.services.dht.provide(await cidOf(String(cmd.key)), { signal: timeoutSignal(cmd) }),
      () => {})
    return { key: cmd.key }
  },

  async 'dht-find-providers' (cmd) {
    const want = cmd.provider != null ? String(cmd.provider) : null
    const providers = new Set()
    await dhtQuery(node.services.dht.findProviders(await cidOf(String(cmd.key)), { signal: timeoutSignal(cmd) }),
      (evt) => {
        if (evt.name !== 'PROVIDER') return false
        for (const p of evt.providers) providers.add(p.id.toString())
        return want != null && providers.has(want)
      })
    return { key: cmd.key, providers: [...providers].sort() }
  },

  async 'dht-find-peer' (cmd) {
    const target = peerIdOf(String(cmd.peer))
    let found = null
    await dhtQuery(node.services.dht.findPeer(target, { signal: timeoutSignal(cmd) }), (evt) => {
      if (evt.name !== 'FINAL_PEER' || !evt.peer.id.equals(target)) return false
      found = { peer: evt.peer.id.toString(), addrs: evt.peer.multiaddrs.map(a => a.toString()), from: evt.from.toString() }
      return true
    })
    if (found == null) throw new Error('peer not found')
    return found
  },

  async 'dht-routing-table' (cmd) {
    return { size: node.services.dht.routingTable.size }
  }
}

// -------------------------------------------------------------- autonat ---
// --autonat adds node.services.autoNAT (@libp2p/autonat 3, AutoNAT v1): it
// serves /libp2p/autonat/1.0.0 and asks peers that serve it to verify our
// public addresses. autonat-addresses lists our addresses with what the
// address manager knows of them (verified: confirmed by a dial-back).

async function autonatServices () {
  if (!opts.autonat) return {}
  const { autoNAT } = await import('@libp2p/autonat')
  return { autoNAT: autoNAT() }
}

const autonatCommands = {
  async 'autonat-addresses' (cmd) {
    const addrs = node.components.addressManager.getAddressesWithMetadata().map(a => ({
      addr: a.multiaddr.toString(),
      verified: a.verified,
      type: a.type
    }))
    return { addrs }
  }
}

// ---------------------------------------------------------------- sink ---
// /satori-interop/sink/1.0.0, a test protocol: the handler sends "sink\n" and
// closes its write side at once, then reads until the remote closes its side
// (so the remote goes on writing on a stream we half-closed), and reports
// sink-served with the SHA-256 of what it read.

const SINK_PROTOCOL = '/satori-interop/sink/1.0.0'

await node.handle(SINK_PROTOCOL, (stream, connection) => {
  const peer = connection.remotePeer.toString()
  const hash = createHash('sha256')
  let bytes = 0
  const reading = readStream(stream, (buf) => {
    bytes += buf.byteLength
    hash.update(buf)
  })
  stream.send(new TextEncoder().encode('sink\n'))
  stream.close()
    .then(() => reading)
    .then(() => emit({ event: 'sink-served', ok: true, peer, bytes, sha256: hash.digest('hex') }))
    .catch((err) => {
      emit({ event: 'sink-served', ok: false, peer, bytes, status: stream.status, message: errMsg(err) })
      stream.abort(err instanceof Error ? err : new Error(String(err)))
    })
}, {
  maxInboundStreams: 64
})

// --------------------------------------------------------------- satori ---
// --satori: /satori/1.0.0 as the Satori nodes speak it (plugins/satori/
// README.md): one JSON text per stream, written whole, then the writer
// closes; nothing comes back on the same stream. A request carries
// "_request_id"; its answer goes back on a new stream as
// {"_response_to": id, "data": ...}. This handler answers every request
// with {"answered_by": "js", "request": <the request without _request_id>}
// and prints every inbound message that is not an answer as
// {"event":"satori-message","peer","message"}. The satori-request command
// asks a peer and waits for its answer.

const SATORI_PROTOCOL = '/satori/1.0.0'
const SATORI_MAX_MESSAGE = 1 << 20
const satoriPending = new Map() // request id -> { peer, resolve, reject }

/** one JSON message on a new stream to `peer`, then close */
async function satoriSend (peer, message, signal) {
  const stream = await node.dialProtocol(peer, SATORI_PROTOCOL, { signal })
  try {
    stream.send(new TextEncoder().encode(JSON.stringify(message)))
    await stream.close({ signal })
  } catch (err) {
    stream.abort(err instanceof Error ? err : new Error(String(err)))
    throw err
  }
}

function satoriTakeAnswer (peer, message) {
  const pending = satoriPending.get(message._response_to)
  if (pending == null || !pending.peer.equals(peer)) return false
  satoriPending.delete(message._response_to)
  if (message.error != null) pending.reject(new Error(`refused: ${message.error}`))
  else pending.resolve(message.data ?? null)
  return true
}

async function satoriHandle (stream, connection) {
  const peer = connection.remotePeer
  const chunks = []
  let size = 0
  await readStream(stream, (buf) => {
    size += buf.byteLength
    if (size > SATORI_MAX_MESSAGE) throw new Error(`message over ${SATORI_MAX_MESSAGE} bytes`)
    chunks.push(Buffer.from(buf))
  })
  const message = JSON.parse(Buffer.concat(chunks).toString('utf8'))
  const isObject = message != null && typeof message === 'object' && !Array.isArray(message)
  if (isObject && typeof message._response_to === 'string' && satoriTakeAnswer(peer, message)) return
  emit({ event: 'satori-message', peer: peer.toString(), message })
  if (isObject && typeof message._request_id === 'string') {
    const { _request_id: id, ...request } = message
    await satoriSend(peer, { _response_to: id, data: { answered_by: 'js', request } },
      AbortSignal.timeout(opts.timeout))
  }
}

if (opts.satori) {
  await node.handle(SATORI_PROTOCOL, (stream, connection) => {
    satoriHandle(stream, connection).catch((err) => {
      emit({ event: 'error', cmd: null, message: `satori: ${errMsg(err)}` })
      stream.abort(err instanceof Error ? err : new Error(String(err)))
    })
  }, { maxInboundStreams: 64, maxOutboundStreams: 64 })
}

const satoriCommands = {
  // {peer, message}: a request as the Satori nodes make one (an object
  // gets "_request_id", another value is sent as {"_request_id", "data"});
  // replies with the answer's data
  async 'satori-request' (cmd) {
    const target = cmdPeer(cmd)
    const id = crypto.randomUUID()
    const m = cmd.message
    const request = m != null && typeof m === 'object' && !Array.isArray(m)
      ? { ...m, _request_id: id }
      : { _request_id: id, data: m }
    const signal = timeoutSignal(cmd)
    const answer = new Promise((resolve, reject) => {
      satoriPending.set(id, { peer: target, resolve, reject })
      signal.addEventListener('abort', () => {
        satoriPending.delete(id)
        reject(new Error('no answer in time'))
      })
    })
    answer.catch(() => {})
    await satoriSend(target, request, signal)
    return { peer: target.toString(), request_id: id, response: await answer }
  }
}

Object.assign(commands, pubsubCommands, dhtCommands, autonatCommands, satoriCommands)

async function runCommand (cmd) {
  const name = cmd?.cmd
  const base = { cmd: name ?? null }
  if (cmd?.id != null) base.id = cmd.id
  try {
    const fn = typeof name === 'string' && Object.hasOwn(commands, name) ? commands[name] : null
    if (fn == null) throw new Error(`unknown command ${JSON.stringify(name)}`)
    const res = await fn(cmd)
    if (res != null) emit({ event: name, ok: true, ...base, ...res })
  } catch (err) {
    const about = {}
    if (cmd?.peer != null) about.peer = cmd.peer
    if (cmd?.addr != null) about.addr = cmd.addr
    emit({ event: 'error', ok: false, ...base, ...about, message: errMsg(err), ...(err?.details ?? {}) })
  }
}

// ----------------------------------------------------------- lifecycle ---

let exiting = false
let shuttingDown = null

async function shutdown (code) {
  if (shuttingDown != null) return shuttingDown
  shuttingDown = (async () => {
    const t = setTimeout(() => process.exit(code), 3000)
    t.unref()
    try { await node.stop() } catch (err) { diag('stop failed:', errMsg(err)) }
    process.exit(code)
  })()
  return shuttingDown
}

process.on('SIGTERM', () => { shutdown(0) })
process.on('SIGINT', () => { shutdown(0) })

try {
  await node.start()
} catch (err) {
  fatal('start', err)
}

emit({
  event: 'listening',
  peerId: node.peerId.toString(),
  addrs: node.getMultiaddrs().map(a => a.toString()),
  protocols: node.getProtocols().slice().sort(),
  version: VERSION,
  node: process.version
})

// command queue: sequential, unless a command has "async": true
let queue = Promise.resolve()
function submit (cmd) {
  if (exiting) return queue
  if (cmd?.async === true && cmd?.cmd !== 'exit') {
    runCommand(cmd)
    return queue
  }
  queue = queue.then(() => runCommand(cmd))
  return queue
}

for (const ma of opts.dial) submit({ cmd: 'dial', addr: ma })
for (const op of opts.ops) submit(op)

// stdin: one JSON command per line
let stdinIsPipe = false
try {
  const st = fs.fstatSync(0)
  stdinIsPipe = st.isFIFO() || st.isSocket()
} catch {}

const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity })
rl.on('line', (line) => {
  line = line.trim()
  if (line === '' || line.startsWith('#')) return
  let cmd
  try {
    cmd = JSON.parse(line)
  } catch (err) {
    emit({ event: 'error', ok: false, cmd: null, message: `bad JSON command: ${errMsg(err)}` })
    return
  }
  submit(cmd)
})
rl.on('close', () => {
  // the driving test closed our stdin (or died): finish queued work and exit,
  // unless stdin was never a pipe (e.g. /dev/null) or --stay was given
  if (opts.stay || !stdinIsPipe) return
  queue.then(() => {
    if (!exiting) {
      emit({ event: 'exit', reason: 'stdin-eof' })
      shutdown(0)
    }
  })
})

#!/usr/bin/env node
// Drives satori-p2pd's PUBSUB requests with @libp2p/daemon-client against a
// js-libp2p peer running @libp2p/floodsub (js-peer.mjs --pubsub floodsub).
// usage: node p2pd-pubsub-client.mjs CONTROL_MULTIADDR
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

const TOPIC = 'satori/p2pd'
const here = path.dirname(fileURLToPath(import.meta.url))

function step (name, extra = {}) {
  process.stdout.write(JSON.stringify({ step: name, ok: true, ...extra }) + '\n')
}

function fail (err) {
  process.stdout.write(JSON.stringify({ result: 'fail', message: String(err?.stack ?? err) }) + '\n')
  process.exit(1)
}

setTimeout(() => fail(new Error('timed out')), 60000).unref()

const js = spawn(process.execPath, [path.join(here, 'js-peer.mjs'), '--pubsub', 'floodsub',
  '--listen', '/ip4/127.0.0.1/tcp/0', '--max-lifetime', '90'], { stdio: ['pipe', 'pipe', 'inherit'] })
const events = readline.createInterface({ input: js.stdout })
const waiting = []
const seen = []
events.on('line', (line) => {
  const ev = JSON.parse(line)
  const i = waiting.findIndex(w => w.match(ev))
  if (i >= 0) waiting.splice(i, 1)[0].resolve(ev)
  else seen.push(ev)
})
function waitFor (match) {
  const j = seen.findIndex(match)
  if (j >= 0) return Promise.resolve(seen.splice(j, 1)[0])
  const { promise, resolve } = Promise.withResolvers()
  waiting.push({ match, resolve })
  return promise
}
function jsCommand (cmd) {
  const reply = waitFor(ev => ev.id === cmd.id)
  js.stdin.write(JSON.stringify(cmd) + '\n')
  return reply
}
async function until (what, check) {
  for (let i = 0; i < 100; i++) {
    if (await check()) return
    await new Promise(resolve => setTimeout(resolve, 100))
  }
  throw new Error(`${what}: not within 10 s`)
}

try {
  const listening = await waitFor(ev => ev.event === 'listening')
  const jsPeer = peerIdFromString(listening.peerId)
  const jsAddr = multiaddr(listening.addrs[0]).decapsulateCode(421)

  const control = process.argv[2].startsWith('/unix/')
    ? multiaddr('/unix/' + encodeURIComponent(process.argv[2].slice('/unix'.length)))
    : multiaddr(process.argv[2])
  const client = createClient(control)
  const identity = await client.identify()
  await client.connect(jsPeer, [jsAddr])
  step('connect')

  const subscription = await client.pubsub.subscribe(TOPIC)
  const messages = subscription.messages()
  const topics = await client.pubsub.getTopics()
  if (topics.length !== 1 || topics[0] !== TOPIC) throw new Error(`GET_TOPICS: ${topics}`)
  step('subscribe', { topics })

  const subscribed = await jsCommand({ cmd: 'subscribe', topic: TOPIC, id: 1 })
  if (subscribed.ok !== true) throw new Error(`js subscribe: ${subscribed.message}`)
  await until('LIST_PEERS', async () =>
    (await client.pubsub.getSubscribers(TOPIC)).some(p => p.equals(jsPeer)))
  step('list-peers')

  // js publishes: the daemon's subscription connection carries it
  await until('js sees the daemon on the topic', async () => {
    const r = await jsCommand({ cmd: 'topic-peers', topic: TOPIC, id: `tp${Date.now()}` })
    return r.peers.includes(identity.peerId.toString())
  })
  const published = await jsCommand({ cmd: 'publish', topic: TOPIC, data: 'from js', id: 2 })
  if (published.ok !== true) throw new Error(`js publish: ${published.message}`)
  const { value: message } = await messages.next()
  if (Buffer.from(message.data).toString() !== 'from js') throw new Error(`PSMessage data ${message.data}`)
  if (!Buffer.from(message.from).equals(Buffer.from(jsPeer.toMultihash().bytes))) throw new Error('PSMessage from')
  if (message.topicIDs[0] !== TOPIC || message.signature == null || message.seqno?.length !== 8) {
    throw new Error(`PSMessage fields: ${JSON.stringify(message)}`)
  }
  step('subscription-message')

  // the daemon publishes: js gets it, signed by the daemon
  await client.pubsub.publish(TOPIC, Buffer.from('from the daemon'))
  const got = await waitFor(ev => ev.event === 'pubsub-message')
  if (got.data !== 'from the daemon' || got.from !== identity.peerId.toString() || !got.signed) {
    throw new Error(`js got ${JSON.stringify(got)}`)
  }
  step('publish')

  // cancelling the only subscription leaves the topic
  await subscription.cancel()
  await until('unsubscribe', async () => (await client.pubsub.getTopics()).length === 0)
  step('cancel')

  process.stdout.write(JSON.stringify({ result: 'pass' }) + '\n')
  js.kill('SIGTERM')
  process.exit(0)
} catch (err) {
  js.kill('SIGTERM')
  fail(err)
}

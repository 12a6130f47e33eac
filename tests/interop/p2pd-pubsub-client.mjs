#!/usr/bin/env node
// Drives satori-p2pd's PUBSUB requests with @libp2p/daemon-client against a
// js-libp2p peer running @libp2p/floodsub (js-peer.mjs --pubsub floodsub).
// usage: node p2pd-pubsub-client.mjs CONTROL_MULTIADDR
// Prints one JSON line per step on stdout and {"result":"pass"} at the end;
// exits non-zero on the first failure.

import { step, pass, fail, until, startJsPeer, controlAddress } from './p2pd-driver.mjs'

const { createClient } = await import('@libp2p/daemon-client')
const { multiaddr } = await import('@multiformats/multiaddr')
const { peerIdFromString } = await import('@libp2p/peer-id')

const TOPIC = 'satori/p2pd'

const { js, waitFor, jsCommand } = startJsPeer(['--pubsub', 'floodsub', '--listen', '/ip4/127.0.0.1/tcp/0'])

try {
  const listening = await waitFor(ev => ev.event === 'listening')
  const jsPeer = peerIdFromString(listening.peerId)
  const jsAddr = multiaddr(listening.addrs[0]).decapsulateCode(421)

  const client = createClient(await controlAddress())
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

  pass(js)
} catch (err) {
  fail(err, js)
}

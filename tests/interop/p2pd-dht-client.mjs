#!/usr/bin/env node
// The DHT requests of two satori-p2pd daemons (A and B, started with -dht)
// through @libp2p/daemon-client, in a network with a js-libp2p
// @libp2p/kad-dht peer (js-peer.mjs --dht) between them: A - js - B, A and
// B not connected to each other. Values are /pk/ records of fresh RSA keys
// (too long to be inlined in a peer id); providers are raw CIDs.
// usage: node p2pd-dht-client.mjs CONTROL_A CONTROL_B
// Prints one JSON line per step on stdout and {"result":"pass"} at the end;
// exits non-zero on the first failure.

import { step, pass, fail, until, startJsPeer, controlAddress } from './p2pd-driver.mjs'

const { createClient } = await import('@libp2p/daemon-client')
const { Request, Response, DHTRequest, DHTResponse } = await import('@libp2p/daemon-protocol')
const { multiaddr } = await import('@multiformats/multiaddr')
const { peerIdFromString, peerIdFromPrivateKey } = await import('@libp2p/peer-id')
const { generateKeyPair, publicKeyToProtobuf } = await import('@libp2p/crypto/keys')
const { CID } = await import('multiformats/cid')
const { sha256 } = await import('multiformats/hashes/sha2')
const { randomBytes } = await import('node:crypto')

const { js, waitFor, jsCommand } = startJsPeer(['--listen', '/ip4/127.0.0.1/tcp/0', '--dht'])

let nextId = 1
async function jsOk (cmd) {
  const reply = await jsCommand({ id: nextId++, ...cmd })
  if (reply.ok !== true) throw new Error(`js ${cmd.cmd}: ${reply.message}`)
  return reply
}

const hex = (bytes) => Buffer.from(bytes).toString('hex')
const same = (a, b) => Buffer.from(a).equals(Buffer.from(b))

/** a /pk/ record: key, value, and the peer id it belongs to */
async function pkRecord () {
  const key = await generateKeyPair('RSA', 2048)
  const peer = peerIdFromPrivateKey(key)
  const recordKey = new Uint8Array([...Buffer.from('/pk/'), ...peer.toMultihash().bytes])
  return { peer, key: recordKey, value: publicKeyToProtobuf(key.publicKey) }
}

async function randomCid () {
  return CID.createV1(0x55, await sha256.digest(randomBytes(32)))
}

/** ms since t0, to a tenth */
const ms = (t0) => Math.round((performance.now() - t0) * 10) / 10

/** how long each daemon request took, ms */
const timings = {}
async function timed (name, promise) {
  const t0 = performance.now()
  try {
    return await promise
  } finally {
    timings[name] = ms(t0)
  }
}

/** SEARCH_VALUE, which the daemon client has no call for: the values
 * streamed, each with when it came (ms after the request), and when END came */
async function searchValue (client, key) {
  const t0 = performance.now()
  const sh = await client.send({ type: Request.Type.DHT, dht: { type: DHTRequest.Type.SEARCH_VALUE, key } })
  const begin = await sh.read(Response)
  if (begin.type !== Response.Type.OK) {
    await sh.unwrap().close()
    throw new Error(`SEARCH_VALUE: ${begin.error?.msg}`)
  }
  const values = []
  for (;;) {
    const item = await sh.read(DHTResponse)
    if (item.type === DHTResponse.Type.END) {
      const end = ms(t0)
      await sh.unwrap().close()
      return { values, end }
    }
    if (item.type !== DHTResponse.Type.VALUE || item.value == null) throw new Error('SEARCH_VALUE: not a value')
    values.push({ value: item.value, at: ms(t0) })
  }
}

async function all (iterable) {
  const out = []
  for await (const item of iterable) out.push(item)
  return out
}

try {
  const listening = await waitFor(ev => ev.event === 'listening')
  const jsPeer = peerIdFromString(listening.peerId)
  const jsAddr = multiaddr(listening.addrs[0]).decapsulateCode(421)

  const a = createClient(await controlAddress(2))
  const b = createClient(await controlAddress(3))
  const idA = await a.identify()
  const idB = await b.identify()
  await a.connect(jsPeer, [jsAddr])
  await b.connect(jsPeer, [jsAddr])
  // js pings a peer before it takes it into its routing table
  await until('js routing table', async () => (await jsOk({ cmd: 'dht-routing-table' })).size >= 2)
  step('network', { a: idA.peerId.toString(), b: idB.peerId.toString(), js: jsPeer.toString() })

  // FIND_PEER: A is not connected to B, js is
  const foundB = await timed('FIND_PEER', a.dht.findPeer(idB.peerId))
  if (!foundB.id.equals(idB.peerId)) throw new Error('FIND_PEER: another peer')
  const portB = idB.addrs[0].toString()
  if (!foundB.multiaddrs.some(ma => ma.toString() === portB)) {
    throw new Error(`FIND_PEER: ${portB} missing from ${foundB.multiaddrs.map(String)}`)
  }
  step('find-peer a->b', { addrs: foundB.multiaddrs.map(String) })
  const foundA = await jsOk({ cmd: 'dht-find-peer', peer: idA.peerId.toString() })
  step('find-peer js->a', { addrs: foundA.addrs })

  // GET_CLOSEST_PEERS
  const closest = (await timed('GET_CLOSEST_PEERS', all(a.dht.getClosestPeers(randomBytes(16))))).map(p => p.id.toString())
  for (const wanted of [jsPeer.toString(), idB.peerId.toString()]) {
    if (!closest.includes(wanted)) throw new Error(`GET_CLOSEST_PEERS: ${wanted} missing from ${closest}`)
  }
  step('closest-peers', { peers: closest })

  // PUT_VALUE on A; GET_VALUE on B and on js
  const first = await pkRecord()
  await timed('PUT_VALUE', a.dht.put(first.key, first.value))
  if (!same(await timed('GET_VALUE', b.dht.get(first.key)), first.value)) throw new Error('GET_VALUE on B: another value')
  const atJs = await jsOk({ cmd: 'dht-get', key: hex(first.key) })
  if (atJs.value !== hex(first.value)) throw new Error('js dht-get: another value')
  step('put a, get b and js')

  // js puts; both daemons get it
  const second = await pkRecord()
  await jsOk({ cmd: 'dht-put', key: hex(second.key), value: hex(second.value) })
  for (const [name, client] of [['a', a], ['b', b]]) {
    if (!same(await client.dht.get(second.key), second.value)) throw new Error(`GET_VALUE on ${name}: another value`)
  }
  step('put js, get a and b')

  // SEARCH_VALUE streams the first value and each better one before END; a
  // /pk/ record has one valid value, so once, however many peers hold it.
  // On A, whose own record it is, it comes from the store before the lookup.
  for (const [name, client] of [['a', a], ['b', b]]) {
    const search = await searchValue(client, first.key)
    if (search.values.length !== 1) throw new Error(`SEARCH_VALUE on ${name}: ${search.values.length} values`)
    if (!same(search.values[0].value, first.value)) throw new Error(`SEARCH_VALUE on ${name}: another value`)
    if (name === 'a' && !(search.values[0].at < search.end)) throw new Error('SEARCH_VALUE on a: the value came with END')
    timings[`SEARCH_VALUE ${name} first value`] = search.values[0].at
    timings[`SEARCH_VALUE ${name} END`] = search.end
  }
  step('search-value a and b')

  // GET_PUBLIC_KEY of a peer that only exists as a /pk/ record
  const publicKey = await timed('GET_PUBLIC_KEY', b.dht.getPublicKey(first.peer))
  if (!same(publicKey, first.value)) throw new Error('GET_PUBLIC_KEY: another key')
  step('public-key', { peer: first.peer.toString() })

  // GET_VALUE of nothing: an error
  const nothing = await pkRecord()
  try {
    await timed('GET_VALUE missing', b.dht.get(nothing.key))
    throw new Error('GET_VALUE of a missing record: no error')
  } catch (err) {
    if (!/found no/.test(err.message)) throw err
  }
  step('get-missing')

  // PROVIDE on A; FIND_PROVIDERS on B and on js
  const cid = await randomCid()
  await timed('PROVIDE', a.dht.provide(cid))
  const providers = await timed('FIND_PROVIDERS', all(b.dht.findProviders(cid, 20)))
  if (!providers.some(p => p.id.equals(idA.peerId))) throw new Error(`FIND_PROVIDERS on B: A missing from ${providers.map(p => p.id)}`)
  const jsProviders = await jsOk({ cmd: 'dht-find-providers', key: hex(cid.multihash.bytes), provider: idA.peerId.toString() })
  if (!jsProviders.providers.includes(idA.peerId.toString())) throw new Error('js dht-find-providers: A missing')
  step('provide a, find b and js', { providers: providers.map(p => p.id.toString()) })

  // js provides; both daemons find it
  const cid2 = await randomCid()
  await jsOk({ cmd: 'dht-provide', key: hex(cid2.multihash.bytes) })
  for (const [name, client] of [['a', a], ['b', b]]) {
    const found = await all(client.dht.findProviders(cid2))
    if (!found.some(p => p.id.equals(jsPeer))) throw new Error(`FIND_PROVIDERS on ${name}: js missing`)
  }
  step('provide js, find a and b')
  step('timings', { ms: timings })

  pass(js)
} catch (err) {
  fail(err, js)
}

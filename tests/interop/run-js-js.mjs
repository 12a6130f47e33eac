#!/usr/bin/env node
// Self-test of the interop harness: two js peers (js-peer.mjs) on 127.0.0.1,
// one listening, one dialing, driven over the JSON-lines protocol exactly as
// the C tests will drive a js peer.  Exit status 0 = pass.
//
//   node run-js-js.mjs [--verbose]

import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import path from 'node:path'
import readline from 'node:readline'

const here = path.dirname(fileURLToPath(import.meta.url))
const PEER = path.join(here, 'js-peer.mjs')
const verbose = process.argv.includes('--verbose')
const MiB = 1 << 20

class Peer {
  constructor (name, args) {
    this.name = name
    this.events = []
    this.waiters = []
    this.nextId = 1
    this.proc = spawn(process.execPath, [PEER, '--max-lifetime', '120', ...args], {
      stdio: ['pipe', 'pipe', 'pipe']
    })
    this.exited = new Promise(resolve => this.proc.on('exit', (code, sig) => resolve({ code, sig })))
    this.stderr = ''
    this.proc.stderr.on('data', d => { this.stderr += d })
    readline.createInterface({ input: this.proc.stdout }).on('line', line => {
      let ev
      try { ev = JSON.parse(line) } catch { throw new Error(`${name}: non-JSON stdout line: ${line}`) }
      if (verbose) console.error(`${name} <- ${line}`)
      this.events.push(ev)
      for (const w of [...this.waiters]) w()
    })
  }

  /** wait for an event (searching from index `from`) matching pred */
  waitFor (pred, { from = 0, timeout = 20000, what = 'event' } = {}) {
    return new Promise((resolve, reject) => {
      const check = () => {
        for (let i = from; i < this.events.length; i++) {
          if (pred(this.events[i])) {
            cleanup()
            resolve(this.events[i])
            return true
          }
        }
        return false
      }
      const t = setTimeout(() => {
        cleanup()
        reject(new Error(`${this.name}: timed out waiting for ${what}; stderr:\n${this.stderr.slice(-2000)}`))
      }, timeout)
      const cleanup = () => {
        clearTimeout(t)
        this.waiters = this.waiters.filter(w => w !== check)
      }
      if (!check()) this.waiters.push(check)
    })
  }

  /** send a command and wait for its terminal event (result or error) */
  async cmd (obj, { timeout = 30000, expectError = false } = {}) {
    const id = `${this.name}-${this.nextId++}`
    const line = JSON.stringify({ ...obj, id })
    if (verbose) console.error(`${this.name} -> ${line}`)
    this.proc.stdin.write(line + '\n')
    const ev = await this.waitFor(e => e.id === id, { timeout, what: `reply to ${line}` })
    if (expectError) {
      if (ev.event !== 'error') throw new Error(`${this.name}: expected error for ${line}, got ${JSON.stringify(ev)}`)
    } else if (ev.event !== obj.cmd || ev.ok !== true) {
      throw new Error(`${this.name}: ${line} failed: ${JSON.stringify(ev)}`)
    }
    return ev
  }

  count (pred, from = 0) {
    return this.events.slice(from).filter(pred).length
  }

  kill () {
    try { this.proc.kill('SIGKILL') } catch {}
  }
}

function assert (cond, msg) {
  if (!cond) throw new Error(`assertion failed: ${msg}`)
}

async function genKey () {
  const p = spawn(process.execPath, [PEER, '--gen-key'], { stdio: ['ignore', 'pipe', 'inherit'] })
  let out = ''
  p.stdout.on('data', d => { out += d })
  await new Promise(resolve => p.on('exit', resolve))
  return JSON.parse(out)
}

const peers = []
const results = {}
const t0 = Date.now()

async function main () {
  // fixed identity for the listener, as a C test would use
  const key = await genKey()
  assert(key.event === 'key' && key.peerId.startsWith('12D3KooW'), 'gen-key')

  const A = new Peer('A', ['--listen', '/ip4/127.0.0.1/tcp/0', '--key', key.key])
  peers.push(A)
  const la = await A.waitFor(e => e.event === 'listening', { what: 'A listening' })
  assert(la.peerId === key.peerId, `--key gives the fixed peer id (${la.peerId} vs ${key.peerId})`)
  assert(la.addrs.length > 0 && la.addrs[0].startsWith('/ip4/127.0.0.1/tcp/'), 'A has a 127.0.0.1 addr')
  assert(la.protocols.includes('/echo/1.0.0') && la.protocols.includes('/ipfs/ping/1.0.0'), 'A protocols')
  const addrA = la.addrs[0]

  const B = new Peer('B', ['--dial', addrA])
  peers.push(B)
  const lb = await B.waitFor(e => e.event === 'listening', { what: 'B listening' })
  const idA = la.peerId
  const idB = lb.peerId

  // connection and identify in both directions
  const dialed = await B.waitFor(e => e.event === 'dial', { what: 'B dial result' })
  assert(dialed.ok && dialed.peer === idA, 'B dialed A')
  results.dial_ms = dialed.ms
  const cb = await B.waitFor(e => e.event === 'connected' && e.peer === idA, { what: 'B connected' })
  const ca = await A.waitFor(e => e.event === 'connected' && e.peer === idB, { what: 'A connected' })
  assert(cb.direction === 'outbound' && ca.direction === 'inbound', 'directions')
  assert(cb.encryption === '/noise' && cb.multiplexer === '/yamux/1.0.0', `B: noise+yamux (${cb.encryption} ${cb.multiplexer})`)
  const ib = await B.waitFor(e => e.event === 'identify' && e.peer === idA, { what: 'B identify A' })
  const ia = await A.waitFor(e => e.event === 'identify' && e.peer === idB, { what: 'A identify B' })
  assert(ib.protocols.includes('/echo/1.0.0') && ib.protocols.includes('/ipfs/ping/1.0.0'), 'identify protocols')
  assert(ib.listenAddrs.some(a => addrA.startsWith(a)), `identify listenAddrs ${ib.listenAddrs}`)
  assert(typeof ib.agentVersion === 'string' && ib.agentVersion.length > 0, 'agentVersion')
  assert(ib.observedAddr != null && ib.observedAddr.startsWith('/ip4/127.0.0.1/tcp/'), `observedAddr ${ib.observedAddr}`)
  assert(ia.observedAddr != null, 'A got an observedAddr')
  const idc = await B.cmd({ cmd: 'identify', peer: idA })
  assert(idc.peer === idA && idc.publicKey === key.publicKey, 'identify command + publicKey')

  // ping both ways
  const pb = await B.cmd({ cmd: 'ping', peer: idA, count: 5 })
  const pa = await A.cmd({ cmd: 'ping', peer: idB, count: 5 })
  results.ping_rtt_ms_B_to_A = pb.rtts_ms
  results.ping_elapsed_ms_B_to_A = pb.elapsed_ms
  results.ping_rtt_ms_A_to_B = pa.rtts_ms

  // echo 1 MiB x 10 streams, both directions
  let mark = A.events.length
  const eb = await B.cmd({ cmd: 'echo', peer: idA, bytes: MiB, streams: 10 })
  assert(eb.total_bytes === 10 * MiB, 'echo total')
  await A.waitFor(() => A.count(e => e.event === 'echo-served' && e.ok && e.bytes === MiB, mark) === 10,
    { from: mark, what: '10 echo-served on A' })
  results.echo_B_to_A = { ms: eb.ms, mib_per_s: eb.mib_per_s }
  mark = B.events.length
  const ea = await A.cmd({ cmd: 'echo', peer: idB, bytes: MiB, streams: 10 })
  await B.waitFor(() => B.count(e => e.event === 'echo-served' && e.ok && e.bytes === MiB, mark) === 10,
    { from: mark, what: '10 echo-served on B' })
  results.echo_A_to_B = { ms: ea.ms, mib_per_s: ea.mib_per_s }
  // edge cases: zero bytes, 1 byte, odd chunking
  await B.cmd({ cmd: 'echo', peer: idA, bytes: 0, streams: 3 })
  await B.cmd({ cmd: 'echo', peer: idA, bytes: 1, streams: 1 })
  await B.cmd({ cmd: 'echo', peer: addrA, bytes: 100003, streams: 2, chunk: 777 })

  // reset mid-transfer: B resets, A sees the reset, connection survives
  mark = A.events.length
  const rb = await B.cmd({ cmd: 'reset-echo', peer: idA, bytes: 256 * 1024 })
  assert(rb.connection_ok === true && rb.received === 256 * 1024, 'reset-echo')
  const served = await A.waitFor(e => e.event === 'echo-served' && e.ok === false, { from: mark, what: 'A sees reset' })
  assert(served.reset === true, `A saw a reset (${JSON.stringify(served)})`)
  await B.cmd({ cmd: 'reset-echo', peer: idA, bytes: 4 * MiB, wait: false })

  // errors are reported, never fatal
  const e1 = await B.cmd({ cmd: 'open', peer: idA, protocol: '/no/such/1.0.0' }, { expectError: true })
  assert(/protocol/i.test(e1.message), `unsupported protocol message: ${e1.message}`)
  const e2 = await B.cmd({ cmd: 'frobnicate' }, { expectError: true })
  assert(/unknown command/.test(e2.message), 'unknown command')
  B.proc.stdin.write('this is not json\n')
  await B.waitFor(e => e.event === 'error' && /bad JSON/.test(e.message), { what: 'bad JSON error' })
  await B.cmd({ cmd: 'ping', peer: '12D3KooWGes9koEQDzefLX1JRQEdyV2xdpBuZBiPH1EAhk4baVZK', timeout_ms: 3000 }, { expectError: true })
  const op = await B.cmd({ cmd: 'open', peer: idA, protocol: '/echo/1.0.0' })
  assert(op.protocol === '/echo/1.0.0', 'open echo')

  // still alive and connected
  const peersB = await B.cmd({ cmd: 'peers' })
  assert(peersB.peers.length === 1 && peersB.peers[0].peer === idA, 'B has one connection')
  const errorsA = A.events.filter(e => e.event === 'error')
  assert(errorsA.length === 0, `no errors on A: ${JSON.stringify(errorsA)}`)
  const strayB = B.events.filter(e => e.event === 'error' && e.id == null && !/bad JSON/.test(e.message))
  assert(strayB.length === 0, `no stray errors on B: ${JSON.stringify(strayB)}`)

  // close: both sides see the disconnect
  const markA = A.events.length
  const markB = B.events.length
  await B.cmd({ cmd: 'close', peer: idA })
  await B.waitFor(e => e.event === 'disconnected' && e.peer === idA, { from: markB, what: 'B disconnected' })
  await A.waitFor(e => e.event === 'disconnected' && e.peer === idB, { from: markA, what: 'A disconnected' })
  const peersA = await A.cmd({ cmd: 'peers' })
  assert(peersA.peers.length === 0, 'A has no connections after close')

  // and the reverse direction dial works too (A dials B by... B is not listening;
  // redial B -> A by multiaddr instead)
  await B.cmd({ cmd: 'dial', addr: addrA })
  await B.cmd({ cmd: 'ping', peer: idA })

  // exit: stdin command, and stdin EOF
  await B.cmd({ cmd: 'exit' })
  A.proc.stdin.end()
  const xa = await A.exited
  const xb = await B.exited
  assert(xa.code === 0 && xb.code === 0, `exit codes ${JSON.stringify(xa)} ${JSON.stringify(xb)}`)
  assert(A.events.some(e => e.event === 'exit' && e.reason === 'stdin-eof'), 'A exits on stdin EOF')

  // connection monitor: a peer whose pings never get answered (blackhole) is
  // kept by the default (lenient) js peer and dropped by a --ping-monitor
  // strict one.  Min ping timeout in js-libp2p is 5 s.
  const tMon = Date.now()
  const H = new Peer('H', ['--listen', '/ip4/127.0.0.1/tcp/0', '--ping-service', 'blackhole', '--ping-monitor', 'off'])
  peers.push(H)
  const lh = await H.waitFor(e => e.event === 'listening', { what: 'H listening' })
  const L = new Peer('L', ['--dial', lh.addrs[0], '--ping-interval', '1000'])
  const S = new Peer('S', ['--dial', lh.addrs[0], '--ping-interval', '1000', '--ping-monitor', 'strict'])
  peers.push(L, S)
  await L.waitFor(e => e.event === 'dial' && e.ok, { what: 'L dialed H' })
  await S.waitFor(e => e.event === 'dial' && e.ok, { what: 'S dialed H' })
  await S.waitFor(e => e.event === 'disconnected', { timeout: 15000, what: 'strict monitor drops H' })
  await new Promise(resolve => setTimeout(resolve, 1500))
  const peersL = await L.cmd({ cmd: 'peers' })
  assert(peersL.peers.length === 1 && !L.events.some(e => e.event === 'disconnected'), 'lenient monitor keeps H')
  results.monitor = { strict_dropped_within_ms: Date.now() - tMon, lenient_kept: true }
  for (const p of [H, L, S]) p.proc.stdin.end()
  for (const p of [H, L, S]) {
    const x = await p.exited
    assert(x.code === 0, `${p.name} exit code ${JSON.stringify(x)}`)
  }
}

try {
  await main()
  results.total_ms = Date.now() - t0
  console.log(JSON.stringify({ result: 'pass', ...results }))
  process.exit(0)
} catch (err) {
  console.log(JSON.stringify({ result: 'fail', message: err.message }))
  for (const p of peers) {
    console.error(`--- ${p.name} events:`)
    for (const e of p.events.slice(-30)) console.error(JSON.stringify(e))
    console.error(`--- ${p.name} stderr (tail):\n${p.stderr.slice(-3000)}`)
    p.kill()
  }
  process.exit(1)
}

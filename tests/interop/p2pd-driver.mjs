// What the p2pd client scripts share: the Node 20 polyfill (imported
// first, so it is in place before any libp2p module is evaluated), step and
// failure lines on stdout, a js-peer.mjs child driven by JSON lines, and
// the control multiaddr of the command line.

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

const here = path.dirname(fileURLToPath(import.meta.url))

export function step (name, extra = {}) {
  process.stdout.write(JSON.stringify({ step: name, ok: true, ...extra }) + '\n')
}

/** ends the script with a failure, stopping the js peer `js` if given */
export function fail (err, js) {
  js?.kill('SIGTERM')
  process.stdout.write(JSON.stringify({ result: 'fail', message: String(err?.stack ?? err) }) + '\n')
  process.exit(1)
}

/** waits until `check()` resolves true, polling every 100 ms for 10 s */
export async function until (what, check) {
  for (let i = 0; i < 100; i++) {
    if (await check()) return
    await new Promise(resolve => setTimeout(resolve, 100))
  }
  throw new Error(`${what}: not within 10 s`)
}

/** ends the script with a pass, stopping the js peer `js` */
export function pass (js) {
  process.stdout.write(JSON.stringify({ result: 'pass' }) + '\n')
  js.kill('SIGTERM')
  process.exit(0)
}

setTimeout(() => fail(new Error('timed out')), 60000).unref()

/** js-peer.mjs with `args`; events not yet waited for are kept */
export function startJsPeer (args) {
  const js = spawn(process.execPath, [path.join(here, 'js-peer.mjs'), ...args, '--max-lifetime', '90'],
    { stdio: ['pipe', 'pipe', 'inherit'] })
  const events = readline.createInterface({ input: js.stdout })
  const waiting = []
  const kept = []
  events.on('line', (line) => {
    const ev = JSON.parse(line)
    const i = waiting.findIndex(w => w.match(ev))
    if (i >= 0) waiting.splice(i, 1)[0].resolve(ev)
    else kept.push(ev)
  })
  function waitFor (match) {
    const j = kept.findIndex(match)
    if (j >= 0) return Promise.resolve(kept.splice(j, 1)[0])
    const { promise, resolve } = Promise.withResolvers()
    waiting.push({ match, resolve })
    return promise
  }
  function jsCommand (cmd) {
    const reply = waitFor(ev => ev.id === cmd.id)
    js.stdin.write(JSON.stringify(cmd) + '\n')
    return reply
  }
  return { js, waitFor, jsCommand }
}

/** the control socket in argument `index` of the command line (js
 * multiaddrs spell a unix path as one URI-encoded component) */
export async function controlAddress (index = 2) {
  const { multiaddr } = await import('@multiformats/multiaddr')
  const text = process.argv[index]
  return text.startsWith('/unix/')
    ? multiaddr('/unix/' + encodeURIComponent(text.slice('/unix'.length)))
    : multiaddr(text)
}

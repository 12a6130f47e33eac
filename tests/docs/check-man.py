#!/usr/bin/env python3
"""check-man.py SRCDIR SATORIP2P SATORIP2PD SATORI_INSPECT CONF_MAN — TAP

The manual pages against the programs: every command `satorip2p --help`
lists and every option of every command is in satorip2p(1); every option of
satorip2pd and satori-inspect in theirs; every key of the default
configuration in the generated satorip2p.conf(5). A new command, option or
key without documentation fails here.
"""
import os
import re
import subprocess
import sys

srcdir, satorip2p, satorip2pd, inspect, conf_man = sys.argv[1:6]
results = []


def page(name):
    with open(os.path.join(srcdir, 'docs', 'man', name), encoding='utf-8') as f:
        # Undo troff's escaped hyphens so options read as typed.
        return f.read().replace('\\-', '-')


def help_of(*argv):
    env = dict(os.environ, LC_ALL='C', LANGUAGE='')
    return subprocess.run(argv, capture_output=True, text=True, env=env).stdout


def long_options(text):
    return sorted(set(re.findall(r'^\s+(?:-\w, )?(--[a-z][a-z-]*)', text, re.M)) -
                  {'--help', '--help-all'})


def check(description, missing):
    results.append((description, missing))


cli_page = page('satorip2p.1')
usage = help_of(satorip2p, '--help')
commands = re.findall(r'^  ([a-z]+(?: [a-z]+)?)\s{2,}', usage, re.M)
check('satorip2p(1) documents every command', [c for c in commands if c not in cli_page])
for command in commands:
    options = long_options(help_of(satorip2p, *command.split(), '--help'))
    check('satorip2p(1) documents the options of "%s"' % command,
          [o for o in options if o not in cli_page])

daemon_page = page('satorip2pd.1')
check('satorip2pd(1) documents every option',
      [o for o in long_options(help_of(satorip2pd, '--help')) if o not in daemon_page])
inspect_page = page('satori-inspect.1')
check('satori-inspect(1) documents every option',
      [o for o in long_options(help_of(inspect, '--help')) if o not in inspect_page])

with open(conf_man, encoding='utf-8') as f:
    conf_page = f.read().replace('\\-', '-')
with open(os.path.join(srcdir, 'data', 'satorip2p.conf'), encoding='utf-8') as f:
    keys = re.findall(r'^#?([a-z][a-z0-9-]*)=', f.read(), re.M)
check('satorip2p.conf(5) documents every key of the default configuration',
      [k for k in keys if '\\fB%s\\fR' % k not in conf_page])

print('TAP version 13')
print('1..%d' % len(results))
for i, (description, missing) in enumerate(results, 1):
    if missing:
        print('not ok %d - %s' % (i, description))
        print('# missing: %s' % ', '.join(missing))
    else:
        print('ok %d - %s' % (i, description))
sys.exit(1 if any(missing for _, missing in results) else 0)

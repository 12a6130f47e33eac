#!/usr/bin/env python3
"""check-translation.py SRCDIR LOCALEDIR SATORIP2P SATORIP2PD — TAP

The German translation is complete and used: de.po passes msgfmt's format
checks, has no untranslated or fuzzy message, and holds every translatable
string of the sources (po/POTFILES.in, extracted with xgettext now); and
the programs, run with LANGUAGE=de, print German — their own strings and
the library's errors.
"""
import os
import re
import subprocess
import sys
import tempfile

srcdir, localedir, satorip2p, satorip2pd = sys.argv[1:5]
po = os.path.join(srcdir, 'po', 'de.po')
results = []


def check(description, problems):
    results.append((description, problems))


def msgids(path):
    """The msgids of a PO or POT file, joined across continuation lines."""
    ids, current, in_id = set(), None, False
    for line in open(path, encoding='utf-8'):
        if line.startswith('msgid '):
            current, in_id = line[6:].strip()[1:-1], True
        elif line.startswith('"') and in_id:
            current += line.strip()[1:-1]
        else:
            if in_id and current:
                ids.add(current)
            in_id = False
    return ids


stats = subprocess.run(['msgfmt', '-c', '--statistics', '-o', os.devnull, po],
                       capture_output=True, text=True, env=dict(os.environ, LC_ALL='C'))
check('de.po passes msgfmt -c', [stats.stderr.strip()] if stats.returncode else [])
check('de.po has no untranslated or fuzzy messages',
      [stats.stderr.strip()] if re.search(r'untranslated|fuzzy', stats.stderr) else [])

with tempfile.TemporaryDirectory() as tmp:
    pot = os.path.join(tmp, 'satorip2p.pot')
    subprocess.run(['xgettext', '--files-from=po/POTFILES.in', '--directory=.',
                    '--from-code=UTF-8', '--keyword=_', '--keyword=N_', '--keyword=C_:1c,2',
                    '--keyword=NC_:1c,2', '--keyword=g_dngettext:2,3', '--add-comments',
                    '-o', pot], cwd=srcdir, check=True)
    missing = sorted(msgids(pot) - msgids(po))
check('de.po holds every translatable string of the sources (update it: msgmerge -U '
      'po/de.po with the pot of `ninja satorip2p-pot`, then translate)', missing)

env = dict(os.environ, LC_ALL='C.UTF-8', LANGUAGE='de', SATORI_LOCALEDIR=localedir)


def output(*argv):
    run = subprocess.run(argv, capture_output=True, text=True, env=env)
    return run.stdout + run.stderr


usage = output(satorip2p, '--help')
check('satorip2p speaks German', [] if 'Befehle:' in usage else [usage])
daemon = output(satorip2pd, '--help')
check('satorip2pd speaks German', [] if 'der satorip2p-Daemon' in daemon else [daemon])
error = output(satorip2p, 'verify', '--address', 'not-an-address', '--signature',
               'H' * 88, 'message')
check('errors of the library are German too', [] if 'Base58' in error and
      ('Kein' in error or 'Ungültige' in error) else [error])

print('TAP version 13')
print('1..%d' % len(results))
for i, (description, problems) in enumerate(results, 1):
    print(('not ok' if problems else 'ok') + ' %d - %s' % (i, description))
    for problem in problems[:50]:
        print('# ' + problem.replace('\n', '\n# '))
sys.exit(1 if any(problems for _, problems in results) else 0)

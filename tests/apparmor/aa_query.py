#!/usr/bin/python3
"""aa_query.py - offline questions to an AppArmor profile, with python3-apparmor.

    aa_query.py PROFILE_DIR PROFILE_FILE CHECK...
    aa_query.py PROFILE_DIR --abstraction NAME

PROFILE_DIR is an /etc/apparmor.d look-alike (tunables, abi, and our
abstractions/cronguard-job).  Each CHECK is one of
    x:PATH   the profile may execute PATH      !x:PATH  it may not
    w:PATH   the profile may write PATH        !w:PATH  it may not
    m:PATH   it may map PATH executable        !m:PATH  it may not
    net:none | net:tcp | net:any               the network rules say so
    cap:NAME | !cap:NAME                       capability granted or not
A path is allowed when an allow rule of the profile or of a file it
includes (recursively) matches it with that permission and no deny rule
does: deny beats allow in AppArmor whatever the order.  Variables in the
abstraction are expanded to their Debian values; an unknown variable is
taken as /** (matching anything), which can only make a "may not" check fail.

--abstraction checks the shipped abstraction itself: it grants no execute
permission at all, and write only on the devices and sockets listed below.

Prints one line per check; exit status 0 if all hold, 1 if not, 2 on a
usage or parse error.  Run with /usr/bin/python3 (python3-apparmor)."""

import re
import sys

import apparmor.aa as aa
from apparmor.aare import AARE

VARS = {
    'etc_ro': ['/etc', '/usr/etc'],
    'run': ['/run', '/var/run'],
    'PROC': ['/proc'],
    'sys': ['/sys'],
    'multiarch': ['*-linux-gnu*'],
    'pid': ['[0-9]*'],
    'tid': ['[0-9]*'],
    'HOMEDIRS': ['/home'],
    'HOME': ['/home/*', '/root'],
}

# What the abstraction may write: standard devices, syslog and name service
# sockets.  Anything else writable there would be a hole in every profile.
ABSTRACTION_WRITABLE = {
    '/dev/null', '/dev/zero', '/dev/full', '/dev/log',
    '@{run}/systemd/journal/dev-log', '@{run}/systemd/journal/socket',
    '@{run}/nscd/socket',
    '@{run}/systemd/userdb/io.systemd.{Multiplexer,NameServiceSwitch,DynamicUser}',
}


def expand(regex):
    """All the patterns regex stands for, one per combination of variable values."""
    m = re.search(r'@\{([A-Za-z0-9_]+)\}', regex)
    if not m:
        return [regex]
    out = []
    for val in VARS.get(m.group(1), ['/**']):
        out += expand(regex[:m.start()] + val + regex[m.end():])
    return out


def rule_matches(rule, path):
    if rule.all_paths:
        return True
    return any(AARE(p, True).match(path) for p in expand(rule.path.regex))


def rule_has(rule, perm):
    if rule.all_perms:
        return True
    if perm == 'x':
        return bool(rule.exec_perms)
    if perm == 'w':
        return bool(rule.perms) and ('w' in rule.perms or 'a' in rule.perms)
    return bool(rule.perms) and perm in rule.perms


def storages(prof_data):
    """The profile's storage and every included file's, recursively."""
    out, seen = [], set()

    def add(st):
        out.append(st)
        for inc in st['inc_ie'].get_all_full_paths(aa.profile_dir):
            if inc in seen:
                continue
            seen.add(inc)
            if inc not in aa.include:
                continue  # "include if exists" of a missing file
            for sub in aa.include[inc].values():
                add(sub)
    for prof in prof_data.values():
        for st in prof.values():
            add(st)
    return out


def file_allowed(sts, path, perm):
    allow = deny = False
    for st in sts:
        for rule in st['file'].rules:
            if not rule_has(rule, perm) or not rule_matches(rule, path):
                continue
            if rule.deny:
                deny = True
            else:
                allow = True
    return allow and not deny


def network_kind(sts):
    allow, deny = [], []
    for st in sts:
        for rule in st['network'].rules:
            (deny if rule.deny else allow).append(rule)
    if any(r.all_domains and r.all_type_or_protocols for r in allow):
        return 'any'
    inet = [r for r in allow if not r.all_domains and r.domain in ('inet', 'inet6')]
    denied_inet = {r.domain for r in deny if not r.all_domains and r.all_type_or_protocols
                   and r.domain in ('inet', 'inet6')}
    if not inet and denied_inet == {'inet', 'inet6'}:
        return 'none'
    if inet and all(r.type_or_protocol == 'stream' for r in inet):
        return 'tcp'
    return 'other'


def cap_granted(sts, name):
    allow = deny = False
    for st in sts:
        for rule in st['capability'].rules:
            if rule.all_caps or name in rule.capability:
                if rule.deny:
                    deny = True
                else:
                    allow = True
    return allow and not deny


def check_abstraction(name):
    path = '%s/abstractions/%s' % (aa.profile_dir, name)
    aa.load_include(path)
    ok = True
    for st in storages({path: aa.include[path]}):
        for rule in st['file'].rules:
            if rule.deny:
                continue
            if rule_has(rule, 'x'):
                print('FAIL: abstraction grants execute: %s' % rule.get_clean())
                ok = False
            if rule_has(rule, 'w') or rule_has(rule, 'l'):
                if rule.all_paths or rule.path.regex not in ABSTRACTION_WRITABLE:
                    print('FAIL: abstraction grants write outside its list: %s'
                          % rule.get_clean())
                    ok = False
        if st['network'].rules:
            print('FAIL: abstraction has network rules')
            ok = False
        if st['capability'].rules:
            print('FAIL: abstraction has capability rules')
            ok = False
    if ok:
        print('ok: abstraction %s grants no execute, writes only devices and sockets' % name)
    return ok


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    aa.init_aa(profiledir=argv[1])
    if argv[2] == '--abstraction':
        return 0 if check_abstraction(argv[3]) else 1
    with open(argv[2]) as f:
        data = f.read().splitlines()
    sts = storages(aa.parse_profile_data(data, argv[2], False))
    ok = True
    for check in argv[3:]:
        neg = check.startswith('!')
        kind, _, arg = check.lstrip('!').partition(':')
        if kind in ('x', 'w', 'm'):
            got = file_allowed(sts, arg, kind)
        elif kind == 'net':
            got = network_kind(sts) == arg
        elif kind == 'cap':
            got = cap_granted(sts, arg)
        else:
            print('unknown check %s' % check, file=sys.stderr)
            return 2
        good = got != neg
        ok &= good
        print('%s: %s' % ('ok' if good else 'FAIL', check))
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main(sys.argv))
